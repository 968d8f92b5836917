using System;
using System.IO;
using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using ModelC.Onnx;
using ModelC.Runtime;

namespace ModelC.Benchmarks;

/// <summary>
/// A model exported to ONNX (ModelC.Onnx, from the same instance and so the same weights) and run
/// in ONNX Runtime on preallocated tensors: inputs and outputs are OrtValues over pinned arrays,
/// the cheapest way the C# API offers to call a session repeatedly. Sequential execution with
/// <c>intraOpThreads</c> threads inside each op, every graph optimization on.
/// </summary>
internal sealed class OnnxRuntimeSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames, _outputNames;
    private readonly OrtValue[] _inputs, _outputs;

    public OnnxRuntimeSession(IModel model, string modelResource, int intraOpThreads, int batch, float[] input)
    {
        byte[] onnx = OnnxExport.ToBytes(model, ModelText(modelResource), modelResource);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(onnx, options);
        var x = model.Inputs[0];
        _inputNames = new[] { x.Name };
        _inputs = new[] { OrtValue.CreateTensorValueFromMemory(input, Dimensions(batch, x)) };
        _outputNames = new string[model.Outputs.Count];
        _outputs = new OrtValue[model.Outputs.Count];
        Outputs = new float[model.Outputs.Count][];
        for (int i = 0; i < _outputs.Length; i++)
        {
            var y = model.Outputs[i];
            _outputNames[i] = y.Name;
            Outputs[i] = new float[batch * y.Size];
            _outputs[i] = OrtValue.CreateTensorValueFromMemory(Outputs[i], Dimensions(batch, y));
        }
    }

    /// <summary>The outputs of the last <see cref="Run"/>, in the model's output order.</summary>
    public float[][] Outputs { get; }

    public void Run() => _session.Run(_run, _inputNames, _inputs, _outputNames, _outputs);

    public void Dispose()
    {
        foreach (var value in _inputs) value.Dispose();
        foreach (var value in _outputs) value.Dispose();
        _run.Dispose();
        _session.Dispose();
    }

    private static long[] Dimensions(int batch, TensorInfo info)
    {
        var dims = new long[info.Shape.Length + 1];
        dims[0] = batch;
        for (int i = 0; i < info.Shape.Length; i++) dims[i + 1] = info.Shape[i];
        return dims;
    }

    /// <summary>The text of a .model file embedded in this assembly (the benchmark's own models).</summary>
    private static string ModelText(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the benchmarks");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
