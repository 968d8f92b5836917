using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;

namespace ModelC.Samples.Recommender;

/// <summary>Held-out and training RMSE after one epoch.</summary>
public readonly record struct RecommenderEpoch(int Epoch, double TrainingRmse, double TestRmse);

/// <summary>What training the factorization produced, next to the baselines it must beat.</summary>
public sealed record RecommenderRun(IReadOnlyList<RecommenderEpoch> Epochs, double TestRmse, double GlobalMeanRmse, double ItemMeanRmse, int BatchSize);

/// <summary>
/// Trains the generated factorization model with its train block's optimizer, batch size and
/// epochs (reshuffling every epoch) and scores it on held-out ratings against two baselines:
/// the mean training rating, and each item's mean training rating. Written against IModel, so
/// the sample and its tests run the same code.
/// </summary>
public static class RecommenderDemo
{
    public static RecommenderRun Run(IModel model, RatingSet training, RatingSet test, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        int batchSize = model.TrainingDefaults.Batch ?? 128;
        int epochs = model.TrainingDefaults.Epochs ?? 25;
        var order = Enumerable.Range(0, training.Count).ToArray();
        var shuffler = new ModelRandom(seed);
        var users = new int[batchSize];
        var items = new int[batchSize];
        var ratings = new float[batchSize];
        var batch = new ModelData();
        var history = new List<RecommenderEpoch>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            shuffler.Shuffle(order.AsSpan());
            for (int start = 0; start < training.Count; start += batchSize)
            {
                int size = Math.Min(batchSize, training.Count - start);
                for (int k = 0; k < size; k++)
                {
                    int row = order[start + k];
                    users[k] = training.Users[row];
                    items[k] = training.Items[row];
                    ratings[k] = training.Ratings[row];
                }
                batch.Set("user", users.AsMemory(0, size)).Set("item", items.AsMemory(0, size)).Set("rating", ratings.AsMemory(0, size));
                model.TrainStep(batch);
            }
            history.Add(new RecommenderEpoch(epoch, Rmse(Predict(model, training), training.Ratings), Rmse(Predict(model, test), test.Ratings)));
        }
        double globalMean = training.Ratings.Average();
        var itemMeans = ItemMeans(training, globalMean);
        return new RecommenderRun(history, history[^1].TestRmse,
            Rmse(test.Ratings.Select(_ => globalMean).ToArray(), test.Ratings),
            Rmse(test.Items.Select(i => itemMeans[i]).ToArray(), test.Ratings),
            batchSize);
    }

    /// <summary>The model's predicted rating for every (user, item) pair of a set.</summary>
    public static double[] Predict(IModel model, RatingSet set)
    {
        var predicted = new float[set.Count];
        model.Forward(new ModelData().Set("user", set.Users).Set("item", set.Items).Set("predicted", predicted), training: false);
        return Array.ConvertAll(predicted, p => (double)p);
    }

    /// <summary>Each item's mean training rating; the global mean for an item nobody rated.</summary>
    public static double[] ItemMeans(RatingSet training, double fallback)
    {
        var sums = new double[Ratings.Items];
        var counts = new int[Ratings.Items];
        for (int k = 0; k < training.Count; k++)
        {
            sums[training.Items[k]] += training.Ratings[k];
            counts[training.Items[k]]++;
        }
        return sums.Select((sum, i) => counts[i] == 0 ? fallback : sum / counts[i]).ToArray();
    }

    public static double Rmse(IReadOnlyList<double> predicted, IReadOnlyList<float> actual)
    {
        double sum = 0;
        for (int k = 0; k < actual.Count; k++) sum += (predicted[k] - actual[k]) * (predicted[k] - actual[k]);
        return Math.Sqrt(sum / actual.Count);
    }
}
