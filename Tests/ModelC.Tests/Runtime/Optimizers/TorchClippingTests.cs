using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Optimizers;
using Xunit;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>
/// clip_norm, clip_value and max_norm against torch.nn.utils.clip_grad_norm_,
/// clip_grad_value_ and torch.renorm(w, 2, 0, c) (clipping.json), to 1e-5 relative.
/// </summary>
public class TorchClippingTests
{
    private const double Tolerance = 1e-5;

    private static readonly Lazy<ClippingFixture> Fixture = new(() => RuntimeFixtures.Load<ClippingFixture>("clipping.json"));

    [Fact]
    public void Clip_norm_matches_clip_grad_norm()
    {
        ClippingFixture fixture = Fixture.Value;
        Assert.Contains(fixture.ClipNorm, c => c.Norm > c.MaxNorm);
        Assert.Contains(fixture.ClipNorm, c => c.Norm < c.MaxNorm);
        foreach (ClipNormCase c in fixture.ClipNorm)
        {
            float[] gradients = Floats(fixture.Gradients);
            float norm = GradientClipping.ClipNorm(gradients, (float)c.MaxNorm);
            AssertClose(c.Norm, norm, $"norm (max {c.MaxNorm})");
            AssertAllClose(c.Clipped, gradients, $"clip_norm {c.MaxNorm}");
        }
    }

    [Fact]
    public void Clip_value_matches_clip_grad_value()
    {
        ClippingFixture fixture = Fixture.Value;
        foreach (ClipValueCase c in fixture.ClipValue)
        {
            float[] gradients = Floats(fixture.Gradients);
            GradientClipping.ClipValue(gradients, (float)c.Limit);
            AssertAllClose(c.Clipped, gradients, $"clip_value {c.Limit}");
        }

        Assert.Contains(fixture.ClipValue, c => c.Clipped.Any(v => Math.Abs(v) == (float)c.Limit));
    }

    [Fact]
    public void Max_norm_matches_torch_renorm_and_leaves_biases_alone()
    {
        ClippingFixture fixture = Fixture.Value;
        var infos = new List<ParameterInfo>();
        int offset = 0;
        foreach (NamedTensor tensor in fixture.MaxNormParameters)
        {
            infos.Add(new ParameterInfo(tensor.Name, tensor.Shape, offset, tensor.Values.Length));
            offset += tensor.Values.Length;
        }

        double[] initial = fixture.MaxNormParameters.SelectMany(t => t.Values).ToArray();
        foreach (MaxNormCase c in fixture.MaxNorm)
        {
            float[] parameters = Floats(initial);
            MaxNorm.Apply(parameters, infos, (float)c.C);
            foreach (ParameterInfo info in infos)
            {
                AssertAllClose(c.After[info.Name], parameters.AsSpan(info.Offset, info.Length).ToArray(), $"max_norm {c.C} {info.Name}");
            }

            NamedTensor bias = fixture.MaxNormParameters.Single(t => t.Shape.Length == 1);
            Assert.Equal(Floats(bias.Values), parameters.AsSpan(infos.Single(i => i.Name == bias.Name).Offset, bias.Values.Length).ToArray());
        }

        // The fixture must make some rows shrink and leave others, or it tests nothing.
        MaxNormCase middle = fixture.MaxNorm.Single(c => c.C == 1.5);
        NamedTensor weight = fixture.MaxNormParameters.Single(t => t.Name == "fc.weight");
        Assert.NotEqual(weight.Values, middle.After["fc.weight"]);
        Assert.Equal(weight.Values.Take(4), middle.After["fc.weight"].Take(4));
    }

    [Fact]
    public void Max_norm_rejects_a_non_positive_bound()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => MaxNorm.RenormRows(new float[4], 2, 0));
        Assert.Equal("maxNorm", exception.ParamName);
    }

    private static float[] Floats(double[] values) => values.Select(v => (float)v).ToArray();

    private static void AssertAllClose(double[] want, float[] got, string what)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
        {
            AssertClose(want[i], got[i], $"{what} [{i}]");
        }
    }

    private static void AssertClose(double want, float got, string what)
    {
        double error = RuntimeFixtures.RelativeError(got, want);
        Assert.True(error <= Tolerance, $"{what}: got {got:R}, torch {want:R} (relative error {error:E2})");
    }
}
