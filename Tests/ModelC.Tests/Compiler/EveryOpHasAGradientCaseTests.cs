using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ModelC.Compiler;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using Xunit;

namespace ModelC.Tests.Compiler
{
    /// <summary>
    /// Every op the compiler can emit (each node kind, each elementwise function, each reduction and
    /// pooling) appears in a model of the gradient-check tables, so a new op cannot ship without a
    /// gradient test. Stochastic ops, which finite differences cannot see through a fresh draw, name
    /// the test that checks them instead.
    /// </summary>
    public class EveryOpHasAGradientCaseTests
    {
        /// <summary>Ops checked by a dedicated test instead of the tables, with that test's name.</summary>
        private static readonly Dictionary<string, string> TestedElsewhere = new()
        {
            [nameof(DropoutNode)] = nameof(GeneratedApiTests.DropoutGradientFlowsOnlyThroughKeptUnits),
            [nameof(SampleNormalNode)] = nameof(SampleNormalTests.ParameterGradientsMatchFiniteDifferencesWithEpsFixed),
        };

        /// <summary>Nodes with nothing to differentiate: data, parameters, buffers, constants, errors.</summary>
        private static readonly Type[] Leaves = { typeof(DataNode), typeof(ParameterNode), typeof(BufferNode), typeof(ConstantNode), typeof(ErrorNode) };

        private static IEnumerable<string> CaseModels() =>
            OpGradientTests.Cases.Select(c => OpGradientTests.ModelText(c.Name))
                .Concat(ImageOpGradientTests.Cases.Select(c => ImageOpGradientTests.ModelText(c.Name)))
                .Concat(SequenceOpGradientTests.Cases.Select(c => SequenceOpGradientTests.ModelText(c.Name)))
                .Concat(BatchNormTests.Cases.Select(c => BatchNormTests.ModelText(c.Name)));

        /// <summary>The op a node stands for: its kind, refined by function, reduction or pooling.</summary>
        private static string OpOf(Node node) => node switch
        {
            UnaryNode unary => "unary " + FunctionName(unary.Function.Name),
            BinaryNode binary => "binary " + binary.Function.Name,
            ReduceNode reduce => "reduce " + reduce.Kind,
            Pool2dNode pool => "pool " + pool.Kind,
            _ => node.GetType().Name,
        };

        // leaky_relu(0.1) and leaky_relu(0.2) are one function.
        private static string FunctionName(string name) => name.Split('(')[0];

        private static IEnumerable<string> EveryOp()
        {
            var nodeKinds = typeof(Node).Assembly.GetTypes()
                .Where(t => t.IsSubclassOf(typeof(Node)) && !t.IsAbstract && !Leaves.Contains(t));
            foreach (var kind in nodeKinds)
            {
                if (kind == typeof(UnaryNode) || kind == typeof(BinaryNode) || kind == typeof(ReduceNode) || kind == typeof(Pool2dNode)) continue;
                yield return kind.Name;
            }
            foreach (var function in UnaryFunctions.ByName.Values.Select(f => f.Name)
                .Concat(new[] { UnaryFunctions.LeakyRelu(0.1).Name, UnaryFunctions.Elu(1).Name, UnaryFunctions.Pow(3).Name, UnaryFunctions.Huber(1).Name }))
                yield return "unary " + FunctionName(function);
            foreach (var field in typeof(BinaryFunctions).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(BinaryFunction)))
                yield return "binary " + ((BinaryFunction)field.GetValue(null)!).Name;
            foreach (var kind in Enum.GetValues(typeof(ReduceKind))) yield return "reduce " + kind;
            foreach (var kind in Enum.GetValues(typeof(PoolKind))) yield return "pool " + kind;
        }

        [Fact]
        public void EveryOpTheCompilerCanEmitHasAGradientCase()
        {
            var covered = new HashSet<string>();
            foreach (var text in CaseModels())
            {
                var diagnostics = new DiagnosticBag("case.model");
                var models = ModelCompiler.Analyze("case.model", text, null, diagnostics);
                Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics.Items));
                foreach (var node in models.SelectMany(m => m.Graph.Nodes)) covered.Add(OpOf(node));
            }

            var missing = EveryOp().Where(op => !covered.Contains(op) && !TestedElsewhere.ContainsKey(op)).ToList();
            Assert.True(missing.Count == 0, "ops without a gradient case: " + string.Join(", ", missing));
        }

        [Fact]
        public void OpsTestedElsewhereAreNotAlsoInTheTables()
        {
            // An op that gains a table case no longer needs its exemption; keep the list honest.
            var covered = CaseModels().SelectMany(text => ModelCompiler.Analyze("case.model", text, null, new DiagnosticBag("case.model")))
                .SelectMany(m => m.Graph.Nodes).Select(OpOf).ToHashSet();
            Assert.Empty(TestedElsewhere.Keys.Where(covered.Contains));
        }
    }
}
