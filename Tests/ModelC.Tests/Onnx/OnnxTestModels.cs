using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Onnx
{
    /// <summary>Compiles .model text in memory, runs ONNX files in ONNX Runtime and compares the two.</summary>
    internal static class OnnxTestModels
    {
        /// <summary>The tolerance the exporter promises: the largest difference over the output's largest magnitude.</summary>
        public const double Tolerance = 1e-5;

        /// <summary>Moves batchnorm's running statistics away from 0 and 1, so that using them is visible.</summary>
        public static void PerturbBuffers(IModel model, int seed)
        {
            var random = new ModelRandom(seed);
            foreach (var info in model.BufferInfos)
            {
                var values = model.Buffers.Slice(info.Offset, info.Length);
                bool variance = info.Name.EndsWith("running_var", StringComparison.Ordinal);
                for (int i = 0; i < values.Length; i++)
                    values[i] = variance ? 0.5f + random.NextFloat() : 0.2f * random.NextNormal();
            }
        }

        /// <summary>Random inputs for a batch: normal floats, class ids spread over [0, N).</summary>
        public static ModelData RandomInputs(IModel model, int batch, int seed)
        {
            var random = new ModelRandom(seed);
            var data = new ModelData();
            foreach (var input in model.Inputs)
            {
                if (input.Kind == TensorKind.Int)
                    data.Set(input.Name, Enumerable.Range(0, batch * input.Size).Select(_ => (int)(random.NextFloat() * input.Classes) % input.Classes).ToArray());
                else
                    data.Set(input.Name, Enumerable.Range(0, batch * input.Size).Select(_ => random.NextNormal()).ToArray());
            }
            return data;
        }

        /// <summary>The generated inference Forward's outputs on <paramref name="inputs"/>.</summary>
        public static Dictionary<string, float[]> Forward(IModel model, ModelData inputs, int batch)
        {
            var data = new ModelData();
            foreach (var name in inputs.Names)
            {
                if (inputs.KindOf(name) == TensorKind.Int) data.Set(name, inputs.Ints(name).ToArray());
                else data.Set(name, inputs.Floats(name).ToArray());
            }
            var outputs = model.Outputs.ToDictionary(o => o.Name, o => new float[batch * o.Size]);
            foreach (var (name, values) in outputs) data.Set(name, values);
            model.Forward(data, training: false);
            return outputs;
        }

        /// <summary>Runs an ONNX file in ONNX Runtime; int inputs go in as int64, as PyTorch's exports take them.</summary>
        public static Dictionary<string, float[]> RunOnnx(byte[] onnx, ModelData inputs, IReadOnlyList<TensorInfo> inputInfos, int batch)
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            using var session = new InferenceSession(onnx, options);
            var feeds = new List<NamedOnnxValue>();
            foreach (var info in inputInfos)
            {
                int[] dims = new[] { batch }.Concat(info.Shape).ToArray();
                feeds.Add(info.Kind == TensorKind.Int
                    ? NamedOnnxValue.CreateFromTensor(info.Name, new DenseTensor<long>(inputs.Ints(info.Name).ToArray().Select(v => (long)v).ToArray(), dims))
                    : NamedOnnxValue.CreateFromTensor(info.Name, new DenseTensor<float>(inputs.Floats(info.Name).ToArray(), dims)));
            }
            using var results = session.Run(feeds);
            return results.ToDictionary(r => r.Name, r => r.AsEnumerable<float>().ToArray());
        }

        /// <summary>max |actual - expected| / max |expected| (the plain difference when expected is all zeros).</summary>
        public static double RelativeDifference(float[] expected, float[] actual)
        {
            Assert.Equal(expected.Length, actual.Length);
            double worst = 0, scale = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                if (float.IsNaN(expected[i]) || float.IsNaN(actual[i])) return double.PositiveInfinity;
                worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
                scale = Math.Max(scale, Math.Abs((double)expected[i]));
            }
            return scale == 0 ? worst : worst / scale;
        }

        public static void AssertClose(IReadOnlyDictionary<string, float[]> expected, IReadOnlyDictionary<string, float[]> actual, string what)
        {
            Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
            foreach (var (name, values) in expected)
            {
                double difference = RelativeDifference(values, actual[name]);
                Assert.True(difference <= Tolerance, $"{what}: output '{name}' differs by {difference:E2} relative (limit {Tolerance:E0})");
            }
        }
    }
}
