using System;
using System.Linq;
using ModelC.Runtime.Data;
using Xunit;

namespace ModelC.Tests.Runtime.Data;

public class ColumnScalerTests
{
    // Four examples of three features: 1..4, the constant 10, and ±1; y is a class id.
    private static Dataset Train() => new(
        DatasetColumn.OfFloats("x", [1, 10, -1, 2, 10, 1, 3, 10, -1, 4, 10, 1], 3),
        DatasetColumn.OfInts("y", [0, 1, 0, 1]));

    private static Dataset Test() => new(
        DatasetColumn.OfFloats("x", [6, 12, 3], 3),
        DatasetColumn.OfInts("y", [1]));

    private static readonly double Sd0 = Math.Sqrt(1.25);

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Standardizer_fits_population_mean_and_deviation_per_feature()
    {
        Standardizer scaler = Standardizer.Fit(Train(), "x");

        Assert.Equal("x", scaler.ColumnName);
        Assert.Equal(3, scaler.FeatureCount);
        AssertClose([2.5, 10, 0], scaler.Mean.ToArray());
        AssertClose([Sd0, 0, 1], scaler.StandardDeviation.ToArray());
    }

    [Fact]
    public void Standardized_training_data_has_zero_mean_unit_deviation_and_a_constant_feature_becomes_zero()
    {
        Dataset scaled = Standardizer.Fit(Train(), "x").Transform(Train());

        AssertClose(
            [-1.5 / Sd0, 0, -1, -0.5 / Sd0, 0, 1, 0.5 / Sd0, 0, -1, 1.5 / Sd0, 0, 1],
            scaled["x"].Floats);
        Assert.All(scaled["x"].Floats.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Test_data_is_scaled_with_the_training_statistics()
    {
        Standardizer scaler = Standardizer.Fit(Train(), "x");
        Dataset test = scaler.Transform(Test());

        // Fitted on the test example alone, every feature would become 0.
        AssertClose([3.5 / Sd0, 2, 3], test["x"].Floats);
    }

    [Fact]
    public void Transforming_a_dataset_replaces_only_the_fitted_column_and_copies()
    {
        Dataset train = Train();
        Dataset scaled = Standardizer.Fit(train, "x").Transform(train);

        Assert.Same(train["y"], scaled["y"]);
        Assert.NotSame(train["x"], scaled["x"]);
        Assert.Equal(1f, train["x"].Floats[0]);
        Assert.Equal(new[] { "x", "y" }, scaled.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Inverse_transform_returns_the_original_values()
    {
        Standardizer standardizer = Standardizer.Fit(Train(), "x");
        MinMaxScaler minMax = MinMaxScaler.Fit(Train(), "x", -1f, 1f);
        double[] original = Test()["x"].Floats.ToArray().Select(v => (double)v).ToArray();

        AssertClose(original, standardizer.InverseTransform(standardizer.Transform(Test()))["x"].Floats, 1e-5);
        AssertClose(original, minMax.InverseTransform(minMax.Transform(Test()["x"])).Floats, 1e-5);
    }

    [Fact]
    public void Min_max_maps_the_training_range_onto_zero_one_and_a_constant_feature_to_low()
    {
        MinMaxScaler scaler = MinMaxScaler.Fit(Train(), "x");

        AssertClose([1, 10, -1], scaler.Minimum.ToArray());
        AssertClose([4, 10, 1], scaler.Maximum.ToArray());
        AssertClose([0, 0, 0, 1 / 3.0, 0, 1, 2 / 3.0, 0, 0, 1, 0, 1], scaler.Transform(Train())["x"].Floats);
        AssertClose([5 / 3.0, 2, 2], scaler.Transform(Test())["x"].Floats);
    }

    [Fact]
    public void Min_max_maps_onto_any_range()
    {
        MinMaxScaler scaler = MinMaxScaler.Fit(Train(), "x", low: -1f, high: 1f);
        AssertClose([-1, -1, -1, -1 / 3.0, -1, 1], scaler.Transform(Train())["x"].Floats[..6]);
        Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(Train(), "x", low: 1f, high: 1f));
    }

    [Fact]
    public void Each_pixel_of_an_image_column_gets_its_own_statistics()
    {
        var images = new Dataset(DatasetColumn.OfFloats("image", [0, 2, 4, 6, 2, 2, 8, 10], 1, 2, 2));
        Standardizer scaler = Standardizer.Fit(images, "image");

        Assert.Equal(4, scaler.FeatureCount);
        AssertClose([1, 2, 6, 8], scaler.Mean.ToArray());
        AssertClose([1, 0, 2, 2], scaler.StandardDeviation.ToArray());
        DatasetColumn scaled = scaler.Transform(images["image"]);
        Assert.Equal(new[] { 1, 2, 2 }, scaled.Shape);
        AssertClose([-1, 0, -1, -1, 1, 0, 1, 1], scaled.Floats);
    }

    [Fact]
    public void In_place_transforms_map_whole_examples()
    {
        MinMaxScaler scaler = MinMaxScaler.Fit(Train(), "x");
        float[] example = [2.5f, 10f, 0f];
        scaler.Transform(example);
        AssertClose([0.5, 0, 0.5], example);
        scaler.InverseTransform(example);
        AssertClose([2.5, 10, 0], example);
        Assert.Throws<ArgumentException>(() => scaler.Transform(new float[4]));
    }

    [Fact]
    public void A_column_of_another_shape_or_integers_is_rejected()
    {
        Standardizer scaler = Standardizer.Fit(Train(), "x");
        var shape = Assert.Throws<ArgumentException>(() => scaler.Transform(DatasetColumn.OfFloats("x", new float[4], 2)));
        Assert.Contains("fitted on 'x' : float[3]", shape.Message);
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(Train(), "y"));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(Train(), "z"));
    }
}

public class StandardizerStatisticsTests
{
    [Fact]
    public void A_standardizer_rebuilt_from_its_statistics_maps_like_the_fitted_one()
    {
        var train = new Dataset(DatasetColumn.OfFloats("image", [0.1f, 2, 4, 6, 2, 2, 8, 10.3f, 3, 1, 0, 7], 1, 2, 2));
        Standardizer fitted = Standardizer.Fit(train, "image");

        Standardizer rebuilt = Standardizer.FromStatistics("image", fitted.Mean, fitted.StandardDeviation, [1, 2, 2]);

        Assert.Equal(new[] { 1, 2, 2 }, rebuilt.Shape);
        Assert.Equal(fitted.Transform(train)["image"].Floats.ToArray(), rebuilt.Transform(train)["image"].Floats.ToArray());
        Assert.Equal(new[] { 4 }, Standardizer.FromStatistics("v", fitted.Mean, fitted.StandardDeviation).Shape);
    }

    [Fact]
    public void Statistics_that_cannot_describe_a_scaler_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics("x", [1, 2], [1]));
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics("x", [1, 2], [1, -1]));
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics("x", [1, float.NaN], [1, 1]));
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics("x", [1, 2], [1, 1], [3]));
    }

    [Fact]
    public void The_scale_ratio_is_the_widest_over_the_narrowest_nonconstant_feature()
    {
        // Incomes around 40,000 (std 5,000) next to a fraction (std 0.05) and a constant.
        Standardizer scaler = Standardizer.FromStatistics("x", [40_000, 0.3f, 1], [5_000, 0.05f, 0]);

        Assert.Equal(1e5, scaler.ScaleRatio, 1e-3 * 1e5);
        Assert.Equal(1, Standardizer.FromStatistics("x", [3], [2]).ScaleRatio);
    }
}
