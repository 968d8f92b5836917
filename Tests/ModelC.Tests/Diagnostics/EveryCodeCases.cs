using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// For every code of both catalogs, small models that make the compiler report exactly that code,
    /// with ⟨⟩ where it must point and a phrase its message must contain.
    /// </summary>
    public static class EveryCodeCases
    {
        public static TheoryData<string, DiagnosticSeverity, string, string> All { get; } = new()
        {
            // ---------------- reading the text (ModelC.Dsl) ----------------
            {
                "MC0001", DiagnosticSeverity.Error, "expected ';' after the statement", """
                model M {
                    input x : float[4]⟨⟩
                    output o = x;
                }
                """
            },
            {
                "MC0002", DiagnosticSeverity.Error, "nested too deeply: more than 200 levels",
                "model M {\n    input x : float[4];\n    output o = " + new string('(', 200) + "⟨⟩(x" + new string(')', 201) + ";\n}"
            },
            {
                "MC0003", DiagnosticSeverity.Error, "dimension 2147483648 is out of range", """
                model M {
                    input x : float[⟨⟩2147483648];
                    output o = x;
                }
                """
            },
            {
                "MC0003", DiagnosticSeverity.Error, "class count 0 is out of range", """
                model M {
                    input x : float[4];
                    target y : int<⟨⟩0>;
                    output o = x;
                }
                """
            },
            {
                "MC0003", DiagnosticSeverity.Error, "number 1e400 is out of range: it does not fit a 32-bit float", """
                model M {
                    input x : float[4];
                    output o = x * ⟨⟩1e400;
                }
                """
            },
            {
                "MC0004", DiagnosticSeverity.Error, "unterminated comment: '/*' has no matching '*/'", """
                model M { input x : float[4]; output o = x; }
                ⟨⟩/* a note that is never closed
                """
            },
            {
                "MC0005", DiagnosticSeverity.Error, "a positional argument cannot follow a named one", """
                model M {
                    input x : float[4];
                    output o = leaky_relu(slope: 0.1, ⟨⟩x);
                }
                """
            },
            {
                "MC0006", DiagnosticSeverity.Error, "only a function or layer name (relu(x))", """
                model M {
                    input x : float[4];
                    output o = ⟨⟩relu(x)(x);
                }
                """
            },

            // ---------------- meaning: names and declarations ----------------
            {
                "MC1001", DiagnosticSeverity.Error, "unknown name 'h3'; did you mean 'h1'?", """
                model M {
                    input x : float[4];
                    let h1 = relu(x);
                    output o = relu(⟨⟩h3);
                }
                """
            },
            {
                "MC1002", DiagnosticSeverity.Error, "unknown function 'sigmod'; did you mean 'sigmoid'?", """
                model M {
                    input x : float[4];
                    output o = ⟨⟩sigmod(x);
                }
                """
            },
            {
                "MC1002", DiagnosticSeverity.Error, "'x' is a value, not a function or layer; it cannot be called", """
                model M {
                    input x : float[4];
                    output o = ⟨⟩x(x);
                }
                """
            },
            {
                "MC1002", DiagnosticSeverity.Error, "unknown optimizer 'adan'; did you mean 'adam'?", """
                model M {
                    input x : float[4];
                    output o = x;
                    train { optimizer = ⟨⟩adan(lr: 0.1); }
                }
                """
            },
            {
                "MC1003", DiagnosticSeverity.Error, "'x' is already declared at line 2; names must be unique", """
                model M {
                    input x : float[4];
                    input ⟨⟩x : float[3];
                    output o = x;
                }
                """
            },
            {
                "MC1024", DiagnosticSeverity.Error, "'o' is used before its definition at line 6", """
                model M {
                    input x : float[4];
                    target y : float[3];
                    loss = mse(⟨⟩o, y);
                    layer fc = dense(3);
                    output o = fc(x);
                }
                """
            },
            {
                "MC1025", DiagnosticSeverity.Error, "model 'M' is declared twice in this file", """
                model M { input x : float[4]; output o = x; }
                model ⟨⟩M { input x : float[4]; output o = x; }
                """
            },

            // ---------------- meaning: shapes ----------------
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch in '+': [4] and [3] do not broadcast", """
                model M {
                    input x : float[4];
                    input z : float[3];
                    output o = x ⟨⟩+ z;
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch: cross_entropy has 4 logits but 'y' is int<3>", """
                model M {
                    input x : float[4];
                    target y : int<3>;
                    loss = ⟨⟩cross_entropy(x, y);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch: conv (conv2d) acts on images [C, H, W], but x is [784]; reshape it first, e.g. reshape(x, [1, 28, 28])", """
                model M {
                    input x : float[784];
                    layer conv = conv2d(6, 5);
                    output o = ⟨⟩conv(x);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch: pool (maxpool2d) pools 4x4 windows, larger than h's 3x3 image [6, 3, 3]", """
                model M {
                    input x : float[1, 7, 7];
                    layer conv = conv2d(6, 5);
                    layer pool = maxpool2d(4);
                    let h = conv(x);
                    output o = ⟨⟩pool(h);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch: conv (conv2d) has a 5x5 kernel, larger than x's 4x4 padded image [1, 2, 2]", """
                model M {
                    input x : float[1, 2, 2];
                    layer conv = conv2d(6, 5, padding: 1);
                    output o = ⟨⟩conv(x);
                }
                """
            },
            {
                "MC1005", DiagnosticSeverity.Error, "shape mismatch: conv expects 1 channels but y is [3, 8, 8]", """
                model M {
                    input x : float[1, 8, 8];
                    input y : float[3, 8, 8];
                    layer conv = conv2d(2, 3);
                    output a = conv(x);
                    output b = ⟨⟩conv(y);
                }
                """
            },
            {
                "MC1004", DiagnosticSeverity.Error, "shape mismatch in '+': [2, 6, 6] and [4, 6, 6] do not broadcast (trailing dimensions must be equal or 1) (in 'res2', an instance of block Res declared at line 10)", """
                block Res(c) {
                    layer conv = conv2d(c, 3, padding: same);
                    forward(x) {
                        return x ⟨⟩+ conv(x);
                    }
                }
                model M {
                    input x : float[2, 6, 6];
                    layer res1 = Res(2);
                    layer res2 = Res(4);
                    output a = res1(x);
                    output b = res2(x);
                }
                """
            },
            {
                "MC1005", DiagnosticSeverity.Error, "shape mismatch: fc2 expects [128] but h1 is [64]", """
                model M {
                    input x : float[128];
                    layer fc1 = dense(64);
                    layer fc2 = dense(10);
                    let h1 = relu(fc1(x));
                    let direct = fc2(x);
                    output o = direct + ⟨⟩fc2(h1);
                }
                """
            },
            {
                "MC1009", DiagnosticSeverity.Error, "axis 1 is out of range for a tensor of shape [4]", """
                model M {
                    input x : float[4];
                    output o = sum(x, axis: ⟨⟩1);
                }
                """
            },
            {
                "MC1010", DiagnosticSeverity.Error, "the loss must be one number per example, but this expression is [4]", """
                model M {
                    input x : float[4];
                    target y : float[4];
                    loss = ⟨⟩x * y;
                }
                """
            },
            {
                "MC1016", DiagnosticSeverity.Error, "reshape cannot turn [4] (4 elements) into [3] (3 elements)", """
                model M {
                    input x : float[4];
                    output o = reshape(x, ⟨⟩[3]);
                }
                """
            },
            {
                "MC1023", DiagnosticSeverity.Error, "a tensor of shape [65536, 40000] has 2621440000 elements, more than the 2147483591 one .NET array holds", """
                model M {
                    input x : float[4];
                    param w : float[⟨⟩65536, 40000];
                    output o = x;
                }
                """
            },
            {
                "MC1023", DiagnosticSeverity.Error, "model 'M' has 4294791200 parameters; at most 2147483591", """
                model ⟨⟩M {
                    input x : float[4];
                    param a : float[46340, 46340];
                    param b : float[46340, 46340];
                    output o = x;
                }
                """
            },
            {
                "MC1023", DiagnosticSeverity.Error, "maxout(out, k) needs out·k units, which is too many", """
                model M {
                    input x : float[4];
                    layer m = ⟨⟩maxout(65536, 65536);
                    output o = x;
                }
                """
            },

            // ---------------- meaning: calls and their arguments ----------------
            {
                "MC1006", DiagnosticSeverity.Error, "'relu' takes at most 1 argument: relu(x)", """
                model M {
                    input x : float[4];
                    output o = relu(x, ⟨⟩2);
                }
                """
            },
            {
                "MC1006", DiagnosticSeverity.Error, "'mse' needs argument 'y': mse(p, y, reduce?)", """
                model M {
                    input x : float[4];
                    loss = ⟨⟩mse(x);
                }
                """
            },
            {
                "MC1007", DiagnosticSeverity.Error, "'leaky_relu' has no argument named 'slop'; did you mean 'slope'?", """
                model M {
                    input x : float[4];
                    output o = leaky_relu(x, ⟨⟩slop: 0.1);
                }
                """
            },
            {
                "MC1008", DiagnosticSeverity.Error, "argument 'k' of 'pow' must be a number written in the model, not a tensor", """
                model M {
                    input x : float[4];
                    output o = pow(x, ⟨⟩x);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "dropout probability must be in [0, 1), but got 1.5", """
                model M {
                    input x : float[4];
                    output o = ⟨⟩dropout(x, 1.5);
                }
                """
            },
            {
                "MC1028", DiagnosticSeverity.Error, "early_stopping monitors val_loss, val_accuracy or loss, not 'accuracy'", """
                model M {
                    input x : float[4];
                    target y : float[4];
                    layer f = dense(4);
                    output o = f(x);
                    loss = mse(o, y);
                    train { early_stopping(patience: 2, metric: ⟨⟩accuracy); }
                }
                """
            },
            {
                "MC1031", DiagnosticSeverity.Error, "the loss is a constant, so it has no gradient", """
                model M {
                    input x : float[4];
                    output o = x;
                    loss = ⟨⟩3;
                }
                """
            },
            {
                "MC1027", DiagnosticSeverity.Error, "'epochs' must be a whole number of at least 1, but got 2.5", """
                model M {
                    input x : float[4];
                    target y : float[4];
                    layer f = dense(4);
                    output o = f(x);
                    loss = mse(o, y);
                    train { epochs = ⟨⟩2.5; }
                }
                """
            },
            {
                "MC1030", DiagnosticSeverity.Error, "output 'o' does not depend on any input", """
                model M {
                    input x : float[4];
                    param w : float[4];
                    output o = ⟨⟩relu(w);
                }
                """
            },
            {
                "MC1032", DiagnosticSeverity.Error, "nll_loss needs a class-id target (int<N>), but 'y' is float [4]", """
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
                "MC1034", DiagnosticSeverity.Error, "last_state(h): its argument must be the value of a call of an rnn, lstm or gru layer", """
                model M {
                    input x : float[5, 3];
                    layer r = lstm(4);
                    let h = r(x) * 2;
                    output o = last_state(⟨⟩h);
                }
                """
            },
            {
                "MC1035", DiagnosticSeverity.Warning, "dropout: 0.2 does nothing on a one-layer lstm", """
                model M {
                    input x : float[5, 3];
                    layer r = lstm(4, dropout: ⟨⟩0.2);
                    output o = r(x);
                }
                """
            },
            {
                "MC1036", DiagnosticSeverity.Error, "the mask of masked_fill passes no gradient, but sigmoid(g) depends on parameter 'g', which would never learn", """
                model M {
                    input x : float[4];
                    param g : float[4];
                    output o = masked_fill(x, ⟨⟩sigmoid(g), 0);
                }
                """
            },
            {
                "MC1015", DiagnosticSeverity.Error, "'y' holds class ids (int<3>), not numbers; use it as the target of cross_entropy", """
                model M {
                    input x : float[4];
                    target y : int<3>;
                    output o = x + ⟨⟩y;
                }
                """
            },

            // ---------------- meaning: layers ----------------
            {
                "MC1017", DiagnosticSeverity.Error, "unknown layer kind 'dense2'; did you mean 'dense'?", """
                model M {
                    input x : float[4];
                    layer fc = ⟨⟩dense2(3);
                    output o = x;
                }
                """
            },
            {
                "MC1019", DiagnosticSeverity.Error, "layer 'fc' has no parameter 'weights'; did you mean 'weight'?", """
                model M {
                    input x : float[4];
                    layer fc = dense(3);
                    output o = fc(x);
                    loss = mean(o) + l2(fc.⟨⟩weights);
                }
                """
            },
            {
                "MC1019", DiagnosticSeverity.Error, "layer 'res' has no parameter 'conv.weigth'; did you mean 'conv.weight'?", """
                block Res(c) {
                    layer conv = conv2d(c, 3, padding: same);
                    forward(x) { return x + conv(x); }
                }
                model M {
                    input x : float[2, 4, 4];
                    layer res = Res(2);
                    output o = res(x);
                    loss = mean(o) + l2(res.conv.⟨⟩weigth);
                }
                """
            },
            {
                "MC1020", DiagnosticSeverity.Error, "'fc' is a layer; call it on a value, e.g. fc(x)", """
                model M {
                    input x : float[4];
                    layer fc = dense(4);
                    let h = fc(x);
                    output o = h + ⟨⟩fc;
                }
                """
            },
            {
                "MC1021", DiagnosticSeverity.Warning, "layer 'spare' is never called, so it has no parameters", """
                model M {
                    input x : float[4];
                    layer ⟨⟩spare = dense(3);
                    output o = relu(x);
                }
                """
            },

            // ---------------- meaning: the model as a whole ----------------
            {
                "MC1011", DiagnosticSeverity.Error, "model 'M' has no output and no loss; declare at least one", """
                model ⟨⟩M {
                    input x : float[4];
                }
                """
            },
            {
                "MC1011", DiagnosticSeverity.Error, "model 'M' has no input", """
                model ⟨⟩M {
                    param w : float[4];
                    loss = sum(w * w);
                }
                """
            },
            {
                "MC1012", DiagnosticSeverity.Error, "output 'o' depends on target 'y'; outputs are computed from inputs alone", """
                model M {
                    input x : float[4];
                    target y : float[4];
                    output o = ⟨⟩x + y;
                }
                """
            },
            {
                "MC1006", DiagnosticSeverity.Error, "'Res' needs argument 'c': Res(c)", """
                block Res(c) {
                    layer conv = conv2d(c, 3, padding: same);
                    forward(x) { return x + conv(x); }
                }
                model M {
                    input x : float[2, 6, 6];
                    layer res = ⟨⟩Res();
                    output o = res(x);
                }
                """
            },
            {
                "MC1006", DiagnosticSeverity.Error, "'Res' takes at most 1 argument: Res(c)", """
                block Res(c) {
                    layer conv = conv2d(c, 3, padding: same);
                    forward(x) { return x + conv(x); }
                }
                model M {
                    input x : float[2, 6, 6];
                    layer res = Res(2, ⟨⟩3);
                    output o = res(x);
                }
                """
            },
            {
                "MC1029", DiagnosticSeverity.Error, "block 'Loop' contains itself (Loop -> Loop)", """
                block Loop(c) {
                    layer inner = ⟨⟩Loop(c);
                    forward(x) { return inner(x); }
                }
                model M {
                    input x : float[2, 6, 6];
                    layer l = Loop(2);
                    output o = l(x);
                }
                """
            },
            {
                "MC1026", DiagnosticSeverity.Error, "padding: same needs stride 1 (as in PyTorch), but stride is 2", """
                model M {
                    input x : float[1, 8, 8];
                    layer conv = conv2d(2, 3, stride: 2, padding: ⟨⟩same);
                    output o = conv(x);
                }
                """
            },
            {
                "MC1014", DiagnosticSeverity.Error, "padding must be a whole number of zeros (0 or more) or same, but got -1", """
                model M {
                    input x : float[1, 8, 8];
                    layer conv = conv2d(2, 3, padding: ⟨⟩-1);
                    output o = conv(x);
                }
                """
            },
            {
                "MC1013", DiagnosticSeverity.Error, "(a layer inside a block) is not supported yet", """
                block Res(c) {
                    layer conv = conv2d(c, 3, padding: same);
                    forward(x) { return x + conv(x); }
                }
                model M {
                    input x : float[2, 6, 6];
                    layer res = Res(2);
                    output r = res(x);
                    output o = ⟨⟩res.conv(x);
                }
                """
            },
            {
                "MC1022", DiagnosticSeverity.Error, "model 'M' declares a loss twice; combine them in one expression", """
                model M {
                    input x : float[4];
                    target y : float[4];
                    loss = mse(x, y);
                    ⟨⟩loss = mae(x, y);
                }
                """
            },

            // ---------------- meaning: train settings ----------------
            {
                "MC1018", DiagnosticSeverity.Error, "unknown train setting 'optimiser'; did you mean 'optimizer'?", """
                model M {
                    input x : float[4];
                    output o = x;
                    train { ⟨⟩optimiser = adam; }
                }
                """
            },
        };
    }
}
