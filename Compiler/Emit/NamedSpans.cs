using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ModelC.Compiler.Ir;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// Names for the arena regions kernels take, so a pass reads like llm.c: each part of a pass
    /// opens with one line per region it uses (<c>Span&lt;float&gt; H1 = _activations.AsSpan(912 * batch, batch * 128);
    /// // [batch, 128] fashion.model(12)</c>) and its steps call
    /// <c>DenseKernels.Multiply(H1Grad, ...)</c>.
    /// </summary>
    /// <remarks>
    /// A region has one name for the whole model, so both variants of a step and every part agree;
    /// a view and its input share one region, so they share the name. Names are the value's own name
    /// (a let, an output, a parameter), its layer's or its op's, in PascalCase, which no local of an op's code
    /// takes (those are lower case), with a counter per stem for repeats (Dense, Dense2, ...); a name
    /// that would be a member, a size constant or a using alias gets the next count, or Stem_N where
    /// every count would be one (an input named RunForwardPart1).
    /// </remarks>
    public sealed class NamedSpans
    {
        private readonly Func<string, bool> _reserved;
        private readonly Dictionary<string, Declaration> _byRegion = new Dictionary<string, Declaration>(StringComparer.Ordinal);
        private readonly HashSet<string> _taken = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _nextCount = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<Declaration> _usedByStep = new List<Declaration>();

        public NamedSpans(Func<string, bool> reserved) { _reserved = reserved; }

        public sealed class Declaration
        {
            public Declaration(string name, string region, string comment) { Name = name; Region = region; Comment = comment; }
            public string Name { get; }
            /// <summary>The span expression the name stands for.</summary>
            public string Region { get; }
            public string Comment { get; }
        }

        /// <summary>The name of a region (given a new one on its first use), recorded as used by the current step.</summary>
        public string Name(string region, Node node, string role, string fileName)
        {
            if (!_byRegion.TryGetValue(region, out var declaration))
            {
                string shape = node.IsBatched ? (node.Shape.Rank == 0 ? "[batch]" : "[batch, " + node.Shape.ToString().Substring(1)) : node.Shape.ToString();
                string comment = role.StartsWith("Scratch", StringComparison.Ordinal) ? $"{node.Describe()}'s scratch" : $"{shape} {fileName}({node.Span.Line})";
                declaration = new Declaration(Fresh(Stem(node) + role), region, comment);
                _byRegion[region] = declaration;
            }
            if (!_usedByStep.Contains(declaration)) _usedByStep.Add(declaration);
            return declaration.Name;
        }

        /// <summary>The regions the steps rendered since the last call used, in order of first use.</summary>
        public List<Declaration> TakeUsed()
        {
            var used = new List<Declaration>(_usedByStep);
            _usedByStep.Clear();
            return used;
        }

        private static string Stem(Node node)
        {
            // An unnamed layer output is named after its layer (fc1.weight -> Fc1), any other after its op.
            string? layer = node.Inputs.OfType<ParameterNode>().Select(p => p.Name).FirstOrDefault(n => n is not null && n.Contains('.'));
            string name = node.Name ?? (layer is not null ? layer.Substring(0, layer.LastIndexOf('.')) : node.Describe().Split(' ', '(')[0]);
            var builder = new StringBuilder();
            foreach (var part in name.Split(new[] { '.', '_', '-', '>' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var letters = new string(part.Where(c => c < 128 && char.IsLetterOrDigit(c)).ToArray());
                if (letters.Length > 0) builder.Append(char.ToUpperInvariant(letters[0])).Append(letters.Substring(1));
            }
            if (builder.Length == 0 || char.IsDigit(builder[0])) builder.Insert(0, 'V');
            // Long names keep their head: the counter keeps them apart.
            return builder.Length > 48 ? builder.ToString(0, 48) : builder.ToString();
        }

        private string Fresh(string stem)
        {
            if (Take(stem)) return stem;
            for (int count = _nextCount.TryGetValue(stem, out int next) ? next : 2; ; count++)
            {
                // Stem2 reads best, but can stay reserved for ever (RunForwardPart2, ...); Stem_2 never is.
                string number = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string candidate = Take(stem + number) ? stem + number : Take(stem + "_" + number) ? stem + "_" + number : "";
                if (candidate.Length == 0) continue;
                _nextCount[stem] = count + 1;
                return candidate;
            }
        }

        private bool Take(string candidate) => !_reserved(candidate) && _taken.Add(candidate);
    }
}
