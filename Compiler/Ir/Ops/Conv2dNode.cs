using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>The geometry of a 2-D window sliding over an image: kernel, stride and zero padding per side.</summary>
    public sealed record Window2d(int KernelH, int KernelW, int Stride, int PadTop, int PadBottom, int PadLeft, int PadRight)
    {
        /// <summary>Output rows for an input of height h: floor((h + padding - kernel) / stride) + 1, as PyTorch.</summary>
        public int OutputHeight(int h) => (h + PadTop + PadBottom - KernelH) / Stride + 1;
        public int OutputWidth(int w) => (w + PadLeft + PadRight - KernelW) / Stride + 1;
        /// <summary>True when the kernel fits in the padded input at least once.</summary>
        public bool Fits(int h, int w) => h + PadTop + PadBottom >= KernelH && w + PadLeft + PadRight >= KernelW;
        public bool IsPadded => PadTop + PadBottom + PadLeft + PadRight > 0;
    }

    /// <summary>
    /// A 2-D convolution (PyTorch's cross-correlation) of an image [C, H, W] with a weight
    /// [O, C, KH, KW] and an optional bias [O], giving [O, OH, OW]. Zero padding is never stored:
    /// each kernel tap runs only over the output rows and columns whose input lies inside the image.
    /// </summary>
    public sealed class Conv2dNode : Node
    {
        public Conv2dNode(Node x, ParameterNode weight, ParameterNode? bias, Window2d window, SourceSpan span)
            : base(new Shape(weight.Shape[0], window.OutputHeight(x.Shape[1]), window.OutputWidth(x.Shape[2])), x.IsBatched,
                bias is null ? new Node[] { x, weight } : new Node[] { x, weight, bias }, span)
        {
            Window = window;
        }

        public Window2d Window { get; }
        public Node X => Inputs[0];
        public Node Weight => Inputs[1];
        public Node? Bias => Inputs.Count > 2 ? Inputs[2] : null;
        private int Channels => X.Shape[0];
        private int Height => X.Shape[1];
        private int Width => X.Shape[2];
        private int Filters => Shape[0];
        private int OutHeight => Shape[1];
        private int OutWidth => Shape[2];

        public override string Describe() =>
            $"conv2d {Channels}->{Filters} {Window.KernelH}x{Window.KernelW} stride {Window.Stride}" +
            (Window.IsPadded ? $" padding {Window.PadTop},{Window.PadBottom},{Window.PadLeft},{Window.PadRight}" : "");

        private string WeightIndex => $"((o * {Channels} + ci) * {Window.KernelH} + kh) * {Window.KernelW} + kw";
        private string InputIndex => $"ci * {Height * Width} + (oh * {Window.Stride} + kh - {Window.PadTop}) * {Width} + ow * {Window.Stride} + kw - {Window.PadLeft}";
        private string OutputIndex => $"o * {OutHeight * OutWidth} + oh * {OutWidth} + ow";

        /// <summary>
        /// Opens the loops over filters, channels and kernel taps, and the output rows and columns
        /// where that tap reads inside the image: oh*stride + kh - padTop in [0, H).
        /// </summary>
        private void TapLoops(EmitContext c, System.Action<EmitContext> beforeTaps, System.Action<EmitContext> tapStart,
            System.Action<EmitContext> body, System.Action<EmitContext> tapEnd)
        {
            using (c.Block($"for (int o = 0; o < {Filters}; o++)"))
            {
                beforeTaps(c);
                using (c.Block($"for (int ci = 0; ci < {Channels}; ci++)"))
                using (c.Block($"for (int kh = 0; kh < {Window.KernelH}; kh++)"))
                {
                    var (ohStart, ohEnd) = InsideRange(c, "oh", "kh", Window.PadTop, Window.PadBottom, Height, OutHeight);
                    using (c.Block($"for (int kw = 0; kw < {Window.KernelW}; kw++)"))
                    {
                        var (owStart, owEnd) = InsideRange(c, "ow", "kw", Window.PadLeft, Window.PadRight, Width, OutWidth);
                        tapStart(c);
                        using (c.Block($"for (int oh = {ohStart}; oh < {ohEnd}; oh++)"))
                        using (c.Block($"for (int ow = {owStart}; ow < {owEnd}; ow++)"))
                            body(c);
                        tapEnd(c);
                    }
                }
            }
        }

        /// <summary>
        /// The output positions [start, end) along one axis where tap k reads inside the image
        /// (o*stride + k - padBefore in [0, size)). Without padding that is every position; with it,
        /// the bounds are computed per tap in the generated code and returned as local names.
        /// </summary>
        private (string Start, string End) InsideRange(EmitContext c, string o, string k, int padBefore, int padAfter, int size, int outSize)
        {
            if (padBefore == 0 && padAfter == 0) return ("0", outSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            int s = Window.Stride;
            c.Line($"int {o}Start = {k} < {padBefore} ? ({padBefore} - {k} + {s - 1}) / {s} : 0;");
            c.Line($"int {o}End = {size - 1 + padBefore} - {k} < 0 ? 0 : global::System.Math.Min({outSize}, ({size - 1 + padBefore} - {k}) / {s} + 1);");
            return ($"{o}Start", $"{o}End");
        }

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            {
                TapLoops(c,
                    beforeTaps: k => k.Line($"for (int i = 0; i < {OutHeight * OutWidth}; i++) {k.Value(this, $"o * {OutHeight * OutWidth} + i")} = {(Bias is null ? "0f" : k.Value(Bias, "o"))};"),
                    tapStart: k => k.Line($"float w = {k.Value(Weight, WeightIndex)};"),
                    body: k => k.Line($"{k.Value(this, OutputIndex)} += w * {k.Value(X, InputIndex)};"),
                    tapEnd: _ => { });
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            bool wantX = c.WantsGradient(X), wantW = c.WantsGradient(Weight), wantB = Bias is not null && c.WantsGradient(Bias);
            using (c.BatchLoop(this))
            {
                TapLoops(c,
                    beforeTaps: k =>
                    {
                        if (!wantB) return;
                        k.Line("float biasGradient = 0f;");
                        k.Line($"for (int i = 0; i < {OutHeight * OutWidth}; i++) biasGradient += {k.Gradient(this, $"o * {OutHeight * OutWidth} + i")};");
                        k.Line($"{k.Gradient(Bias!, "o")} += biasGradient;");
                    },
                    tapStart: k =>
                    {
                        if (wantX) k.Line($"float w = {k.Value(Weight, WeightIndex)};");
                        if (wantW) k.Line("float weightGradient = 0f;");
                    },
                    body: k =>
                    {
                        k.Line($"float g = {k.Gradient(this, OutputIndex)};");
                        if (wantW) k.Line($"weightGradient += g * {k.Value(X, InputIndex)};");
                        if (wantX) k.Line($"{k.Gradient(X, InputIndex)} += g * w;");
                    },
                    tapEnd: k =>
                    {
                        if (wantW) k.Line($"{k.Gradient(Weight, WeightIndex)} += weightGradient;");
                    });
            }
        }
    }
}
