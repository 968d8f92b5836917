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

        /// <summary>Alias -> the fully qualified type it stands for.</summary>
        private static readonly IReadOnlyList<KeyValuePair<string, string>> Targets =
            KernelClasses.Select(k => new KeyValuePair<string, string>(k, KernelNamespace + k))
                .Concat(new[]
                {
                    new KeyValuePair<string, string>("ModelArguments", "global::ModelC.Runtime.ModelArguments"),
                    new KeyValuePair<string, string>("ScalarMath", "global::ModelC.Runtime.ScalarMath"),
                    new KeyValuePair<string, string>("MathF", "global::System.MathF"),
                    new KeyValuePair<string, string>("MethodImpl", "global::System.Runtime.CompilerServices.MethodImplAttribute"),
                    new KeyValuePair<string, string>("MethodImplOptions", "global::System.Runtime.CompilerServices.MethodImplOptions"),
                })
                .ToList();

        /// <summary>Every alias a generated file may declare.</summary>
        public static readonly IReadOnlyCollection<string> Names = new HashSet<string>(Targets.Select(t => t.Key), StringComparer.Ordinal);

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
            foreach (var target in Targets)
            {
                text = Regex.Replace(text, Regex.Escape(target.Value) + "(?![A-Za-z0-9_])", target.Key, RegexOptions.CultureInvariant);
                if (Regex.IsMatch(text, @"(?<![A-Za-z0-9_.:])" + target.Key + @"[.(]", RegexOptions.CultureInvariant))
                    used.Add($"using {target.Key} = {target.Value};");
            }
            directives = used;
            return text;
        }
    }
}
