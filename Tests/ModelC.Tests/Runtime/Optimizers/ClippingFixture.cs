using System.Collections.Generic;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>clipping.json: torch.nn.utils clipping of one gradient vector, and torch.renorm of a few weights.</summary>
internal sealed record ClippingFixture(
    string Torch,
    double[] Gradients,
    ClipNormCase[] ClipNorm,
    ClipValueCase[] ClipValue,
    NamedTensor[] MaxNormParameters,
    MaxNormCase[] MaxNorm);

internal sealed record ClipNormCase(double MaxNorm, double Norm, double[] Clipped);

internal sealed record ClipValueCase(double Limit, double[] Clipped);

internal sealed record NamedTensor(string Name, int[] Shape, double[] Values);

internal sealed record MaxNormCase(double C, Dictionary<string, double[]> After);
