using System;
using System.Collections.Generic;

namespace ModelC.Tests.Classical;

/// <summary>Equality within an absolute tolerance, for comparing arrays of doubles with Assert.Equal.</summary>
internal sealed class ToleranceComparer : IEqualityComparer<double>
{
    private readonly double _tolerance;

    public ToleranceComparer(double tolerance) => _tolerance = tolerance;

    public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance;

    public int GetHashCode(double obj) => 0;
}
