using System;
using ModelC.Runtime;

namespace ModelC.Samples.PolynomialRegression;

/// <summary>The generated model of each degree in polynomials.model, by degree.</summary>
public static class PolynomialModels
{
    public const int MaxDegree = 12;

    public static IModel Create(int degree, int seed) => degree switch
    {
        1 => new PolyDeg1(seed),
        2 => new PolyDeg2(seed),
        3 => new PolyDeg3(seed),
        4 => new PolyDeg4(seed),
        5 => new PolyDeg5(seed),
        6 => new PolyDeg6(seed),
        7 => new PolyDeg7(seed),
        8 => new PolyDeg8(seed),
        9 => new PolyDeg9(seed),
        10 => new PolyDeg10(seed),
        11 => new PolyDeg11(seed),
        12 => new PolyDeg12(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(degree), degree, $"polynomials.model declares degrees 1 to {MaxDegree}."),
    };
}
