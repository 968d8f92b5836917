using System;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Runtime;

public sealed class ModelRandomTests
{
    private const int Draws = 100_000;

    [Fact]
    public void SeedingUsesSplitMix64()
    {
        // Vigna's published SplitMix64 outputs for seed 1234567 are
        // 6457827717110365317 (0x599ED017_FB08FC85) and 3203168211198807973 (0x2C73F084_58540FA5).
        ModelRandomState state = new ModelRandom(1234567UL).GetState();

        Assert.Equal((0xFB08FC85u, 0x599ED017u, 0x58540FA5u, 0x2C73F084u), (state.S0, state.S1, state.S2, state.S3));
    }

    [Fact]
    public void StepMatchesTheCReferenceImplementation()
    {
        // Outputs of xoshiro128starstar.c from this state (xoshiro-6502's verification data).
        var random = new ModelRandom(new ModelRandomState(0x964D4A0C, 0xD40AB895, 0xAD7FDECB, 0x3006F0F0, false, 0));

        uint[] outputs = [random.NextUInt(), random.NextUInt(), random.NextUInt(), random.NextUInt()];

        Assert.Equal([0xF1391922u, 0x6FE53806u, 0xA5BE2840u, 0xF510EE70u], outputs);
        Assert.Equal(new ModelRandomState(0xFC65379C, 0x52006D70, 0x87487639, 0xF1908343, false, 0), random.GetState());
    }

    [Fact]
    public void FirstOutputsForSeed42ArePinned()
    {
        var random = new ModelRandom(42);

        uint[] outputs = [random.NextUInt(), random.NextUInt(), random.NextUInt(), random.NextUInt(), random.NextUInt()];

        Assert.Equal([1776835114u, 4165204688u, 17111135u, 2317295270u, 2792088233u], outputs);
    }

    [Fact]
    public void FirstFloatsAndNormalsForSeed42ArePinned()
    {
        var floats = new ModelRandom(42);
        var normals = new ModelRandom(42);

        Assert.Equal([0.4137016534805298f, 0.9697872400283813f, 0.003983974456787109f], [floats.NextFloat(), floats.NextFloat(), floats.NextFloat()]);
        Assert.Equal([1.033046007156372f, 0.02586480602622032f], [normals.NextNormal(), normals.NextNormal()]);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(42L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void AgreesWithTheReferenceImplementation(long seed)
    {
        var random = new ModelRandom(unchecked((ulong)seed));
        var reference = new ReferenceXoshiro128StarStar(unchecked((ulong)seed));

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(reference.Next(), random.NextUInt());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(4096)]
    public void FillFloatsDrawsWhatNextFloatDrawsAndLeavesTheSameState(int count)
    {
        var filled = new ModelRandom(42);
        var drawn = new ModelRandom(42);
        var values = new float[count];

        filled.FillFloats(values);

        for (int i = 0; i < count; i++) Assert.Equal(drawn.NextFloat(), values[i]);
        Assert.Equal(drawn.GetState(), filled.GetState());
        Assert.Equal(drawn.NextUInt(), filled.NextUInt());
    }

    [Fact]
    public void IntSeedsMatchTheirSignExtendedLongSeeds()
    {
        Assert.Equal(new ModelRandom(unchecked((ulong)-7L)).GetState(), new ModelRandom(-7).GetState());
        Assert.Equal(new ModelRandom(7UL).GetState(), new ModelRandom(7).GetState());
        Assert.NotEqual(new ModelRandom(7).GetState(), new ModelRandom(8).GetState());
    }

    [Fact]
    public void NextFloatHas24BitsInTheUnitInterval()
    {
        var random = new ModelRandom(1);
        for (int i = 0; i < 10_000; i++)
        {
            float value = random.NextFloat();
            Assert.InRange(value, 0f, 1f - (1f / (1 << 24)));
            double scaled = value * (double)(1 << 24);
            Assert.Equal(Math.Floor(scaled), scaled);
        }
    }

    [Fact]
    public void UniformDrawsHaveMeanOneHalfAndVarianceOneTwelfth()
    {
        var random = new ModelRandom(2024);
        double sum = 0, sumOfSquares = 0;
        for (int i = 0; i < Draws; i++)
        {
            double value = random.NextDouble();
            Assert.InRange(value, 0.0, 1.0 - double.Epsilon);
            sum += value;
            sumOfSquares += value * value;
        }

        double mean = sum / Draws;
        double variance = (sumOfSquares / Draws) - (mean * mean);

        // Three standard errors: sqrt(1/12 / n) for the mean, sqrt((1/80 - 1/144) / n) for the variance.
        Assert.InRange(mean, 0.5 - (3 * Math.Sqrt(1.0 / 12 / Draws)), 0.5 + (3 * Math.Sqrt(1.0 / 12 / Draws)));
        double varianceError = 3 * Math.Sqrt(((1.0 / 80) - (1.0 / 144)) / Draws);
        Assert.InRange(variance, (1.0 / 12) - varianceError, (1.0 / 12) + varianceError);
    }

    [Fact]
    public void NormalDrawsHaveMeanZeroAndStandardDeviationOne()
    {
        var random = new ModelRandom(7);
        double sum = 0, sumOfSquares = 0;
        for (int i = 0; i < Draws; i++)
        {
            double value = random.NextNormal();
            sum += value;
            sumOfSquares += value * value;
        }

        double mean = sum / Draws;
        double std = Math.Sqrt((sumOfSquares / Draws) - (mean * mean));

        // Three standard errors: 1/sqrt(n) for the mean, sqrt(1/(2n)) for the standard deviation.
        Assert.InRange(mean, -3 / Math.Sqrt(Draws), 3 / Math.Sqrt(Draws));
        Assert.InRange(std, 1 - (3 * Math.Sqrt(0.5 / Draws)), 1 + (3 * Math.Sqrt(0.5 / Draws)));
    }

    [Fact]
    public void FillNormalScalesAndShifts()
    {
        var random = new ModelRandom(11);
        float[] values = new float[Draws];

        random.FillNormal(values, 3f, 0.5f);

        double mean = 0, squares = 0;
        foreach (float value in values)
        {
            mean += value;
        }

        mean /= Draws;
        foreach (float value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        double std = Math.Sqrt(squares / Draws);
        Assert.InRange(mean, 3 - (3 * 0.5 / Math.Sqrt(Draws)), 3 + (3 * 0.5 / Math.Sqrt(Draws)));
        Assert.InRange(std, 0.5 * (1 - (3 * Math.Sqrt(0.5 / Draws))), 0.5 * (1 + (3 * Math.Sqrt(0.5 / Draws))));
    }

    [Fact]
    public void FillUniformStaysInItsInterval()
    {
        var random = new ModelRandom(5);
        float[] values = new float[Draws];

        random.FillUniform(values, -0.25f, 0.75f);

        double mean = 0;
        foreach (float value in values)
        {
            Assert.InRange(value, -0.25f, 0.75f);
            mean += value;
        }

        mean /= Draws;
        Assert.InRange(mean, 0.25 - (3 * Math.Sqrt(1.0 / 12 / Draws)), 0.25 + (3 * Math.Sqrt(1.0 / 12 / Draws)));
    }

    [Fact]
    public void NextIntIsUniformOverItsRange()
    {
        var random = new ModelRandom(3);
        int[] counts = new int[6];
        for (int i = 0; i < 60_000; i++)
        {
            counts[random.NextInt(6)]++;
        }

        double chiSquare = 0;
        foreach (int count in counts)
        {
            chiSquare += (count - 10_000.0) * (count - 10_000.0) / 10_000.0;
        }

        // 20.5 is the 99.9th percentile of chi-square with 5 degrees of freedom.
        Assert.True(chiSquare < 20.5, $"chi-square {chiSquare}");
    }

    [Fact]
    public void NextIntCoversExtremeBounds()
    {
        var random = new ModelRandom(9);

        Assert.Equal(0, random.NextInt(1));
        for (int i = 0; i < 1000; i++)
        {
            Assert.InRange(random.NextInt(int.MaxValue), 0, int.MaxValue - 1);
        }
    }

    [Fact]
    public void NextIntMatchesLemiresMultiplyShift()
    {
        // For a power of two no draw is rejected, so the result is the top bits of the product.
        var random = new ModelRandom(42);

        Assert.Equal((int)(((ulong)1776835114u * 1024) >> 32), random.NextInt(1024));
    }

    [Fact]
    public void ShuffleIsADeterministicPermutation()
    {
        int[] first = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        int[] second = (int[])first.Clone();

        new ModelRandom(4).Shuffle<int>(first);
        new ModelRandom(4).Shuffle<int>(second);

        Assert.Equal(first, second);
        Assert.NotEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], first);
        Array.Sort(second);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], second);
    }

    [Fact]
    public void ShufflePlacesEveryElementEverywhereEquallyOften()
    {
        var random = new ModelRandom(12);
        int[,] counts = new int[3, 3];
        int[] values = new int[3];
        for (int trial = 0; trial < 30_000; trial++)
        {
            values[0] = 0;
            values[1] = 1;
            values[2] = 2;
            random.Shuffle<int>(values);
            for (int position = 0; position < 3; position++)
            {
                counts[values[position], position]++;
            }
        }

        // Each cell is Binomial(30000, 1/3): standard deviation 81.6, so 5 sigma is 408.
        foreach (int count in counts)
        {
            Assert.InRange(count, 10_000 - 408, 10_000 + 408);
        }
    }

    [Fact]
    public void StateRoundTripsIncludingTheCachedNormal()
    {
        var random = new ModelRandom(99);
        random.NextNormal();
        ModelRandomState saved = random.GetState();
        Assert.True(saved.HasSpareNormal);

        float[] first = [random.NextNormal(), random.NextNormal(), random.NextFloat(), random.NextNormal()];
        random.SetState(saved);
        float[] second = [random.NextNormal(), random.NextNormal(), random.NextFloat(), random.NextNormal()];

        var restored = new ModelRandom(saved);
        float[] third = [restored.NextNormal(), restored.NextNormal(), restored.NextFloat(), restored.NextNormal()];

        Assert.Equal(first, second);
        Assert.Equal(first, third);
    }

    [Fact]
    public void BadArgumentsAreRejectedByName()
    {
        var random = new ModelRandom(0);
        float[] values = new float[2];

        Assert.Equal("maxExclusive", Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0)).ParamName);
        Assert.Equal("high", Assert.Throws<ArgumentOutOfRangeException>(() => random.FillUniform(values, 1f, 0f)).ParamName);
        Assert.Equal("low", Assert.Throws<ArgumentOutOfRangeException>(() => random.FillUniform(values, float.NaN, 0f)).ParamName);
        Assert.Equal("std", Assert.Throws<ArgumentOutOfRangeException>(() => random.FillNormal(values, 0f, -1f)).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => random.SetState(default)).ParamName);
    }
}
