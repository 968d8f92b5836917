using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Every recurrent layer over inputs is one kernel call per pass that loops over time, so the
    /// generated C# of a word language model is the same whether it reads 35 words or 350 (the
    /// unrolled gru of 35 steps was 1.1 MB of C#).
    /// </summary>
    public class RecurrentCodeSizeTests
    {
        private static string WordModel(string kind, int steps) => $@"model Words {{
    input  words : int<1000>[{steps}];
    target next  : int<1000>[{steps}];
    input  h0    : float[4, 32];
    layer emb  = embedding(1000, 24);
    layer cell = {kind}(32, layers: 2, dropout: 0.2, bidirectional: true);
    layer out  = dense(1000);
    let s = cell(emb(words), h0);
    output logits = out(s);
    output h = last_state(s);
    loss = cross_entropy(logits, next);
}}";

        [Theory]
        [InlineData("gru")]
        [InlineData("rnn")]
        public void TheGeneratedCodeDoesNotGrowWithTheSteps(string kind)
        {
            string shortSource = ModelHarness.EmitSource(WordModel(kind, 35));
            string longSource = ModelHarness.EmitSource(WordModel(kind, 350));

            Assert.Contains(kind == "gru" ? "GruKernels.Forward(" : "RnnKernels.Forward(", shortSource);
            // Only the sizes in the four kernels' calls (two layers, two directions) and the arena
            // offsets differ, by a digit each: about 400 characters.
            Assert.InRange(longSource.Length - shortSource.Length, 0, 600);
            Assert.InRange(shortSource.Length, 1, 60_000);
        }
    }
}
