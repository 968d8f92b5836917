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

            // ---------------- initializers ----------------
            {
                "MC1026", DiagnosticSeverity.Error, "'conv2d' has bias: false, so bias_init: has no bias to initialize", """
                model M {
                    input x : float[1, 6, 6];
                    layer c = conv2d(2, 3, bias: false, bias_init: ⟨⟩zeros);
                    output o = c(x);
                }
                """
            },
            {
                "MC1002", DiagnosticSeverity.Error, "unknown initializer 'one'; did you mean 'ones'?", """
                model M {
                    input x : float[1, 6, 6];
                    layer bn = batchnorm(init: ⟨⟩one);
                    output o = bn(x);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "a standard deviation cannot be negative", """
                model M {
                    input x : float[6];
                    layer ln = layernorm(bias_init: ⟨⟩normal(0, -0.02));
                    output o = ln(x);
                }
                """
            },
            {
                "MC1007", DiagnosticSeverity.Error, "'embedding' has no argument named 'bias_init'", """
                model M {
                    input t : int<5>;
                    layer emb = embedding(5, 3, ⟨⟩bias_init: zeros);
                    output o = emb(t);
                }
                """
            },

            // ---------------- layers ----------------
            {
                "MC1004", DiagnosticSeverity.Error, "c (conv1d) acts on signals [C, L] (channels first), but x is [12]; reshape it first, e.g. reshape(x, [1, 12])", """
                model M {
                    input x : float[12];
                    layer c = conv1d(2, 3);
                    output o = ⟨⟩c(x);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "p (maxpool1d) pools windows of 8, longer than x's length 6", """
                model M {
                    input x : float[2, 6];
                    layer p = maxpool1d(8);
                    output o = ⟨⟩p(x);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "g (global_avgpool2d) acts on images [C, H, W], but x is [2, 6]", """
                model M {
                    input x : float[2, 6];
                    layer g = global_avgpool2d();
                    output o = ⟨⟩g(x);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "p (adaptive_avgpool2d) pools to 5x5, larger than x's 4x6 image", """
                model M {
                    input x : float[1, 4, 6];
                    layer p = adaptive_avgpool2d(5);
                    output o = ⟨⟩p(x);
                }
                """
            },
            {
                "MC1026", DiagnosticSeverity.Error, "output_padding must be smaller than the stride (2), as in PyTorch, but got 2", """
                model M {
                    input x : float[1, 4, 4];
                    layer t = conv_transpose2d(2, 3, stride: 2, output_padding: ⟨⟩2);
                    output o = t(x);
                }
                """
            },
            {
                "MC1026", DiagnosticSeverity.Error, "padding of conv_transpose2d must be smaller than the kernel (3), but got 3", """
                model M {
                    input x : float[1, 4, 4];
                    layer t = conv_transpose2d(2, 3, padding: ⟨⟩3);
                    output o = t(x);
                }
                """
            },
            {
                "MC1026", DiagnosticSeverity.Error, "padding: same needs stride 1", """
                model M {
                    input x : float[2, 10];
                    layer c = conv1d(2, 3, stride: 2, padding: ⟨⟩same);
                    output o = c(x);
                }
                """
            },
            {
                "MC1005", DiagnosticSeverity.Error, "shape mismatch: t expects 2 channels but y is [3, 4, 4]", """
                model M {
                    input x : float[2, 4, 4];
                    input y : float[3, 4, 4];
                    layer t = conv_transpose2d(2, 3);
                    output o = t(x) + ⟨⟩t(y);
                }
                """
            },
            {
                "MC1006", DiagnosticSeverity.Error, "'upsample2d' needs argument 'scale'", """
                model M {
                    input x : float[2, 4, 4];
                    layer u = ⟨⟩upsample2d();
                    output o = u(x);
                }
                """
            },
            // ---------------- attention ----------------
            {
                "MC1004", DiagnosticSeverity.Error, "attn (multihead_attention) splits the 6 features of x [4, 6] into 4 heads, but 6 is not a multiple of 4", """
                model M {
                    input x : float[4, 6];
                    layer attn = multihead_attention(4);
                    output o = ⟨⟩attn(x);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "attn (multihead_attention) acts on a sequence float[T, E], but x is [6]", """
                model M {
                    input x : float[6];
                    layer attn = multihead_attention(2);
                    output o = ⟨⟩attn(x);
                }
                """
            },
            {
                "MC1005", DiagnosticSeverity.Error, "shape mismatch: attn expects [T, 4] but y is [3, 6]", """
                model M {
                    input x : float[3, 4];
                    input y : float[3, 6];
                    layer attn = multihead_attention(2, causal: true);
                    output o = attn(x) + ⟨⟩attn(y);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "argument 'heads' of 'multihead_attention' must be a whole number from 1", """
                model M {
                    input x : float[3, 4];
                    layer attn = multihead_attention(⟨⟩0);
                    output o = attn(x);
                }
                """
            },
            {
                "MC1008", DiagnosticSeverity.Error, "argument 'causal' of 'multihead_attention' must be true or false", """
                model M {
                    input x : float[3, 4];
                    layer attn = multihead_attention(2, causal: ⟨⟩1);
                    output o = attn(x);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "argument 'size' of 'causal_mask' must be a whole number from 1", """
                model M {
                    input x : float[3, 3];
                    output o = softmax(x + causal_mask(⟨⟩2.5));
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch in '+': [3, 3] and [4, 4] do not broadcast", """
                model M {
                    input x : float[3, 3];
                    output o = softmax(x ⟨⟩+ causal_mask(4));
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch in 'masked_fill' (x and mask): [3, 3] and [4] do not broadcast", """
                model M {
                    input x : float[3, 3];
                    input pad : float[4];
                    output o = ⟨⟩masked_fill(x, pad, 0);
                }
                """
            },
            {
                "MC1008", DiagnosticSeverity.Error, "argument 'value' of 'masked_fill' must be a number written in the model, not a tensor", """
                model M {
                    input x : float[3, 3];
                    output o = masked_fill(x, causal_mask(3), ⟨⟩x);
                }
                """
            },
            // ---------------- attention's tensor ops ----------------
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch in '@': [2, 3, 4] @ [3, 4, 5] (the leading axes [2] and [3] do not broadcast)", """
                model M {
                    input x : float[2, 3, 4];
                    param w : float[3, 4, 5];
                    output o = x ⟨⟩@ w;
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "'@' needs vectors, matrices or stacks of matrices, but got [] @ [4]", """
                model M {
                    input x : float[4];
                    output o = sum(x) ⟨⟩@ x;
                }
                """
            },
            {
                "MC1009", DiagnosticSeverity.Error, "axis 3 is out of range for a tensor of shape [2, 3, 4]", """
                model M {
                    input x : float[2, 3, 4];
                    output o = permute(x, [0, ⟨⟩3, 1]);
                }
                """
            },
            {
                "MC1009", DiagnosticSeverity.Error, "[0, 2, -1] is not an order of the axes of [2, 3, 4]: it must name each of its axes once", """
                model M {
                    input x : float[2, 3, 4];
                    output o = transpose(x, ⟨⟩[0, 2, -1]);
                }
                """
            },
            {
                "MC1008", DiagnosticSeverity.Error, "permute takes the new order of the axes as a list: permute(x, [1, 0, 2])", """
                model M {
                    input x : float[2, 3, 4];
                    output o = permute(x, ⟨⟩1);
                }
                """
            },
            {
                "MC1006", DiagnosticSeverity.Error, "transpose swaps two axes, so it needs both", """
                model M {
                    input x : float[2, 3, 4];
                    output o = transpose(x, ⟨⟩1);
                }
                """
            },
            {
                "MC1026", DiagnosticSeverity.Error, "transpose takes either a list of every axis", """
                model M {
                    input x : float[2, 3, 4];
                    output o = transpose(x, [1, 0, 2], ⟨⟩2);
                }
                """
            },
            {
                "MC1009", DiagnosticSeverity.Error, "axis 2 is out of range for a tensor of shape [3, 4]", """
                model M {
                    input x : float[3, 4];
                    output o = log_softmax(x, axis: ⟨⟩2);
                }
                """
            },
            // ---------------- recurrent layers: stacks, directions, states (MC1034 and MC1035 are in EveryCodeCases) ----------------
            {
                "MC1014", DiagnosticSeverity.Error, "argument 'layers' of 'lstm' must be a whole number from 1", """
                model M {
                    input x : float[5, 3];
                    layer r = lstm(4, layers: ⟨⟩0);
                    output o = r(x);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "dropout probability must be in [0, 1), but got 1", """
                model M {
                    input x : float[5, 3];
                    layer r = gru(4, layers: 2, dropout: ⟨⟩1);
                    output o = r(x);
                }
                """
            },
            {
                "MC1008", DiagnosticSeverity.Error, "argument 'bidirectional' of 'rnn' must be true or false", """
                model M {
                    input x : float[5, 3];
                    layer r = rnn(4, bidirectional: ⟨⟩2);
                    output o = r(x);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "the initial state of r (lstm) is [layers · directions, hidden] = [4, 4], but h0 is [2, 4]", """
                model M {
                    input x : float[5, 3];
                    input h0 : float[2, 4];
                    layer r = lstm(4, layers: 2, bidirectional: true);
                    output o = r(x, ⟨⟩h0);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "the initial state of r (gru) is [layers · directions, hidden] = [1, 4] (or [4]), but c is [3]", """
                model M {
                    input x : float[5, 3];
                    input c : float[3];
                    layer r = gru(4);
                    output o = r(x, ⟨⟩c);
                }
                """
            },
            {
                "MC1030", DiagnosticSeverity.Error, "the initial state w of r must be per example", """
                model M {
                    input x : float[5, 3];
                    param w : float[4];
                    layer r = rnn(4);
                    output o = r(x, ⟨⟩w);
                }
                """
            },
            {
                "MC1030", DiagnosticSeverity.Error, "dropout between the layers of r acts on per-example values, but U is the same for every example", """
                model M {
                    input x : float[5, 3];
                    param U : float[5, 3];
                    layer r = lstm(4, layers: 2, dropout: 0.5);
                    output o = ⟨⟩r(U) + sum(x);
                }
                """
            },
            {
                "MC1006", DiagnosticSeverity.Error, "layer 'r' takes a sequence and, optionally, its initial state: r(x) or r(x, h0)", """
                model M {
                    input x : float[5, 3];
                    input h : float[4];
                    layer r = gru(4);
                    output o = ⟨⟩r(x, h, h);
                }
                """
            },
            {
                "MC1034", DiagnosticSeverity.Error, "last_cell(s): r is a gru, which has no cell state", """
                model M {
                    input x : float[5, 3];
                    layer r = gru(4);
                    let s = r(x);
                    output o = last_cell(⟨⟩s);
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
