using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Tests.Fixtures;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Every golden fixture: the generated model, given PyTorch's parameters and batch, must
    /// reproduce PyTorch's outputs, batch loss, every parameter gradient and every input gradient
    /// to 1e-4 relative.
    /// </summary>
    public class GoldenFixtureGradientTests
    {
        /// <summary>
        /// |got - want| &lt;= 1e-4 · max(|want|, 1e-2 · max|want| over the tensor). Plain relative error
        /// is meaningless where the reference is 0 (a dead relu unit), so tiny entries are judged
        /// against the tensor's scale; float32 PyTorch stays within 0.26 of this bound.
        /// </summary>
        internal static void AssertClose(IReadOnlyList<double> want, ReadOnlySpan<float> got, string what)
        {
            Assert.True(want.Count == got.Length, $"{what}: expected {want.Count} values, got {got.Length}");
            double scale = want.Count == 0 ? 0 : want.Max(Math.Abs);
            for (int i = 0; i < want.Count; i++)
            {
                double tolerance = 1e-4 * Math.Max(Math.Abs(want[i]), 1e-2 * scale);
                Assert.True(Math.Abs(got[i] - want[i]) <= tolerance,
                    $"{what}[{i}]: PyTorch {want[i]:R}, ModelC {got[i]:R} (difference {Math.Abs(got[i] - want[i]):E2}, tolerance {tolerance:E2})");
            }
        }

        private static (IModel Model, ModelData Batch) Load(GoldenFixture fixture)
        {
            var model = ModelHarness.Create(fixture.ReadModelSource());
            Assert.Equal(fixture.Parameters.Select(p => p.Name), model.ParameterInfos.Select(p => p.Name));
            Assert.Equal(fixture.Parameters.Select(p => p.Shape), model.ParameterInfos.Select(p => p.Shape));
            fixture.FlatParameters().CopyTo(model.Parameters);

            var batch = new ModelData();
            foreach (var (name, input) in fixture.Inputs) batch.Set(name, input.AsSingles());
            foreach (var (name, target) in fixture.Targets)
            {
                if (target.IsInt) batch.Set(name, target.AsInts());
                else batch.Set(name, target.AsSingles());
            }
            return (model, batch);
        }

        [Theory]
        [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
        public void LossAndGradientsMatchPyTorch(string name)
        {
            var fixture = GoldenFixture.Load(name);
            var (model, batch) = Load(fixture);

            var inputGradients = new ModelData();
            foreach (var (input, values) in fixture.InputGradients) inputGradients.Set(input, new float[values.Length]);

            float loss = model.ForwardBackward(batch, inputGradients);

            AssertClose(new[] { fixture.Loss }, new[] { loss }, $"{name} loss");
            foreach (var (input, values) in fixture.InputGradients)
                AssertClose(values, inputGradients.Floats(input), $"{name} d(loss)/d({input})");
            int offset = 0;
            foreach (var gradient in fixture.Gradients)
            {
                AssertClose(gradient.Values, model.Gradients.Slice(offset, gradient.Values.Length), $"{name} d(loss)/d({gradient.Name})");
                offset += gradient.Values.Length;
            }
            Assert.Equal(model.ParameterCount, offset);
        }

        /// <summary>
        /// The gradient arena is not cleared where a backward step writes a gradient rather than adds
        /// to it, so every step must write the whole of such a gradient: a pass after one over other
        /// values, with and without input gradients, gives the first pass's bits.
        /// </summary>
        [Theory]
        [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
        public void GradientsDoNotDependOnThePassBefore(string name)
        {
            var fixture = GoldenFixture.Load(name);
            var (model, batch) = Load(fixture);
            var other = new ModelData();
            foreach (var (input, values) in fixture.Inputs) other.Set(input, values.AsSingles().Select(v => v * 0.75f + 0.125f).ToArray());
            foreach (var (target, values) in fixture.Targets)
            {
                if (values.IsInt) other.Set(target, values.AsInts());
                else other.Set(target, values.AsSingles().Select(v => v * 0.5f - 0.25f).ToArray());
            }
            (float Loss, float[] Gradients, float[][] InputGradients) Pass(ModelData data, bool inputGradients)
            {
                var wanted = new ModelData();
                foreach (var (input, values) in fixture.InputGradients) wanted.Set(input, new float[inputGradients ? values.Length : 0]);
                float loss = model.ForwardBackward(data, wanted);
                return (loss, model.Gradients.ToArray(), fixture.InputGradients.Keys.Select(k => wanted.Floats(k).ToArray()).ToArray());
            }

            var first = Pass(batch, inputGradients: true);
            Pass(other, inputGradients: true);
            Pass(other, inputGradients: false);
            var again = Pass(batch, inputGradients: true);

            Assert.Equal(first.Loss, again.Loss);
            Assert.Equal(first.Gradients, again.Gradients);
            for (int i = 0; i < first.InputGradients.Length; i++) Assert.Equal(first.InputGradients[i], again.InputGradients[i]);
        }

        [Theory]
        [MemberData(nameof(GoldenFixture.All), MemberType = typeof(GoldenFixture))]
        public void OutputsAndInferenceLossMatchPyTorch(string name)
        {
            var fixture = GoldenFixture.Load(name);
            var (model, batch) = Load(fixture);
            foreach (var (output, values) in fixture.Outputs) batch.Set(output, new float[values.Length]);

            model.Forward(batch, training: false);

            foreach (var (output, values) in fixture.Outputs) AssertClose(values, batch.Floats(output), $"{name} output {output}");
            AssertClose(new[] { fixture.Loss }, new[] { model.Loss(batch) }, $"{name} inference loss");
        }
    }
}
