namespace ModelC.Onnx;

/// <summary>The ONNX versions ModelC writes and reads.</summary>
public static class OnnxFormat
{
    /// <summary>
    /// Opset 17: the first with LayerNormalization, and what ONNX 1.12 (Debian's python3-onnx)
    /// and PyTorch 1.13's exporter know.
    /// </summary>
    public const int Opset = 17;

    /// <summary>IR version 8 goes with opset 17 (ONNX 1.12).</summary>
    public const int IrVersion = 8;
}
