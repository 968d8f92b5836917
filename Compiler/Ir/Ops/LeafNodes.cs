using System;
using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    public enum DataRole { Input, Target }

    /// <summary>
    /// Data given by the caller per example: an input or a target, float or class ids.
    /// The generated code copies it into the arena so Backward can still read it after the call returns.
    /// </summary>
    public sealed class DataNode : Node
    {
        public DataNode(string name, DataRole role, Shape shape, int classes, SourceSpan span)
            : base(shape, batched: true, Array.Empty<Node>(), span)
        {
            Name = name;
            Role = role;
            Classes = classes;
        }

        public DataRole Role { get; }
        /// <summary>N of int&lt;N&gt;; 0 for float data.</summary>
        public int Classes { get; }
        public bool IsInteger => Classes > 0;
        public override StorageKind Storage => IsInteger ? StorageKind.Int : StorageKind.Batched;
        public override bool IsLeaf => true;
        public override string Describe() => $"{(Role == DataRole.Input ? "input" : "target")} {Name}";
        public override void EmitForward(EmitContext c) { }
        public override void EmitBackward(EmitContext c) { }
    }

    /// <summary>How a parameter's initial values are drawn (SPEC section 3).</summary>
    public sealed record Initializer(string Kind, double A = 0, double B = 0)
    {
        public static Initializer Zeros => new Initializer("zeros");
        public static Initializer Ones => new Initializer("ones");
        public static Initializer Normal(double mean, double std) => new Initializer("normal", mean, std);
        public static Initializer Uniform(double low, double high) => new Initializer("uniform", low, high);
        public static Initializer Xavier => new Initializer("xavier");
        public static Initializer He => new Initializer("he");

        /// <summary>PyTorch's default for dense and conv: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
        public static Initializer FanInUniform(int fanIn) => Uniform(-1.0 / Math.Sqrt(fanIn), 1.0 / Math.Sqrt(fanIn));
    }

    /// <summary>A trainable tensor: a layer's weight or bias, or a raw `param`.</summary>
    public sealed class ParameterNode : Node
    {
        public ParameterNode(string name, Shape shape, Initializer initializer, int fanIn, int fanOut, SourceSpan span)
            : base(shape, batched: false, Array.Empty<Node>(), span)
        {
            Name = name;
            Initializer = initializer;
            FanIn = fanIn;
            FanOut = fanOut;
        }

        public Initializer Initializer { get; }
        public int FanIn { get; }
        public int FanOut { get; }
        public override StorageKind Storage => StorageKind.Parameter;
        public override bool IsLeaf => true;
        public override string Describe() => $"parameter {Name}";
        public override void EmitForward(EmitContext c) { }
        public override void EmitBackward(EmitContext c) { }
    }

    /// <summary>A number written in the model; emitted as a literal.</summary>
    public sealed class ConstantNode : Node
    {
        public ConstantNode(double value, SourceSpan span) : base(Shape.Scalar, batched: false, Array.Empty<Node>(), span)
        {
            Value = value;
        }

        public double Value { get; }
        public override StorageKind Storage => StorageKind.Constant;
        public override bool IsLeaf => true;
        public override string Describe() => EmitContext.Literal(Value);
        public override void EmitForward(EmitContext c) { }
        public override void EmitBackward(EmitContext c) { }
    }
}
