using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelC.Compiler;
using ModelC.Compiler.Binding;
using ModelC.Compiler.Diagnostics;
using Xunit;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// Inputs of a megabyte or less that ask for unbounded work: each compiles or is refused at the
    /// statement that asks too much, on a 1 MB thread, within a bounded number of allocated bytes
    /// and of CPU seconds of that thread (not wall time, which a busy machine stretches).
    /// </summary>
    /// <summary>
    /// Runs alone, after the parallel tests: a collection the thread triggers also sweeps its
    /// neighbours' garbage, and its CPU time would be theirs too.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class BoundedCostCollection
    {
        public const string Name = "Bounded cost";
    }

    [Collection(BoundedCostCollection.Name)]
    public class BoundedCostTests
    {
        private const int OneMegabyte = 1_000_000;
        private const long MaxAllocatedBytes = 1_200_000_000;
        private const double MaxCpuSeconds = 5;

        public static IEnumerable<object[]> Hazards() => new[]
        {
            new object[] { "statement chain" }, new object[] { "poly degree" }, new object[] { "rnn steps" },
            new object[] { "gru steps" }, new object[] { "block fan-out" }, new object[] { "concat operands" },
            new object[] { "dense layers" }, new object[] { "models" }, new object[] { "models with errors" },
            new object[] { "blocks and models" },
        };

        private static string Text(string hazard) => hazard switch
        {
            "statement chain" => Repeat("model Long {\n    input x : float[4];\n    let h0 = x;\n",
                i => $"    let h{i + 1} = h{i} * 0.5 + x;\n", n => $"    output o = h{n};\n}}\n"),
            "poly degree" => "model P {\n    input x : float[4];\n    output o = poly(x, 2147483647);\n}\n",
            // Over a batch-wide sequence (a parameter) a recurrent layer is unrolled step by step; over inputs it is one kernel call.
            "rnn steps" => "model S {\n    param x : float[20000, 4];\n    layer r = rnn(8);\n    output o = last(r(x));\n}\n",
            "gru steps" => "model S {\n    param x : float[20000, 4];\n    layer r = gru(8);\n    output o = last(r(x));\n}\n",
            "block fan-out" => FanOut(40),
            "concat operands" => "model K {\n    input x : float[4];\n    output o = concat(x" + string.Concat(Enumerable.Repeat(", x", (OneMegabyte - 100) / 3)) + ");\n}\n",
            "dense layers" => Repeat("model L {\n    input x : float[4];\n    let h0 = x;\n",
                i => $"    layer l{i} = dense(4);\n    let h{i + 1} = l{i}(h{i});\n", n => $"    output o = h{n};\n}}\n"),
            "models" => Repeat("", i => $"model M{i} {{ input x : float[4]; output o = relu(x); }}\n", _ => ""),
            "models with errors" => Repeat("", i => $"model M{i} {{ input x : float[4]; output o = y; }}\n", _ => ""),
            "blocks and models" => Repeat(Blocks(8000), i => $"model M{i} {{ input x : float[4]; output o = x; }}\n", _ => ""),
            _ => throw new ArgumentException(hazard),
        };

        [Theory]
        [MemberData(nameof(Hazards))]
        public void AMegabyteThatAsksForUnboundedWorkIsRefusedWhereItAsks(string hazard)
        {
            var text = Text(hazard);
            Assert.True(Encoding.UTF8.GetByteCount(text) <= OneMegabyte, $"{hazard}: {text.Length} characters");

            var (result, allocated, cpuSeconds) = Measured(text);

            var tooLarge = result.Diagnostics.Where(d => d.Code == DiagnosticCatalog.TooLarge).ToList();
            var refusal = Assert.Single(tooLarge);
            Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCatalog.InternalError);
            Assert.Empty(result.Files);
            var (line, column) = TextPosition.Of(text, refusal.Span.Start);
            Assert.Equal((line, column), (refusal.Span.Line, refusal.Span.Column));
            Assert.Equal(ExpectedRefusal(hazard, text), refusal.Span.Start);
            Assert.True(allocated <= MaxAllocatedBytes, $"{hazard}: {allocated:N0} bytes allocated");
            Assert.True(cpuSeconds <= MaxCpuSeconds, $"{hazard}: {cpuSeconds:F2} s of CPU");
        }

        /// <summary>Where the one MC1023 must point: the statement, argument or model that passes a limit.</summary>
        private static int ExpectedRefusal(string hazard, string text)
        {
            switch (hazard)
            {
                case "poly degree": return text.IndexOf("2147483647", StringComparison.Ordinal);
                case "rnn steps":
                case "gru steps": return text.IndexOf("output o", StringComparison.Ordinal);
                case "block fan-out": return text.IndexOf("layer t", StringComparison.Ordinal);
                case "concat operands": return text.IndexOf("output o", StringComparison.Ordinal);
                case "models":
                case "models with errors":
                case "blocks and models": return text.IndexOf($"M{CompileBudget.MaxModels} ", StringComparison.Ordinal);
                case "statement chain":
                case "dense layers":
                    // Each statement is two operations (a product and a sum; a dense call and its
                    // bias), and inputs take none: statement MaxOperations / 2 + 1 is refused.
                    return text.IndexOf($"    let h{CompileBudget.MaxOperations / 2 + 1} =", StringComparison.Ordinal) + 4;
                default: throw new ArgumentException(hazard);
            }
        }

        [Theory]
        [InlineData("lstm")]
        [InlineData("gru")]
        [InlineData("rnn")]
        public void ARecurrentLayerOverTwentyThousandStepsCompilesToCodeThatDoesNotGrowWithTheSteps(string kind)
        {
            var text = $"model S {{\n    input x : float[20000, 4];\n    layer r = {kind}(8);\n    output o = last(r(x));\n}}\n";

            var (result, allocated, cpuSeconds) = Measured(text);

            Assert.Empty(result.Diagnostics);
            var file = Assert.Single(result.Files);
            Assert.True(file.Source.Length < 200_000, $"{file.Source.Length} characters of C#");
            Assert.True(allocated <= MaxAllocatedBytes && cpuSeconds <= MaxCpuSeconds, $"{allocated:N0} bytes, {cpuSeconds:F2} s");
        }

        [Fact]
        public void NamesOfAHundredThousandCharactersGetTheirSuggestionCheaply()
        {
            var name = new string('a', 100_000);
            var text = $"model N {{\n    input {name} : float[4];\n    output o = {name.Substring(0, 99_999)}b;\n}}\n";

            var (result, allocated, cpuSeconds) = Measured(text);

            var unknown = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticCatalog.UnknownName, unknown.Code);
            Assert.EndsWith($"did you mean '{name}'?", unknown.Message);
            // The full table of 10^10 cells would be 40 GB; the band needs a few rows.
            Assert.True(allocated <= 50_000_000, $"{allocated:N0} bytes allocated");
            Assert.True(cpuSeconds <= MaxCpuSeconds, $"{cpuSeconds:F2} s of CPU");
        }

        [Fact]
        public void ThousandsOfMisspellingsAllGetErrorsAndTheFirstGetSuggestions()
        {
            var text = new StringBuilder("model E {\n    input x : float[4];\n");
            for (int i = 0; i < 5000; i++) text.Append($"    let v{i:D5} = x;\n");
            int uses = 0;
            while (text.Length < OneMegabyte - 200) text.Append($"    let u{uses} = w{uses++ % 5000:D5};\n");
            text.Append("    output o = x;\n}\n");

            var (result, allocated, cpuSeconds) = Measured(text.ToString());

            var unknown = result.Diagnostics.Where(d => d.Code == DiagnosticCatalog.UnknownName).ToList();
            Assert.Equal(uses, unknown.Count);
            Assert.EndsWith("did you mean 'v00000'?", unknown[0].Message);
            Assert.DoesNotContain("did you mean", unknown[^1].Message);
            Assert.True(allocated <= MaxAllocatedBytes, $"{allocated:N0} bytes allocated");
            Assert.True(cpuSeconds <= MaxCpuSeconds, $"{cpuSeconds:F2} s of CPU");
        }

        [Fact]
        public void AModelJustInsideTheBudgetStillCompiles()
        {
            // 9,990 statements of two operations each, plus the input: inside 20,000.
            var text = Repeat("model Long {\n    input x : float[4];\n    let h0 = x;\n",
                i => $"    let h{i + 1} = h{i} * 0.5 + x;\n", n => $"    output o = h{n};\n}}\n", statements: 9_990);

            var (result, _, _) = Measured(text);

            Assert.Empty(result.Diagnostics);
            Assert.Single(result.Files);
        }

        [Fact]
        public void EveryModelOfTheRepositoryUsesAFractionOfTheOperationBudget()
        {
            var costs = CompilerFuzzTests.RepositoryModelFiles()
                .Select(path => (Path: path, Operations: ModelCompiler.Analyze(path, File.ReadAllText(path), null, new DiagnosticBag(path))
                    .Sum(model => model.Graph.Nodes.Sum(CompileBudget.CostOf))))
                .OrderByDescending(c => c.Operations)
                .ToList();

            Assert.True(costs.Count >= 20, $"{costs.Count} files");
            Assert.True(costs[0].Operations * 4 < CompileBudget.MaxOperations, $"{costs[0].Path}: {costs[0].Operations} operations");
        }

        private static string Repeat(string head, Func<int, string> item, Func<int, string> tail, int limit = OneMegabyte, int statements = int.MaxValue)
        {
            var text = new StringBuilder(head);
            int n = 0;
            while (n < statements)
            {
                var next = item(n);
                if (text.Length + next.Length + tail(n + 1).Length > limit - 64) break;
                text.Append(next);
                n++;
            }
            return text.Append(tail(n)).ToString();
        }

        private static string Blocks(int count) =>
            string.Concat(Enumerable.Range(0, count).Select(i => $"block B{i}(n) {{ layer d = dense(n); forward(x) {{ return d(x); }} }}\n"));

        /// <summary>Block k holds two instances of block k − 1: 2^(levels) dense layers from a few kilobytes.</summary>
        private static string FanOut(int levels)
        {
            var text = new StringBuilder("block B0(n) { layer d = dense(n); forward(x) { return d(x); } }\n");
            for (int k = 1; k < levels; k++)
                text.Append($"block B{k}(n) {{ layer a = B{k - 1}(n); layer b = B{k - 1}(n); forward(x) {{ return b(a(x)); }} }}\n");
            return text.Append($"model H {{\n    input x : float[4];\n    layer t = B{levels - 1}(4);\n    output o = t(x);\n}}\n").ToString();
        }

        private static (CompileResult Result, long AllocatedBytes, double CpuSeconds) Measured(string text) =>
            SmallStack.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                double cpuBefore = ThreadCpu.Seconds();
                var result = ModelCompiler.Compile("bounded.model", text);
                return Tuple.Create(result, GC.GetAllocatedBytesForCurrentThread() - before, ThreadCpu.Seconds() - cpuBefore);
            }).ToValueTuple();
    }

    /// <summary>CPU seconds the calling thread has used, from /proc (Linux, where CI runs).</summary>
    internal static class ThreadCpu
    {
        public static double Seconds()
        {
            // Fields 14 and 15 of /proc/thread-self/stat, counted after the parenthesized name.
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
        }
    }
}
