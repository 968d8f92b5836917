using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// A layer declared with `layer name = kind(...)`. Its parameters are created by its first call,
    /// because their shapes depend on the input (dense infers its in-features); later calls share them.
    /// Layers lower to IR nodes; they add no gradient code of their own.
    /// </summary>
    public abstract class Layer
    {
        protected Layer(string name, string kind, int order)
        {
            Name = name;
            Kind = kind;
            Order = order;
        }

        public string Name { get; }
        public string Kind { get; }
        /// <summary>Declaration index; parameters are laid out in this order.</summary>
        public int Order { get; }
        public bool IsUsed { get; protected set; }
        /// <summary>Called at least once, even if every call failed (then its errors are already reported).</summary>
        public bool IsAttempted { get; private set; }
        public void MarkAttempted() => IsAttempted = true;
        public Shape? FirstInputShape { get; protected set; }
        public Shape? OutputShape { get; protected set; }
        public List<ParameterNode> Parameters { get; } = new List<ParameterNode>();
        /// <summary>True when the layer acts on class ids (int&lt;N&gt; data) rather than on floats.</summary>
        public virtual bool TakesClassIds => false;

        public ParameterNode? Member(string name) => Parameters.FirstOrDefault(p => p.Name == Name + "." + name);
        public virtual IEnumerable<string> MemberNames => Parameters.Select(p => p.Name!.Substring(Name.Length + 1));

        /// <summary>Applies the layer to x. inputText names x in messages ("h1").</summary>
        public abstract Node Apply(Binder binder, Node x, string inputText, SourceSpan span);
    }

    /// <summary>dense(out, bias: true, init: ...): y = x W^T + b on the last axis, W is [out, in].</summary>
    public sealed class DenseLayer : Layer
    {
        public DenseLayer(string name, int order, int outFeatures, bool bias, Initializer? init, string kind = "dense")
            : base(name, kind, order)
        {
            OutFeatures = outFeatures;
            HasBias = bias;
            Init = init;
        }

        public int OutFeatures { get; }
        public bool HasBias { get; }
        /// <summary>The weight's initializer; null means PyTorch's default.</summary>
        public Initializer? Init { get; }

        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            if (x.Shape.Rank == 0)
            {
                binder.Diagnostics.Error(DiagnosticCatalog.ShapeMismatch, span,
                    $"shape mismatch: {Name} ({Kind}) acts on the last axis, but {inputText} is a scalar");
                return new ErrorNode(span);
            }
            int inFeatures = x.Shape.Last;
            if (!IsUsed)
            {
                IsUsed = true;
                FirstInputShape = x.Shape;
                var weight = binder.CreateParameter($"{Name}.weight", new Shape(OutFeatures, inFeatures),
                    Init ?? Initializer.FanInUniform(inFeatures), inFeatures, OutFeatures, span, Order, 0);
                Parameters.Add(weight);
                if (HasBias)
                    Parameters.Add(binder.CreateParameter($"{Name}.bias", new Shape(OutFeatures),
                        Initializer.FanInUniform(inFeatures), inFeatures, OutFeatures, span, Order, 1));
            }
            else if (FirstInputShape!.Last != inFeatures)
            {
                binder.Diagnostics.Error(DiagnosticCatalog.LayerInputMismatch, span,
                    $"shape mismatch: {Name} expects [{FirstInputShape.Last}] but {inputText} is {x.Shape}");
                return new ErrorNode(span);
            }
            var dims = x.Shape.Dims.ToArray();
            dims[dims.Length - 1] = OutFeatures;
            var node = binder.Add(new LinearNode(x, Parameters[0], HasBias ? Parameters[1] : null, new Shape(dims), span));
            OutputShape ??= node.Shape;
            return node;
        }
    }

    /// <summary>
    /// maxout(out, k): a dense layer of out·k units viewed as [out, k] (unit j·k+i is piece i of
    /// output j), then the maximum over the k pieces.
    /// </summary>
    public sealed class MaxoutLayer : Layer
    {
        private readonly DenseLayer _dense;

        public MaxoutLayer(string name, int order, int outFeatures, int pieces) : base(name, "maxout", order)
        {
            OutFeatures = outFeatures;
            Pieces = pieces;
            _dense = new DenseLayer(name, order, outFeatures * pieces, bias: true, init: null, kind: "maxout");
        }

        public int OutFeatures { get; }
        public int Pieces { get; }

        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            var units = _dense.Apply(binder, x, inputText, span);
            IsUsed = true;
            if (units is ErrorNode) return units;
            if (Parameters.Count == 0) Parameters.AddRange(_dense.Parameters);
            var dims = units.Shape.Dims.Take(units.Shape.Rank - 1).Concat(new[] { OutFeatures, Pieces }).ToArray();
            var pieces = binder.Add(new ReshapeNode(units, new Shape(dims), span));
            var node = binder.Add(ReduceNode.Create(ReduceKind.Max, pieces, dims.Length - 1, span));
            FirstInputShape ??= x.Shape;
            OutputShape ??= node.Shape;
            return node;
        }
    }
}
