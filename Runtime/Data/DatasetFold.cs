namespace ModelC.Runtime.Data;

/// <summary>One fold of k-fold cross-validation: <see cref="Validation"/> is this fold's examples, <see cref="Train"/> all the others.</summary>
public sealed record DatasetFold(int Index, Dataset Train, Dataset Validation);
