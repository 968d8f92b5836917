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

    /// <summary>Rows of the im2col matrix: one per (channel, kernel row, kernel column).</summary>
    public int Taps => checked(Channels * KernelHeight * KernelWidth);
    /// <summary>Output positions per filter: the im2col matrix's row length.</summary>
    public int Pixels => checked(OutputHeight * OutputWidth);
    public int InputSize => checked(Channels * Height * Width);
    public int OutputSize => checked(Filters * Pixels);
    public int WeightSize => checked(Filters * Taps);

    /// <summary>
    /// Scratch floats per example: the im2col matrix [Taps, Pixels], then room for one weight and
    /// bias gradient partial (used in the gradient arena's copy, by the first example of each group).
    /// </summary>
    public int ScratchSize => checked(Taps * Pixels + WeightSize + Filters);

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "must be > 0");
    }
}
