using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelC.Runtime;
using ModelC.Runtime.Classical;
using ModelC.Runtime.Data;
using ModelC.Runtime.Training;

namespace ModelC.Samples.Vae;

/// <summary>Images as rows of 784 pixels in [0, 1], with their class labels.</summary>
public sealed record ImageSet(float[] Pixels, int[] Labels)
{
    public const int Size = 784;
    public int Count => Labels.Length;

    public ImageSet Take(int count) => new(Pixels.AsSpan(0, count * Size).ToArray(), Labels.AsSpan(0, count).ToArray());

    /// <summary>The first <paramref name="count"/> images of a folder's IDX pair <paramref name="prefix"/> (train or t10k).</summary>
    public static ImageSet Load(string folder, string prefix, int count)
    {
        var images = IdxFile.ReadImages(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"));
        var labels = IdxFile.ReadLabels(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"));
        int n = Math.Min(count, images.Count);
        return new ImageSet(images.Pixels.AsSpan(0, n * Size).ToArray(), labels.AsSpan(0, n).ToArray());
    }
}

public readonly record struct VaeEpoch(int Epoch, double TrainingLoss);

/// <summary>
/// Two 2-D maps of the same test images, the VAE's latent means and PCA's projection, and how
/// well each keeps the classes apart: the accuracy of a 5-nearest-neighbour vote in the map, the
/// neighbours taken from the training images' map.
/// </summary>
public sealed record VaeRun(IReadOnlyList<VaeEpoch> Epochs, double[][] LatentTest, double[][] PcaTest, double LatentKnnAccuracy, double PcaKnnAccuracy, int BatchSize);

public static class VaeDemo
{
    public const int Neighbours = 5;

    /// <param name="latentOutput">The model output holding each image's 2-D code: the VAE's <c>mu</c>, an autoencoder's <c>code</c>.</param>
    /// <param name="progress">Receives a report per batch (at most every 100 ms) and per epoch.</param>
    public static VaeRun Run(IModel model, ImageSet training, ImageSet test, int seed, int? epochs = null, string latentOutput = "mu", IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        int batchSize = model.TrainingDefaults.Batch ?? 64;
        int epochCount = epochs ?? model.TrainingDefaults.Epochs ?? 10;
        var order = Enumerable.Range(0, training.Count).ToArray();
        var shuffler = new ModelRandom(seed);
        var pixels = new float[batchSize * ImageSet.Size];
        var batch = new ModelData();
        var history = new List<VaeEpoch>();
        var reports = new LoopProgress(progress, epochCount, (training.Count + batchSize - 1) / batchSize);
        for (int epoch = 1; epoch <= epochCount; epoch++)
        {
            shuffler.Shuffle(order.AsSpan());
            double total = 0;
            reports.StartEpoch(epoch);
            for (int start = 0; start < training.Count; start += batchSize)
            {
                int size = Math.Min(batchSize, training.Count - start);
                for (int k = 0; k < size; k++)
                    training.Pixels.AsSpan(order[start + k] * ImageSet.Size, ImageSet.Size).CopyTo(pixels.AsSpan(k * ImageSet.Size));
                batch.Set("x", pixels.AsMemory(0, size * ImageSet.Size));
                float loss = model.TrainStep(batch);
                total += loss * size;
                reports.AfterBatch(size, loss);
            }
            reports.EndEpoch(learningRate: model.Optimizer.LearningRate);
            history.Add(new VaeEpoch(epoch, total / training.Count));
        }

        var latentTrain = Encode(model, training, latentOutput);
        var latentTest = Encode(model, test, latentOutput);
        var pca = Pca.Fit(Rows(training), components: 2);
        var pcaTrain = pca.Transform(Rows(training));
        var pcaTest = pca.Transform(Rows(test));
        return new VaeRun(history, latentTest, pcaTest,
            KnnAccuracy(latentTrain, training.Labels, latentTest, test.Labels),
            KnnAccuracy(pcaTrain, training.Labels, pcaTest, test.Labels), batchSize);
    }

    /// <summary>The 2-D code of every image, in inference mode (a VAE's mean, without sampling).</summary>
    public static double[][] Encode(IModel model, ImageSet images, string latentOutput = "mu")
    {
        var data = new ModelData().Set("x", images.Pixels);
        foreach (var output in model.Outputs)
            data.Set(output.Name, new float[images.Count * output.Size]);
        model.Forward(data, training: false);
        float[] code = data.Floats(latentOutput).ToArray();
        return Enumerable.Range(0, images.Count).Select(i => new double[] { code[2 * i], code[2 * i + 1] }).ToArray();
    }

    public static double[][] Rows(ImageSet images) =>
        Enumerable.Range(0, images.Count).Select(i => images.Pixels.AsSpan(i * ImageSet.Size, ImageSet.Size).ToArray().Select(p => (double)p).ToArray()).ToArray();

    /// <summary>Accuracy of a majority vote of the k nearest reference points (ties: the nearest's class).</summary>
    public static double KnnAccuracy(double[][] reference, int[] referenceLabels, double[][] queries, int[] queryLabels, int k = Neighbours)
    {
        int correct = 0;
        var distances = new double[reference.Length];
        var indices = new int[reference.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            for (int r = 0; r < reference.Length; r++)
            {
                double dx = reference[r][0] - queries[q][0], dy = reference[r][1] - queries[q][1];
                distances[r] = dx * dx + dy * dy;
                indices[r] = r;
            }
            Array.Sort((double[])distances.Clone(), indices);
            var votes = new int[10];
            for (int j = 0; j < k; j++) votes[referenceLabels[indices[j]]]++;
            int best = referenceLabels[indices[0]];
            for (int c = 0; c < votes.Length; c++) if (votes[c] > votes[best]) best = c;
            if (best == queryLabels[q]) correct++;
        }
        return correct / (double)queries.Length;
    }
}
