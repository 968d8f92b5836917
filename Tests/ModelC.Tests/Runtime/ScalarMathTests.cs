using System;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Runtime;

/// <summary>The single-precision erf behind gelu against MathNet's double-precision one.</summary>
public sealed class ScalarMathTests
{
    [Fact]
    public void ErfSingleIsWithinSixTenMillionthsOfTheDoubleSeries()
    {
        double worst = 0;
        for (int i = -60000; i <= 60000; i++)
        {
            float x = i * 1e-4f;
            worst = Math.Max(worst, Math.Abs(ScalarMath.ErfSingle(x) - ScalarMath.Erf(x)));
        }
        Assert.InRange(worst, 0, 6e-7);
        Assert.Equal(0f, ScalarMath.ErfSingle(0f), 7);
        Assert.Equal(-ScalarMath.ErfSingle(1.3f), ScalarMath.ErfSingle(-1.3f));
    }

    [Theory]
    [InlineData(-4.0)]
    [InlineData(-1.5)]
    [InlineData(-0.3)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(2.5)]
    public void GeluAndItsDerivativeMatchTheExactFormula(double x)
    {
        double cdf = 0.5 * (1 + ScalarMath.Erf(x / Math.Sqrt(2)));
        double pdf = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
        Assert.InRange(Math.Abs(x * cdf - ScalarMath.Gelu((float)x)), 0, 1e-6);
        Assert.InRange(Math.Abs(cdf + x * pdf - ScalarMath.GeluDerivative((float)x)), 0, 1e-6);
    }
}
