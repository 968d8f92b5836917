using System;
using ModelC.Runtime;
using ModelC.Runtime.Kernels;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>
/// With ReusePackedWeights, inference reads its dense weights packed once (PackedWeights) instead of
/// packing them on every call: the products keep their bits, and every way the parameters change
/// makes the next call repack. Without it, writes through a kept Parameters span are seen at once.
/// </summary>
[Collection("KernelThreads")]
public sealed class PackedWeightsTests
{
    [Theory]
    [InlineData(37, 45, 70)]
    [InlineData(64, 128, 784)]
    [InlineData(9, 20, 33)]
    public void APackedSlotGivesThePlainProductsBitsAndRepacksOnANewVersion(int m, int n, int k)
    {
        VectorPaths.ForEach(path =>
        {
            var random = new Random(m * 1000 + n);
            var a = Values(random, m * k);
            var w = Values(random, n * k);
            var init = Values(random, m * n);
            var packed = new PackedWeights();

            Assert.Equal(Plain(a, w, init, m, n, k), Packed(a, w, init, m, n, k, packed, version: 1));
            Assert.Equal(Plain(a, w, init, m, n, k), Packed(a, w, init, m, n, k, packed, version: 1));

            for (int i = 0; i < w.Length; i++) w[i] = -0.5f * w[i] + 0.25f;
            Assert.Equal(Plain(a, w, init, m, n, k), Packed(a, w, init, m, n, k, packed, version: 2));
        });
    }

    private const string Mlp = @"
model Mlp {
    input  x : float[300];
    target y : int<10>;
    layer fc1 = dense(96);
    layer fc2 = dense(40);
    layer out = dense(10);
    output logits = out(relu(fc2(relu(fc1(x)))));
    loss = cross_entropy(logits, y);
    train { optimizer = adam(lr: 1e-2); }
}";

    private const int Batch = 32;

    [Fact]
    public void ForwardSeesEveryChangeOfTheParameters()
    {
        var model = ModelHarness.Create(Mlp, seed: 3);
        ReusePackedWeights(model);
        var random = new Random(5);
        var x = Values(random, Batch * 300);
        var y = new int[Batch];
        for (int i = 0; i < y.Length; i++) y[i] = random.Next(10);

        var first = Logits(model, x);
        Assert.Equal(first, Logits(model, x));

        // A training step.
        model.TrainStep(new ModelData().Set("x", x).Set("y", y));
        var stepped = Logits(model, x);
        Assert.NotEqual(first, stepped);
        Assert.Equal(Fresh(model, x), stepped);

        // A write through Parameters, as loaders and hand-written updates do.
        var parameters = model.Parameters;
        for (int i = 0; i < parameters.Length; i++) parameters[i] *= 0.75f;
        var scaled = Logits(model, x);
        Assert.Equal(Fresh(model, x), scaled);

        // Initialize, through the generated class's own method.
        model.GetType().GetMethod("Initialize")!.Invoke(model, new object[] { new ModelRandom(11) });
        Assert.Equal(Fresh(model, x), Logits(model, x));

        // The other vector path packs its own panels: copies made on one path are not read on the other.
        var other = KernelPath.Native == VectorPath.Avx512 ? VectorPath.Avx2 : VectorPath.Avx512;
        using (KernelPath.Force(other))
        {
            var otherPath = Logits(model, x);
            Assert.Equal(Fresh(model, x), otherPath);
        }
    }

    [Fact]
    public void WithoutReuseAKeptParametersSpansWritesAreSeenAtOnce()
    {
        // A finite-difference loop: the span is read once, then written between inference calls.
        var model = ModelHarness.Create(Mlp, seed: 6);
        var random = new Random(7);
        var x = Values(random, Batch * 300);
        var parameters = model.Parameters;
        var before = Logits(model, x);
        for (int i = 0; i < 300 * 96; i++) parameters[i] += 0.01f;
        var after = Logits(model, x);
        Assert.NotEqual(before, after);
        Assert.Equal(Fresh(model, x), after);
    }

    // LeNet's layers: inference pools each relu in its convolution's kernel (conv2 reads its weight by
    // tap, kept in a slot), training stores the relu and pools it apart.
    private const string LeNet = @"
model Conv {
    input  x : float[1, 28, 28];
    target y : int<10>;
    layer conv1 = conv2d(6, 5, padding: 2);
    layer pool1 = maxpool2d(2);
    layer conv2 = conv2d(16, 5);
    layer pool2 = maxpool2d(2);
    layer fc1 = dense(10);
    let h1 = pool1(relu(conv1(x)));
    output logits = fc1(flatten(pool2(relu(conv2(h1)))));
    loss = cross_entropy(logits, y);
    train { optimizer = adam(lr: 1e-2); }
}";

    [Fact]
    public void AConvolutionalModelsInferenceHasTheBitsOfItsTrainingForwardAndSeesEveryChange()
    {
        var model = ModelHarness.Create(LeNet, seed: 4);
        ReusePackedWeights(model);
        var random = new Random(8);
        ThreadCounts.AtOneAndTwo(() =>
        {
            foreach (int batch in new[] { 1, 3 })
            {
                var x = Values(random, batch * 784);
                var y = new int[batch];
                Assert.Equal(Logits(model, x, training: true), Logits(model, x, training: false));
                model.TrainStep(new ModelData().Set("x", x).Set("y", y));
                Assert.Equal(Logits(model, x, training: true), Logits(model, x, training: false));
                var parameters = model.Parameters;
                for (int i = 0; i < parameters.Length; i++) parameters[i] *= 0.75f;
                Assert.Equal(Logits(model, x, training: true), Logits(model, x, training: false));
            }
        });
    }

    private static void ReusePackedWeights(IModel model) =>
        model.GetType().GetProperty("ReusePackedWeights")!.SetValue(model, true);

    /// <summary>The logits of a model that has never packed, with <paramref name="model"/>'s parameters.</summary>
    private static float[] Fresh(IModel model, float[] x)
    {
        var copy = ModelHarness.Create(Mlp, seed: 9);
        model.Parameters.CopyTo(copy.Parameters);
        return Logits(copy, x);
    }

    private static float[] Logits(IModel model, float[] x, bool training = false)
    {
        var logits = new float[x.Length / model.Inputs[0].Size * 10];
        model.Forward(new ModelData().Set("x", x).Set("logits", logits), training);
        return logits;
    }

    private static float[] Plain(float[] a, float[] w, float[] init, int m, int n, int k)
    {
        var c = (float[])init.Clone();
        DenseKernels.MultiplyTransposed(a, w, c, m, n, k);
        return c;
    }

    private static float[] Packed(float[] a, float[] w, float[] init, int m, int n, int k, PackedWeights packed, long version)
    {
        var c = (float[])init.Clone();
        DenseKernels.MultiplyTransposed(a, w, c, m, n, k, packed, slot: 2, version);
        return c;
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
