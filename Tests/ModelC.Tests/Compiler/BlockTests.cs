using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// User blocks: instances are layers whose parameters are named instance.layer.weight in
    /// declaration order; a model written with blocks computes exactly what the same model
    /// written out flat computes; nested blocks and params in blocks get correct gradients.
    /// </summary>
    public class BlockTests
    {
        private const string Blocks = """
            block Residual(channels, k) {
                layer conv1 = conv2d(channels, k, padding: same);
                layer conv2 = conv2d(channels, k, padding: same, bias: false);
                forward(x) {
                    let h = tanh(conv1(x));
                    return tanh(x + conv2(h));
                }
            }

            block Stage(c) {
                layer first = Residual(c, 3);
                layer second = Residual(k: 1, channels: c);
                param gain : float[1] = uniform(0.5, 1.5);
                forward(x) {
                    return second(first(x)) * gain;
                }
            }

            """;

        private const string WithBlocks = Blocks + """
            model Net {
                input x : float[2, 5, 6];
                layer stage = Stage(2);
                layer res = Residual(2, 3);
                layer fc = dense(3);
                output o = fc(flatten(res(stage(x))));
                loss = sum(square(o));
            }
            """;

        private const string Flat = """
            model Net {
                input x : float[2, 5, 6];
                layer c1 = conv2d(2, 3, padding: same);
                layer c2 = conv2d(2, 3, padding: same, bias: false);
                layer c3 = conv2d(2, 1, padding: same);
                layer c4 = conv2d(2, 1, padding: same, bias: false);
                param gain : float[1] = uniform(0.5, 1.5);
                layer c5 = conv2d(2, 3, padding: same);
                layer c6 = conv2d(2, 3, padding: same, bias: false);
                layer fc = dense(3);
                let a = tanh(x + c2(tanh(c1(x))));
                let b = tanh(a + c4(tanh(c3(a)))) * gain;
                let r = tanh(b + c6(tanh(c5(b))));
                output o = fc(flatten(r));
                loss = sum(square(o));
            }
            """;

        [Fact]
        public void ParametersAreNamedByInstanceInDeclarationOrder()
        {
            var model = ModelHarness.Create(WithBlocks);
            Assert.Equal(new[]
            {
                "stage.first.conv1.weight", "stage.first.conv1.bias", "stage.first.conv2.weight",
                "stage.second.conv1.weight", "stage.second.conv1.bias", "stage.second.conv2.weight",
                "stage.gain",
                "res.conv1.weight", "res.conv1.bias", "res.conv2.weight",
                "fc.weight", "fc.bias",
            }, model.ParameterInfos.Select(p => p.Name));
            Assert.Equal(new[] { 2, 2, 1, 1 }, model.ParameterInfos.Single(p => p.Name == "stage.second.conv1.weight").Shape);
        }

        [Fact]
        public void ABlockComputesWhatTheSameLayersWrittenOutFlatCompute()
        {
            var blocks = ModelHarness.Create(WithBlocks, seed: 4);
            var flat = ModelHarness.Create(Flat, seed: 9);
            Assert.Equal(blocks.ParameterInfos.Select(p => p.Shape), flat.ParameterInfos.Select(p => p.Shape));
            blocks.Parameters.CopyTo(flat.Parameters);
            var batch = ImageOpGradientTests.DistinctImages();
            batch.Set("o", new float[2 * 3]);

            float blockLoss = blocks.ForwardBackward(batch);
            float flatLoss = flat.ForwardBackward(batch);

            Assert.Equal(flatLoss, blockLoss);
            Assert.Equal(flat.Gradients.ToArray(), blocks.Gradients.ToArray());
        }

        [Fact]
        public void NestedBlockGradientsMatchFiniteDifferences()
        {
            var model = ModelHarness.Create(WithBlocks, seed: 3);
            var batch = ImageOpGradientTests.DistinctImages();
            GradientCheck.Parameters(model, batch);
            GradientCheck.Inputs(model, batch, "o", "x");
        }
    
        [Fact]
        public void ParametersInsideBlocksAreReachedByTheirPath()
        {
            // stage.second.conv1.weight and res.conv2.weight regularized by path, against l2 of every
            // parameter minus the rest: the penalty's gradient lands on exactly those two tensors.
            var model = ModelHarness.Create(WithBlocks.Replace("loss = sum(square(o));",
                "loss = sum(square(o)) + 0.5 * l2(stage.second.conv1.weight, res.conv2.weight);"), seed: 3);
            var plain = ModelHarness.Create(WithBlocks, seed: 3);
            var batch = ImageOpGradientTests.DistinctImages();
            batch.Set("o", new float[2 * 3]);

            model.ForwardBackward(batch);
            plain.ForwardBackward(batch);

            foreach (var info in model.ParameterInfos)
            {
                bool penalized = info.Name is "stage.second.conv1.weight" or "res.conv2.weight";
                for (int i = info.Offset; i < info.Offset + info.Length; i++)
                {
                    float expected = plain.Gradients[i] + (penalized ? model.Parameters[i] : 0f);
                    Assert.Equal(expected, model.Gradients[i], 5);
                }
            }
            GradientCheck.Parameters(model, batch);
        }
    }
}
