using System;
using System.Collections.Generic;
using ModelC.Runtime;

namespace ModelC.Samples.Recommender;

/// <summary>Observed (user, item, rating) triples, in three parallel arrays.</summary>
public sealed record RatingSet(int[] Users, int[] Items, float[] Ratings)
{
    public int Count => Ratings.Length;
}

/// <summary>
/// A synthetic ratings matrix with the structure matrix factorization assumes: each rating is
/// 3.5 + a user bias + an item bias + the dot product of 3 hidden user and item tastes, plus
/// noise, rounded to whole stars in [1, 5]. A fifth of the entries are observed; a fifth of those
/// are held out for testing.
/// </summary>
public static class Ratings
{
    public const int Users = 300, Items = 200, Tastes = 3;
    public const double ObservedFraction = 0.2, TestFraction = 0.2;

    public static (RatingSet Training, RatingSet Test) Generate(int seed)
    {
        var random = new ModelRandom(seed);
        var userTaste = Normal(random, Users * Tastes, 0.7f);
        var itemTaste = Normal(random, Items * Tastes, 0.7f);
        var userBias = Normal(random, Users, 0.4f);
        var itemBias = Normal(random, Items, 0.6f);
        var training = (new List<int>(), new List<int>(), new List<float>());
        var test = (new List<int>(), new List<int>(), new List<float>());
        for (int u = 0; u < Users; u++)
        {
            for (int i = 0; i < Items; i++)
            {
                if (random.NextDouble() >= ObservedFraction) continue;
                double score = 3.5 + userBias[u] + itemBias[i] + 0.3 * random.NextNormal();
                for (int k = 0; k < Tastes; k++) score += userTaste[u * Tastes + k] * itemTaste[i * Tastes + k];
                float stars = (float)Math.Clamp(Math.Round(score), 1, 5);
                var (users, items, ratings) = random.NextDouble() < TestFraction ? test : training;
                users.Add(u);
                items.Add(i);
                ratings.Add(stars);
            }
        }
        return (new RatingSet(training.Item1.ToArray(), training.Item2.ToArray(), training.Item3.ToArray()),
                new RatingSet(test.Item1.ToArray(), test.Item2.ToArray(), test.Item3.ToArray()));
    }

    private static float[] Normal(ModelRandom random, int count, float std)
    {
        var values = new float[count];
        random.FillNormal(values, 0f, std);
        return values;
    }
}
