using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Ir;
using static ModelC.Compiler.Emit.CSharpNames;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// The one place where a model's own names become C# identifiers: its namespace and class, the
    /// size constants, and the arguments of the typed API. Collisions are impossible by construction:
    /// <list type="bullet">
    /// <item>every member the emitter declares is listed in <see cref="IsGeneratedMember"/>, and so are
    /// the locals of the typed API's bodies (<see cref="BodyNames"/>);</item>
    /// <item>a user-derived identifier that would equal one of those, or another user-derived
    /// identifier, gets a fresh one instead (Optimizer -> Optimizer_, a second XSize -> XSize_);</item>
    /// <item>so a body that names a member or local by its simple name always reaches it, never a
    /// model's argument of the same name (a target named _gradients cannot hide the field).</item>
    /// </list>
    /// Names that need no change keep it, so the common model reads as written.
    /// </summary>
    public sealed class ModelNames
    {
        /// <summary>
        /// Every member of a generated class the emitter names itself (beside the user-derived size
        /// constants and the constructor). Adding a member to the emitter means adding it here; a
        /// test compares this list with the members of compiled models.
        /// </summary>
        public static readonly IReadOnlyCollection<string> GeneratedMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            // constants
            "ParameterCount", "BufferCount", "Summary", "ActivationsPerExample", "IntegersPerExample", "GlobalCount",
            // storage
            "_parameters", "_gradients", "_globals", "_globalGradients", "_activations", "_activationGradients", "_integers",
            "_buffers", "_capacity", "_trainedBatch", "_random", "_discardedOutput", "_packedWeights", "_parameterVersion",
            "s_parameterInfos", "s_bufferInfos", "s_inputs", "s_targets", "s_outputs", "s_trainingDefaults",
            // public API
            "Random", "Optimizer", "CreateOptimizer", "Initialize", "Parameters", "ReusePackedWeights", "Gradients", "ParameterInfos", "TrainingDefaults",
            "Buffers", "BufferInfos", "Forward", "ForwardTrain", "Backward", "ForwardBackward", "Loss", "TrainStep",
            // helpers and passes
            "EnsureCapacity", "ClearGradients", "DiscardedOutput",
            "RunForward", "RunLoss", "BackwardFromLoss", "BackwardLossPart", "BackwardFromOutputs",
        };

        /// <summary>
        /// What the bodies of the typed API (Forward, Backward, Loss, ...) name by a simple name besides
        /// members: their locals. A using alias they read would belong here too, unless it is written
        /// Alias::Name, which no argument can hide.
        /// </summary>
        public static readonly IReadOnlyCollection<string> BodyNames = new HashSet<string>(StringComparer.Ordinal) { "batch_", "loss_", "output_" };

        /// <summary>A generated member: a listed one, or a part of a pass too long for one method (RunForwardPart2).</summary>
        public static bool IsGeneratedMember(string identifier)
        {
            if (GeneratedMembers.Contains(identifier)) return true;
            int part = identifier.LastIndexOf("Part", StringComparison.Ordinal);
            return part > 0
                && part + 4 < identifier.Length
                && identifier.Skip(part + 4).All(c => c >= '0' && c <= '9')
                && GeneratedMembers.Contains(identifier.Substring(0, part));
        }

        private readonly Dictionary<string, string> _sizeConstants = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _gradientArguments = new Dictionary<string, string>(StringComparer.Ordinal);

        private ModelNames(ModelGraph graph, string className)
        {
            Namespace = graph.Namespace is string ns && CSharpNames.Namespace(ns) is { Length: > 0 } escaped ? escaped : null;
            ClassName = className;

            // Members: the listed ones, then the class (a member may not share its name), then the
            // size constants (which may share neither).
            var members = new Scope(IsGeneratedMember);
            members.Take(className);
            var data = graph.Inputs.Concat(graph.Targets).Select(d => d.Name!).Concat(graph.Outputs.Select(o => o.Name)).ToList();
            Assign(members, data, name => Identifier(Pascal(name) + "Size"), _sizeConstants);

            // Arguments: one scope for every typed method, so a name is the same argument in all of
            // them; no argument may hide a member (the size constants included) or a local of the bodies.
            var sizeConstants = new HashSet<string>(_sizeConstants.Values.Select(Unescaped), StringComparer.Ordinal);
            var arguments = new Scope(name => IsGeneratedMember(name) || sizeConstants.Contains(name) || BodyNames.Contains(name) || UsingAliases.Names.Contains(name));
            Assign(arguments, data, Identifier, _arguments);
            var gradients = graph.Outputs.Select(o => o.Name).Concat(graph.Inputs.Where(i => !i.IsInteger).Select(i => i.Name!)).ToList();
            Assign(arguments, gradients, name => Identifier(name + "Grad"), _gradientArguments);
        }

        /// <summary>The names of a model compiled on its own.</summary>
        public static ModelNames For(ModelGraph graph) => ForFile(new[] { graph })[0];

        /// <summary>
        /// The names of the models of one file, which share a namespace: a class whose name every model
        /// has as a member gets "Model" after it (Summary -> SummaryModel), and never one another model's class has.
        /// </summary>
        public static IReadOnlyList<ModelNames> ForFile(IReadOnlyList<ModelGraph> graphs)
        {
            // A class may not take an alias the file declares in its namespace (CS0576).
            var classes = new Scope(name => IsGeneratedMember(name) || UsingAliases.Names.Contains(name));
            var natural = graphs.Select(g => classes.Take(Identifier(g.Name))).ToList();
            return graphs.Select((g, i) =>
            {
                string modelClassName = Identifier(g.Name + "Model");
                return new ModelNames(g, natural[i] ?? classes.Take(modelClassName) ?? classes.Fresh(modelClassName));
            }).ToList();
        }

        /// <summary>The C# namespace (parts escaped), or null for the global namespace.</summary>
        public string? Namespace { get; }

        /// <summary>The model's name, escaped; with "Model" after it when it is a member's name (Summary -> SummaryModel).</summary>
        public string ClassName { get; }

        /// <summary>The per-example size constant of an input, target or output (x -> XSize).</summary>
        public string SizeConstant(string name) => _sizeConstants[name];

        /// <summary>The typed API's argument for an input, target or output (out -> @out).</summary>
        public string Argument(string name) => _arguments[name];

        /// <summary>The typed API's gradient argument for an output or float input (logits -> logitsGrad).</summary>
        public string GradientArgument(string name) => _gradientArguments[name];

        /// <summary>
        /// Names that are free keep their natural identifier; the rest, in declaration order, get
        /// fresh ones after every natural one is claimed, so a mangled name never displaces a plain one.
        /// </summary>
        private static void Assign(Scope scope, IReadOnlyList<string> names, Func<string, string> natural, Dictionary<string, string> into)
        {
            var clashing = new List<string>();
            foreach (var name in names)
            {
                if (scope.Take(natural(name)) is string taken) into[name] = taken;
                else clashing.Add(name);
            }
            foreach (var name in clashing)
                into[name] = scope.Fresh(natural(name));
        }

        /// <summary>Identifiers handed out in one C# scope, and the ones reserved for generated code.</summary>
        private sealed class Scope
        {
            private readonly Func<string, bool> _reserved;
            private readonly HashSet<string> _taken = new HashSet<string>(StringComparer.Ordinal);

            public Scope(Func<string, bool> reserved) { _reserved = reserved; }

            public bool Contains(string identifier) => _taken.Contains(Unescaped(identifier)) || _reserved(Unescaped(identifier));

            /// <summary>Claims the identifier if it is free; null when it is not.</summary>
            public string? Take(string identifier)
            {
                if (Contains(identifier)) return null;
                _taken.Add(Unescaped(identifier));
                return identifier;
            }

            /// <summary>The identifier with '_' (then '_2', '_3', ...) after it until it is free; it stays within C#'s length limit.</summary>
            public string Fresh(string identifier)
            {
                string stem = Unescaped(identifier);
                for (int attempt = 1; ; attempt++)
                {
                    string suffix = attempt == 1 ? "_" : "_" + Int(attempt);
                    string candidate = stem.Length + suffix.Length > MaxIdentifierLength
                        ? stem.Substring(0, MaxIdentifierLength - suffix.Length) + suffix
                        : stem + suffix;
                    if (Take(candidate) is string taken) return taken;
                }
            }
        }

        // @x and x are the same identifier to C#.
        private static string Unescaped(string identifier) => identifier.StartsWith("@", StringComparison.Ordinal) ? identifier.Substring(1) : identifier;
    }
}
