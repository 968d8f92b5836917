using System.Linq;
using ModelC.Runtime.Classical;
using Xunit;

namespace ModelC.Tests.Classical;

public class KMeansTests
{
    [Fact]
    public void Recovers_well_separated_clusters()
    {
        var (rows, truth) = ClassicalTestData.ThreeClusters(seed: 11);
        var model = KMeans.Fit(rows, clusters: 3, seed: 7);

        var mapping = ClassicalTestData.AssertSamePartition(truth, model.Assignments, 3);
        for (int c = 0; c < 3; c++)
            Assert.Equal(ClassicalTestData.ClusterMeans[c], model.Centers[mapping[c]].ToArray(), new ToleranceComparer(0.2));
    }

    [Fact]
    public void Centres_are_the_means_of_their_members_and_inertia_is_their_squared_spread()
    {
        var (rows, _) = ClassicalTestData.ThreeClusters(seed: 12);
        var model = KMeans.Fit(rows, clusters: 3, seed: 1);

        double inertia = 0;
        for (int c = 0; c < 3; c++)
        {
            var members = rows.Where((_, i) => model.Assignments[i] == c).ToArray();
            var mean = Enumerable.Range(0, 2).Select(j => members.Average(r => r[j])).ToArray();
            Assert.Equal(mean, model.Centers[c].ToArray(), new ToleranceComparer(1e-9));
            inertia += members.Sum(r => (r[0] - mean[0]) * (r[0] - mean[0]) + (r[1] - mean[1]) * (r[1] - mean[1]));
        }
        Assert.Equal(inertia, model.Inertia, 1e-6);
        Assert.InRange(model.Iterations, 1, 300);
    }

    [Fact]
    public void Same_seed_gives_the_same_clustering()
    {
        var (rows, _) = ClassicalTestData.ThreeClusters(seed: 13);
        var first = KMeans.Fit(rows, clusters: 5, seed: 42, restarts: 3);
        var second = KMeans.Fit(rows, clusters: 5, seed: 42, restarts: 3);
        Assert.Equal(first.Assignments, second.Assignments);
        Assert.Equal(first.Inertia, second.Inertia);
    }

    [Fact]
    public void More_restarts_never_give_higher_inertia()
    {
        var (rows, _) = ClassicalTestData.ThreeClusters(seed: 14);
        var one = KMeans.Fit(rows, clusters: 6, seed: 3, restarts: 1);
        var many = KMeans.Fit(rows, clusters: 6, seed: 3, restarts: 10);
        Assert.True(many.Inertia <= one.Inertia);
    }

    [Fact]
    public void Predict_labels_points_by_nearest_centre()
    {
        var (rows, truth) = ClassicalTestData.ThreeClusters(seed: 15);
        var model = KMeans.Fit(rows, clusters: 3, seed: 0);
        var mapping = ClassicalTestData.AssertSamePartition(truth, model.Assignments, 3);

        Assert.Equal(mapping[1], model.Predict(new[] { 9.5, 0.5 }));
        Assert.Equal(mapping[2], model.Predict(new[] { -0.5, 11.0 }));
        Assert.Equal(model.Assignments.ToArray(), model.Predict(rows));
    }

    [Fact]
    public void As_many_clusters_as_distinct_points_gives_zero_inertia()
    {
        var rows = new[] { new[] { 0.0 }, new[] { 1.0 }, new[] { 5.0 } };
        var model = KMeans.Fit(rows, clusters: 3, seed: 0);
        Assert.Equal(0.0, model.Inertia, 12);
        Assert.Equal(new[] { 0.0, 1.0, 5.0 }, model.Centers.Select(c => c[0]).OrderBy(v => v).ToArray());
    }
}
