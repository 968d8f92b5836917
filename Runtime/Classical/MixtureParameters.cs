using System;
using System.Linq;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ModelC.Runtime.Classical;

/// <summary>Weights, means and Cholesky-factored covariances of a Gaussian mixture: the state EM iterates on.</summary>
internal sealed class MixtureParameters
{
    // Keeps a component that lost all responsibility from dividing by zero, as scikit-learn does.
    private const double EmptyComponentGuard = 10 * double.Epsilon;

    private readonly double[] _logWeights;

    private MixtureParameters(Vector<double> weights, Matrix<double> means, Matrix<double>[] covariances, Cholesky<double>[] choleskies)
    {
        Weights = weights;
        Means = means;
        Covariances = covariances;
        Choleskies = choleskies;
        _logWeights = weights.Select(w => Math.Log(w)).ToArray();
    }

    public Vector<double> Weights { get; }               // (k)

    public Matrix<double> Means { get; }                 // (k, d)

    public Matrix<double>[] Covariances { get; }         // k × (d, d)

    public Cholesky<double>[] Choleskies { get; }

    /// <summary>The M step: weighted means and covariances (plus regularization on the diagonal) from responsibilities (n, k).</summary>
    public static MixtureParameters Estimate(Matrix<double> x, Matrix<double> responsibilities, double regularization)
    {
        int n = x.RowCount, d = x.ColumnCount, k = responsibilities.ColumnCount;
        var counts = responsibilities.ColumnSums() + EmptyComponentGuard;     // (k)
        var means = responsibilities.TransposeThisAndMultiply(x);            // (k, d)
        for (int c = 0; c < k; c++)
            means.SetRow(c, means.Row(c) / counts[c]);

        var covariances = new Matrix<double>[k];
        var choleskies = new Cholesky<double>[k];
        for (int c = 0; c < k; c++)
        {
            var deviations = x - Matrix<double>.Build.Dense(n, d, (_, j) => means[c, j]);                       // (n, d)
            var weighted = Matrix<double>.Build.Dense(n, d, (i, j) => deviations[i, j] * responsibilities[i, c]);
            var covariance = weighted.TransposeThisAndMultiply(deviations) / counts[c];
            covariance = (covariance + covariance.Transpose()) / 2;          // exact symmetry for Cholesky
            for (int j = 0; j < d; j++)
                covariance[j, j] += regularization;
            covariances[c] = covariance;
            choleskies[c] = Factor(covariance, c);
        }
        return new MixtureParameters(counts / n, means, covariances, choleskies);
    }

    /// <summary>log(w_c) + log N(x_i | μ_c, Σ_c) for every row i and component c: (n, k).</summary>
    public Matrix<double> WeightedLogDensities(Matrix<double> x)
    {
        int n = x.RowCount, d = x.ColumnCount, k = Means.RowCount;
        double logNormalizer = 0.5 * d * Math.Log(2 * Math.PI);
        var result = Matrix<double>.Build.Dense(n, k);
        for (int c = 0; c < k; c++)
        {
            var deviations = (x - Matrix<double>.Build.Dense(n, d, (_, j) => Means[c, j])).Transpose();   // (d, n)
            var solved = Choleskies[c].Solve(deviations);                                                  // Σ⁻¹ (x − μ)
            double logDeterminant = Choleskies[c].DeterminantLn;
            for (int i = 0; i < n; i++)
            {
                double mahalanobis = deviations.Column(i).DotProduct(solved.Column(i));
                result[i, c] = _logWeights[c] - logNormalizer - 0.5 * logDeterminant - 0.5 * mahalanobis;
            }
        }
        return result;
    }

    private static Cholesky<double> Factor(Matrix<double> covariance, int component)
    {
        try
        {
            return covariance.Cholesky();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Component {component}'s covariance is not positive definite; increase regularization.", "regularization", e);
        }
    }
}
