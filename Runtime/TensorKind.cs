namespace ModelC.Runtime;

/// <summary>The element type of a model input, target or output.</summary>
public enum TensorKind
{
    /// <summary><c>float[...]</c>: float32 values.</summary>
    Float,

    /// <summary><c>int&lt;N&gt;</c> or <c>int&lt;N&gt;[T]</c>: integers in [0, N).</summary>
    Int,
}
