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
    /// [O, C, KH, KW] and an optional bias [O], giving [O, OH, OW]. Per example, im2col copies
    /// every kernel tap's view of the (zero-padded) input into one row of a [C·KH·KW, OH·OW]
    /// scratch matrix, so the convolution is the product weight [O, C·KH·KW] · col, and the
    /// backward pass is two more products: dW += g · colᵀ and dcol = Wᵀ · g, then col2im adds
    /// dcol back into dx. Every inner loop runs over a whole row of OH·OW contiguous values
    /// with the SIMD kernels of TensorPrimitives.
    /// </summary>
    public sealed class Conv2dNode : Node
    {
        private const string Simd = "global::System.Numerics.Tensors.TensorPrimitives";

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
        private int Pixels => OutHeight * OutWidth;
        /// <summary>Rows of the col matrix: one per (channel, kh, kw) tap.</summary>
        private int Taps => Channels * Window.KernelH * Window.KernelW;

        /// <summary>Multiply-adds of one example's forward pass: every output value sums one product per tap.</summary>
        public long MultiplyAdds => (long)Shape.Size * Taps;

        /// <summary>The col matrix [taps, OH·OW] of each example, kept for the backward pass.</summary>
        public override int ScratchSize => Taps * Pixels;

        public override string Describe() =>
            $"conv2d {Channels}->{Filters} {Window.KernelH}x{Window.KernelW} stride {Window.Stride}" +
            (Window.IsPadded ? $" padding {Window.PadTop},{Window.PadBottom},{Window.PadLeft},{Window.PadRight}" : "");

        /// <summary>
        /// The output positions [start, end) along one axis where tap k reads inside the image
        /// (o*stride + k - padBefore in [0, size)). Without padding that is every position; with it,
        /// the bounds are computed per tap in the generated code and returned as local names.
        /// </summary>
        private (string Start, string End) InsideRange(EmitContext c, string o, string k, int padBefore, int padAfter, int size, int outSize)
        {
            if (padBefore == 0 && padAfter == 0) return ("0", outSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            int s = Window.Stride;
            if (s == 1)
            {
                // An empty range may come out as end < start; the loop then does nothing.
                c.Line($"int {o}Start = {k} < {padBefore} ? {padBefore} - {k} : 0;");
                c.Line($"int {o}End = global::System.Math.Min({outSize}, {size + padBefore} - {k});");
            }
            else
            {
                c.Line($"int {o}Start = {k} < {padBefore} ? ({padBefore} - {k} + {s - 1}) / {s} : 0;");
                c.Line($"int {o}End = {size - 1 + padBefore} - {k} < 0 ? 0 : global::System.Math.Min({outSize}, ({size - 1 + padBefore} - {k}) / {s} + 1);");
            }
            return ($"{o}Start", $"{o}End");
        }

        /// <summary>
        /// Loops over the taps and the output rows each reads inside the image, then hands the
        /// body the tap's row index "tap", the output row oh, the columns [owStart, owEnd) and the
        /// input index of (oh, owStart).
        /// </summary>
        private void TapRows(EmitContext c, System.Action<string, string, string> body)
        {
            using (c.Block($"for (int ci = 0; ci < {Channels}; ci++)"))
            using (c.Block($"for (int kh = 0; kh < {Window.KernelH}; kh++)"))
            {
                var (ohStart, ohEnd) = InsideRange(c, "oh", "kh", Window.PadTop, Window.PadBottom, Height, OutHeight);
                using (c.Block($"for (int kw = 0; kw < {Window.KernelW}; kw++)"))
                {
                    var (owStart, owEnd) = InsideRange(c, "ow", "kw", Window.PadLeft, Window.PadRight, Width, OutWidth);
                    c.Line($"int tap = (ci * {Window.KernelH} + kh) * {Window.KernelW} + kw;");
                    using (c.Block($"for (int oh = {ohStart}; oh < {ohEnd}; oh++)"))
                    {
                        c.Line($"int from = {Times("ci", Height * Width)} + ({Times("oh", Window.Stride)} + kh{Minus(Window.PadTop)}) * {Width} + {Times(owStart, Window.Stride)} + kw{Minus(Window.PadLeft)};");
                        body(owStart, owEnd, "from");
                    }
                }
            }
        }

        private string Times(string value, int factor) => factor == 1 ? value : $"{value} * {factor}";
        private static string Minus(int value) => value == 0 ? "" : $" - {value}";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            {
                c.Line($"global::System.Span<float> col = {c.ScratchSpan(this)};");
                c.Line($"global::System.Span<float> input = {c.ValueSpan(X, "0", X.Shape.Size)};");
                // Taps that read padding leave zeros in their rows.
                if (Window.IsPadded) c.Line("col.Clear();");
                TapRows(c, (owStart, owEnd, from) =>
                {
                    if (Window.Stride == 1)
                        c.Line($"input.Slice({from}, {owEnd} - {owStart}).CopyTo(col.Slice(tap * {Pixels} + oh * {OutWidth} + {owStart}));");
                    else
                        c.Line($"for (int ow = {owStart}, i = {from}; ow < {owEnd}; ow++, i += {Window.Stride}) col[tap * {Pixels} + oh * {OutWidth} + ow] = input[i];");
                });
                c.Line($"global::System.Span<float> output = {c.ValueSpan(this, "0", Shape.Size)};");
                using (c.Block($"for (int o = 0; o < {Filters}; o++)"))
                {
                    c.Line($"global::System.Span<float> plane = output.Slice(o * {Pixels}, {Pixels});");
                    c.Line(Bias is null ? "plane.Clear();" : $"plane.Fill({c.Value(Bias, "o")});");
                    using (c.Block($"for (int tap = 0; tap < {Taps}; tap++)"))
                        c.Line($"{Simd}.MultiplyAdd(col.Slice(tap * {Pixels}, {Pixels}), {c.Value(Weight, $"o * {Taps} + tap")}, plane, plane);");
                }
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            bool wantX = c.WantsGradient(X), wantW = c.WantsGradient(Weight), wantB = Bias is not null && c.WantsGradient(Bias);
            using (c.BatchLoop(this))
            {
                c.Line($"global::System.Span<float> col = {c.ScratchSpan(this)};");
                c.Line($"global::System.Span<float> outputGradient = {c.GradientSpan(this, "0", Shape.Size)};");
                if (wantX)
                {
                    // dcol lives in the gradient arena's copy of the scratch region, unused otherwise.
                    c.Line($"global::System.Span<float> colGradient = {c.ScratchSpan(this, gradient: true)};");
                    c.Line("colGradient.Clear();");
                }
                using (c.Block($"for (int o = 0; o < {Filters}; o++)"))
                {
                    c.Line($"global::System.Span<float> g = outputGradient.Slice(o * {Pixels}, {Pixels});");
                    if (wantB) c.Line($"{c.Gradient(Bias!, "o")} += {Simd}.Sum(g);");
                    if (wantW || wantX)
                    {
                        using (c.Block($"for (int tap = 0; tap < {Taps}; tap++)"))
                        {
                            if (wantW) c.Line($"{c.Gradient(Weight, $"o * {Taps} + tap")} += {Simd}.Dot(g, col.Slice(tap * {Pixels}, {Pixels}));");
                            if (wantX)
                            {
                                c.Line($"global::System.Span<float> row = colGradient.Slice(tap * {Pixels}, {Pixels});");
                                c.Line($"{Simd}.MultiplyAdd(g, {c.Value(Weight, $"o * {Taps} + tap")}, row, row);");
                            }
                        }
                    }
                }
                if (!wantX) return;
                // col2im: every tap's row goes back to the input positions it was copied from.
                c.Line($"global::System.Span<float> inputGradient = {c.GradientSpan(X, "0", X.Shape.Size)};");
                TapRows(c, (owStart, owEnd, from) =>
                {
                    if (Window.Stride == 1)
                    {
                        c.Line($"global::System.Span<float> target = inputGradient.Slice({from}, {owEnd} - {owStart});");
                        c.Line($"{Simd}.Add(target, colGradient.Slice(tap * {Pixels} + oh * {OutWidth} + {owStart}, {owEnd} - {owStart}), target);");
                    }
                    else
                    {
                        c.Line($"for (int ow = {owStart}, i = {from}; ow < {owEnd}; ow++, i += {Window.Stride}) inputGradient[i] += colGradient[tap * {Pixels} + oh * {OutWidth} + ow];");
                    }
                });
            }
        }
    }
}
