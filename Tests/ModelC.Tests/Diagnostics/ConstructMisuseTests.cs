using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// Misuse of the constructs PyTorch and Keras examples need (nll_loss, ignore_index,
    /// label_smoothing, initializers, the newer layers, optimizers and schedules): each mistake
    /// alone gives one diagnostic, at the place it names, checked as <see cref="EveryCodeTests"/> does.
    /// </summary>
    public class ConstructMisuseTests
    {
        public static TheoryData<string, DiagnosticSeverity, string, string> Cases { get; } = new()
        {
            // ---------------- losses ----------------
            {
                "MC1032", DiagnosticSeverity.Error, "nll_loss needs a class-id target (int<N>)", """
                model M {
                    input x : float[4];
                    target y : float[4];
                    loss = nll_loss(log_softmax(x), ⟨⟩y);
                }
                """
            },
            {
                "MC1033", DiagnosticSeverity.Warning, "nll_loss takes log-probabilities, but this is softmax(...)", """
                model M {
                    input x : float[4];
                    target y : int<4>;
                    param w : float[4];
                    loss = nll_loss(⟨⟩softmax(x + w), y);
                }
                """
            },
            {
                "MC1007", DiagnosticSeverity.Error, "label_smoothing", """
                model M {
                    input x : float[4];
                    target y : int<4>;
                    loss = nll_loss(log_softmax(x), y, ⟨⟩label_smoothing: 0.1);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "label_smoothing of cross_entropy must be in [0, 1], but got 1.5", """
                model M {
                    input x : float[4];
                    target y : int<4>;
                    loss = cross_entropy(x, y, label_smoothing: ⟨⟩1.5);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "ignore_index of cross_entropy must be a whole number", """
                model M {
                    input x : float[4];
                    target y : int<4>;
                    loss = cross_entropy(x, y, ignore_index: ⟨⟩0.5);
                }
                """
            },
            {
                "MC1032", DiagnosticSeverity.Error, "ignore_index needs a class-id target (int<N>)", """
                model M {
                    input x : float[4];
                    target y : float[4];
                    loss = cross_entropy(x, y, ignore_index: ⟨⟩-1);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "nll_loss has 4 log-probabilities but 'y' is int<3>", """
                model M {
                    input x : float[4];
                    target y : int<3>;
                    loss = ⟨⟩nll_loss(log_softmax(x), y);
                }
                """
            },
            {
                "MC1015", DiagnosticSeverity.Error, "'t' may hold -1 (the ignore_index of the loss at line 6), which is not a class id of int<5>", """
                model M {
                    input t : int<5>[3];
                    layer emb = embedding(5, 5);
                    let e = ⟨⟩emb(t);
                    output o = e;
                    loss = cross_entropy(e, t, ignore_index: -1);
                }
                """
            },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void OneMistakeGivesOneDiagnosticAtItsPlace(string code, DiagnosticSeverity severity, string phrase, string markedModel) =>
            new EveryCodeTests().OneMistakeGivesItsCodeAtItsPlace(code, severity, phrase, markedModel);
    }
}
