namespace ModelC.Runtime;

/// <summary>
/// Everything <see cref="ModelRandom"/> needs to continue a sequence exactly: the four
/// xoshiro128** words and the second Box–Muller value, if one is waiting.
/// </summary>
public readonly record struct ModelRandomState(
    uint S0, uint S1, uint S2, uint S3, bool HasSpareNormal, float SpareNormal);
