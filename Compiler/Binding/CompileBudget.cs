using System;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// What one .model file may make the compiler do. The generated C# grows with the number of
    /// operations, and a few characters of text can ask for millions of them (a polynomial degree, an
    /// unrolled recurrence over many steps, blocks that each instantiate the one below twice), so the
    /// count is bounded per file rather than per construct: every operation the binder adds takes
    /// from one budget, and the statement that would pass it is refused with MC1023 at its line.
    /// The limits keep any input of a megabyte or less to a few seconds and a few hundred megabytes.
    /// </summary>
    public sealed class CompileBudget
    {
        /// <summary>
        /// Operations one file may generate, over all its models. An operation with many operands
        /// (a concat of n tensors) counts n − 1, because its code grows with them. An elementwise
        /// operation is about 1.2 KB of C# with its gradients; the largest model file of the
        /// repository has 228 operations.
        /// </summary>
        public const int MaxOperations = 20_000;

        /// <summary>Models one file may declare: each one is a class with its own plumbing, whatever its size.</summary>
        public const int MaxModels = 256;

        private int _operations;

        /// <summary>What one node of the graph takes from the budget: a concat's code grows with its operands, any other op's is about the same size.</summary>
        public static int CostOf(Ir.Node node) => 1 + Math.Max(0, node.Inputs.Count - 2);

        public bool OperationsExhausted { get; private set; }

        /// <summary>Takes <paramref name="count"/> operations, or throws <see cref="CompileBudgetExceededException"/> (caught at the statement).</summary>
        public void TakeOperations(int count)
        {
            if (OperationsExhausted || count > MaxOperations - _operations)
            {
                OperationsExhausted = true;
                throw new CompileBudgetExceededException();
            }
            _operations += count;
        }
    }

    /// <summary>Unwinds the binding of the statement that passed <see cref="CompileBudget.MaxOperations"/>; the binder reports it.</summary>
    public sealed class CompileBudgetExceededException : Exception
    {
        public CompileBudgetExceededException() : base("the file's operation budget is spent") { }
    }
}
