using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelC.Compiler.Ir
{
    /// <summary>The per-example shape of a tensor (the batch axis is implicit and never part of it). [] is a scalar.</summary>
    public sealed class Shape : IEquatable<Shape>
    {
        public static readonly Shape Scalar = new Shape(Array.Empty<int>());

        private readonly int[] _dims;

        public Shape(params int[] dims)
        {
            _dims = dims;
            ElementCount = SizeOf(dims);
        }

        /// <summary>A shape from dimensions computed in long; one past int's range is kept as int.MaxValue, which no size check accepts.</summary>
        public static Shape FromCounts(params long[] dims) => new Shape(dims.Select(Sizes.Dimension).ToArray());

        public IReadOnlyList<int> Dims => _dims;
        public int Rank => _dims.Length;
        /// <summary>The number of elements, saturating (see <see cref="Sizes"/>): what size checks read.</summary>
        public long ElementCount { get; }
        /// <summary>True when the tensor fits in one array.</summary>
        public bool Fits => Sizes.Fits(ElementCount);
        /// <summary>
        /// The number of elements as generated code uses it. Only a checked shape has one: the binder
        /// refuses larger shapes with MC1023, so reading it for one is an internal error, never a wrapped number.
        /// </summary>
        public int Size => Fits ? (int)ElementCount
            : throw new InvalidOperationException($"the size of {this} ({ElementCount} elements) was used before it was checked");
        public int this[int axis] => _dims[axis];
        public int Last => _dims.Length == 0 ? 1 : _dims[_dims.Length - 1];

        public static Shape Of(IEnumerable<int> dims) => new Shape(dims.ToArray());

        /// <summary>The element count of dimensions, saturating (see <see cref="Sizes"/>), for checks before a Shape is made.</summary>
        public static long SizeOf(IEnumerable<int> dims)
        {
            long size = 1;
            foreach (var d in dims) size = Sizes.Product(size, d);
            return size;
        }

        /// <summary>NumPy broadcasting of two shapes; null when they are incompatible.</summary>
        public static Shape? Broadcast(Shape a, Shape b)
        {
            int rank = Math.Max(a.Rank, b.Rank);
            var dims = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                int da = i < rank - a.Rank ? 1 : a[i - (rank - a.Rank)];
                int db = i < rank - b.Rank ? 1 : b[i - (rank - b.Rank)];
                if (da != db && da != 1 && db != 1) return null;
                dims[i] = Math.Max(da, db);
            }
            return new Shape(dims);
        }

        /// <summary>Row-major strides of this shape seen inside a broadcast result of rank <paramref name="rank"/>; 0 where it repeats.</summary>
        public int[] BroadcastStrides(Shape result)
        {
            int rank = result.Rank;
            var strides = new int[rank];
            int stride = 1;
            for (int i = rank - 1; i >= 0; i--)
            {
                int own = i - (rank - Rank);
                if (own < 0) { strides[i] = 0; continue; }
                int d = _dims[own];
                strides[i] = d == 1 && result[i] != 1 ? 0 : stride;
                stride *= d;
            }
            return strides;
        }

        /// <summary>Normalizes a possibly negative axis; -1 when it is out of range.</summary>
        public int NormalizeAxis(int axis)
        {
            int a = axis < 0 ? axis + Rank : axis;
            return a >= 0 && a < Rank ? a : -1;
        }

        public bool Equals(Shape? other) => other is not null && _dims.SequenceEqual(other._dims);
        public override bool Equals(object? obj) => Equals(obj as Shape);
        public override int GetHashCode() => _dims.Aggregate(17, (h, d) => h * 31 + d);

        /// <summary>As the user writes it: [128], [3, 4], [] for a scalar.</summary>
        public override string ToString() => "[" + string.Join(", ", _dims) + "]";

        /// <summary>As C# wants it in an int[] initializer.</summary>
        public string ToCSharpArray() => _dims.Length == 0 ? "global::System.Array.Empty<int>()" : "new[] { " + string.Join(", ", _dims) + " }";
    }
}
