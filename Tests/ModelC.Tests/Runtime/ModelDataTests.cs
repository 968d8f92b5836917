using System;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Runtime;

public sealed class ModelDataTests
{
    [Fact]
    public void FloatsAreViewsOfTheCallersArray()
    {
        float[] logits = new float[3];
        var data = new ModelData().Set("logits", logits);

        data.Floats("logits")[1] = 2.5f;

        Assert.Equal([0f, 2.5f, 0f], logits);
    }

    [Fact]
    public void IntsAndMemorySlicesAreReadBack()
    {
        int[] labels = [3, 1, 4, 1, 5];
        float[] pixels = [0.1f, 0.2f, 0.3f, 0.4f];
        var data = new ModelData()
            .Set("y", labels.AsMemory(1, 3))
            .Set("x", pixels.AsMemory(2));

        Assert.Equal([1, 4, 1], data.Ints("y").ToArray());
        Assert.Equal([0.3f, 0.4f], data.Floats("x").ToArray());
        Assert.Equal(TensorKind.Int, data.KindOf("y"));
        Assert.Equal(TensorKind.Float, data.KindOf("x"));
        Assert.Equal(2, data.Count);
    }

    [Fact]
    public void SettingAnExistingNameReplacesItsValues()
    {
        var data = new ModelData().Set("x", [1f]);

        data.Set("x", [2f, 3f]);
        Assert.Equal([2f, 3f], data.Floats("x").ToArray());

        data.Set("x", [7]);
        Assert.Equal([7], data.Ints("x").ToArray());
        Assert.Equal(1, data.Count);
    }

    [Fact]
    public void ContainsAndRemove()
    {
        var data = new ModelData().Set("x", new float[1]);

        Assert.True(data.Contains("x"));
        Assert.False(data.Contains("X"));
        Assert.True(data.Remove("x"));
        Assert.False(data.Contains("x"));
        Assert.False(data.Remove("x"));
    }

    [Fact]
    public void AMissingNameIsReportedWithTheKnownNames()
    {
        var data = new ModelData().Set("x", new float[1]).Set("y", new int[1]);

        var error = Assert.Throws<ArgumentException>(() => data.Floats("logits"));

        Assert.Equal("name", error.ParamName);
        Assert.Contains("'logits'", error.Message);
        Assert.Contains("'x', 'y'", error.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new ModelData().Ints("y")).Message);
    }

    [Fact]
    public void AskingForTheWrongKindIsAnError()
    {
        var data = new ModelData().Set("x", new float[1]).Set("y", new int[1]);

        Assert.Contains("holds floats", Assert.Throws<ArgumentException>(() => data.Ints("x")).Message);
        Assert.Contains("holds integers", Assert.Throws<ArgumentException>(() => data.Floats("y")).Message);
    }

    [Fact]
    public void ResettingExistingNamesAllocatesNothing()
    {
        float[] x = new float[8];
        int[] y = new int[2];
        var data = new ModelData().Set("x", x).Set("y", y);
        RebindBoth(data, x, y);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            RebindBoth(data, x, y);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void RebindBoth(ModelData data, float[] x, int[] y)
    {
        data.Set("x", x.AsMemory(0, 4));
        data.Set("y", y);
        data.Floats("x")[0] = 1f;
        _ = data.Ints("y")[0];
    }
}
