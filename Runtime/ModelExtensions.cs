using System;
using System.Linq;
using ModelC.Runtime.Data;

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

        /// <summary>
        /// Runs the model in inference mode on <paramref name="inputs"/> (bound by input name) and
        /// returns the outputs named in <paramref name="outputs"/>, or every output when none is
        /// named, in new arrays. Allocates; for a serving loop call <see cref="IModel.Forward"/> with
        /// reused buffers instead.
        /// </summary>
        /// <exception cref="ArgumentException">An input is missing or has the wrong length, or an output name is unknown.</exception>
        public static ModelData Predict(this IModel model, ModelData inputs, params string[] outputs)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(inputs);
            ArgumentNullException.ThrowIfNull(outputs);
            TensorInfo first = model.Inputs[0];
            int length = inputs.KindOf(first.Name) == TensorKind.Float ? inputs.Floats(first.Name).Length : inputs.Ints(first.Name).Length;
            int batch = length / Math.Max(first.Size, 1);
            var data = new ModelData();
            foreach (TensorInfo input in model.Inputs)
            {
                if (inputs.KindOf(input.Name) == TensorKind.Float)
                {
                    data.Set(input.Name, inputs.Floats(input.Name).ToArray());
                }
                else
                {
                    data.Set(input.Name, inputs.Ints(input.Name).ToArray());
                }
            }

            var result = new ModelData();
            foreach (TensorInfo output in outputs.Length == 0 ? model.Outputs : outputs.Select(name => OutputNamed(model, name)))
            {
                var values = new float[batch * output.Size];
                data.Set(output.Name, values);
                result.Set(output.Name, values);
            }

            model.Forward(data, training: false);
            return result;
        }

        /// <summary>
        /// <see cref="Predict(IModel, ModelData, string[])"/> after scaling the input that
        /// <paramref name="standardizer"/> was fitted on, as it was scaled in training: pass the one
        /// saved with the weights (<see cref="Weights.WeightsMetadata.Standardizer"/>). The caller's
        /// values are left alone.
        /// </summary>
        public static ModelData Predict(this IModel model, ModelData inputs, Standardizer? standardizer, params string[] outputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            if (standardizer is null)
            {
                return model.Predict(inputs, outputs);
            }

            var scaled = new ModelData();
            foreach (string name in inputs.Names)
            {
                if (inputs.KindOf(name) == TensorKind.Float)
                {
                    float[] values = inputs.Floats(name).ToArray();
                    if (name == standardizer.ColumnName)
                    {
                        standardizer.Transform(values);
                    }

                    scaled.Set(name, values);
                }
                else
                {
                    scaled.Set(name, inputs.Ints(name).ToArray());
                }
            }

            if (!scaled.Contains(standardizer.ColumnName))
            {
                throw new ArgumentException($"The standardizer scales input '{standardizer.ColumnName}', which the inputs do not bind.", nameof(inputs));
            }

            return model.Predict(scaled, outputs);
        }

        private static TensorInfo OutputNamed(IModel model, string name) =>
            model.Outputs.FirstOrDefault(o => o.Name == name)
            ?? throw new ArgumentException(
                $"model '{model.Name}' has no output '{name}'; it has: {string.Join(", ", model.Outputs.Select(o => o.Name))}", nameof(name));
    }
}
