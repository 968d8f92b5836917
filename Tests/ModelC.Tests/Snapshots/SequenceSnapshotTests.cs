using System.IO;
using System.Runtime.CompilerServices;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Snapshots
{
    /// <summary>The C# emitted for a recurrent model (embedding, an lstm unrolled over 3 steps, dense over time), against its reviewed baseline.</summary>
    public class SequenceSnapshotTests
    {
        private static string Model(string file, [CallerFilePath] string testFile = "") =>
            File.ReadAllText(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "Models", file));

        [Fact]
        public void RecurrentModelMatchesSnapshot()
        {
            Snapshot.Verify(ModelHarness.EmitSource(Model("charlm.model"), "charlm.model"), "CharLm");
        }

        [Fact]
        public void RecurrentModelCompilesWithoutWarnings()
        {
            var model = ModelHarness.Create(Model("charlm.model"));
            Assert.Equal(new[] { "emb.weight", "lstm.weight_ih", "lstm.weight_hh", "lstm.bias_ih", "lstm.bias_hh", "out.weight", "out.bias" },
                System.Linq.Enumerable.Select(model.ParameterInfos, p => p.Name));
        }
    }
}
