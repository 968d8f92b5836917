namespace ModelC.Tests.Dsl
{
    /// <summary>The examples of SPEC section 2, verbatim: the parser must read the language as the spec shows it.</summary>
    internal static class ModelSources
    {
        public const string FashionMlp =
@"// fashion.model
namespace Samples.Fashion;              // optional; default: the project's RootNamespace

model FashionMlp {
    input  x : float[784];              // per-example shape; the batch dimension is implicit
    target y : int<10>;                 // an integer in [0, 10) per example

    layer fc1 = dense(128);             // in-features inferred from the first call
    layer fc2 = dense(64, init: he);
    layer out = dense(10);

    let h1 = relu(fc1(x));
    let h2 = dropout(relu(fc2(h1)), 0.2);
    output logits = out(h2);
    output probs  = softmax(logits);

    loss = cross_entropy(logits, y) + 1e-4 * l2(fc1.weight, fc2.weight);

    train {                              // optional defaults for the runtime trainer
        optimizer = adam(lr: 1e-3);
        schedule  = cosine(warmup: 1);
        batch = 64;  epochs = 10;  clip_norm = 5.0;
        early_stopping(patience: 3);
    }
}
";

        public const string ResBlock =
@"block ResBlock(channels) {
    layer conv1 = conv2d(channels, 3, padding: same);
    layer bn1   = batchnorm();
    layer conv2 = conv2d(channels, 3, padding: same);
    layer bn2   = batchnorm();
    forward(x) {
        let h = relu(bn1(conv1(x)));
        return relu(x + bn2(conv2(h)));
    }
}
";
    }
}
