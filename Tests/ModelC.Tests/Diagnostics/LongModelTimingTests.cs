using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Runs alone, after the parallel tests, so the time it measures is the compiler's and not its neighbours'.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class TimedCollection
    {
        public const string Name = "Timed compiles";
    }

    [Collection(TimedCollection.Name)]
    public class LongModelTimingTests
    {
        [Fact]
        public void TenThousandStatementsCompileWithinTenSeconds()
        {
            var text = new StringBuilder("model Long {\n    input x : float[4];\n    target y : float[4];\n    let h0 = x;\n");
            for (int i = 1; i <= 9_995; i++) text.Append($"    let h{i} = h{i - 1} * 0.5 + x;\n");
            text.Append("    output o = h9995;\n    loss = mse(o, y);\n}\n");
            Assert.Equal(10_000, text.ToString().Count(c => c == ';'));

            var clock = Stopwatch.StartNew();
            var result = CorpusAssert.CompilesWithSoundDiagnostics(text.ToString());
            clock.Stop();

            Assert.Empty(result.Diagnostics);
            Assert.Single(result.Files);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"compiling 10,000 statements took {clock.Elapsed}");
        }
    }
}
