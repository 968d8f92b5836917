using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Bad input through the whole compiler (parse, bind, plan, emit): answered with sound diagnostics, never an exception.</summary>
    public class MalformedCorpusTests
    {
        public static IEnumerable<object[]> TruncationLengths() => MalformedCorpus.TruncationLengths().Select(n => new object[] { n });

        public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 100).Select(seed => new object[] { seed });

        [Fact]
        public void TheUntruncatedModelCompilesCleanly()
        {
            var result = CorpusAssert.CompilesWithSoundDiagnostics(MalformedCorpus.ValidModel);

            Assert.Empty(result.Diagnostics);
            Assert.Equal("Corpus.Truncation.Classifier.g.cs", Assert.Single(result.Files).HintName);
        }

        [Theory]
        [MemberData(nameof(TruncationLengths))]
        public void ATruncatedModelIsReportedNotCompiled(int length)
        {
            var text = MalformedCorpus.ValidModel.Substring(0, length);

            var result = CorpusAssert.CompilesWithSoundDiagnostics(text);

            bool modelStarted = text.Contains("model Classifier");
            bool modelClosed = length > MalformedCorpus.ValidModel.TrimEnd().Length - 1;
            if (modelStarted && !modelClosed)
            {
                Assert.True(result.HasErrors, $"a model cut after {length} characters must be reported");
                Assert.Empty(result.Files);
            }
            if (modelClosed) Assert.NotEmpty(result.Files);
        }

        [Theory]
        [MemberData(nameof(Seeds))]
        public void RandomBytesGiveSoundDiagnostics(int seed)
        {
            CorpusAssert.CompilesWithSoundDiagnostics(MalformedCorpus.RandomBytes(seed));
        }

        [Theory]
        [MemberData(nameof(Seeds))]
        public void RandomTokenSoupsGiveSoundDiagnostics(int seed)
        {
            CorpusAssert.CompilesWithSoundDiagnostics(MalformedCorpus.TokenSoup(seed));
        }

        [Theory]
        [MemberData(nameof(Seeds))]
        public void RandomlyMeantModelsGiveSoundDiagnosticsOrCode(int seed)
        {
            var text = RandomModelWriter.Write(seed);

            var result = CorpusAssert.CompilesWithSoundDiagnostics(text);

            if (!result.HasErrors) Assert.Single(result.Files);
        }
    }
}
