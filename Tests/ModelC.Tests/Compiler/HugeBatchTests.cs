using System;
using System.Text.RegularExpressions;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// A batch whose arena would not fit in one array is refused before anything is allocated,
    /// with an ArgumentException naming the input and the size, not an OverflowException from
    /// an int product.
    /// </summary>
    public class HugeBatchTests
    {
        // About 8,200 floats per example from one small input: the batch itself is only 1 MB.
        private const string Wide = @"model Wide {
    input  x : float[1];
    target y : float[1];

    layer fc = dense(8192);

    output o = sum(fc(x));

    loss = mse(o, y);
}";

        private const int Batch = 262_144;

        private static long ActivationsPerExample()
        {
            var match = Regex.Match(ModelHarness.EmitSource(Wide), @"ActivationsPerExample = (\d+);");
            Assert.True(match.Success, "the generated class declares ActivationsPerExample");
            return long.Parse(match.Groups[1].Value);
        }

        [Fact]
        public void ABatchPastTheLargestArrayNamesTheInputAndTheSize()
        {
            long perExample = ActivationsPerExample();
            Assert.InRange(perExample * Batch, (long)Array.MaxLength + 1, 2L * int.MaxValue);
            var model = ModelHarness.Create(Wide);
            var data = new ModelData().Set("x", new float[Batch]).Set("o", new float[Batch]).Set("y", new float[Batch]);

            var forward = Assert.Throws<ArgumentException>(() => model.Forward(data, training: false));
            var train = Assert.Throws<ArgumentException>(() => model.TrainStep(data));

            foreach (var error in new[] { forward, train })
            {
                Assert.Equal("x", error.ParamName);
                Assert.Contains($"a batch of {Batch} examples", error.Message);
                Assert.Contains($"needs {perExample * Batch} arena values ({perExample} per example)", error.Message);
                Assert.Contains($"at most {Array.MaxLength / perExample} examples at a time", error.Message);
            }
        }

        [Fact]
        public void TheRefusedBatchLeavesTheModelUsable()
        {
            var model = ModelHarness.Create(Wide);
            Assert.Throws<ArgumentException>(() => model.Forward(new ModelData().Set("x", new float[Batch]).Set("o", new float[Batch]), training: false));

            var small = new ModelData().Set("x", new float[] { 1f, -1f }).Set("o", new float[2]).Set("y", new float[] { 0.5f, 0.25f });
            float loss = model.TrainStep(small);

            Assert.True(float.IsFinite(loss));
            Assert.True(float.IsFinite(small.Floats("o")[0]));
        }
    }
}
