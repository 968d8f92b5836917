namespace ModelC.Runtime.Classical;

/// <summary>
/// What a candidate chosen for the current round, but not yet scored, counts as while the rest of
/// the round is chosen (Ginsbourger, Le Riche and Carraro, "Kriging is well-suited to parallelize
/// optimization", 2010). Either way the surrogate's uncertainty collapses at the pending point, so
/// expected improvement moves on to other regions.
/// </summary>
public enum BatchStrategy
{
    /// <summary>The surrogate's own prediction at the candidate ("kriging believer").</summary>
    KrigingBeliever,

    /// <summary>The lowest value observed so far ("constant liar", CL-min): optimistic, so the round stays near the best region.</summary>
    ConstantLiar,
}
