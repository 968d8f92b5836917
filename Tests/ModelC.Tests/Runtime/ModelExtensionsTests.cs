using System;
using ModelC.Runtime;
using ModelC.Tests.Compiler;
using Xunit;

namespace ModelC.Tests.Runtime
{
    public class ModelExtensionsTests
    {
        private const string Text = "model P { input x : float[3]; layer a = dense(2); layer b = dense(1); output o = b(a(x)); }";

        [Fact]
        public void ParameterIsTheNamedSliceOfTheFlatVectorAndWritesThrough()
        {
            var model = ModelHarness.Create(Text);
            var bias = model.Parameter("a.bias");
            Assert.Equal(2, bias.Length);
            bias[1] = 42f;
            Assert.Equal(42f, model.Parameters[6 + 1]);
            Assert.Equal(1, model.Parameter("b.bias").Length);
        }

        [Fact]
        public void AnUnknownNameIsRefusedWithTheKnownOnes()
        {
            var model = ModelHarness.Create(Text);
            var error = Assert.Throws<ArgumentException>(() => model.Parameter("a.wieght"));
            Assert.Equal("name", error.ParamName);
            Assert.Contains("a.weight, a.bias, b.weight, b.bias", error.Message);
        }
    }
}
