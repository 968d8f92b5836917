using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ModelC.Generators
{
    /// <summary>
    /// Hands out hint names that Roslyn accepts and that never repeat: two models with the same
    /// name in different files would otherwise make AddSource throw and take down every output.
    /// </summary>
    internal sealed class UniqueHintNames
    {
        private const string Suffix = ".g.cs";

        // Roslyn compares hint names without regard to case.
        private readonly HashSet<string> _claimed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public string Claim(string requested, string modelPath)
        {
            string stem = Sanitize(StripSuffix(requested));
            if (stem.Length == 0)
                stem = Sanitize(Path.GetFileNameWithoutExtension(modelPath));
            if (stem.Length == 0)
                stem = "Model";

            string candidate = stem + Suffix;
            if (_claimed.Add(candidate))
                return candidate;

            string fileStem = Sanitize(Path.GetFileNameWithoutExtension(modelPath));
            for (int attempt = 2; ; attempt++)
            {
                candidate = $"{stem}.{fileStem}{(attempt == 2 ? "" : "." + attempt)}{Suffix}";
                if (_claimed.Add(candidate))
                    return candidate;
            }
        }

        private static string StripSuffix(string hintName)
        {
            if (hintName.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase))
                return hintName.Substring(0, hintName.Length - Suffix.Length);
            if (hintName.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
                return hintName.Substring(0, hintName.Length - 3);
            return hintName;
        }

        private static string Sanitize(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (char c in name)
                builder.Append(char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.' ? c : '_');
            return builder.ToString().Trim('.');
        }
    }
}
