using System.Linq;
using ModelC.Samples;
using ModelC.Samples.CharRnn;
using Xunit;
using Xunit.Abstractions;

namespace ModelC.Tests.Samples
{
    /// <summary>CharGpt runs CharRnn's data, split, training loop and sampler on a causal transformer.</summary>
    public sealed class CharGptSampleTests
    {
        private readonly ITestOutputHelper output;

        public CharGptSampleTests(ITestOutputHelper output) => this.output = output;

        private static string Corpus() => GenesisCorpus.Load(SampleModels.RepositoryPath("samples/Shared/corpus/genesis.txt"));

        [Fact]
        public void The_model_reads_the_corpus_alphabet_in_windows_of_64_characters()
        {
            var model = SampleModels.Create("CharGpt/chargpt.model", seed: 1);

            Assert.Equal(Alphabet.Of(Corpus()).Count, model.Inputs.Single(i => i.Name == "text").Classes);
            Assert.Equal(64, CharRnnDemo.WindowLength(model));
            Assert.Contains(model.ParameterInfos, p => p.Name == "block1.attn.in_proj_weight" && p.Shape.SequenceEqual(new[] { 192, 64 }));
            Assert.Contains(model.ParameterInfos, p => p.Name == "block2.attn.out_proj.bias" && p.Shape.SequenceEqual(new[] { 64 }));
        }

        [Fact]
        public void A_short_run_predicts_held_out_characters_better_than_their_frequencies()
        {
            // The first 24,000 characters (Genesis 1 to 8:12): 90 % to train on for one epoch of 21 steps.
            string text = Corpus()[..24_000];
            var alphabet = Alphabet.Of(Corpus());
            var model = SampleModels.Create("CharGpt/chargpt.model", seed: 1);

            var run = CharRnnDemo.Run(model, alphabet.Encode(text), seed: 1, epochs: 1);

            output.WriteLine($"unigram {run.UnigramBitsPerCharacter:F3}, validation {run.ValidationBitsPerCharacter:F3} bits per character");
            // Measured: unigram 4.30 bits, validation 3.58 after one epoch (the whole text, three epochs: 2.41).
            Assert.InRange(run.UnigramBitsPerCharacter, 4.1, 4.4);
            Assert.True(run.ValidationBitsPerCharacter < run.UnigramBitsPerCharacter - 0.2,
                $"validation {run.ValidationBitsPerCharacter:F3} bits per character against unigram {run.UnigramBitsPerCharacter:F3}");
        }
    }
}
