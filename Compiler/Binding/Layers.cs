using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// A layer declared with `layer name = kind(...)`. Its parameters are created by its first call,
    /// because their shapes depend on the input (dense infers its in-features); later calls share
    /// them, and must bring the same in-features. Layers lower to IR nodes; they add no gradient code
    /// of their own. A layer says which inputs it accepts, what its in-features are, which parameters
    /// it creates and what it lowers to; <see cref="Apply"/> does the bookkeeping in between.
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

        /// <summary>
        /// Applies the layer to x: checks x, creates the parameters on the first call, checks the
        /// in-features on later ones, and lowers the call. inputText names x in messages ("h1").
        /// </summary>
        public virtual Node Apply(Binder binder, Node x, string inputText, SourceSpan span) => ApplyWith(binder, x, inputText, span, Lower);

        /// <summary><see cref="Apply"/> with another lowering of the call (a recurrent layer's call with an initial state).</summary>
        protected Node ApplyWith(Binder binder, Node x, string inputText, SourceSpan span, System.Func<Binder, Node, SourceSpan, Node> lower)
        {
            if (!Accepts(binder, x, inputText, span))
            {
                MarkAttempted();
                return new ErrorNode(span);
            }
            if (!IsUsed)
            {
                IsUsed = true;
                FirstInputShape = x.Shape;
                CreateParameters(binder, x.Shape, span);
            }
            else if (InFeatures(x.Shape) != InFeatures(FirstInputShape!))
            {
                binder.Diagnostics.ReportLayerInputMismatch(span, Name, DescribeInFeatures(InFeatures(FirstInputShape!)!.Value), inputText, x.Shape);
                return new ErrorNode(span);
            }
            // Reported where they were created; lowering would read their sizes.
            if (Parameters.Any(p => !p.Shape.Fits)) return new ErrorNode(span);
            var node = lower(binder, x, span);
            if (node is ErrorNode) return node;
            OutputShape ??= node.Shape;
            return node;
        }

        /// <summary>Whether the layer acts on x; if not, reports why (the layer is then marked attempted).</summary>
        protected virtual bool Accepts(Binder binder, Node x, string inputText, SourceSpan span) => true;

        /// <summary>The size the parameters depend on (in-features, channels); null when they depend on nothing in x.</summary>
        protected virtual int? InFeatures(Shape input) => null;

        /// <summary>How a mismatch names the expected in-features: "[128]", "3 channels".</summary>
        protected virtual string DescribeInFeatures(int inFeatures) => $"[{inFeatures}]";

        /// <summary>Creates the parameters (and buffers) for the first input, in their layout order.</summary>
        protected virtual void CreateParameters(Binder binder, Shape input, SourceSpan span) { }

        /// <summary>The IR the call stands for, built from primitive ops and the parameters.</summary>
        protected abstract Node Lower(Binder binder, Node x, SourceSpan span);

        /// <summary>Reports a shape the layer cannot act on; returns false for Accepts.</summary>
        protected bool Reject(Binder binder, SourceSpan span, string message)
        {
            binder.Diagnostics.ReportShapeMismatch(span, message);
            return false;
        }

        /// <summary>The layer's parameter <c>name.suffix</c>; index is its place among the layer's parameters.</summary>
        protected ParameterNode Parameter(Binder binder, string suffix, Shape shape, Initializer init, int fanIn, int fanOut, SourceSpan span) =>
            binder.CreateParameter($"{Name}.{suffix}", shape, init, fanIn, fanOut, span, Order, Parameters.Count);
    }

    /// <summary>dense(out, bias: true, init: ...): y = x W^T + b on the last axis, W is [out, in].</summary>
    public sealed class DenseLayer : Layer
    {
        public DenseLayer(string name, int order, int outFeatures, bool bias, Initializer? init, Initializer? biasInit = null, string kind = "dense")
            : base(name, kind, order)
        {
            OutFeatures = outFeatures;
            HasBias = bias;
            Init = init;
            BiasInit = biasInit;
        }

        public int OutFeatures { get; }
        public bool HasBias { get; }
        /// <summary>The weight's initializer; null means PyTorch's default.</summary>
        public Initializer? Init { get; }
        /// <summary>The bias's initializer; null means PyTorch's default.</summary>
        public Initializer? BiasInit { get; }

        protected override bool Accepts(Binder binder, Node x, string inputText, SourceSpan span) =>
            x.Shape.Rank > 0 || Reject(binder, span, $"shape mismatch: {Name} ({Kind}) acts on the last axis, but {inputText} is a scalar");

        protected override int? InFeatures(Shape input) => input.Last;

        protected override void CreateParameters(Binder binder, Shape input, SourceSpan span)
        {
            int inFeatures = input.Last;
            Parameters.Add(Parameter(binder, "weight", new Shape(OutFeatures, inFeatures), Init ?? Initializer.FanInUniform(inFeatures), inFeatures, OutFeatures, span));
            if (HasBias)
                Parameters.Add(Parameter(binder, "bias", new Shape(OutFeatures), BiasInit ?? Initializer.FanInUniform(inFeatures), inFeatures, OutFeatures, span));
        }

        protected override Node Lower(Binder binder, Node x, SourceSpan span)
        {
            var dims = x.Shape.Dims.ToArray();
            dims[dims.Length - 1] = OutFeatures;
            return binder.Add(new LinearNode(x, Parameters[0], HasBias ? Parameters[1] : null, new Shape(dims), span));
        }
    }

    /// <summary>
    /// maxout(out, k): a dense layer of out·k units viewed as [out, k] (unit j·k+i is piece i of
    /// output j), then the maximum over the k pieces.
    /// </summary>
    public sealed class MaxoutLayer : Layer
    {
        private readonly DenseLayer _dense;

        public MaxoutLayer(string name, int order, int outFeatures, int pieces, Initializer? init = null, Initializer? biasInit = null) : base(name, "maxout", order)
        {
            OutFeatures = outFeatures;
            Pieces = pieces;
            _dense = new DenseLayer(name, order, outFeatures * pieces, bias: true, init, biasInit, kind: "maxout");
        }

        public int OutFeatures { get; }
        public int Pieces { get; }

        /// <summary>The inner dense layer does the checks and owns the parameters; maxout only adds the max.</summary>
        public override Node Apply(Binder binder, Node x, string inputText, SourceSpan span)
        {
            var units = _dense.Apply(binder, x, inputText, span);
            IsUsed = true;
            if (units is ErrorNode) return units;
            if (Parameters.Count == 0) Parameters.AddRange(_dense.Parameters);
            FirstInputShape ??= x.Shape;
            var node = Lower(binder, units, span);
            OutputShape ??= node.Shape;
            return node;
        }

        /// <summary>The dense layer's out·k units viewed as [out, k], then the max over k.</summary>
        protected override Node Lower(Binder binder, Node units, SourceSpan span)
        {
            var dims = units.Shape.Dims.Take(units.Shape.Rank - 1).Concat(new[] { OutFeatures, Pieces }).ToArray();
            var pieces = binder.Add(new ReshapeNode(units, new Shape(dims), span));
            return binder.Add(ReduceNode.Create(ReduceKind.Max, pieces, dims.Length - 1, span));
        }
    }
}
