using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Writes models that ModelC should accept, with names chosen to break generated C#: C#
    /// keywords, the generated class's own members and locals, names whose Pascal case or "Grad"
    /// form is another name's, names near C#'s length limits. Shapes are tracked as the model is
    /// written, so most models bind; every model trains with plain SGD, so a test can check the step.
    /// </summary>
    internal sealed class HazardousModelWriter
    {
        public const float LearningRate = 0.5f;

        private static readonly string[] Keywords =
        {
            "class", "int", "float", "out", "in", "this", "base", "params", "object", "string", "namespace", "model", "input",
            "output", "target", "layer", "param", "loss", "train", "forward", "block", "var", "record", "file", "required",
            "scoped", "field", "value", "global", "nameof", "await", "async", "dynamic", "partial", "__arglist", "__makeref",
            "operator", "event", "fixed", "checked", "default", "true", "null", "void", "args",
        };

        private static readonly string[] Members =
        {
            "Summary", "Random", "Optimizer", "CheckLength", "CheckClasses", "BatchSize", "EnsureCapacity", "ClearGradients",
            "_activations", "_activationGradients", "_gradients", "_parameters", "_globals", "_globalGradients", "_integers",
            "_buffers", "_capacity", "_trainedBatch", "_random", "s_inputs", "s_outputs", "s_targets", "s_parameterInfos",
            "s_trainingDefaults", "Forward", "ForwardTrain", "Backward", "ForwardBackward", "Loss", "TrainStep", "Parameters",
            "Gradients", "ParameterInfos", "TrainingDefaults", "ParameterCount", "GlobalCount", "ActivationsPerExample",
            "RunForward", "RunForwardPart1", "RunLoss", "BackwardFromLoss", "BackwardFromOutputs", "Initialize", "CreateOptimizer",
            "Name", "Inputs", "Outputs", "Targets", "HasLoss", "Buffers", "BufferInfos", "BufferCount",
        };

        private static readonly string[] Locals =
        {
            "batch", "batch_", "loss_", "output_", "b", "i", "j", "k", "t", "training", "data", "seed", "random", "inputGradients",
            "outputGradients", "sum", "max", "acc", "row", "col", "System", "ModelC", "Runtime", "global_", "_", "__", "_1",
        };

        private static readonly string Long = new string('n', 700);

        private readonly Random _random;
        private readonly StringBuilder _text = new StringBuilder();
        private readonly HashSet<string> _used = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<(string Name, int Size)> _values = new List<(string, int)>();
        private readonly List<string> _recent = new List<string>();

        private HazardousModelWriter(int seed) { _random = new Random(seed); }

        /// <summary>A model in namespace <paramref name="namespacePrefix"/> (plus hazardous parts), so that many share one compilation.</summary>
        public static string Write(int seed, string namespacePrefix)
        {
            var writer = new HazardousModelWriter(seed);
            writer.WriteFile(namespacePrefix);
            return writer._text.ToString();
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
        private bool OneIn(int n) => _random.Next(n) == 0;

        /// <summary>A fresh name, mostly a hazardous one; often a twist of a name already used (x -> X, x_y -> xY, x -> xGrad).</summary>
        private string Name()
        {
            for (int attempt = 0; ; attempt++)
            {
                string name = attempt > 20 ? "v" + _used.Count + "_" + attempt : Candidate();
                if (name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && _used.Add(name))
                {
                    _recent.Add(name);
                    return name;
                }
            }
        }

        private string Candidate()
        {
            if (_recent.Count > 0 && OneIn(3)) return Twist(Pick(_recent));
            return _random.Next(12) switch
            {
                0 or 1 or 2 => Pick(Keywords),
                3 or 4 or 5 => Pick(Members),
                6 or 7 => Pick(Locals),
                8 => OneIn(4) ? Long + _random.Next(1000) : "n" + new string('x', _random.Next(500, 530)),
                _ => Pick(new[] { "x", "h", "y", "a_b", "aB", "x_size", "XSize", "logits", "o", "oGrad" }),
            };
        }

        private string Twist(string name) => _random.Next(7) switch
        {
            0 => char.IsUpper(name[0]) ? char.ToLowerInvariant(name[0]) + name.Substring(1) : char.ToUpperInvariant(name[0]) + name.Substring(1),
            1 => name + "Grad",
            2 => name + "_",
            3 => "_" + name,
            4 => name.Replace("_", ""),
            5 => string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString())),
            _ => name + "Size",
        };

        private void WriteFile(string namespacePrefix)
        {
            var parts = new List<string> { namespacePrefix };
            for (int i = _random.Next(3); i > 0; i--) parts.Add(OneIn(3) ? Pick(Members) : Pick(Keywords));
            _text.Append("namespace ").Append(string.Join(".", parts)).Append(";\n");
            WriteModel();
            // A second model in the file shares the namespace: class names must stay apart.
            if (OneIn(6))
            {
                _used.Clear();
                _values.Clear();
                _recent.Clear();
                WriteModel();
            }
        }

        private void WriteModel()
        {
            string model = OneIn(2) ? Pick(Members) : Name();
            if (_text.ToString().Contains($"model {model} ")) model += "2";
            _used.Add(model);
            _text.Append("model ").Append(model).Append(" {\n");

            int inputs = _random.Next(1, 3);
            for (int i = 0; i < inputs; i++)
            {
                string name = Name();
                int size = _random.Next(1, 5);
                Line($"input {name} : float[{size}];");
                _values.Add((name, size));
            }
            bool classes = OneIn(3);
            int outputSize = _random.Next(1, 4);
            string target = Name();
            Line(classes ? $"target {target} : int<{outputSize}>;" : $"target {target} : float[{outputSize}];");

            int statements = _random.Next(0, 4);
            for (int i = 0; i < statements; i++) WriteLet();

            string layer = Name();
            Line($"layer {layer} = dense({outputSize});");
            string output = Name();
            Line($"output {output} = {layer}({Vector()});");
            if (OneIn(3))
            {
                string second = Name();
                Line($"output {second} = {Pick(new[] { "relu", "tanh", "sigmoid", "softmax" })}({output});");
            }
            string loss = classes
                ? $"cross_entropy({output}, {target})"
                : $"{Pick(new[] { "mse", "mae", "bce_logits", "huber" })}({output}, {target})";
            if (OneIn(4)) loss += " + 0.001 * l2(params)";
            Line($"loss = {loss};");
            Line($"train {{ optimizer = sgd(lr: {LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}); }}");
            _text.Append("}\n");
        }

        private void WriteLet()
        {
            var (source, size) = Pick(_values);
            string name = Name();
            switch (_random.Next(4))
            {
                case 0:
                {
                    string layer = Name();
                    int units = _random.Next(1, 5);
                    Line($"layer {layer} = dense({units});");
                    Line($"let {name} = {Pick(new[] { "relu", "tanh", "sigmoid", "softplus" })}({layer}({source}));");
                    _values.Add((name, units));
                    return;
                }
                case 1:
                {
                    var (other, otherSize) = Pick(_values);
                    if (otherSize == size) Line($"let {name} = {source} {Pick(new[] { "+", "-", "*" })} {other};");
                    else Line($"let {name} = concat({source}, {other});");
                    _values.Add((name, otherSize == size ? size : size + otherSize));
                    return;
                }
                case 2:
                {
                    string param = Name();
                    Line($"param {param} : float[{size}] = normal(0, 0.1);");
                    Line($"let {name} = {source} * {param} + 0.5;");
                    _values.Add((name, size));
                    return;
                }
                default:
                    Line($"let {name} = {Pick(new[] { "exp", "square", "abs", "gelu", "mish" })}({source}) / 2;");
                    _values.Add((name, size));
                    return;
            }
        }

        private string Vector() => Pick(_values).Name;

        private void Line(string statement) => _text.Append("    ").Append(statement).Append('\n');
    }
}
