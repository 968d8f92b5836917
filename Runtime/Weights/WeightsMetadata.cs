using System.Collections.Generic;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Weights;

/// <summary>
/// What a weights file carries besides its tensors: the string entries of its <c>__metadata__</c>
/// (the saver's own, plus <c>format</c> and the <c>modelc.*</c> entries), and the input
/// <see cref="Standardizer"/> saved with the weights, if any, to apply again before predicting.
/// </summary>
public sealed record WeightsMetadata(IReadOnlyDictionary<string, string> Entries, Standardizer? Standardizer);
