using System.Linq;
using System.Text.RegularExpressions;
using ModelC.InMemory;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Emit;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// A recurrent layer unrolled over many steps (a gru over a batch-wide sequence, here a parameter;
    /// over inputs it is one kernel call) has passes too long for the JIT to optimize as one
    /// method (it falls back to minimal optimization past 60,000 bytes of IL); the emitter cuts them
    /// into parts that each stay near ModelEmitter.PassPartCharacters, and the parts compute exactly
    /// what one method does.
    /// </summary>
    public class LongPassSplittingTests
    {
        private const string LongGru = @"
model LongGru {
    input  x : float[16];
    target y : float[16];
    param  seq : float[48, 8] = normal(0, 1);
    layer gru  = gru(16);
    output o = last(gru(seq)) * x;
    loss = mse(o, y);
}";

        [Fact]
        public void LongPassesAreCutIntoPartsThatStayUnderTheBudget()
        {
            string source = ModelHarness.EmitSource(LongGru, "long.model");

            foreach (string pass in new[] { "RunForward", "BackwardFromOutputs" })
            {
                var parts = Regex.Matches(source, $@"private void {pass}Part(\d+)\(").Cast<Match>().Select(m => int.Parse(m.Groups[1].Value)).ToList();
                Assert.True(parts.Count >= 2, $"{pass} was not split");
                Assert.Equal(Enumerable.Range(1, parts.Count), parts);
                foreach (int part in parts) Assert.Contains($"{pass}Part{part}(batch", source);
                foreach (int length in MethodLengths(source, $"{pass}Part"))
                    Assert.InRange(length, 1, 2 * ModelEmitter.PassPartCharacters);
            }
        }

        [Fact]
        public void ASplitPassComputesBitForBitWhatOneMethodComputes()
        {
            var split = Build(ModelEmitter.PassPartCharacters);
            var whole = Build(int.MaxValue);
            var random = new System.Random(5);
            var x = Enumerable.Range(0, 3 * 16).Select(_ => (float)random.NextDouble()).ToArray();
            var y = Enumerable.Range(0, 3 * 16).Select(_ => (float)random.NextDouble()).ToArray();
            var batch = new ModelData().Set("x", x).Set("y", y);

            Assert.Equal(whole.ForwardBackward(batch), split.ForwardBackward(batch));
            Assert.Equal(whole.Gradients.ToArray(), split.Gradients.ToArray());
            Assert.NotEqual(0f, split.Gradients.ToArray().Max(System.Math.Abs));
        }

        private static IModel Build(int passPartCharacters)
        {
            var diagnostics = new DiagnosticBag("long.model");
            var model = ModelCompiler.Analyze("long.model", LongGru, null, diagnostics).Single();
            string source = ModelEmitter.Emit(model.Plan, passPartCharacters);
            var assembly = InMemoryModels.Compile(source, out var problems) ?? throw new System.InvalidOperationException(string.Join("\n", problems));
            return InMemoryModels.Create(assembly, null, seed: 3);
        }

        private static System.Collections.Generic.IEnumerable<int> MethodLengths(string source, string prefix)
        {
            foreach (Match start in Regex.Matches(source, $@"\n        private void {prefix}\d+\("))
            {
                int end = source.IndexOf("\n        }\n", start.Index, System.StringComparison.Ordinal);
                yield return end - start.Index;
            }
        }
    }
}
