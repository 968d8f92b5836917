using System;
using System.Globalization;
using System.Linq;
using ModelC.Runtime.Classical;
using ModelC.Samples.NormalModes;
using Spectre.Console;

// Two coupled pendulums released from rest at unequal displacements move as a mix of the in-phase and
// anti-phase normal modes. PCA of the recorded (x1, x2) finds those modes as its components, and each
// projection oscillates at one mode's frequency.
var pendulums = new CoupledPendulums(Gravity: 9.81, Length: 1.0, Mass: 1.0, SpringConstant: 4.0);
const double startX1 = 0.10, startX2 = 0.04, duration = 60, timeStep = 1e-3;
var motion = pendulums.Simulate(startX1, startX2, duration, timeStep, recordEvery: 10);

var setup = new Table().Title("Simulation (RK4, small oscillations)").AddColumns("Quantity", "Value");
setup.AddRow("g, l, m, k", $"{pendulums.Gravity} m/s², {pendulums.Length} m, {pendulums.Mass} kg, {pendulums.SpringConstant} N/m");
setup.AddRow("x1(0), x2(0)", $"{startX1}, {startX2} (at rest)");
setup.AddRow("Duration, step", $"{duration} s, {timeStep} s");
setup.AddRow("Samples for PCA", motion.Positions.Length.ToString(CultureInfo.InvariantCulture));
AnsiConsole.Write(setup);

var pca = Pca.Fit(motion.Positions);
double r = 1 / Math.Sqrt(2);
var expectedModes = new[] { ("in phase", new[] { r, r }), ("anti-phase", new[] { r, -r }) };
var components = new Table().Title("Principal components vs normal modes")
    .AddColumns("#", "PCA axis", "Normal mode (±)", "|cos angle|", "Variance");
for (int c = 0; c < 2; c++)
{
    var (name, mode) = expectedModes[c];
    double cosine = Math.Abs(pca.Components[c][0] * mode[0] + pca.Components[c][1] * mode[1]);
    components.AddRow($"{c + 1}", Vector(pca.Components[c][0], pca.Components[c][1]),
        $"{Vector(mode[0], mode[1])} {name}", F(cosine, "F6"), F(pca.ExplainedVarianceRatio[c], "P1"));
}
AnsiConsole.Write(components);

var projections = pca.Transform(motion.Positions);
var formulas = new[]
{
    ("sqrt(g/l)", pendulums.InPhaseAngularFrequency),
    ("sqrt(g/l + 2k/m)", pendulums.AntiPhaseAngularFrequency),
};
var frequencies = new Table().Title("Mode ω in rad/s, from zero crossings")
    .AddColumns("#", "Measured ω", "Formula", "Formula ω", "Error");
for (int c = 0; c < 2; c++)
{
    double measured = CoupledPendulums.AngularFrequencyFromZeroCrossings(motion.Times, projections.Select(p => p[c]).ToArray());
    var (formula, expected) = formulas[c];
    frequencies.AddRow($"{c + 1}", F(measured, "F4"), formula, F(expected, "F4"), F((measured - expected) / expected, "P3"));
}
AnsiConsole.Write(frequencies);

static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

static string Vector(double a, double b) => $"({F(a, "+0.0000;-0.0000")}, {F(b, "+0.0000;-0.0000")})";
