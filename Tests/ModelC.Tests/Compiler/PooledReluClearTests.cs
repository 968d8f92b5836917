using System;
using System.Linq;
using System.Text;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// A max pool's backward step through its relu writes the gradient under them, and the relu's
    /// own gradient is never touched, so the arena's clear leaves both out. With more pooled relus
    /// than the clear has runs for, the model must still build (it once failed with MC9999) and its
    /// gradients must not depend on what an earlier pass left in the arena.
    /// </summary>
    public sealed class PooledReluClearTests
    {
        private const int Stages = 18;

        private static string ManyPools()
        {
            var text = new StringBuilder("model ManyPools {\n    input  x : float[64];\n    target y : int<4>;\n");
            for (int i = 1; i <= Stages; i++) text.Append($"    layer conv{i} = conv2d(2, 1);\n    layer pool{i} = maxpool2d(1);\n");
            text.Append("    layer fc = dense(4);\n");
            string previous = "reshape(x, [1, 8, 8])";
            for (int i = 1; i <= Stages; i++)
            {
                text.Append($"    let h{i} = pool{i}(relu(conv{i}({previous})));\n");
                previous = $"h{i}";
            }
            text.Append($"    output logits = fc(flatten({previous}));\n    loss = cross_entropy(logits, y);\n}}\n");
            return text.ToString();
        }

        [Fact]
        public void ManyPooledRelusBuildAndTheirGradientsIgnoreThePassBefore()
        {
            var model = ModelHarness.Create(ManyPools(), seed: 5);
            var first = Batch(new Random(1));
            var other = Batch(new Random(2));

            model.ForwardBackward(first);
            var gradients = model.Gradients.ToArray();
            Assert.Contains(gradients, g => g != 0f);
            model.ForwardBackward(other);
            Assert.NotEqual(gradients, model.Gradients.ToArray());
            model.ForwardBackward(first);

            Assert.Equal(gradients, model.Gradients.ToArray());
        }

        private static ModelData Batch(Random random)
        {
            const int batch = 5;
            var x = new float[batch * 64];
            for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
            var y = new int[batch];
            for (int i = 0; i < y.Length; i++) y[i] = random.Next(4);
            return new ModelData().Set("x", x).Set("y", y);
        }
    }
}
