using System;
using System.Linq;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Targets padded with a label that is no class id (ignore_index: -1): the generated argument
    /// checks let exactly that label through, and a batch with nothing left to score has loss 0.
    /// </summary>
    public class PaddingLabelTests
    {
        private const string Model = """
            model Padded {
                input  x : float[3, 4];
                target y : int<4>[3];
                layer fc = dense(4);
                output logits = fc(x);
                loss = cross_entropy(logits, y, ignore_index: -1);
            }
            """;

        private static ModelData Batch(params int[] labels) =>
            new ModelData().Set("x", Enumerable.Range(0, 12 * (labels.Length / 3)).Select(i => (float)Math.Sin(i)).ToArray()).Set("y", labels);

        [Fact]
        public void ThePaddingLabelPassesAndOtherNegativesAreRejected()
        {
            var model = ModelHarness.Create(Model);
            Assert.True(float.IsFinite(model.Loss(Batch(1, 2, -1))));

            var error = Assert.Throws<ArgumentException>(() => model.Loss(Batch(1, -2, -1)));
            Assert.Equal("y", error.ParamName);
            Assert.Contains("'y[1]' is -2, outside [0, 4) and not the ignored -1", error.Message);
        }

        [Fact]
        public void PaddedStepsChangeNothing()
        {
            var model = ModelHarness.Create(Model);
            var padded = Batch(1, 2, -1, 3, -1, -1);

            float loss = model.ForwardBackward(padded);

            // By hand: the three scored steps' cross-entropies, averaged over those three.
            var logits = new float[6 * 4];
            model.Forward(new ModelData().Set("x", padded.Floats("x").ToArray()).Set("logits", logits), training: false);
            double Step(int row, int label)
            {
                var z = logits.Skip(row * 4).Take(4).Select(v => (double)v).ToArray();
                return Math.Log(z.Sum(Math.Exp)) - z[label];
            }
            Assert.Equal((Step(0, 1) + Step(1, 2) + Step(3, 3)) / 3, loss, 5);
        }

        [Fact]
        public void ABatchOfPaddingOnlyHasLossAndGradientZero()
        {
            var model = ModelHarness.Create(Model);

            float loss = model.ForwardBackward(Batch(-1, -1, -1));

            Assert.Equal(0f, loss);
            Assert.All(model.Gradients.ToArray(), g => Assert.Equal(0f, g));
        }
    }
}
