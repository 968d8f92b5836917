using ModelC.Generators;
using Xunit;

namespace ModelC.Tests.Generators
{
    public class EquatableArrayTests
    {
        [Fact]
        public void ArraysWithEqualElements_AreEqualAndHashAlike()
        {
            var left = new EquatableArray<string>(new[] { "a", "b" });
            var right = new EquatableArray<string>(new[] { "a", "b" });

            Assert.True(left == right);
            Assert.Equal(left.GetHashCode(), right.GetHashCode());
            Assert.Equal(new CompiledModel("p", EquatableArray<GeneratedSource>.Empty, EquatableArray<DiagnosticInfo>.Empty),
                         new CompiledModel("p", new EquatableArray<GeneratedSource>(new GeneratedSource[0]), default));
        }

        [Fact]
        public void ArraysDifferingInOrderOrLength_AreNotEqual()
        {
            var ab = new EquatableArray<string>(new[] { "a", "b" });

            Assert.NotEqual(ab, new EquatableArray<string>(new[] { "b", "a" }));
            Assert.NotEqual(ab, new EquatableArray<string>(new[] { "a" }));
            Assert.Equal(2, ab.Count);
            Assert.Equal("b", ab[1]);
        }
    }
}
