using System;
using System.Collections.Generic;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ModelC.Runtime.Classical;

/// <summary>
/// Closed-form linear regression y ≈ X·w + b, solved by a QR factorization (never the normal
/// equations, which square the condition number). With <c>ridge</c> λ &gt; 0 it minimizes
/// ‖y − Xw − b‖² + λ‖w‖², solved as the least-squares problem of the augmented system
/// [X 1; √λ I 0]·[w; b] = [y; 0]; the intercept b is not penalized.
/// </summary>
public sealed class LeastSquaresRegression
{
    private readonly Vector<double> _coefficients;

    private LeastSquaresRegression(Vector<double> coefficients, double intercept, double rSquared)
    {
        _coefficients = coefficients;
        Coefficients = ReadOnly.Of(coefficients);
        Intercept = intercept;
        RSquared = rSquared;
    }

    /// <summary>Weight of each feature.</summary>
    public IReadOnlyList<double> Coefficients { get; }

    /// <summary>Constant term b; 0 when fitted without an intercept.</summary>
    public double Intercept { get; }

    /// <summary>Coefficient of determination on the training data: 1 − SS_res / SS_tot.</summary>
    public double RSquared { get; }

    public int FeatureCount => _coefficients.Count;

    /// <summary>Fits the regression.</summary>
    /// <param name="x">Feature rows; finite, all of one length.</param>
    /// <param name="y">Target per row.</param>
    /// <param name="fitIntercept">Also fit the constant term b (unpenalized).</param>
    /// <param name="ridge">Ridge penalty λ ≥ 0 on the coefficients; 0 is ordinary least squares.</param>
    public static LeastSquaresRegression Fit(double[][] x, double[] y, bool fitIntercept = true, double ridge = 0)
    {
        var features = DataChecks.Rows(x, nameof(x));
        var targets = DataChecks.Values(y, nameof(y), features.RowCount, "one target per row of x");
        DataChecks.NonNegative(ridge, nameof(ridge));
        int n = features.RowCount, d = features.ColumnCount;
        int unknowns = d + (fitIntercept ? 1 : 0);
        int penaltyRows = ridge > 0 ? d : 0;
        if (n + penaltyRows < unknowns)
            throw new ArgumentException($"x has {n} rows but {unknowns} unknowns must be fitted; add rows or use ridge > 0.", nameof(x));

        var design = Matrix<double>.Build.Dense(n + penaltyRows, unknowns);
        design.SetSubMatrix(0, 0, features);
        if (fitIntercept)
            design.SetSubMatrix(0, d, Matrix<double>.Build.Dense(n, 1, 1.0));
        if (penaltyRows > 0)
            design.SetSubMatrix(n, 0, Matrix<double>.Build.DiagonalIdentity(d) * Math.Sqrt(ridge));
        var rhs = Vector<double>.Build.Dense(n + penaltyRows);
        rhs.SetSubVector(0, n, targets);

        var qr = design.QR(QRMethod.Thin);
        RequireFullRank(qr.R);
        var solution = qr.Solve(rhs);
        var coefficients = solution.SubVector(0, d);
        double intercept = fitIntercept ? solution[d] : 0;
        return new LeastSquaresRegression(coefficients, intercept, RSquaredOf(targets, features * coefficients + intercept));
    }

    /// <inheritdoc cref="Fit(double[][], double[], bool, double)"/>
    public static LeastSquaresRegression Fit(Matrix<double> x, Vector<double> y, bool fitIntercept = true, double ridge = 0)
        => Fit(x?.ToRowArrays()!, y?.ToArray()!, fitIntercept, ridge);

    public double[] Predict(double[][] x)
    {
        var features = DataChecks.Rows(x, nameof(x), FeatureCount, "the regression");
        return Predict(features).ToArray();
    }

    public double Predict(double[] point)
        => DataChecks.Point(point, nameof(point), FeatureCount, "the regression").DotProduct(_coefficients) + Intercept;

    /// <summary>Coefficient of determination R² of the predictions on (x, y); 1 is perfect, 0 is no better than the mean of y.</summary>
    public double Score(double[][] x, double[] y)
    {
        var features = DataChecks.Rows(x, nameof(x), FeatureCount, "the regression");
        var targets = DataChecks.Values(y, nameof(y), features.RowCount, "one target per row of x");
        return RSquaredOf(targets, Predict(features));
    }

    private Vector<double> Predict(Matrix<double> features) => features * _coefficients + Intercept;

    private static double RSquaredOf(Vector<double> targets, Vector<double> predictions)
    {
        var residuals = targets - predictions;
        var deviations = targets - targets.Sum() / targets.Count;
        double total = deviations.DotProduct(deviations);
        double residual = residuals.DotProduct(residuals);
        // A constant target has no variance to explain: perfect predictions score 1, anything else 0 (scikit-learn's convention).
        if (total == 0)
            return residual == 0 ? 1 : 0;
        return 1 - residual / total;
    }

    // Householder QR happily "solves" singular systems with huge coefficients, so a collinear design is rejected here.
    private static void RequireFullRank(Matrix<double> r)
    {
        double largest = 0;
        for (int i = 0; i < r.ColumnCount; i++)
            largest = Math.Max(largest, Math.Abs(r[i, i]));
        for (int i = 0; i < r.ColumnCount; i++)
        {
            if (Math.Abs(r[i, i]) <= 1e-12 * largest * r.ColumnCount || largest == 0)
                throw new ArgumentException($"The columns of x (with the intercept column) are linearly dependent (column {i}); remove redundant features or use ridge > 0.", "x");
        }
    }
}
