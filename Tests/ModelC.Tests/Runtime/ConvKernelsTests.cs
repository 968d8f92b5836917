using System;
using System.Runtime.Intrinsics.X86;
using ModelC.Runtime.Kernels;
using Xunit;

namespace ModelC.Tests.Runtime;

// Shares KernelThreads.Parts with the other kernel tests, so they never run at once.
[Collection("KernelThreads")]
public sealed class ConvKernelsTests
{
    // channels, height, width, filters, kernel h, kernel w, stride, pad top, pad left, output h, output w, batch.
    // They cover LeNet's two layers, rows of fewer than 16 pixels (plain loops), rows with a partial
    // last vector, padding on one side only, strides, a 1x1 kernel, and batches with a partial group;
    // 5 filters and 27 taps leave 5 and 3 rows after the 8-row blocks of the AVX-512 products; 32
    // filters in padded rows of 9 pixels take two 16-filter pixel blocks with overlapping blocks;
    // on the AVX2 path LeNet's conv1 and the first two (rows of 16 and 30 pixels, 7 and 5 filters) run
    // their products one output row at a time, the second at batch 1 split across threads.
    public static TheoryData<int[]> Geometries => new()
    {
        new[] { 2, 16, 16, 7, 3, 3, 1, 1, 1, 16, 16, 3 },
        new[] { 3, 30, 30, 5, 3, 3, 1, 1, 1, 30, 30, 1 },
        new[] { 3, 9, 9, 32, 3, 3, 1, 1, 1, 9, 9, 3 },
        new[] { 1, 28, 28, 6, 5, 5, 1, 2, 2, 28, 28, 9 },
        new[] { 6, 14, 14, 16, 5, 5, 1, 0, 0, 10, 10, 17 },
        new[] { 2, 4, 4, 3, 3, 3, 1, 0, 0, 2, 2, 3 },
        new[] { 3, 9, 9, 5, 3, 3, 2, 1, 1, 5, 5, 8 },
        new[] { 2, 8, 8, 7, 4, 4, 1, 1, 1, 8, 8, 1 },
        new[] { 2, 11, 17, 9, 2, 3, 3, 2, 2, 5, 7, 10 },
        new[] { 4, 6, 6, 3, 1, 1, 1, 0, 0, 6, 6, 2 },
        new[] { 3, 12, 12, 5, 3, 3, 1, 1, 1, 12, 12, 4 },
        new[] { 1, 3, 3, 1, 1, 1, 1, 0, 0, 3, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ASingleExampleSplitAcrossThreadsGivesTheBitsOfOneThread(int[] shape) => VectorPaths.ForEach(_ => ASingleExampleSplitAcrossThreadsGivesTheBitsOfOneThreadOn(shape));

    private static void ASingleExampleSplitAcrossThreadsGivesTheBitsOfOneThreadOn(int[] shape)
    {
        var (g, _) = Geometry(shape);
        var random = new Random(17);
        float[] Values(int length) { var v = new float[length]; for (int i = 0; i < length; i++) v[i] = (float)(random.NextDouble() * 2 - 1); return v; }
        var x = Values(g.InputSize); var w = Values(g.WeightSize); var bias = Values(g.Filters);
        int saved = KernelThreads.Parts;
        try
        {
            float[] Run(int parts)
            {
                KernelThreads.Parts = parts;
                var output = new float[g.OutputSize];
                ConvKernels.Forward(x, w, bias, output, new float[g.ScratchSize], 1, g);
                return output;
            }
            var one = Run(1);
            for (int repeat = 0; repeat < 3; repeat++)
            {
                Assert.Equal(one, Run(2));
                Assert.Equal(one, Run(3));
            }
        }
        finally
        {
            KernelThreads.Parts = saved;
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardIsTheCrossCorrelationPlusBias(int[] shape) => VectorPaths.ForEach(_ => ForwardIsTheCrossCorrelationPlusBiasOn(shape));

    private static void ForwardIsTheCrossCorrelationPlusBiasOn(int[] shape)
    {
        var (g, batch) = Geometry(shape);
        int o = g.Filters;
        var x = Random(batch * g.InputSize, 1); var weight = Random(g.WeightSize, 2); var bias = Random(o, 3);
        var output = Random(batch * g.OutputSize, 4);   // overwritten
        var scratch = Random(batch * g.ScratchSize, 5);  // padding taps must come out as zeros

        ConvKernels.Forward(x, weight, bias, output, scratch, batch, g);

        var expected = ReferenceForward(g, x, weight, bias, batch);
        AssertClose(expected, output, g.Taps);
        ConvKernels.Forward(x, weight, default, output, scratch, batch, g);
        for (int i = 0; i < expected.Length; i++) expected[i] -= bias[i / g.Pixels % o];
        AssertClose(expected, output, g.Taps);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void OnTheFmaPathsEachOutputIsItsBiasPlusItsTapsFusedInTapOrder(int[] shape)
    {
        var (g, batch) = Geometry(shape);
        // Rows of products under 16 columns take TensorPrimitives' loops on the AVX-512 path.
        if (!Fma.IsSupported || g.Columns < 16) return;
        var x = Random(batch * g.InputSize, 11); var weight = Random(g.WeightSize, 12); var bias = Random(g.Filters, 13);
        var expected = new float[batch * g.OutputSize];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < g.Filters; o++)
                for (int oh = 0; oh < g.OutputHeight; oh++)
                    for (int ow = 0; ow < g.OutputWidth; ow++)
                    {
                        float sum = bias[o];
                        ForEachTap(g, oh, ow, (ci, kh, kw, ih, iw) =>
                            sum = MathF.FusedMultiplyAdd(weight[((o * g.Channels + ci) * g.KernelHeight + kh) * g.KernelWidth + kw], x[b * g.InputSize + (ci * g.Height + ih) * g.Width + iw], sum));
                        expected[b * g.OutputSize + (o * g.OutputHeight + oh) * g.OutputWidth + ow] = sum;
                    }
        foreach (var path in new[] { VectorPath.Avx2, VectorPath.Avx512 })
        {
            using var forced = KernelPath.Force(path);
            var output = new float[expected.Length];
            ConvKernels.Forward(x, weight, bias, output, new float[batch * g.ScratchSize], batch, g);
            Assert.Equal(expected, output);
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void TheFusedReluHasTheBitsOfTheSeparateReluKernel(int[] shape) => VectorPaths.ForEach(_ => TheFusedReluHasTheBitsOfTheSeparateReluKernelOn(shape));

    private static void TheFusedReluHasTheBitsOfTheSeparateReluKernelOn(int[] shape)
    {
        var (g, batch) = Geometry(shape);
        var x = Random(batch * g.InputSize, 21); var weight = Random(g.WeightSize, 22); var bias = Random(g.Filters, 23);
        var output = new float[batch * g.OutputSize];
        ConvKernels.Forward(x, weight, bias, output, new float[batch * g.ScratchSize], batch, g);
        var expected = new float[output.Length];
        ActivationKernels.Relu(output, expected);
        int saved = KernelThreads.Parts;
        try
        {
            foreach (int parts in new[] { 1, 2, 3 })
            {
                KernelThreads.Parts = parts;
                var fusedOutput = Random(output.Length, 24); var relu = Random(output.Length, 25);
                ConvKernels.Forward(x, weight, bias, fusedOutput, relu, Random(batch * g.ScratchSize, 26), batch, g);
                Assert.Equal(output, fusedOutput);
                Assert.Equal(expected, relu);
                // Without an output span only the relu's values are written.
                var reluOnly = Random(output.Length, 27);
                ConvKernels.Forward(x, weight, bias, default, reluOnly, Random(batch * g.ScratchSize, 28), batch, g);
                Assert.Equal(expected, reluOnly);
            }
        }
        finally { KernelThreads.Parts = saved; }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ASingleExamplesReluAloneHasTheSeparateReluKernelsBitsAtAnyThreadCount(int[] shape) =>
        VectorPaths.ForEach(_ => ASingleExamplesReluAloneHasTheSeparateReluKernelsBitsAtAnyThreadCountOn(shape));

    private static void ASingleExamplesReluAloneHasTheSeparateReluKernelsBitsAtAnyThreadCountOn(int[] shape)
    {
        var (g, _) = Geometry(shape);
        var x = Random(g.InputSize, 31); var weight = Random(g.WeightSize, 32); var bias = Random(g.Filters, 33);
        // A NaN and infinities reach the sums: NaN (and inf - inf) must come through the relu as NaN, -inf as 0.
        x[g.Height / 2 * g.Width + g.Width / 2] = float.NaN; x[0] = float.NegativeInfinity; x[g.InputSize - 1] = float.PositiveInfinity;
        int saved = KernelThreads.Parts;
        try
        {
            KernelThreads.Parts = 1;
            var output = new float[g.OutputSize];
            ConvKernels.Forward(x, weight, bias, output, new float[g.ScratchSize], 1, g);
            var expected = new float[output.Length];
            ActivationKernels.Relu(output, expected);
            // At stride 1 every pixel is some output's tap.
            if (g.Stride == 1) Assert.Contains(expected, float.IsNaN);
            foreach (int parts in new[] { 1, 2, 3 })
            {
                KernelThreads.Parts = parts;
                var relu = Random(output.Length, 34);
                ConvKernels.Forward(x, weight, bias, default, relu, Random(g.ScratchSize, 35), 1, g);
                Assert.Equal(Bits(expected), Bits(relu));
            }
        }
        finally { KernelThreads.Parts = saved; }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void PoolingTheReluInTheKernelHasTheBitsOfTheReluThenThePoolKernel(int[] shape) =>
        ThreadCounts.AtOneAndTwo(() => VectorPaths.ForEach(_ => PoolingTheReluInTheKernelHasTheBitsOfTheReluThenThePoolKernelOn(shape)));

    private static void PoolingTheReluInTheKernelHasTheBitsOfTheReluThenThePoolKernelOn(int[] shape)
    {
        var (g, batch) = Geometry(shape);
        var x = Random(batch * g.InputSize, 41); var weight = Random(g.WeightSize, 42); var bias = Random(g.Filters, 43);
        // A NaN and an infinity reach some windows: NaN must win its window, -inf lose it.
        x[g.InputSize / 2] = float.NaN; x[batch * g.InputSize - 1] = float.NegativeInfinity;
        foreach (int window in new[] { 2, 3 })
        {
            if (g.OutputHeight < window || g.OutputWidth < window) continue;
            int pooledSize = g.Filters * ((g.OutputHeight - window) / window + 1) * ((g.OutputWidth - window) / window + 1);
            var relu = new float[batch * g.OutputSize];
            ConvKernels.Forward(x, weight, bias, default, relu, new float[batch * g.ScratchSize], batch, g);
            var expected = new float[batch * pooledSize];
            PoolKernels.MaxForward(relu, expected, batch, g.Filters, g.OutputHeight, g.OutputWidth, window, window);

            var pooled = Random(expected.Length, 44);
            ConvKernels.ForwardReluMaxPool(x, weight, bias, Random(relu.Length, 45), pooled, Random(batch * g.ScratchSize, 46), batch, g, window, window);
            Assert.Equal(Bits(expected), Bits(pooled));
            // A single example too (split across the threads when there are two).
            var one = Random(pooledSize, 47);
            ConvKernels.ForwardReluMaxPool(x.AsSpan(0, g.InputSize), weight, bias, new float[g.OutputSize], one, new float[g.ScratchSize], 1, g, window, window);
            Assert.Equal(Bits(expected.AsSpan(0, pooledSize).ToArray()), Bits(one));
        }
    }

    [Theory]
    [InlineData(new[] { 6, 14, 14, 16, 5, 5, 1, 0, 0, 10, 10, 1 })]   // LeNet's conv2: 5 pooled rows, pixel blocks
    [InlineData(new[] { 3, 30, 30, 5, 3, 3, 1, 1, 1, 30, 30, 1 })]    // 15 pooled rows, products by output row
    public void ASingleExamplesPooledRowPairSharedByTheThreadsHasTheBitsOfOneThread(int[] shape) =>
        VectorPaths.ForEach(_ => ASingleExamplesPooledRowPairSharedByTheThreadsHasTheBitsOfOneThreadOn(shape));

    // An odd number of pooled rows: at two threads the output rows are cut in two halves and the row
    // pair across the cut is pooled by whichever half finishes second, so repeat to meet both orders.
    private static void ASingleExamplesPooledRowPairSharedByTheThreadsHasTheBitsOfOneThreadOn(int[] shape)
    {
        var (g, _) = Geometry(shape);
        var x = Random(g.InputSize, 61); var weight = Random(g.WeightSize, 62); var bias = Random(g.Filters, 63);
        int pooledSize = g.Filters * (g.OutputHeight / 2) * (g.OutputWidth / 2);
        var packed = new PackedWeights();
        float[] Pooled()
        {
            var pooled = Random(pooledSize, 64);
            ConvKernels.ForwardReluMaxPool(x, weight, bias, Random(g.OutputSize, 65), pooled, Random(g.ScratchSize, 66), 1, g, 2, 2, packed, slot: 0, version: 1);
            return pooled;
        }
        int saved = KernelThreads.Parts;
        try
        {
            KernelThreads.Parts = 1;
            var relu = new float[g.OutputSize];
            ConvKernels.Forward(x, weight, bias, default, relu, new float[g.ScratchSize], 1, g);
            var expected = new float[pooledSize];
            PoolKernels.MaxForward(relu, expected, 1, g.Filters, g.OutputHeight, g.OutputWidth, 2, 2);
            Assert.Equal(Bits(expected), Bits(Pooled()));
            KernelThreads.Parts = 2;
            for (int repeat = 0; repeat < 50; repeat++) Assert.Equal(Bits(expected), Bits(Pooled()));
        }
        finally { KernelThreads.Parts = saved; }
    }

    [Fact]
    public void AWeightKeptByTapGivesThePlainBitsAndIsTransposedAgainOnANewVersion()
    {
        // LeNet's conv2: 16 filters, the pixel blocks that read the weight by tap on the AVX2 path.
        var g = new Conv2dGeometry(6, 14, 14, 16, 5, 5, 1, 0, 0, 10, 10);
        var x = Random(2 * g.InputSize, 51); var weight = Random(g.WeightSize, 52); var bias = Random(g.Filters, 53);
        var packed = new PackedWeights();
        float[] Plain()
        {
            var relu = new float[2 * g.OutputSize];
            ConvKernels.Forward(x, weight, bias, default, relu, new float[2 * g.ScratchSize], 2, g);
            return relu;
        }
        float[] Kept(long version)
        {
            var relu = new float[2 * g.OutputSize];
            ConvKernels.Forward(x, weight, bias, default, relu, new float[2 * g.ScratchSize], 2, g, packed, slot: 3, version);
            return relu;
        }
        float[] KeptAndPooled(long version)
        {
            var pooled = new float[2 * g.OutputSize / 4];
            ConvKernels.ForwardReluMaxPool(x, weight, bias, new float[2 * g.OutputSize], pooled, new float[2 * g.ScratchSize], 2, g, 2, 2, packed, slot: 3, version);
            return pooled;
        }
        float[] Pooled(float[] relu)
        {
            var pooled = new float[relu.Length / 4];
            PoolKernels.MaxForward(relu, pooled, 2, g.Filters, g.OutputHeight, g.OutputWidth, 2, 2);
            return pooled;
        }
        VectorPaths.ForEach(_ =>
        {
            Assert.Equal(Plain(), Kept(version: 1));
            Assert.Equal(Pooled(Plain()), KeptAndPooled(version: 1));
            for (int i = 0; i < weight.Length; i++) weight[i] = 0.5f - weight[i];
            Assert.Equal(Plain(), Kept(version: 2));
            Assert.Equal(Pooled(Plain()), KeptAndPooled(version: 2));
        });
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    [Theory]
    [MemberData(nameof(Geometries))]
    public void BackwardAddsTheWeightBiasAndInputGradients(int[] shape) => VectorPaths.ForEach(_ => BackwardAddsTheWeightBiasAndInputGradientsOn(shape));

    private static void BackwardAddsTheWeightBiasAndInputGradientsOn(int[] shape)
    {
        var (g, batch) = Geometry(shape);
        int o = g.Filters;
        var x = Random(batch * g.InputSize, 6); var weight = Random(g.WeightSize, 7);
        var dy = Random(batch * g.OutputSize, 8);
        var scratch = new float[batch * g.ScratchSize];
        var scratchGradient = Random(batch * g.ScratchSize, 9);
        var dw = Random(g.WeightSize, 10); var db = Random(o, 11); var dx = Random(batch * g.InputSize, 12);
        var (dwBefore, dbBefore, dxBefore) = ((float[])dw.Clone(), (float[])db.Clone(), (float[])dx.Clone());
        ConvKernels.Forward(x, weight, default, new float[batch * g.OutputSize], scratch, batch, g);

        ConvKernels.Backward(x, weight, dy, scratch, scratchGradient, dw, db, dx, batch, g);

        var (expectedW, expectedB, expectedX) = ReferenceBackward(g, x, weight, dy, batch);
        for (int i = 0; i < dw.Length; i++) expectedW[i] += dwBefore[i];
        for (int i = 0; i < db.Length; i++) expectedB[i] += dbBefore[i];
        for (int i = 0; i < dx.Length; i++) expectedX[i] += dxBefore[i];
        AssertClose(expectedW, dw, batch * g.Pixels);
        AssertClose(expectedB, db, batch * g.Pixels);
        AssertClose(expectedX, dx, o * g.KernelHeight * g.KernelWidth);

        // Empty spans skip their gradient and leave nothing else changed.
        var dxOnly = (float[])dxBefore.Clone();
        ConvKernels.Backward(x, weight, dy, scratch, scratchGradient, default, default, dxOnly, batch, g);
        Assert.Equal(dx, dxOnly);
        var dwOnly = (float[])dwBefore.Clone();
        ConvKernels.Backward(x, weight, dy, scratch, scratchGradient, dwOnly, default, default, batch, g);
        Assert.Equal(dw, dwOnly);
    }

    [Fact]
    public void OneTwoAndThreeThreadsGiveBitIdenticalResults() => VectorPaths.ForEach(_ => OneTwoAndThreeThreadsGiveBitIdenticalResultsOn());

    private static void OneTwoAndThreeThreadsGiveBitIdenticalResultsOn()
    {
        var g = new Conv2dGeometry(6, 14, 14, 16, 5, 5, 1, 0, 0, 10, 10);
        const int batch = 70;
        var x = Random(batch * g.InputSize, 13); var weight = Random(g.WeightSize, 14); var bias = Random(16, 15);
        var dy = Random(batch * g.OutputSize, 16);
        (float[] Output, float[] Dw, float[] Db, float[] Dx) Run(int parts)
        {
            int saved = KernelThreads.Parts;
            KernelThreads.Parts = parts;
            try
            {
                var output = new float[batch * g.OutputSize];
                var scratch = new float[batch * g.ScratchSize];
                var dw = new float[g.WeightSize]; var db = new float[16]; var dx = new float[batch * g.InputSize];
                ConvKernels.Forward(x, weight, bias, output, scratch, batch, g);
                ConvKernels.Backward(x, weight, dy, scratch, new float[scratch.Length], dw, db, dx, batch, g);
                return (output, dw, db, dx);
            }
            finally { KernelThreads.Parts = saved; }
        }

        var one = Run(1);
        for (int repeat = 0; repeat < 5; repeat++)
        {
            foreach (int parts in new[] { 2, 3 })
            {
                var other = Run(parts);
                Assert.Equal(one.Output, other.Output);
                Assert.Equal(one.Dw, other.Dw);
                Assert.Equal(one.Db, other.Db);
                Assert.Equal(one.Dx, other.Dx);
            }
        }
    }

    [Fact]
    public void ShortSpansAndBadGeometriesAreRefusedNamingTheArgument()
    {
        var g = new Conv2dGeometry(1, 4, 4, 2, 3, 3, 1, 0, 0, 2, 2);
        var error = Assert.Throws<ArgumentException>(() => ConvKernels.Forward(new float[16], new float[18], default, new float[8], new float[g.ScratchSize * 2 - 1], 2, g));
        Assert.Equal("input", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => ConvKernels.Forward(new float[32], new float[18], default, new float[16], new float[g.ScratchSize * 2 - 1], 2, g));
        Assert.Equal("scratch", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => ConvKernels.Backward(new float[16], new float[18], new float[8], new float[g.ScratchSize], new float[g.ScratchSize], new float[17], default, default, 1, g));
        Assert.Equal("weightGradient", error.ParamName);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2dGeometry(1, 4, 4, 0, 3, 3, 1, 0, 0, 2, 2));
        Assert.Equal("filters", range.ParamName);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2dGeometry(1, 4, 4, 2, 3, 3, 1, -1, 0, 2, 2));
        Assert.Equal("padTop", range.ParamName);
    }

    private static (Conv2dGeometry Geometry, int Batch) Geometry(int[] s) =>
        (new Conv2dGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]), s[11]);

    private static double[] ReferenceForward(Conv2dGeometry g, float[] x, float[] weight, float[] bias, int batch)
    {
        var y = new double[batch * g.OutputSize];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < g.Filters; o++)
                for (int oh = 0; oh < g.OutputHeight; oh++)
                    for (int ow = 0; ow < g.OutputWidth; ow++)
                    {
                        double sum = bias[o];
                        ForEachTap(g, oh, ow, (ci, kh, kw, ih, iw) =>
                            sum += (double)weight[((o * g.Channels + ci) * g.KernelHeight + kh) * g.KernelWidth + kw] * x[b * g.InputSize + (ci * g.Height + ih) * g.Width + iw]);
                        y[b * g.OutputSize + (o * g.OutputHeight + oh) * g.OutputWidth + ow] = sum;
                    }
        return y;
    }

    private static (double[] Dw, double[] Db, double[] Dx) ReferenceBackward(Conv2dGeometry g, float[] x, float[] weight, float[] dy, int batch)
    {
        var dw = new double[g.WeightSize]; var db = new double[g.Filters]; var dx = new double[batch * g.InputSize];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < g.Filters; o++)
                for (int oh = 0; oh < g.OutputHeight; oh++)
                    for (int ow = 0; ow < g.OutputWidth; ow++)
                    {
                        double d = dy[b * g.OutputSize + (o * g.OutputHeight + oh) * g.OutputWidth + ow];
                        db[o] += d;
                        ForEachTap(g, oh, ow, (ci, kh, kw, ih, iw) =>
                        {
                            int wi = ((o * g.Channels + ci) * g.KernelHeight + kh) * g.KernelWidth + kw, xi = b * g.InputSize + (ci * g.Height + ih) * g.Width + iw;
                            dw[wi] += d * x[xi];
                            dx[xi] += d * weight[wi];
                        });
                    }
        return (dw, db, dx);
    }

    // Calls body for every tap of output (oh, ow) that reads inside the image; padding reads zeros.
    private static void ForEachTap(Conv2dGeometry g, int oh, int ow, Action<int, int, int, int, int> body)
    {
        for (int ci = 0; ci < g.Channels; ci++)
            for (int kh = 0; kh < g.KernelHeight; kh++)
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int ih = oh * g.Stride + kh - g.PadTop, iw = ow * g.Stride + kw - g.PadLeft;
                    if (ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width) body(ci, kh, kw, ih, iw);
                }
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static void AssertClose(double[] expected, float[] actual, int depth)
    {
        // Float sums of depth products of values in [-1, 1]: error grows about with sqrt(depth) ulps.
        double tolerance = 1e-5 * (1 + Math.Sqrt(depth));
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
