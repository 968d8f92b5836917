using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>Reproducible bad input: truncations of a valid model, random bytes, random token sequences.</summary>
    internal static class MalformedCorpus
    {
        /// <summary>Compiles without diagnostics; every statement kind, comments, a namespace and a train block.</summary>
        public const string ValidModel = """
            // A small classifier that touches most statements of the language.
            namespace Corpus.Truncation;

            model Classifier {
                input x : float[16];
                target y : int<4>;

                layer fc1 = dense(32, init: he);
                layer fc2 = dense(16, bias: false);
                layer out = maxout(4, 2);
                param scale : float[16] = normal(0, 0.1);

                /* two hidden layers, then maxout */
                let h1 = leaky_relu(fc1(x * scale), 0.01);
                let h2 = dropout(tanh(fc2(h1)), 0.2);
                output logits = out(-h2 / 2 + mean(h1, axis: 0));
                output probs = softmax(logits);

                loss = cross_entropy(logits, y, reduce: sum) + 1e-4 * l2(fc1.weight, fc2.weight);

                train {
                    optimizer = adam(lr: 1e-3);
                    schedule = cosine(warmup: 1);
                    batch = 64; epochs = 10; clip_norm = 5.0;
                    early_stopping(patience: 3);
                }
            }

            """;

        /// <summary>The keywords, punctuation, names and numbers of the language (ModelC.g4), odd ones included.</summary>
        private static readonly string[] Tokens =
        {
            "namespace", "model", "block", "forward", "input", "target", "layer", "param", "let", "output", "loss", "train", "return",
            "float", "int",
            "(", ")", "{", "}", "[", "]", "<", ">", ";", ":", ",", ".", "=", "+", "-", "*", "/", "@",
            "x", "y", "h", "fc", "M", "dense", "maxout", "relu", "softmax", "mse", "cross_entropy", "l2", "params", "weight", "bias",
            "axis", "reduce", "sum", "adam", "lr", "true", "sigmod",
            "0", "1", "3", "4", "16", "0.5", "1e-3", "2147483648", "1e400",
            "//", "/*", "*/", "#", "\n",
        };

        public static string RandomBytes(int seed)
        {
            var random = new Random(seed);
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            // Odd seeds read the bytes as Latin-1 (every byte a character), even ones as UTF-8 (invalid sequences become U+FFFD).
            return seed % 2 == 0 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        }

        public static string TokenSoup(int seed)
        {
            var random = new Random(seed);
            int count = random.Next(1, 200);
            var soup = new StringBuilder();
            // Half the soups start like a model, so the parser gets past the first token.
            if (seed % 2 == 0) soup.Append("model M {\n");
            for (int i = 0; i < count; i++)
            {
                soup.Append(Tokens[random.Next(Tokens.Length)]);
                soup.Append(random.Next(8) == 0 ? "\n" : " ");
            }
            return soup.ToString();
        }

        /// <summary>Every fifth prefix length of the valid model, and the whole of it.</summary>
        public static IEnumerable<int> TruncationLengths() =>
            Enumerable.Range(0, ValidModel.Length / 5 + 1).Select(i => i * 5).Append(ValidModel.Length).Distinct();
    }
}
