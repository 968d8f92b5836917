using System;
using System.Collections.Generic;
using ModelC.Compiler.Emit;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// One elementwise function: its forward value f(x) and its derivative f'(x), both as C#
    /// expressions over the float variables x (input) and y (the forward value, often cheaper
    /// to differentiate through). Constants (k, alpha) are baked into the expressions.
    /// </summary>
    public sealed record UnaryFunction(string Name, Func<string, string> Forward, Func<string, string, string> Derivative)
    {
        /// <summary>The function without its argument: "leaky_relu" for leaky_relu(0.1); the name itself for the parameterless ones.</summary>
        public string Kind { get; init; } = Name;

        /// <summary>The number a parameterized function was made with (slope, alpha, exponent, delta); null for the others.</summary>
        public double? Argument { get; init; }
    }

    /// <summary>The table of elementwise functions. Adding one here adds it to the language's ops.</summary>
    public static class UnaryFunctions
    {
        private const string Math = "global::System.MathF";
        private const string Scalar = "global::ModelC.Runtime.ScalarMath";

        public static readonly UnaryFunction Negate = new("neg", x => $"-{x}", (x, y) => "-1f");
        // Written so that NaN passes through, as torch.relu does: a NaN input must not look like a healthy zero.
        public static readonly UnaryFunction Relu = new("relu", x => $"({x} < 0f ? 0f : {x})", (x, y) => $"({x} > 0f ? 1f : 0f)");
        // Stable in both directions: exp of a non-positive number never overflows.
        public static readonly UnaryFunction Sigmoid = new("sigmoid", x => $"{Scalar}.Sigmoid({x})", (x, y) => $"{y} * (1f - {y})");
        public static readonly UnaryFunction Tanh = new("tanh", x => $"{Scalar}.Tanh({x})", (x, y) => $"(1f - {y} * {y})");
        // softplus(x) = max(x, 0) + log1p(exp(-|x|)); its derivative is sigmoid(x).
        public static readonly UnaryFunction Softplus = new("softplus", x => $"{Scalar}.Softplus({x})", (x, y) => $"{Scalar}.Sigmoid({x})");
        public static readonly UnaryFunction Mish = new("mish", x => $"{Scalar}.Mish({x})", (x, y) => $"{Scalar}.MishDerivative({x})");
        // The exact erf form, as torch.nn.functional.gelu with approximate='none'.
        public static readonly UnaryFunction Gelu = new("gelu", x => $"{Scalar}.Gelu({x})", (x, y) => $"{Scalar}.GeluDerivative({x})");
        public static readonly UnaryFunction Exp = new("exp", x => $"{Math}.Exp({x})", (x, y) => y);
        public static readonly UnaryFunction Log = new("log", x => $"{Math}.Log({x})", (x, y) => $"(1f / {x})");
        public static readonly UnaryFunction Sqrt = new("sqrt", x => $"{Math}.Sqrt({x})", (x, y) => $"(0.5f / {y})");
        public static readonly UnaryFunction Abs = new("abs", x => $"{Math}.Abs({x})", (x, y) => $"({x} > 0f ? 1f : {x} < 0f ? -1f : 0f)");
        public static readonly UnaryFunction Square = new("square", x => $"({x} * {x})", (x, y) => $"(2f * {x})");

        public static UnaryFunction LeakyRelu(double slope)
        {
            var a = EmitContext.Literal(slope);
            return new($"leaky_relu({slope.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
                x => $"({x} > 0f ? {x} : {a} * {x})", (x, y) => $"({x} > 0f ? 1f : {a})")
            { Kind = "leaky_relu", Argument = slope };
        }

        public static UnaryFunction Elu(double alpha)
        {
            var a = EmitContext.Literal(alpha);
            return new($"elu({alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
                x => $"({x} > 0f ? {x} : {a} * ({Math}.Exp({x}) - 1f))", (x, y) => $"({x} > 0f ? 1f : {y} + {a})")
            { Kind = "elu", Argument = alpha };
        }

        public static UnaryFunction Pow(double exponent)
        {
            var k = EmitContext.Literal(exponent);
            var km1 = EmitContext.Literal(exponent - 1);
            return new($"pow({exponent.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
                x => $"{Math}.Pow({x}, {k})", (x, y) => $"({k} * {Math}.Pow({x}, {km1}))")
            { Kind = "pow", Argument = exponent };
        }

        /// <summary>0.5 d^2 when |d| &lt;= delta, else delta (|d| - 0.5 delta).</summary>
        public static UnaryFunction Huber(double delta)
        {
            var dl = EmitContext.Literal(delta);
            return new($"huber({delta.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
                x => $"({Math}.Abs({x}) <= {dl} ? 0.5f * {x} * {x} : {dl} * ({Math}.Abs({x}) - 0.5f * {dl}))",
                (x, y) => $"({Math}.Abs({x}) <= {dl} ? {x} : ({x} > 0f ? {dl} : -{dl}))")
            { Kind = "huber", Argument = delta };
        }

        /// <summary>The parameterless functions callable by name in the language.</summary>
        public static readonly IReadOnlyDictionary<string, UnaryFunction> ByName = new Dictionary<string, UnaryFunction>
        {
            ["relu"] = Relu, ["sigmoid"] = Sigmoid, ["tanh"] = Tanh, ["softplus"] = Softplus, ["mish"] = Mish,
            ["gelu"] = Gelu, ["exp"] = Exp, ["log"] = Log, ["sqrt"] = Sqrt, ["abs"] = Abs, ["square"] = Square,
        };
    }

    /// <summary>y = f(x) elementwise.</summary>
    public sealed class UnaryNode : Node
    {
        public UnaryNode(UnaryFunction function, Node x, Dsl.Syntax.SourceSpan span)
            : base(x.Shape, x.IsBatched, new[] { x }, span)
        {
            Function = function;
        }

        public UnaryFunction Function { get; }
        public Node X => Inputs[0];
        public override string Describe() => Function.Name;

        private const string Kernels = "global::ModelC.Runtime.Kernels.";

        /// <summary>
        /// relu, gelu, sigmoid and tanh run as one vector kernel over the whole tensor when both sides
        /// are spans (ReluKernels, GeluKernels, SigmoidTanhKernels: the same bits as the scalar loop):
        /// the calls' forward and backward names, and whether the backward reads the forward values
        /// (sigmoid and tanh differentiate through y) rather than the inputs; null for the other functions.
        /// </summary>
        private (string Forward, string Backward, bool FromOutput)? Kernel(EmitContext c)
        {
            (string, string, bool)? kernel =
                ReferenceEquals(Function, UnaryFunctions.Relu) ? (Kernels + "ReluKernels.Forward", Kernels + "ReluKernels.Backward", false)
                : ReferenceEquals(Function, UnaryFunctions.Gelu) ? (Kernels + "GeluKernels.Forward", Kernels + "GeluKernels.Backward", false)
                : ReferenceEquals(Function, UnaryFunctions.Sigmoid) ? (Kernels + "SigmoidTanhKernels.SigmoidForward", Kernels + "SigmoidTanhKernels.SigmoidBackward", true)
                : ReferenceEquals(Function, UnaryFunctions.Tanh) ? (Kernels + "SigmoidTanhKernels.TanhForward", Kernels + "SigmoidTanhKernels.TanhBackward", true)
                : null;
            return kernel is not null && c.Region(X) is not null && c.Region(this) is not null ? kernel : null;
        }

        /// <summary>
        /// A batched gelu keeps gelu'(x) in its scratch during a training forward: the backward is then
        /// one multiply-add per element instead of a second erf and exponential (the same bits).
        /// </summary>
        private bool KeepsDerivative => ReferenceEquals(Function, UnaryFunctions.Gelu) && Storage == StorageKind.Batched && X.Storage == StorageKind.Batched;

        public override long ScratchSize => KeepsDerivative ? Shape.ElementCount : 0;

        // Only gelu's kernel takes the overwrite flag.
        public override bool CanOverwriteGradient(Node input, EmitContext c) =>
            ReferenceEquals(Function, UnaryFunctions.Gelu) && Kernel(c) is not null;

        public override void EmitForward(EmitContext c)
        {
            if (Kernel(c) is { } kernel)
            {
                if (KeepsDerivative && c.WantsGradient(X))
                {
                    c.Line("if (training)");
                    c.Line($"    {kernel.Forward}({c.Region(X)}, {c.Region(this)}, {c.ScratchRegion(this)});");
                    c.Line("else");
                    c.Line($"    {kernel.Forward}({c.Region(X)}, {c.Region(this)});");
                }
                else
                {
                    c.Line($"{kernel.Forward}({c.Region(X)}, {c.Region(this)});");
                }
                return;
            }
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Shape.Size}; i++)"))
            {
                c.Line($"float x = {c.Value(X, "i")};");
                c.Line($"{c.Value(this, "i")} = {Function.Forward("x")};");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            if (!c.WantsGradient(X)) return;
            if (Kernel(c) is { } kernel)
            {
                string overwrite = c.OverwritesGradient(this, X) ? ", overwrite: true" : "";
                if (KeepsDerivative)
                {
                    c.Line($"{Kernels}GeluKernels.BackwardFromDerivative({c.ScratchRegion(this)}, {c.Region(this, gradient: true)}, {c.Region(X, gradient: true)}{overwrite});");
                    return;
                }
                c.Line($"{kernel.Backward}({c.Region(kernel.FromOutput ? this : X)}, {c.Region(this, gradient: true)}, {c.Region(X, gradient: true)}{overwrite});");
                return;
            }
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Shape.Size}; i++)"))
            {
                var derivative = Function.Derivative("x", "y");
                if (EmitContext.Reads(derivative, "x")) c.Line($"float x = {c.Value(X, "i")};");
                if (EmitContext.Reads(derivative, "y")) c.Line($"float y = {c.Value(this, "i")};");
                c.Line($"{c.Gradient(X, "i")} += {c.Gradient(this, "i")} * {derivative};");
            }
        }
    }
}
