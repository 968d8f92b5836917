using System;
using System.Linq;
using ModelC.Runtime;
using ModelC.Samples;
using ModelC.Samples.SkipGram;
using ModelC.Tests.Compiler;
using Xunit;
using Xunit.Abstractions;

namespace ModelC.Tests.Samples
{
    public sealed class SkipGramSampleTests
    {
        private const int MinimumCount = 5;
        private readonly ITestOutputHelper output;

        public SkipGramSampleTests(ITestOutputHelper output) => this.output = output;

        private static string[] Tokens() =>
            Vocabulary.Tokenize(GenesisCorpus.Load(SampleModels.RepositoryPath("samples/Shared/corpus/genesis.txt"))).ToArray();

        [Fact]
        public void Words_that_occur_together_end_up_closer_than_random_pairs_and_the_loss_goes_down()
        {
            var tokens = Tokens();
            var vocabulary = Vocabulary.Build(tokens, MinimumCount);
            var model = SampleModels.Create("SkipGram/skipgram.model", seed: 1);

            var run = SkipGramDemo.Run(model, vocabulary.Encode(tokens), vocabulary.Counts, seed: 1, epochs: 3);

            var vectors = SkipGramDemo.Vectors(model);
            var random = new ModelRandom(5);
            var randomPairs = Enumerable.Range(0, 500)
                .Select(_ => vectors.Cosine(random.NextInt(vocabulary.Count), random.NextInt(vocabulary.Count))).ToArray();
            double randomMean = randomPairs.Average();
            // Neighbours in the text: "lord god" (29 times), "years old" (21), "seven years" (18). Measured after
            // 3 epochs: 0.79, 0.67 and 0.61 against 0.32 for random pairs (the vectors share a common direction).
            foreach (var (a, b) in new[] { ("lord", "god"), ("years", "old"), ("seven", "years") })
            {
                double cosine = vectors.Cosine(vocabulary.IdOf(a), vocabulary.IdOf(b));
                output.WriteLine($"cos({a}, {b}) = {cosine:F3}; random pairs {randomMean:F3}");
                Assert.True(cosine > randomMean + 0.25, $"cos({a}, {b}) = {cosine:F3} against {randomMean:F3} for random pairs");
            }
            // 6 ln 2 = 4.159 before training: every score 0, sigmoid 1/2 for the context and the 5 negatives.
            Assert.InRange(run.InitialLoss, 4.1, 4.2);
            Assert.True(run.Epochs[0].Loss < run.InitialLoss - 1, $"first epoch {run.Epochs[0].Loss:F3}");
            Assert.True(run.Epochs[^1].Loss < run.Epochs[0].Loss - 0.2, $"epochs {string.Join(", ", run.Epochs.Select(e => e.Loss.ToString("F3")))}");
        }

        [Fact]
        public void The_models_vocabulary_is_the_words_of_genesis_seen_at_least_five_times()
        {
            var vocabulary = Vocabulary.Build(Tokens(), MinimumCount);
            var model = SampleModels.Create("SkipGram/skipgram.model", seed: 1);

            Assert.Equal(vocabulary.Count, model.Inputs.Single(i => i.Name == "center").Classes);
            Assert.Equal("and", vocabulary[0]);
            Assert.True(vocabulary.Counts.All(c => c >= MinimumCount));
            Assert.True(vocabulary.TryGetId("abraham's", out _));
        }

        [Fact]
        public void The_sample_models_loss_has_the_gradients_of_finite_differences_with_repeated_rows()
        {
            // The sample's own expressions at a size small enough to difference every parameter.
            string text = SampleModels.Text("SkipGram/skipgram.model")
                .Replace("756", "7", StringComparison.Ordinal).Replace("48]", "3]", StringComparison.Ordinal)
                .Replace("int<7>[5]", "int<7>[3]", StringComparison.Ordinal).Replace("uniform(-0.01, 0.01)", "normal(0, 0.7)", StringComparison.Ordinal);
            var model = ModelHarness.Create(text, seed: 4);
            // Row 2 is both a context and a negative, row 5 a negative twice, row 1 a centre twice.
            var batch = new ModelData()
                .Set("center", new[] { 1, 1, 4 })
                .Set("context", new[] { 2, 3, 0 })
                .Set("negatives", new[] { 5, 2, 5, 6, 0, 2, 1, 3, 3 });

            GradientCheck.Parameters(model, batch);
        }

        [Fact]
        public void Pairs_stay_within_the_window_and_negatives_follow_counts_to_the_three_quarters()
        {
            var text = Enumerable.Range(0, 50).ToArray();
            var pairs = SkipGramPairs.Pairs(text, new ModelRandom(1));

            Assert.All(pairs, p => Assert.InRange(Math.Abs(p.Center - p.Context), 1, SkipGramPairs.MaximumWindow));
            Assert.Contains((10, 11), pairs);

            var noise = new SkipGramPairs(new[] { 16, 1 });
            var random = new ModelRandom(2);
            int first = Enumerable.Range(0, 9000).Count(_ => noise.DrawNegative(random) == 0);
            Assert.InRange(first / 9000.0, 8 / 9.0 - 0.015, 8 / 9.0 + 0.015);   // 16^0.75 = 8 against 1
        }

        [Fact]
        public void Nearest_neighbours_are_ranked_by_cosine_without_the_word_itself()
        {
            var vectors = new WordVectors(new[] { 1f, 0f, 0.9f, 0.1f, -1f, 0f, 0f, 1f }, count: 4, dimension: 2);

            var nearest = vectors.Nearest(0, 3);

            Assert.Equal(new[] { 1, 3, 2 }, nearest.Select(n => n.Id));
            Assert.Equal(-1.0, vectors.Cosine(0, 2), 6);
        }
    }
}
