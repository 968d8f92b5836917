using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Ir;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// Neighbouring ops that the emitter writes as one step, as PyTorch cannot: a dense layer and a
    /// relu of it that runs right after it. Forward, the relu is the product's epilogue (at batch 1
    /// inside the matrix-vector kernel); backward, relu's derivative and the layer's bias gradient
    /// are one pass over the gradient rows. Both nodes keep their own storage, so every other op
    /// reads and writes them as before. A convolution and its relu fuse forward (ReluAfterConv); a
    /// max pool over that relu takes the relu's backward step (ReluUnderPool), and then the
    /// convolution's own values, which nothing else reads, are not stored (ConvOutputUnread).
    /// </summary>
    /// <remarks>
    /// Adjacency is what makes the backward fusion exact: every other reader of the layer's output
    /// runs after the relu in the forward pass, so its gradient has been added before the fused
    /// step sums the bias gradient.
    /// </remarks>
    public static class Fusion
    {
        /// <summary>The relu that follows the dense layer at pass[index] and fuses with it, or null.</summary>
        public static UnaryNode? ReluAfterDense(IReadOnlyList<Node> pass, int index, EmitContext c)
        {
            if (index + 1 >= pass.Count) return null;
            if (pass[index] is not LinearNode dense || !dense.UsesKernels(c)) return null;
            if (pass[index + 1] is not UnaryNode relu || relu.Function != UnaryFunctions.Relu || relu.X != dense) return null;
            return relu;
        }

        /// <summary>
        /// The relu that follows the convolution at pass[index] and fuses with it, or null. Forward,
        /// the kernel writes relu's values as it lays out each example's output, while they are in
        /// cache; backward, the two steps stay as they were, in one block.
        /// </summary>
        public static UnaryNode? ReluAfterConv(IReadOnlyList<Node> pass, int index)
        {
            if (index + 1 >= pass.Count) return null;
            if (pass[index] is not Conv2dNode conv) return null;
            if (pass[index + 1] is not UnaryNode relu || relu.Function != UnaryFunctions.Relu || relu.X != conv) return null;
            return relu;
        }

        /// <summary>
        /// The relu under the max pool at pass[index] whose backward step the pool's takes over, or
        /// null: a relu fused with its convolution (ReluAfterConv) that only this pool reads and that
        /// is no output, so its gradient is the pool's alone and need not be stored. Windows must be
        /// disjoint, so that each input's gradient is one window's, added once, as before.
        /// </summary>
        public static UnaryNode? ReluUnderPool(IReadOnlyList<Node> pass, int index, ModelGraph graph, EmitContext c)
        {
            if (pass[index] is not Pool2dNode pool || pool.Kind != PoolKind.Max || !pool.UsesKernel(c) || !pool.WindowsAreDisjoint) return null;
            if (pool.X is not UnaryNode relu || relu.Function != UnaryFunctions.Relu) return null;
            int at = -1;
            for (int i = 0; i < pass.Count; i++) if (pass[i] == relu) at = i;
            if (at < 1 || ReluAfterConv(pass, at - 1) != relu) return null;
            foreach (var node in graph.Nodes)
                if (node != pool && node.Inputs.Contains(relu)) return null;
            foreach (var output in graph.Outputs)
                if (output.Node == relu) return null;
            if (graph.Loss == relu) return null;
            return relu;
        }

        /// <summary>
        /// The max pool right after the convolution at pass[index] and its fused relu, or null, when
        /// nothing reads the convolution's values (ConvOutputUnread) and the pool takes the relu's
        /// backward step (ReluUnderPool): then the relu's values only matter to training's backward
        /// pass, and inference has the convolution's kernel pool its relu as it goes, storing neither.
        /// </summary>
        public static Pool2dNode? PoolAfterConvRelu(IReadOnlyList<Node> pass, int index, ModelGraph graph, EmitContext c)
        {
            if (index + 2 >= pass.Count || pass[index + 2] is not Pool2dNode pool) return null;
            if (!ConvOutputUnread(pass, index, graph, c) || ReluUnderPool(pass, index + 2, graph, c) != ReluAfterConv(pass, index)) return null;
            return pool;
        }

        /// <summary>
        /// True when nothing reads the values of the convolution at pass[index]: only its fused relu
        /// does, and that relu's backward step is taken by a pool (ReluUnderPool), which reads the
        /// relu's values instead. The kernel then writes only the relu's.
        /// </summary>
        public static bool ConvOutputUnread(IReadOnlyList<Node> pass, int index, ModelGraph graph, EmitContext c)
        {
            var relu = ReluAfterConv(pass, index);
            if (relu is null) return false;
            var conv = pass[index];
            foreach (var node in graph.Nodes)
                if (node != relu && node.Inputs.Contains(conv)) return false;
            foreach (var output in graph.Outputs)
                if (output.Node == conv) return false;
            if (graph.Loss == conv) return false;
            for (int i = 0; i < pass.Count; i++)
                if (ReluUnderPool(pass, i, graph, c) == relu) return true;
            return false;
        }
    }
}
