using System;
using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>The generated API of SPEC section 4: argument checks, modes, determinism, allocation.</summary>
    public class GeneratedApiTests
    {
        private const string Classifier = @"
model Classifier {
    input x : float[4];
    target y : int<3>;
    layer hidden = dense(8);
    layer out = dense(3);
    let h = dropout(relu(hidden(x)), 0.5);
    output logits = out(h);
    loss = cross_entropy(logits, y);
    train { optimizer = sgd(lr: 0.1); clip_norm = 1.0; }
}";

        private static ModelData Batch(int examples, int seed = 5)
        {
            var random = new ModelRandom(seed);
            var x = new float[examples * 4];
            random.FillUniform(x, -1f, 1f);
            var y = Enumerable.Range(0, examples).Select(i => i % 3).ToArray();
            return new ModelData().Set("x", x).Set("y", y).Set("logits", new float[examples * 3]);
        }

        [Theory]
        [InlineData("model NoParameters { input x : float[3]; target y : float[3]; output o = softmax(x); loss = mse(o, y); }")]
        [InlineData("model NoLoss { input x : float[3]; layer fc = dense(2); output o = fc(x); }")]
        [InlineData("model Keywords { input in : float[2]; input params : float[2]; layer fc = dense(1); output out = fc(in * 2); output base = out + 1; }")]
        [InlineData("model OnlyRegularizer { input x : float[2]; param w : float[2] = ones; output o = x * w; loss = l2(w); }")]
        [InlineData("model DropoutOnlyInLoss { input x : float[2]; target y : float[2]; layer fc = dense(2); output o = fc(x); loss = mse(dropout(o, 0.5), y); }")]
        [InlineData("model TwoModels { input x : float[2]; output o = relu(x); } model Second { input x : float[1]; output o = -x; }")]
        public void UnusualModelsCompileToWorkingCode(string text)
        {
            var model = ModelHarness.Create(text, modelName: text.Split(' ')[1]);
            var data = new ModelData();
            foreach (var input in model.Inputs) data.Set(input.Name, Enumerable.Range(1, 2 * input.Size).Select(i => i / 10f).ToArray());
            foreach (var output in model.Outputs) data.Set(output.Name, new float[2 * output.Size]);
            foreach (var target in model.Targets) data.Set(target.Name, new float[2 * target.Size]);
            model.Forward(data, training: false);
            Assert.All(model.Outputs, o => Assert.All(data.Floats(o.Name).ToArray(), v => Assert.True(float.IsFinite(v))));
            if (model.HasLoss) Assert.True(float.IsFinite(model.ForwardBackward(data)));
            else Assert.Throws<InvalidOperationException>(() => model.ForwardBackward(data));
        }

        [Fact]
        public void ParametersAreLaidOutInDeclarationOrderWithPyTorchShapes()
        {
            var model = ModelHarness.Create(Classifier);
            Assert.Equal(new[] { "hidden.weight", "hidden.bias", "out.weight", "out.bias" }, model.ParameterInfos.Select(p => p.Name));
            Assert.Equal(new[] { 0, 32, 40, 64 }, model.ParameterInfos.Select(p => p.Offset));
            Assert.Equal(new[] { 8, 4 }, model.ParameterInfos[0].Shape);
            Assert.Equal(67, model.ParameterCount);
            // PyTorch's default: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) = ±0.5 for 4 inputs.
            var weight = model.Parameters.Slice(0, 32).ToArray();
            Assert.All(weight, w => Assert.InRange(w, -0.5f, 0.5f));
            Assert.True(weight.Max() - weight.Min() > 0.5f);
        }

        [Fact]
        public void TheSameSeedGivesTheSameParametersAndAnotherSeedDoesNot()
        {
            var a = ModelHarness.Create(Classifier, seed: 1).Parameters.ToArray();
            var b = ModelHarness.Create(Classifier, seed: 1).Parameters.ToArray();
            var c = ModelHarness.Create(Classifier, seed: 2).Parameters.ToArray();
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }

        [Fact]
        public void DropoutIsIdentityInInferenceAndInvertedScalingInTraining()
        {
            var model = ModelHarness.Create(Classifier);
            var batch = Batch(2000);
            model.Forward(batch, training: false);
            var first = batch.Floats("logits").ToArray();
            model.Forward(batch, training: false);
            Assert.Equal(first, batch.Floats("logits").ToArray());

            // In training, a fresh mask each call; the mean over many examples matches inference,
            // because kept units are scaled by 1 / (1 - p).
            model.Forward(batch, training: true);
            var trained = batch.Floats("logits").ToArray();
            Assert.NotEqual(first, trained);
            Assert.InRange(trained.Average() - first.Average(), -0.02, 0.02);
        }

        [Fact]
        public void DropoutGradientFlowsOnlyThroughKeptUnits()
        {
            // With p = 0.5 and one hidden unit per example, each example's input gradient is either
            // zero (dropped) or twice the undropped one (kept); about half are each.
            var text = @"model D { input x : float[1]; param w : float[1] = ones; output o = dropout(x * w, 0.5); }";
            var model = ModelHarness.Create(text);
            var x = Enumerable.Repeat(1f, 1000).ToArray();
            var data = new ModelData().Set("x", x).Set("o", new float[1000]);
            model.Forward(data, training: true);
            var output = data.Floats("o").ToArray();
            var xGrad = new float[1000];
            model.Backward(new ModelData().Set("o", Enumerable.Repeat(1f, 1000).ToArray()), new ModelData().Set("x", xGrad));
            Assert.All(xGrad, g => Assert.True(g == 0f || g == 2f));
            Assert.Equal(output, xGrad);
            Assert.InRange(xGrad.Count(g => g == 2f), 430, 570);
            Assert.Equal(xGrad.Sum(), model.Gradients[0], 3);
        }

        [Fact]
        public void WrongLengthsAndClassIdsThrowArgumentExceptionsNamingTheArgument()
        {
            var model = ModelHarness.Create(Classifier);
            var x = new float[8];
            var error = Assert.Throws<ArgumentException>(() => model.ForwardBackward(new ModelData().Set("x", new float[7]).Set("y", new[] { 0, 1 })));
            Assert.Equal("x", error.ParamName);
            error = Assert.Throws<ArgumentException>(() => model.ForwardBackward(new ModelData().Set("x", x).Set("y", new[] { 0 })));
            Assert.Equal("y", error.ParamName);
            error = Assert.Throws<ArgumentException>(() => model.ForwardBackward(new ModelData().Set("x", x).Set("y", new[] { 0, 3 })));
            Assert.Equal("y", error.ParamName);
            Assert.Contains("outside [0, 3)", error.Message);
            error = Assert.Throws<ArgumentException>(() => model.Forward(new ModelData().Set("x", x).Set("logits", new float[5]), training: false));
            Assert.Equal("logits", error.ParamName);
            error = Assert.Throws<ArgumentException>(() => model.Forward(new ModelData().Set("x", Array.Empty<float>()).Set("logits", new float[0]), training: false));
            Assert.Equal("x", error.ParamName);
        }

        [Fact]
        public void BackwardBeforeATrainingForwardIsRefused()
        {
            var model = ModelHarness.Create(Classifier);
            Assert.Throws<InvalidOperationException>(() => model.Backward(new ModelData().Set("logits", new float[3]), null));
            var batch = Batch(1);
            model.Forward(batch, training: true);
            model.Backward(new ModelData().Set("logits", new float[3]), null);
            model.Loss(batch);
            Assert.Throws<InvalidOperationException>(() => model.Backward(new ModelData().Set("logits", new float[3]), null));

            // A call that fails its argument checks half-way has already overwritten the inputs.
            model.Forward(batch, training: true);
            Assert.Throws<ArgumentException>(() => model.ForwardBackward(new ModelData().Set("x", new float[4]).Set("y", new[] { 7 })));
            Assert.Throws<InvalidOperationException>(() => model.Backward(new ModelData().Set("logits", new float[3]), null));
        }

        [Fact]
        public void GradientsAreOverwrittenNotAccumulated()
        {
            var model = ModelHarness.Create(@"model R { input x : float[2]; target y : float[1]; layer fc = dense(1); output p = fc(x); loss = mse(p, y); }");
            var batch = new ModelData().Set("x", new[] { 1f, 2f }).Set("y", new[] { 3f });
            model.ForwardBackward(batch);
            var first = model.Gradients.ToArray();
            model.ForwardBackward(batch);
            Assert.Equal(first, model.Gradients.ToArray());
        }

        [Fact]
        public void TrainStepClipsAndStepsWithTheTrainBlocksOptimizer()
        {
            var model = ModelHarness.Create(Classifier);
            var batch = Batch(8);
            var before = model.Parameters.ToArray();
            model.ForwardBackward(batch);
            var gradients = model.Gradients.ToArray();
            double norm = Math.Sqrt(gradients.Sum(g => (double)g * g));

            // Same seed, so the same dropout mask: TrainStep = SGD(0.1) on gradients clipped to norm 1.
            var stepped = ModelHarness.Create(Classifier);
            float loss = stepped.TrainStep(batch);
            Assert.True(float.IsFinite(loss));
            double scale = norm > 1 ? 1 / (norm + 1e-6) : 1;
            for (int i = 0; i < before.Length; i++)
                Assert.Equal(before[i] - 0.1 * scale * gradients[i], stepped.Parameters[i], 5);
        }

        [Fact]
        public void SteadyStateCallsAllocateNothing()
        {
            var model = ModelHarness.Create(Classifier);
            var batch = Batch(16);
            // The JIT's tiering may allocate on this thread while it recompiles hot methods, so the
            // steady state is a round of calls that allocates nothing; it must come within a few rounds.
            var allocatedPerRound = new System.Collections.Generic.List<long>();
            for (int round = 0; round < 10; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 50; i++) { model.TrainStep(batch); model.Forward(batch, training: false); model.Loss(batch); }
                allocatedPerRound.Add(GC.GetAllocatedBytesForCurrentThread() - before);
                if (allocatedPerRound[^1] == 0) return;
            }
            Assert.Fail("every round of 150 calls allocated: " + string.Join(", ", allocatedPerRound) + " bytes");
        }

        [Fact]
        public void BatchSizeFollowsTheFirstInputAndSmallerBatchesReuseTheArena()
        {
            var model = ModelHarness.Create(Classifier);
            var large = Batch(10);
            var small = Batch(3, seed: 9);
            model.Forward(large, training: false);
            model.Forward(small, training: false);
            var fromReusedArena = small.Floats("logits").ToArray();
            var fresh = ModelHarness.Create(Classifier);
            fresh.Forward(small, training: false);
            Assert.Equal(fresh.Parameters.ToArray(), model.Parameters.ToArray());
            Assert.Equal(small.Floats("logits").ToArray(), fromReusedArena);
        }
    }
}
