using System.Linq;
using ModelC.Compiler;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Mistakes with sequences, embeddings and indexing: one error each, with its code, words and line.</summary>
    public class SequenceDiagnosticsTests
    {
        private const string Header = @"model M {
    input tokens : int<5>[4];
    input u : int<7>;
    input x : float[4, 3];
    input v : float[3];
    param U : float[6, 2] = normal(0, 0.1);
";

        [Theory]
        [InlineData("layer emb = embedding(5, 2); output o = emb(x);", "MC1008", "emb (embedding) acts on class ids")]
        [InlineData("layer emb = embedding(4, 2); output o = emb(tokens);", "MC1005", "emb has 4 rows but tokens is int<5>")]
        [InlineData("output o = U[u];", "MC1004", "'u' is int<7> but 'U' has only 6 rows")]
        [InlineData("output o = x[4];", "MC1009", "index 4 is out of range for the first axis of [4, 3]")]
        [InlineData("output o = x[1.5];", "MC1009", "index 1.5 is out of range")]
        [InlineData("output o = x[v];", "MC1008", "an index is class ids")]
        [InlineData("output o = last(sum(x));", "MC1004", "last(seq) takes the last step of a sequence")]
        [InlineData("layer r = lstm(3); output o = r(v);", "MC1004", "r (lstm) acts on a sequence float[T, F], but v is [3]")]
        [InlineData("layer r = gru(3); output o = r(x) + r(reshape(x, [3, 4]));", "MC1005", "r expects [T, 3] but reshape(x, [3, 4]) is [3, 4]")]
        [InlineData("output o = sample_normal(x, v);", "MC1004", "sample_normal needs mu and logvar of one shape")]
        [InlineData("layer fc = dense(5); output o = fc(x); target y : int<5>[3]; loss = cross_entropy(o, y);", "MC1004", "needs logits of shape [3, 5], but got [4, 5]")]
        public void EachMistakeGivesOneErrorAtItsLine(string body, string code, string words)
        {
            var result = ModelCompiler.Compile("m.model", Header + "    " + body + "\n}\n");
            var error = Assert.Single(result.Diagnostics, d => d.IsError);
            Assert.Equal(code, error.Code);
            Assert.Contains(words, error.Message);
            Assert.Equal(7, error.Span.Line);
        }

        [Fact]
        public void SequencesOfClassIdsAndRecurrentLayersCompile()
        {
            var result = ModelCompiler.Compile("m.model", Header + @"
    target y : int<5>[4];
    layer emb = embedding(5, 3);
    layer cell = lstm(8);
    layer out = dense(5);
    output logits = out(cell(emb(tokens)));
    output first = logits[0];
    output z = sample_normal(U[tokens], U[tokens]);
    loss = cross_entropy(logits, y);
}
");
            Assert.Empty(result.Diagnostics);
        }
    }
}
