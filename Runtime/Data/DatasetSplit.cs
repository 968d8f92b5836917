namespace ModelC.Runtime.Data;

/// <summary>A dataset cut into training, validation and test parts that share no example.</summary>
public sealed record DatasetSplit(Dataset Train, Dataset Validation, Dataset Test);
