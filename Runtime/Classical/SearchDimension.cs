using System;
using System.Globalization;

namespace ModelC.Runtime.Classical;

/// <summary>
/// One hyper-parameter of a <see cref="SearchSpace"/>. Searches work in the unit interval and map to
/// the parameter's value here, so a log-scaled learning rate and an integer width look alike to the optimizer.
/// </summary>
public abstract class SearchDimension
{
    private protected SearchDimension(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A search dimension needs a non-blank name.", nameof(name));
        Name = name;
    }

    public string Name { get; }

    /// <summary>A real parameter in [low, high]; with <paramref name="log"/> the search is uniform in log(value) (low must be > 0).</summary>
    public static SearchDimension Continuous(string name, double low, double high, bool log = false)
        => new ContinuousDimension(name, low, high, log);

    /// <summary>An integer parameter in low..high inclusive, each value equally likely under random search.</summary>
    public static SearchDimension Integer(string name, int low, int high)
        => new IntegerDimension(name, low, high);

    /// <summary>The parameter value at position u ∈ [0, 1].</summary>
    public abstract double FromUnit(double u);

    /// <summary>The position in [0, 1] that represents <paramref name="value"/>.</summary>
    public abstract double ToUnit(double value);

    /// <summary>Moves u to the position of the value it maps to, so the model sees exactly what was evaluated.</summary>
    internal double Snap(double u) => ToUnit(FromUnit(u));

    private sealed class ContinuousDimension : SearchDimension
    {
        private readonly double _low, _high;
        private readonly bool _log;

        public ContinuousDimension(string name, double low, double high, bool log) : base(name)
        {
            DataChecks.RequireFinite(low, nameof(low), "low");
            DataChecks.RequireFinite(high, nameof(high), "high");
            if (high <= low)
                throw new ArgumentException($"Dimension '{name}': high ({Format(high)}) must be greater than low ({Format(low)}).", nameof(high));
            if (log && low <= 0)
                throw new ArgumentOutOfRangeException(nameof(low), low, $"Dimension '{name}' is log-scaled, so low must be > 0, but was {Format(low)}.");
            (_low, _high, _log) = (low, high, log);
        }

        public override double FromUnit(double u)
        {
            u = Math.Clamp(u, 0, 1);
            return _log ? Math.Exp(Math.Log(_low) + u * (Math.Log(_high) - Math.Log(_low))) : _low + u * (_high - _low);
        }

        public override double ToUnit(double value)
            => Math.Clamp(_log ? (Math.Log(value) - Math.Log(_low)) / (Math.Log(_high) - Math.Log(_low)) : (value - _low) / (_high - _low), 0, 1);

        public override string ToString() => $"{Name} ∈ [{Format(_low)}, {Format(_high)}]{(_log ? " (log)" : "")}";
    }

    private sealed class IntegerDimension : SearchDimension
    {
        private readonly int _low, _high;

        public IntegerDimension(string name, int low, int high) : base(name)
        {
            if (high < low)
                throw new ArgumentException($"Dimension '{name}': high ({high}) must be at least low ({low}).", nameof(high));
            (_low, _high) = (low, high);
        }

        private int Count => _high - _low + 1;

        // Equal-width cells of [0, 1], one per integer, so random search picks each integer equally often.
        public override double FromUnit(double u) => _low + Math.Min((int)Math.Floor(Math.Clamp(u, 0, 1) * Count), Count - 1);

        public override double ToUnit(double value) => Math.Clamp((Math.Round(value) - _low + 0.5) / Count, 0, 1);

        public override string ToString() => $"{Name} ∈ {_low}..{_high}";
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
