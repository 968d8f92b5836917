using System.Linq;
using ModelC.Compiler;
using ModelC.Runtime;
using ModelC.Tests.Diagnostics;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Whatever the compiler accepts must become C# that compiles without warnings and runs:
    /// random models that bind cleanly are compiled with Roslyn and given a forward (and, with a
    /// loss, a backward) pass on a small batch.
    /// </summary>
    public class EmittedCodeFuzzTests
    {
        [Fact]
        public void EveryAcceptedRandomModelCompilesToRunnableCode()
        {
            int accepted = 0;
            for (int seed = 0; seed < 1500 && accepted < 60; seed++)
            {
                var text = RandomModelWriter.Write(seed);
                if (ModelCompiler.Compile("fuzz.model", text).HasErrors) continue;
                accepted++;

                var model = ModelHarness.Create(text);
                var data = new ModelData();
                foreach (var input in model.Inputs) data.Set(input.Name, Enumerable.Range(0, 2 * input.Size).Select(i => (i % 7) / 7f - 0.4f).ToArray());
                foreach (var target in model.Targets) data.Set(target.Name, Enumerable.Range(0, 2 * target.Size).Select(i => (i % 5) / 5f).ToArray());
                foreach (var output in model.Outputs) data.Set(output.Name, new float[2 * output.Size]);
                if (model.Outputs.Count > 0) model.Forward(data, training: false);
                if (model.HasLoss) model.ForwardBackward(data);
            }
            Assert.True(accepted >= 30, $"only {accepted} random models were accepted; the writer no longer exercises emission");
        }
    }
}
