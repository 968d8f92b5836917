using System.IO;
using System.Runtime.CompilerServices;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Snapshots
{
    /// <summary>The C# emitted for representative models, compared with reviewed baselines.</summary>
    public class GeneratedCodeSnapshotTests
    {
        private static string Model(string file, [CallerFilePath] string testFile = "") =>
            File.ReadAllText(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "Models", file));

        [Theory]
        [InlineData("fashion.model", "FashionMlp")]
        [InlineData("regression.model", "PolyRidge")]
        [InlineData("maxout.model", "MaxoutSvm")]
        [InlineData("lenet.model", "LeNet")]
        public void GeneratedCodeMatchesSnapshot(string file, string snapshot)
        {
            Snapshot.Verify(ModelHarness.EmitSource(Model(file), file), snapshot);
        }

        [Theory]
        [InlineData("fashion.model")]
        [InlineData("regression.model")]
        [InlineData("maxout.model")]
        [InlineData("lenet.model")]
        public void GeneratedCodeCompilesWithoutWarnings(string file)
        {
            var model = ModelHarness.Create(Model(file));
            Assert.True(model.ParameterCount > 0);
        }
    }
}
