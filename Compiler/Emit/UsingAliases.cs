using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// Short names for what generated passes call most: the runtime's kernel classes, ModelArguments, ScalarMath,
    /// MathF and the MethodImpl attribute, as using aliases inside the model's namespace, and
    /// MemoryExtensions as a using static (so <c>_activations.AsSpan(912 * batch, batch * 128)</c>).
    /// The emitter and the ops write fully qualified <c>global::</c> names, which can never mean
    /// anything else; <see cref="Apply"/> shortens the listed ones afterwards, in one place.
    /// </summary>
    /// <remarks>
    /// An alias conflicts (CS0576) with a type of the same name in the namespace, and a parameter of
    /// that name would hide it: <see cref="ModelNames"/> gives neither a model's class nor an
    /// argument one of <see cref="Names"/>. A type of the user's own in the model's namespace must
    /// not take one of these names either; README lists them.
    /// </remarks>
    public static class UsingAliases
    {
        private const string KernelNamespace = "global::ModelC.Runtime.Kernels.";

        /// <summary>The runtime's kernel classes that generated code calls.</summary>
        private static readonly string[] KernelClasses =
        {
            "ActivationKernels", "AttentionKernels", "Conv2dGeometry", "ConvKernels", "DenseKernels", "DropoutKernels", "GruKernels",
            "LayerNormKernels", "LstmKernels", "PoolKernels", "ReluKernels", "RnnKernels", "VectorKernels", "VectorMatrixKernels",
        };

        /// <summary>An alias, the fully qualified type it stands for, and its two patterns, built once.</summary>
        private sealed class Alias
        {
            public Alias(string name, string target)
            {
                Name = name;
                Target = target;
                Qualified = new Regex(Regex.Escape(target) + "(?![A-Za-z0-9_])", RegexOptions.CultureInvariant);
                Used = new Regex(@"(?<![A-Za-z0-9_.:])" + name + @"[.(]", RegexOptions.CultureInvariant);
            }

            public string Name { get; }
            public string Target { get; }
            /// <summary>The qualified name where the alias can replace it.</summary>
            public Regex Qualified { get; }
            /// <summary>The alias where code reads it.</summary>
            public Regex Used { get; }
        }

        private static readonly IReadOnlyList<Alias> Targets =
            KernelClasses.Select(k => new Alias(k, KernelNamespace + k))
                .Concat(new[]
                {
                    new Alias("ModelArguments", "global::ModelC.Runtime.ModelArguments"),
                    new Alias("ScalarMath", "global::ModelC.Runtime.ScalarMath"),
                    new Alias("MathF", "global::System.MathF"),
                    new Alias("MethodImpl", "global::System.Runtime.CompilerServices.MethodImplAttribute"),
                    new Alias("MethodImplOptions", "global::System.Runtime.CompilerServices.MethodImplOptions"),
                })
                .ToList();

        /// <summary>Every alias a generated file may declare.</summary>
        public static readonly IReadOnlyCollection<string> Names = new HashSet<string>(Targets.Select(t => t.Name), StringComparer.Ordinal);

        // global::System.MemoryExtensions.AsSpan(_activations, ...) -> _activations.AsSpan(...)
        private static readonly Regex AsSpanCall = new Regex(@"global::System\.MemoryExtensions\.AsSpan\((_?[A-Za-z][A-Za-z0-9_]*), ", RegexOptions.CultureInvariant);
        private const string AsSpanImport = "using static global::System.MemoryExtensions;";

        /// <summary>
        /// The class source with the listed names shortened, and the directives it then needs (only
        /// those it uses), to be written inside the namespace before the class.
        /// </summary>
        public static string Apply(string classSource, out IReadOnlyList<string> directives)
        {
            var used = new List<string>();
            string text = AsSpanCall.Replace(classSource, m => m.Groups[1].Value + ".AsSpan(");
            if (text.Contains(".AsSpan(")) used.Add(AsSpanImport);
            // An attribute is written without its Attribute suffix.
            text = text.Replace("[global::System.Runtime.CompilerServices.MethodImpl(", "[MethodImpl(");
            foreach (var alias in Targets)
            {
                text = alias.Qualified.Replace(text, alias.Name);
                if (alias.Used.IsMatch(text)) used.Add($"using {alias.Name} = {alias.Target};");
            }
            directives = used;
            return text;
        }
    }
}
