using System.Collections.Generic;

namespace ModelC.Samples.PolynomialRegression;

/// <summary>
/// Errors of one polynomial degree: of the model trained by gradient steps, and of the exact
/// least-squares polynomial of that degree (what enough training converges to).
/// </summary>
public sealed record DegreeResult(int Degree, double TrainingMse, double ValidationMse, double ExactTrainingMse, double ExactValidationMse);

/// <summary>Every degree's errors, the degree the validation set picks, and that degree's test error.</summary>
public sealed record PolynomialSweep(IReadOnlyList<DegreeResult> Degrees, int BestDegree, double BestDegreeTestMse, int TrainingSteps);
