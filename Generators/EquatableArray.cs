using System;
using System.Collections;
using System.Collections.Generic;

namespace ModelC.Generators
{
    /// <summary>
    /// An immutable array compared by its elements, so pipeline models holding lists keep
    /// value equality and the incremental driver can tell that nothing changed.
    /// </summary>
    public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        public static readonly EquatableArray<T> Empty = new EquatableArray<T>(Array.Empty<T>());

        private readonly T[]? _items;

        public EquatableArray(T[] items)
        {
            _items = items ?? throw new ArgumentNullException(nameof(items));
        }

        public EquatableArray(IEnumerable<T> items)
            : this(new List<T>(items ?? throw new ArgumentNullException(nameof(items))).ToArray())
        {
        }

        // A default(EquatableArray<T>) behaves as empty rather than failing.
        private T[] Items => _items ?? Array.Empty<T>();

        public int Count => Items.Length;

        public T this[int index] => Items[index];

        public bool Equals(EquatableArray<T> other)
        {
            var mine = Items;
            var theirs = other.Items;
            if (ReferenceEquals(mine, theirs))
                return true;
            if (mine.Length != theirs.Length)
                return false;
            for (int i = 0; i < mine.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(mine[i], theirs[i]))
                    return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                int hash = 17;
                foreach (var item in Items)
                    hash = hash * 31 + (item is null ? 0 : item.GetHashCode());
                return hash;
            }
        }

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
