using System;

namespace ModelC.Runtime.Kernels;

/// <summary>
/// The compile-time shape of one conv2d call, as generated code passes it to <see cref="ConvKernels"/>:
/// an input image [Channels, Height, Width], a weight [Filters, Channels, KernelHeight, KernelWidth],
/// a stride, the zero padding before the first row and column, and the output [Filters, OutputHeight,
/// OutputWidth]. Padding after the last row and column needs no field: every read outside the image
/// is a zero.
/// </summary>
public readonly struct Conv2dGeometry
{
    public Conv2dGeometry(int channels, int height, int width, int filters, int kernelHeight, int kernelWidth,
        int stride, int padTop, int padLeft, int outputHeight, int outputWidth)
    {
        Positive(channels, nameof(channels)); Positive(height, nameof(height)); Positive(width, nameof(width));
        Positive(filters, nameof(filters)); Positive(kernelHeight, nameof(kernelHeight)); Positive(kernelWidth, nameof(kernelWidth));
        Positive(stride, nameof(stride)); Positive(outputHeight, nameof(outputHeight)); Positive(outputWidth, nameof(outputWidth));
        if (padTop < 0) throw new ArgumentOutOfRangeException(nameof(padTop), padTop, "padding must be >= 0");
        if (padLeft < 0) throw new ArgumentOutOfRangeException(nameof(padLeft), padLeft, "padding must be >= 0");
        Channels = channels; Height = height; Width = width; Filters = filters;
        KernelHeight = kernelHeight; KernelWidth = kernelWidth; Stride = stride; PadTop = padTop; PadLeft = padLeft;
        OutputHeight = outputHeight; OutputWidth = outputWidth;
        // Every size below is used as an int offset into one example's region: refuse overflow here.
        _ = checked(ScratchSize + InputSize + OutputSize);
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Filters { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int Stride { get; }
    public int PadTop { get; }
    public int PadLeft { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }

    /// <summary>Rows of the tap matrix: one per (channel, kernel row, kernel column).</summary>
    public int Taps => checked(Channels * KernelHeight * KernelWidth);
    /// <summary>Output positions per filter (the im2col matrix's row length at strides above 1).</summary>
    public int Pixels => checked(OutputHeight * OutputWidth);
    public int InputSize => checked(Channels * Height * Width);
    public int OutputSize => checked(Filters * Pixels);
    public int WeightSize => checked(Filters * Taps);

    /// <summary>
    /// Stride-1 convolutions read every kernel tap straight from the image (zero-padded into scratch
    /// when padded) instead of copying it into an im2col matrix: with the image's rows padded to
    /// <see cref="PaddedWidth"/>, tap (c, kh, kw) of output (oh, ow) sits at a fixed offset from
    /// oh · PaddedWidth + ow, so each tap is one contiguous row of <see cref="Columns"/> values.
    /// </summary>
    public bool ReadsImageDirectly => Stride == 1;
    public int PaddedHeight => OutputHeight + KernelHeight - 1;
    public int PaddedWidth => OutputWidth + KernelWidth - 1;
    /// <summary>True when a direct read needs a zero-padded copy of the image (any padding).</summary>
    public bool NeedsPaddedCopy => ReadsImageDirectly && (PadTop != 0 || PadLeft != 0 || PaddedHeight != Height || PaddedWidth != Width);
    public int PaddedSize => NeedsPaddedCopy ? checked(Channels * PaddedHeight * PaddedWidth) : 0;
    /// <summary>
    /// Row length of the products: with direct reads, outputs laid out PaddedWidth apart (the extra
    /// columns of each row are computed and dropped), up to the last real output; else Pixels.
    /// </summary>
    public int Columns => ReadsImageDirectly ? checked((OutputHeight - 1) * PaddedWidth + OutputWidth) : Pixels;

    /// <summary>
    /// Scratch floats per example. Direct reads: the padded image (padded input gradient in the
    /// gradient arena), the output rows [Filters, Columns] (output gradient rows), room for the tap
    /// gradients [Taps, Columns]; otherwise the im2col matrix [Taps, Pixels] (its gradient). Last,
    /// one weight and bias gradient partial. Each backward group uses its first example's room.
    /// </summary>
    public int ScratchSize => ReadsImageDirectly
        ? checked(PaddedSize + Filters * Columns + Taps * Columns + WeightSize + Filters)
        : checked(Taps * Pixels + WeightSize + Filters);

    /// <summary>Where an example's weight and bias gradient partial starts in its scratch.</summary>
    public int PartialOffset => ScratchSize - WeightSize - Filters;

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "must be > 0");
    }
}
