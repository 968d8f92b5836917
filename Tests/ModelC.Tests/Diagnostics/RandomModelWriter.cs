using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// Writes syntactically valid models whose meaning is mostly right and sometimes wrong: names
    /// that are unknown or used too early, calls with wrong arguments, shapes that do not fit.
    /// Such text gets past the parser, so it exercises binding, shape inference, planning and
    /// emission, which random characters rarely reach.
    /// </summary>
    internal sealed class RandomModelWriter
    {
        private static readonly string[] Unary =
            { "relu", "sigmoid", "tanh", "exp", "abs", "square", "softplus", "mish", "gelu", "softmax", "log_softmax", "flatten", "transpose" };

        private static readonly string[] Binary = { "max", "min", "dot", "mse", "mae", "bce_logits", "hinge", "kl_normal" };

        private static readonly string[] Odd =
            { "sigmod", "last", "sample_normal", "conv2d", "concat", "reshape", "poly", "dropout", "clamp", "pow", "sum", "mean", "l2", "cross_entropy" };

        private static readonly string[] ArgumentNames = { "axis", "reduce", "slope", "delta", "p", "k", "bias", "init" };
        private static readonly string[] Numbers = { "0", "1", "2", "3", "-1", "0.5", "1e-3", "2.5" };
        private static readonly string[] Words = { "sum", "mean", "true", "he", "params", "zeros" };
        private static readonly string[] Operators = { "+", "+", "-", "*", "/", "@" };

        private readonly Random random;
        private readonly StringBuilder text = new StringBuilder();
        private readonly List<string> values = new List<string>();
        private readonly List<string> layers = new List<string>();
        private int fresh;

        private RandomModelWriter(int seed) { random = new Random(seed); }

        public static string Write(int seed)
        {
            var writer = new RandomModelWriter(seed);
            writer.WriteModel();
            return writer.text.ToString();
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private bool OneIn(int n) => random.Next(n) == 0;

        private void WriteModel()
        {
            text.Append("model M {\n");
            Line($"input x : float[{Pick(new[] { "4", "4", "3, 4", "2, 3, 4" })}];");
            values.Add("x");
            if (!OneIn(3)) Line("target y : float[4];");
            int statements = random.Next(1, 8);
            for (int i = 0; i < statements; i++) WriteStatement();
            if (!OneIn(4)) Line($"output o{fresh++} = {Expression(0)};");
            text.Append("}\n");
        }

        private void Line(string statement) => text.Append("    ").Append(statement).Append('\n');

        /// <summary>A name declared earlier, or now and then one that is not (unknown, or declared later).</summary>
        private string Reference() => OneIn(12) || values.Count == 0 ? Pick(new[] { "h3", "y", "o9", "fc" }) : Pick(values);

        private void WriteStatement()
        {
            string name = OneIn(15) && values.Count > 0 ? Pick(values) : "v" + fresh++;
            switch (random.Next(10))
            {
                case 0:
                case 1:
                {
                    string kind = OneIn(8) ? Pick(new[] { "dense2", "conv2d", "maxout" }) : "dense";
                    string arguments = OneIn(8) ? Arguments(2) : Pick(new[] { "3", "4", "8", "4, bias: false", "4, init: he", "2, init: normal(0.1)" });
                    Line($"layer {name} = {kind}({arguments});");
                    layers.Add(name);
                    return;
                }
                case 2:
                    Line($"param {name} : float[{Pick(new[] { "4", "1", "4, 4", "0" })}]{(OneIn(2) ? " = normal(0, 0.1)" : "")};");
                    values.Add(name);
                    return;
                case 3:
                    Line($"output {name} = {Expression(0)};");
                    values.Add(name);
                    return;
                case 4:
                    Line($"loss = {Pick(new[] { "mse", "mean", "sum", "l2" })}({Expression(1)}{(OneIn(2) ? ", y" : "")});");
                    return;
                case 5:
                    Line($"train {{ {TrainSetting()} {TrainSetting()} }}");
                    return;
                default:
                    Line($"let {name} = {Expression(0)};");
                    values.Add(name);
                    return;
            }
        }

        private string Expression(int depth)
        {
            int choice = depth >= 3 ? random.Next(3) : random.Next(12);
            switch (choice)
            {
                case 0: return OneIn(3) ? Pick(Numbers) : Reference();
                case 1:
                case 2: return Reference();
                case 3: return "-" + Expression(depth + 1);
                case 4:
                case 5: return $"{Expression(depth + 1)} {Pick(Operators)} {Expression(depth + 1)}";
                case 6: return $"({Expression(depth + 1)})";
                case 7: return layers.Count > 0 ? $"{Pick(layers)}.{Pick(new[] { "weight", "bias", "weights" })}" : Reference();
                case 8:
                case 9: return layers.Count > 0 ? $"{Pick(layers)}({Expression(depth + 1)})" : $"relu({Expression(depth + 1)})";
                case 10: return $"{Pick(Unary)}({Expression(depth + 1)})";
                default: return OneIn(2) ? $"{Pick(Binary)}({Expression(depth + 1)}, {Expression(depth + 1)})" : $"{Pick(Odd)}({Arguments(depth + 1)})";
            }
        }

        private string Arguments(int depth)
        {
            var parts = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Expression(depth)).ToList();
            if (OneIn(2)) parts.Add($"{Pick(ArgumentNames)}: {(OneIn(2) ? Pick(Words) : Pick(Numbers))}");
            return string.Join(", ", parts);
        }

        private string TrainSetting() => random.Next(7) switch
        {
            0 => $"optimizer = {Pick(new[] { "adam(lr: 0.1)", "sgd(0.1)", "sgd", "adan", "adam(lr: -1)" })};",
            1 => $"schedule = {Pick(new[] { "cosine(warmup: 1)", "step(every: 2)", "constant", "cosine(1, 2)" })};",
            2 => $"batch = {Pick(Numbers)};",
            3 => $"epochs = {Expression(3)};",
            4 => $"early_stopping({Pick(new[] { "patience: 3", "3", "patience: x", "metric: val_loss" })});",
            5 => $"validation = {Pick(Numbers)};",
            _ => $"{Pick(new[] { "clip_norm", "seed", "max_norm", "optimiser" })} = {Pick(Numbers)};",
        };
    }
}
