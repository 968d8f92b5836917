using System;
using System.Linq;
using ModelC.Samples;
using ModelC.Samples.CharRnn;
using Xunit;
using Xunit.Abstractions;

namespace ModelC.Tests.Samples
{
    public sealed class CharRnnSampleTests
    {
        private readonly ITestOutputHelper output;

        public CharRnnSampleTests(ITestOutputHelper output) => this.output = output;

        private static string Corpus() => GenesisCorpus.Load(SampleModels.RepositoryPath("samples/Shared/corpus/genesis.txt"));

        [Fact]
        public void The_corpus_is_the_book_of_genesis_in_the_models_alphabet_of_60_characters()
        {
            string text = Corpus();

            Assert.StartsWith("In the beginning God created the heaven and the earth.\n", text);
            Assert.EndsWith("and he was put in a coffin in Egypt.\n", text);
            Assert.Equal(1533, text.Count(c => c == '\n'));
            var model = SampleModels.Create("CharRnn/charrnn.model", seed: 1, "CharRnn");
            Assert.Equal(Alphabet.Of(text).Count, model.Inputs.Single(i => i.Name == "text").Classes);
        }

        [Fact]
        public void A_short_run_predicts_held_out_characters_clearly_better_than_their_frequencies()
        {
            // The first 24,000 characters (Genesis 1 to 8:12): 90 % to train on for one epoch.
            string text = Corpus()[..24_000];
            var alphabet = Alphabet.Of(Corpus());
            var model = SampleModels.Create("CharRnn/charrnn.model", seed: 1, "CharRnn");

            var run = CharRnnDemo.Run(model, alphabet.Encode(text), seed: 1, epochs: 1);

            output.WriteLine($"unigram {run.UnigramBitsPerCharacter:F3}, validation {run.ValidationBitsPerCharacter:F3} bits per character");

            // Measured: unigram 4.30 bits, validation 2.79 after one epoch (the whole text, three epochs: 1.99).
            Assert.InRange(run.UnigramBitsPerCharacter, 4.1, 4.4);
            Assert.True(run.ValidationBitsPerCharacter < run.UnigramBitsPerCharacter - 1.0,
                $"validation {run.ValidationBitsPerCharacter:F3} bits per character against unigram {run.UnigramBitsPerCharacter:F3}");
            Assert.Equal(text.Length - (int)(text.Length * 0.9), run.ValidationCharacters);
        }

        [Fact]
        public void Sampling_is_deterministic_for_a_seed_and_stays_in_the_alphabet()
        {
            string text = Corpus();
            var alphabet = Alphabet.Of(text);
            var model = SampleModels.Create("CharRnn/charrnn.model", seed: 3, "CharRnn");

            string first = TextSampler.Generate(model, alphabet, "And God", length: 40, temperature: 1f, seed: 7);
            string again = TextSampler.Generate(model, alphabet, "And God", length: 40, temperature: 1f, seed: 7);
            string other = TextSampler.Generate(model, alphabet, "And God", length: 40, temperature: 1f, seed: 8);

            Assert.Equal(first, again);
            Assert.NotEqual(first, other);
            Assert.StartsWith("And God", first);
            Assert.Equal("And God".Length + 40, first.Length);
            Assert.All(first, c => Assert.True(alphabet.Contains(c)));
        }

        /// <summary>The step model with the window model's parameters, which it must lay out alike.</summary>
        private static (ModelC.Runtime.IModel Window, ModelC.Runtime.IModel Step) WindowAndStep(int seed)
        {
            var window = SampleModels.Create("CharRnn/charrnn.model", seed, "CharRnn");
            var step = SampleModels.Create("CharRnn/charrnn.model", seed + 100, "CharRnnStep");
            Assert.Equal(window.ParameterInfos.Select(p => (p.Name, p.Offset, p.Length)), step.ParameterInfos.Select(p => (p.Name, p.Offset, p.Length)));
            window.Parameters.CopyTo(step.Parameters);
            return (window, step);
        }

        [Fact]
        public void The_step_model_carrying_its_state_gives_the_window_models_logits_at_every_step()
        {
            var (window, step) = WindowAndStep(seed: 3);
            var alphabet = Alphabet.Of(Corpus());
            int[] text = alphabet.Encode(Corpus()[..32]);
            var windowLogits = new float[32 * 60];
            window.Forward(new ModelC.Runtime.ModelData().Set("text", text).Set("logits", windowLogits), training: false);

            float[] h0 = new float[128], c0 = new float[128], h = new float[128], c = new float[128], logits = new float[60];
            var one = new int[1];
            var data = new ModelC.Runtime.ModelData().Set("text", one).Set("h0", h0).Set("c0", c0).Set("logits", logits).Set("h", h).Set("c", c);
            double largest = windowLogits.Max(Math.Abs), worst = 0;
            for (int t = 0; t < 32; t++)
            {
                one[0] = text[t];
                step.Forward(data, training: false);
                for (int j = 0; j < 60; j++) worst = Math.Max(worst, Math.Abs(logits[j] - windowLogits[t * 60 + j]));
                h.CopyTo(h0, 0);
                c.CopyTo(c0, 0);
            }
            // The same arithmetic in another order (one step's products against the window's): float rounding only.
            Assert.True(worst <= 1e-5 * largest, $"largest difference {worst} against logits up to {largest}");
        }

        [Fact]
        public void Stepwise_sampling_is_deterministic_for_a_seed_and_stays_in_the_alphabet()
        {
            var alphabet = Alphabet.Of(Corpus());
            var (_, step) = WindowAndStep(seed: 3);

            string first = TextSampler.GenerateStepwise(step, alphabet, "And God", length: 60, temperature: 0.7f, seed: 7);
            string again = TextSampler.GenerateStepwise(step, alphabet, "And God", length: 60, temperature: 0.7f, seed: 7);
            string other = TextSampler.GenerateStepwise(step, alphabet, "And God", length: 60, temperature: 0.7f, seed: 8);

            Assert.Equal(first, again);
            Assert.NotEqual(first, other);
            Assert.StartsWith("And God", first);
            Assert.Equal("And God".Length + 60, first.Length);
            Assert.All(first, ch => Assert.True(alphabet.Contains(ch)));
            // A window model is refused: it reads 32 characters at a time.
            Assert.Throws<ArgumentException>(() => TextSampler.GenerateStepwise(SampleModels.Create("CharRnn/charrnn.model", 1, "CharRnn"), alphabet, "And", 5, 1f, 1));
        }

        [Fact]
        public void A_low_temperature_picks_the_largest_logit_and_a_high_one_flattens_the_distribution()
        {
            float[] logits = { 1f, 3f, 2f };
            var cold = new double[3];
            var hot = new double[3];

            TextSampler.Softmax(logits, 0.01f, cold);
            TextSampler.Softmax(logits, 100f, hot);

            Assert.Equal(1.0, cold[1], 6);
            Assert.All(hot, p => Assert.InRange(p, 0.32, 0.34));
            Assert.Equal(1, TextSampler.Draw(cold, 0.999));
            Assert.Equal(0, TextSampler.Draw(new[] { 0.25, 0.5, 0.25 }, 0.2));
            Assert.Equal(1, TextSampler.Draw(new[] { 0.25, 0.5, 0.25 }, 0.25));
            Assert.Equal(2, TextSampler.Draw(new[] { 0.25, 0.5, 0.25 }, 0.75));
        }

        [Fact]
        public void Window_starts_cover_the_text_without_running_past_its_last_target()
        {
            var starts = CharRnnDemo.WindowStarts(length: 100, steps: 32, offset: 5);

            Assert.Equal(new[] { 5, 37 }, starts);   // 69 + 32 = 101 would need a target past the end
            Assert.Equal(new[] { 0, 32, 64 }, CharRnnDemo.WindowStarts(length: 97, steps: 32, offset: 0));
        }

        [Fact]
        public void Characters_outside_the_alphabet_are_an_error_naming_their_offset()
        {
            var alphabet = Alphabet.Of("abc\n");

            var error = Assert.Throws<ArgumentException>(() => alphabet.Encode("abz"));

            Assert.Contains("'z'", error.Message);
            Assert.Contains("offset 2", error.Message);
            Assert.Equal("cab", alphabet.Decode(alphabet.Encode("cab")));
        }
    }
}
