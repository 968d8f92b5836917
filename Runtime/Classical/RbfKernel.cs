using System;
using MathNet.Numerics.LinearAlgebra;

namespace ModelC.Runtime.Classical;

/// <summary>
/// Squared-exponential (radial basis function) covariance:
/// k(a, b) = signalVariance · exp(−‖a − b‖² / (2 · lengthScale²)).
/// </summary>
public sealed class RbfKernel
{
    public RbfKernel(double lengthScale = 1, double signalVariance = 1)
    {
        DataChecks.Positive(lengthScale, nameof(lengthScale));
        DataChecks.Positive(signalVariance, nameof(signalVariance));
        LengthScale = lengthScale;
        SignalVariance = signalVariance;
    }

    /// <summary>Distance over which outputs stay correlated.</summary>
    public double LengthScale { get; }

    /// <summary>Prior variance of the function at any point, k(x, x).</summary>
    public double SignalVariance { get; }

    public double Evaluate(Vector<double> a, Vector<double> b)
    {
        var diff = a - b;
        return SignalVariance * Math.Exp(-0.5 * diff.DotProduct(diff) / (LengthScale * LengthScale));
    }

    /// <summary>Covariance between every row of <paramref name="a"/> and every row of <paramref name="b"/>: (rows a, rows b).</summary>
    public Matrix<double> Matrix(Matrix<double> a, Matrix<double> b)
    {
        // Row arrays avoid allocating a vector per entry; this runs for every candidate of a Bayesian search.
        double[][] rowsA = a.ToRowArrays(), rowsB = b.ToRowArrays();
        double scale = -0.5 / (LengthScale * LengthScale);
        return Matrix<double>.Build.Dense(a.RowCount, b.RowCount, (i, j) =>
        {
            double squaredDistance = 0;
            for (int k = 0; k < rowsA[i].Length; k++)
            {
                double diff = rowsA[i][k] - rowsB[j][k];
                squaredDistance += diff * diff;
            }
            return SignalVariance * Math.Exp(scale * squaredDistance);
        });
    }

    public override string ToString() => $"RBF(length scale {LengthScale:G4}, signal variance {SignalVariance:G4})";
}
