using System;
using System.IO;
using System.Linq;
using ModelC.Compiler.Emit;
using ModelC.Tests.Samples;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Generated lines stay within 120 characters, and wrapping them only moves whitespace: the
    /// code's characters outside whitespace, literals included, are the ones it had.
    /// </summary>
    public class LineWrapperTests
    {
        private static string WithoutWhitespace(string text) => new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

        [Fact]
        public void ACallsArgumentsArePackedOntoContinuationLines()
        {
            string line = "        DenseKernels.Multiply(" + string.Join(", ", Enumerable.Range(0, 12).Select(i => $"_activations.AsSpan({i * 100} * batch, batch * 64)")) + ");";
            var wrapped = LineWrapper.Wrap(line).Split('\n');

            Assert.Equal("        DenseKernels.Multiply(", wrapped[0]);
            Assert.All(wrapped, l => Assert.True(l.Length <= LineWrapper.MaxLineLength, l));
            Assert.All(wrapped.Skip(1), l => Assert.StartsWith("            _activations.AsSpan(", l));
            Assert.EndsWith("batch * 64));", wrapped[wrapped.Length - 1]);
            Assert.Equal(WithoutWhitespace(line), WithoutWhitespace(string.Join("\n", wrapped)));
        }

        [Fact]
        public void StringsAndTypeArgumentsAreNeverBroken()
        {
            string message = "a message with spaces, commas (and parentheses), long enough that its line must be wrapped somewhere";
            string line = $"            if (batch_ == 0) throw new global::System.InvalidOperationException(\"{message}\");";
            string wrapped = LineWrapper.Wrap(line);
            Assert.Contains("\"" + message + "\"", wrapped);
            Assert.Equal("            if (batch_ == 0)", wrapped.Split('\n')[0]);

            string initializer = "                new global::System.Collections.Generic.Dictionary<string, double> { [\"lr\"] = 0.001d, [\"beta1\"] = 0.9d, [\"beta2\"] = 0.999d, [\"eps\"] = 1E-08d }),";
            string wrappedInitializer = LineWrapper.Wrap(initializer);
            Assert.Contains("Dictionary<string, double> {", wrappedInitializer);
            Assert.All(wrappedInitializer.Split('\n'), l => Assert.True(l.Length <= LineWrapper.MaxLineLength, l));
            Assert.Equal(WithoutWhitespace(initializer), WithoutWhitespace(wrappedInitializer));
        }

        [Fact]
        public void ACommentIsWrappedBetweenWordsAndShortLinesAreLeftAlone()
        {
            string comment = "            // model.model(3): " + string.Join(" + ", Enumerable.Range(0, 40).Select(i => $"w{i}"));
            var wrapped = LineWrapper.Wrap(comment).Split('\n');
            Assert.True(wrapped.Length > 1);
            Assert.All(wrapped, l => Assert.StartsWith("            // ", l));
            Assert.All(wrapped, l => Assert.True(l.Length <= LineWrapper.MaxLineLength, l));

            const string shortLines = "    int x = 1;\n    {\n        y += f(a, b);\n    }\n";
            Assert.Equal(shortLines, LineWrapper.Wrap(shortLines));
        }

        [Fact]
        public void WrappingIsIdempotent()
        {
            string source = ModelHarness.EmitSource(SampleModels.Text("LeNet/lenet.model"), "lenet.model");
            Assert.Equal(source, LineWrapper.Wrap(source));
        }

        /// <summary>Every sample's generated class reads within the limit, a line of its .model text included.</summary>
        [Fact]
        public void EverySamplesGeneratedCodeKeepsItsLinesWithin120Characters()
        {
            var models = Directory.GetFiles(SampleModels.RepositoryPath("samples"), "*.model", SearchOption.AllDirectories)
                .Where(path => !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar)
                    && !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
                .ToList();
            Assert.True(models.Count >= 15, $"found only {models.Count} sample models");
            foreach (var path in models)
            {
                string source = ModelHarness.EmitSource(File.ReadAllText(path), Path.GetFileName(path));
                var longLines = source.Split('\n').Where(l => l.Length > LineWrapper.MaxLineLength).ToList();
                Assert.True(longLines.Count == 0, $"{Path.GetFileName(path)}: {longLines.Count} lines over {LineWrapper.MaxLineLength}, the first:\n{longLines.FirstOrDefault()}");
            }
        }
    }
}
