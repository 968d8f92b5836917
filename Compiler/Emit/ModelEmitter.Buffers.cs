using System.Linq;
using ModelC.Compiler.Ir;
using static ModelC.Compiler.Emit.CSharpNames;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// Buffers: state saved with the weights but never trained (batchnorm's running statistics).
    /// A model without any emits none of this, and IModel's defaults report no buffers.
    /// </summary>
    public sealed partial class ModelEmitter
    {
        private bool HasBuffers => _graph.Buffers.Count > 0;

        private void EmitBufferConstant()
        {
            if (HasBuffers) _w.Line($"public const int BufferCount = {_plan.BufferCount};");
        }

        private void EmitBufferFields()
        {
            if (!HasBuffers) return;
            _w.Line("private readonly float[] _buffers = new float[BufferCount];");
            _w.Line($"private static readonly {Runtime}.ParameterInfo[] s_bufferInfos =");
            _w.Line("{");
            _w.Indent();
            foreach (var b in _graph.Buffers)
                _w.Line($"new {Runtime}.ParameterInfo({Quote(b.Name!)}, {b.Shape.ToCSharpArray()}, {_plan.Offset(b)}, {b.Shape.Size}),");
            _w.Unindent();
            _w.Line("};");
        }

        private void EmitBufferProperties()
        {
            if (!HasBuffers) return;
            _w.Line("/// <summary>State saved with the weights but not trained (running statistics), flat, in declaration order.</summary>");
            _w.Line("public global::System.Span<float> Buffers => _buffers;");
            _w.Line($"public global::System.Collections.Generic.IReadOnlyList<{Runtime}.ParameterInfo> BufferInfos => s_bufferInfos;");
        }

        private void EmitBufferInitialization()
        {
            foreach (var b in _graph.Buffers)
            {
                var span = $"global::System.MemoryExtensions.AsSpan(_buffers, {_plan.Offset(b)}, {b.Shape.Size})";
                _w.Line(b.InitialValue == 0f
                    ? $"{span}.Clear(); // {b.Name} {b.Shape}: zeros"
                    : $"{span}.Fill({EmitContext.Literal(b.InitialValue)}); // {b.Name} {b.Shape}: {EmitContext.Literal(b.InitialValue)}");
            }
        }
    }
}
