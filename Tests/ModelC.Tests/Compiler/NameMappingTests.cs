using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using ModelC.Compiler.Emit;
using ModelC.Runtime;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Whatever a model is named, and whatever it names its inputs, targets and outputs, the C#
    /// compiles and means what the model says: keywords are escaped, and a name that would be a
    /// generated member's, or another name's, gets a fresh identifier.
    /// </summary>
    public class NameMappingTests
    {
        private static readonly string LongName = "n" + new string('a', 1023);

        public static IEnumerable<object[]> HazardousModels() => new[]
        {
            "model class { input x : float[2]; output o = relu(x); }",
            "namespace float.int; model M { input x : float[2]; output o = relu(x); }",
            "namespace var.record.file; model required { input scoped : float[2]; output field = relu(scoped); }",
            "model Summary { input x : float[2]; output o = relu(x); }",
            "model Random { input x : float[2]; output o = relu(x); }",
            "model XSize { input x : float[2]; output o = relu(x); }",
            "model Forward { input x : float[2]; output Forward = relu(x); }",
            "model M { input batch : float[2]; target batch_ : float[2]; layer fc = dense(2); output loss_ = fc(batch); loss = mse(loss_, batch_); }",
            "model M { input _activations : float[2]; target CheckLength : float[2]; layer fc = dense(2); output Optimizer = fc(_activations); loss = mse(Optimizer, CheckLength); }",
            "model M { input output_ : float[2]; target _parameters : float[2]; layer fc = dense(2); output BatchSize = fc(output_); loss = mse(BatchSize, _parameters); }",
            "model M { input x : float[2]; input X : float[3]; layer fc = dense(2); output o = fc(x) + sum(X); }",
            "model M { input a_b : float[2]; input aB : float[2]; output AB = a_b + aB; output a_b_size = aB; }",
            "model M { input a : float[2]; target aGrad : float[2]; layer fc = dense(2); output o = fc(a); output oGrad = o; loss = mse(o, aGrad); }",
            "model M { input _1 : float[2]; input __ : float[2]; output Value = _1 + __; }",
            "model M { input in : float[2]; target out : float[2]; layer fc = dense(2); output this = fc(in); loss = mse(this, out); }",
            $"model {LongName} {{ input {LongName} : float[2]; target {LongName}2 : float[2]; layer fc = dense(2); output {LongName}3 = fc({LongName}); loss = mse({LongName}3, {LongName}2); }}",
            $"namespace {LongName}.{LongName}; model M {{ input x : float[2]; output o = relu(x); }}",
            "model Summary { input x : float[2]; output o = relu(x); } model SummaryModel { input x : float[2]; output o = -x; }",
            "model M { input x : float[2]; target _gradients : float[2]; layer fc = dense(2); output o = fc(x); loss = mse(o, _gradients); }",
            // Names of the using aliases generated files declare in their namespace.
            "namespace DenseKernels; model DenseKernels { input MathF : float[2]; target ModelArguments : float[2]; layer fc = dense(2); output MethodImpl = fc(MathF); loss = mse(MethodImpl, ModelArguments); }",
            // Every count after this span's name is a generated pass part's (RunForwardPart12, ...).
            "model M { input RunForwardPart1 : float[2]; input run_forward_part : float[2]; layer fc = dense(2); output o = fc(RunForwardPart1) + fc(run_forward_part); }",
            "model MathF { input ScalarMath : float[2]; layer fc = dense(2); output VectorMatrixKernels = relu(fc(ScalarMath)); output e = exp(VectorMatrixKernels); }",
        }.Select(text => new object[] { text });

        [Theory]
        [MemberData(nameof(HazardousModels))]
        public void AHazardouslyNamedModelCompilesAndRuns(string text)
        {
            // Throws with Roslyn's errors and warnings when the C# is not clean.
            var assembly = ModelHarness.CompileAssembly(text);

            var types = assembly.GetTypes().Where(t => typeof(IModel).IsAssignableFrom(t)).ToList();
            Assert.NotEmpty(types);
            foreach (var type in types) Run((IModel)Activator.CreateInstance(type, 0)!);
        }

        /// <summary>Before, TrainStep passed the target's span to the optimizer as the gradients: training ran, and was wrong.</summary>
        [Fact]
        public void ATargetNamedLikeTheGradientFieldTrainsLikeAnyOther()
        {
            const string model = "model M {{ input x : float[3]; target {0} : float[2]; layer fc = dense(2); output o = fc(x); loss = mse(o, {0}); train {{ optimizer = sgd(lr: 0.1); }} }}";
            var plain = ModelHarness.Create(string.Format(model, "y"), seed: 4);
            var hazard = ModelHarness.Create(string.Format(model, "_gradients"), seed: 4);
            var x = new float[] { 0.5f, -1f, 2f, 1f, 0f, -0.5f };
            var y = new float[] { 1f, -1f, 0.25f, 2f };

            var losses = new List<float>();
            for (int step = 0; step < 20; step++)
            {
                float expected = plain.TrainStep(new ModelData().Set("x", x).Set("y", y));
                float actual = hazard.TrainStep(new ModelData().Set("x", x).Set("_gradients", y));
                Assert.Equal(expected, actual);
                losses.Add(actual);
            }
            Assert.Equal(plain.Parameters.ToArray(), hazard.Parameters.ToArray());
            Assert.True(losses[^1] < 0.5f * losses[0], $"the loss went from {losses[0]} to {losses[^1]}");
        }

        [Fact]
        public void TheTypedApiKeepsPlainNamesAndRenamesOnlyHazardousOnes()
        {
            var source = ModelHarness.EmitSource("model M { input x : float[2]; input X : float[3]; target Optimizer : float[1]; layer fc = dense(1); output o = fc(x) + sum(X); loss = mse(o, Optimizer); }");
            // Long signatures are wrapped after their parenthesis and between parameters.
            source = Regex.Replace(Regex.Replace(source, @"\(\n\s*", "("), @"\n\s*", " ");

            Assert.Contains("public const int XSize = 2;", source);
            Assert.Contains("public const int XSize_ = 3;", source);
            Assert.Contains("public void Forward(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> X, global::System.Span<float> o)", source);
            Assert.Contains("public float TrainStep(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> X, global::System.ReadOnlySpan<float> Optimizer_)", source);
        }

        [Fact]
        public void AModelNamedLikeAMemberGetsAClassNamedAfterIt()
        {
            var text = "model Summary { input x : float[2]; output o = relu(x); }";
            var type = Assert.Single(ModelHarness.CompileAssembly(text).GetTypes(), t => typeof(IModel).IsAssignableFrom(t));

            Assert.Equal("SummaryModel", type.Name);
            Assert.Equal("Summary", ModelHarness.Create(text, modelName: "Summary").Name);
        }

        [Fact]
        public void EveryKeywordOfRoslynIsEscaped()
        {
            var keywords = SyntaxFacts.GetReservedKeywordKinds().Concat(SyntaxFacts.GetContextualKeywordKinds())
                .Select(SyntaxFacts.GetText)
                .Where(k => k.All(c => char.IsLetterOrDigit(c) || c == '_'));

            Assert.All(keywords, k => Assert.Equal("@" + k, CSharpNames.Identifier(k)));
        }

        [Fact]
        public void ALongNameIsCutToCSharpsLimitAndKeepsItsDifference()
        {
            string a = CSharpNames.Identifier(LongName + "a"), b = CSharpNames.Identifier(LongName + "b");

            Assert.Equal(CSharpNames.MaxIdentifierLength, a.Length);
            Assert.NotEqual(a, b);
            Assert.Equal("plain", CSharpNames.Identifier("plain"));
            Assert.True(CSharpNames.Namespace(LongName + "." + LongName).Length <= CSharpNames.MaxNamespaceLength);
        }

        /// <summary>The collision rules rest on ModelNames knowing every member the emitter declares.</summary>
        [Fact]
        public void EveryDeclaredMemberIsAGeneratedMemberOrASizeConstant()
        {
            var text = @"
model Everything {
    input x : float[1, 4, 4];
    input ids : int<5>;
    target y : int<3>;
    layer conv = conv2d(2, 3, padding: same);
    layer bn = batchnorm();
    layer emb = embedding(5, 2);
    layer fc = dense(3);
    let h = relu(bn(conv(x)));
    output logits = fc(concat(flatten(h), emb(ids)));
    loss = cross_entropy(logits, y, ignore_index: 2) + 1e-4 * l2(params);
}";
            var type = Assert.Single(ModelHarness.CompileAssembly(text).GetTypes(), t => typeof(IModel).IsAssignableFrom(t));
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not ConstructorInfo && !(m is MethodInfo { IsSpecialName: true }) && !m.Name.Contains('.') && !m.Name.StartsWith("<", StringComparison.Ordinal))
                .Select(m => m.Name)
                .Distinct();
            var sizeConstants = new[] { "XSize", "IdsSize", "YSize", "LogitsSize" };

            Assert.All(members, name => Assert.True(ModelNames.IsGeneratedMember(name) || sizeConstants.Contains(name), $"{name} is declared but not in ModelNames.GeneratedMembers"));
        }

        /// <summary>Forward, Backward and TrainStep on a batch of two, through the untyped API (which calls the typed one).</summary>
        internal static void Run(IModel model)
        {
            var data = new ModelData();
            foreach (var input in model.Inputs)
            {
                if (input.Kind == TensorKind.Int) data.Set(input.Name, Enumerable.Range(0, 2 * input.Size).Select(i => i % Math.Max(1, input.Classes)).ToArray());
                else data.Set(input.Name, Enumerable.Range(0, 2 * input.Size).Select(i => (i % 7) / 7f - 0.4f).ToArray());
            }
            foreach (var target in model.Targets)
            {
                if (target.Kind == TensorKind.Int) data.Set(target.Name, Enumerable.Range(0, 2 * target.Size).Select(i => i % Math.Max(1, target.Classes)).ToArray());
                else data.Set(target.Name, Enumerable.Range(0, 2 * target.Size).Select(i => (i % 5) / 5f).ToArray());
            }
            foreach (var output in model.Outputs) data.Set(output.Name, new float[2 * output.Size]);
            if (model.Outputs.Count > 0)
            {
                model.Forward(data, training: true);
                var gradients = new ModelData();
                foreach (var output in model.Outputs) gradients.Set(output.Name, Enumerable.Repeat(0.5f, 2 * output.Size).ToArray());
                model.Backward(gradients, null);
                model.Forward(data, training: false);
            }
            if (model.HasLoss)
            {
                float loss = model.TrainStep(data);
                Assert.True(float.IsFinite(loss), $"{model.Name}: loss {loss}");
            }
        }
    }
}
