using System;
using System.Linq;

namespace ModelC.Runtime
{
    /// <summary>Conveniences over any generated model.</summary>
    public static class ModelExtensions
    {
        /// <summary>The slice of the flat parameter vector that holds one parameter, by its name ("fc1.weight").</summary>
        public static Span<float> Parameter(this IModel model, string name)
        {
            ArgumentNullException.ThrowIfNull(model);
            var info = model.ParameterInfos.FirstOrDefault(p => p.Name == name)
                ?? throw new ArgumentException(
                    $"model '{model.Name}' has no parameter '{name}'; it has: {string.Join(", ", model.ParameterInfos.Select(p => p.Name))}", nameof(name));
            return model.Parameters.Slice(info.Offset, info.Length);
        }
    }
}
