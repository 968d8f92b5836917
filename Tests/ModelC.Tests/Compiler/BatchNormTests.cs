using System;
using System.Collections.Generic;
using System.Linq;
using ModelC.Runtime;
using ModelC.Tests.Fixtures;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// batchnorm: gradients through the batch statistics in training mode against finite
    /// differences of the training-mode loss, PyTorch's training-mode loss and gradients, the
    /// running statistics one training pass leaves, and PyTorch's eval() outputs that use them.
    /// </summary>
    public class BatchNormTests
    {
        private const int Batch = 3;

        /// <summary>name, layer declarations, output expression over a = x + w (an image [2, 5, 6]).</summary>
        public static readonly (string Name, string Declarations, string Output)[] Cases =
        {
            ("image", "layer bn = batchnorm();", "bn(a)"),
            ("after conv", "layer c = conv2d(3, 3, padding: 1); layer bn = batchnorm(); layer fc = dense(2);", "fc(flatten(tanh(bn(c(a)))))"),
            ("features", "layer fc = dense(4); layer bn = batchnorm();", "bn(fc(flatten(a)))"),
            ("shared twice", "layer bn = batchnorm();", "bn(tanh(bn(a)))"),
            ("rows", "layer bn = batchnorm();", "bn(reshape(a, [10, 6]))"),
        };

        public static IEnumerable<object[]> CaseNames() => Cases.Select(c => new object[] { c.Name });

        public static string ModelText(string name)
        {
            var c = Array.Find(Cases, k => k.Name == name);
            return $@"model BatchNormCase {{
    input x : float[2, 5, 6];
    param w : float[2, 5, 6] = uniform(-0.005, 0.005);
    {c.Declarations}
    let a = x + w;
    output o = {c.Output};
    loss = sum(o * o * o) + sum(square(o - 0.3));
}}";
        }

        private static IModel CaseModel(string name)
        {
            var model = ModelHarness.Create(ModelText(name), seed: 3);
            // Weight and bias away from 1 and 0, so their gradients are not special cases.
            var random = new ModelRandom(5);
            foreach (var info in model.ParameterInfos.Where(p => p.Name.StartsWith("bn.", StringComparison.Ordinal)))
                random.FillUniform(model.Parameters.Slice(info.Offset, info.Length), 0.5f, 1.5f);
            return model;
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void ParameterGradientsMatchFiniteDifferencesInTraining(string name)
        {
            GradientCheck.Parameters(CaseModel(name), ImageOpGradientTests.DistinctImages(batch: Batch), training: true);
        }

        [Theory]
        [MemberData(nameof(CaseNames))]
        public void InputGradientsMatchFiniteDifferencesInTraining(string name)
        {
            GradientCheck.Inputs(CaseModel(name), ImageOpGradientTests.DistinctImages(batch: Batch), "o", "x", training: true);
        }

        [Fact]
        public void RunningStatisticsAreBuffersNotParameters()
        {
            var model = ModelHarness.Create(ModelText("after conv"));

            Assert.Equal(new[] { "w", "c.weight", "c.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias" }, model.ParameterInfos.Select(p => p.Name));
            Assert.Equal(new[] { "bn.running_mean", "bn.running_var" }, model.BufferInfos.Select(b => b.Name));
            Assert.Equal(new[] { new[] { 3 }, new[] { 3 } }, model.BufferInfos.Select(b => b.Shape));
            Assert.Equal(new[] { 0, 3 }, model.BufferInfos.Select(b => b.Offset));
            Assert.Equal(new[] { 0f, 0f, 0f, 1f, 1f, 1f }, model.Buffers.ToArray());
        }

        [Fact]
        public void TrainingUpdatesRunningStatisticsAndInferenceLeavesThem()
        {
            var model = ModelHarness.Create(ModelText("image"));
            var batch = ImageOpGradientTests.DistinctImages(batch: Batch);
            batch.Set("o", new float[Batch * 60]);

            model.Forward(batch, training: false);
            Assert.Equal(new[] { 0f, 0f, 1f, 1f }, model.Buffers.ToArray());

            model.Forward(batch, training: true);
            var after = model.Buffers.ToArray();
            Assert.DoesNotContain(0f, after.Take(2));
            Assert.DoesNotContain(1f, after.Skip(2));

            model.GetType().GetMethod("Initialize")!.Invoke(model, new object[] { new ModelRandom(1) });
            Assert.Equal(new[] { 0f, 0f, 1f, 1f }, model.Buffers.ToArray());
        }

        [Fact]
        public void ModelsWithoutBatchNormHaveNoBuffers()
        {
            var model = ModelHarness.Create("model Plain { input x : float[3]; layer fc = dense(2); output o = fc(x); }");
            Assert.Equal(0, model.Buffers.Length);
            Assert.Empty(model.BufferInfos);
        }

        [Fact]
        public void ABatchOfOneFeatureVectorIsRefusedInTraining()
        {
            var model = ModelHarness.Create("model One { input x : float[3]; layer bn = batchnorm(); output o = bn(x); }");
            var data = new ModelData().Set("x", new float[] { 1, 2, 3 }).Set("o", new float[3]);
            var error = Assert.Throws<ArgumentException>(() => model.Forward(data, training: true));
            Assert.Contains("more than one value per channel", error.Message);
        }

        public static IEnumerable<object[]> Fixtures() => StatefulFixture.All();

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void TrainingLossGradientsRunningStatisticsAndInferenceMatchPyTorch(string name)
        {
            var fixture = StatefulFixture.Load(name);
            var model = ModelHarness.Create(fixture.ReadModelSource());
            Assert.Equal(fixture.Parameters.Select(p => p.Name), model.ParameterInfos.Select(p => p.Name));
            fixture.FlatParameters().CopyTo(model.Parameters);
            var batch = new ModelData();
            foreach (var (input, values) in fixture.Inputs) batch.Set(input, values.AsSingles());
            foreach (var (target, values) in fixture.Targets) batch.Set(target, values.AsInts());
            var inputGradients = new ModelData();
            foreach (var (input, values) in fixture.InputGradients) inputGradients.Set(input, new float[values.Length]);

            float loss = model.ForwardBackward(batch, inputGradients);

            GoldenFixtureGradientTests.AssertClose(new[] { fixture.Loss }, new[] { loss }, $"{name} training loss");
            foreach (var (input, values) in fixture.InputGradients)
                GoldenFixtureGradientTests.AssertClose(values, inputGradients.Floats(input), $"{name} d(loss)/d({input})");
            int offset = 0;
            foreach (var gradient in fixture.Gradients)
            {
                GoldenFixtureGradientTests.AssertClose(gradient.Values, model.Gradients.Slice(offset, gradient.Values.Length), $"{name} d(loss)/d({gradient.Name})");
                offset += gradient.Values.Length;
            }
            Assert.Equal(fixture.Buffers.Select(b => b.Name), model.BufferInfos.Select(b => b.Name));
            offset = 0;
            foreach (var buffer in fixture.Buffers)
            {
                GoldenFixtureGradientTests.AssertClose(buffer.Values, model.Buffers.Slice(offset, buffer.Values.Length), $"{name} {buffer.Name}");
                offset += buffer.Values.Length;
            }

            foreach (var (output, values) in fixture.EvalOutputs) batch.Set(output, new float[values.Length]);
            model.Forward(batch, training: false);
            foreach (var (output, values) in fixture.EvalOutputs)
                GoldenFixtureGradientTests.AssertClose(values, batch.Floats(output), $"{name} inference output {output}");
            GoldenFixtureGradientTests.AssertClose(new[] { fixture.EvalLoss }, new[] { model.Loss(batch) }, $"{name} inference loss");
        }
    }
}
