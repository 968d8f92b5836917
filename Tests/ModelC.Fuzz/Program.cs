using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using CsCheck;
using ModelC.InMemory;
using ModelC.Compiler;
using ModelC.Runtime;
using ModelC.Tests.Compiler;
using ModelC.Tests.Diagnostics;

namespace ModelC.Fuzz
{
    /// <summary>
    /// The suite's compiler fuzz test for as long as one likes: CsCheck draws inputs (a mutation of
    /// a .model file of the repository, a random model, a model with hazardous names) and each goes
    /// through ModelCompiler.Compile on a 1 MB thread. It must answer within the budget, with no
    /// exception, no MC9999 and diagnostics inside the text; what it accepts must build with Roslyn
    /// and run Forward, Backward and TrainStep. A failure is shrunk and printed with its seed.
    /// </summary>
    public static class Program
    {
        private const int OneMegabyte = 1024 * 1024;

        public static int Main(string[] args)
        {
            int seconds = IntOption(args, "--seconds", 600);
            int threads = IntOption(args, "--threads", Environment.ProcessorCount);
            double budget = IntOption(args, "--budget-seconds", 5);
            string? seed = Option(args, "--seed");
            string root = Option(args, "--root") ?? Directory.GetCurrentDirectory();

            var files = Directory.EnumerateFiles(root, "*.model", SearchOption.AllDirectories)
                .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/"))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(File.ReadAllText)
                .ToArray();
            if (files.Length == 0)
            {
                Console.Error.WriteLine($"no .model files under {root}; pass --root REPOSITORY");
                return 2;
            }

            // The int drawn is a seed for the writer or mutator, so a shrunk case is reproducible text.
            var inputs = Gen.Int[0, files.Length + 1].Select(Gen.Int[0, int.MaxValue], (kind, writerSeed) =>
                kind < files.Length ? new ModelMutator(writerSeed).Mutate(files[kind])
                : kind == files.Length ? RandomModelWriter.Write(writerSeed)
                : HazardousModelWriter.Write(writerSeed, "Fuzz"));

            if (Option(args, "--batch") is string batch) return HazardousBatch.Run(int.Parse(batch, CultureInfo.InvariantCulture), seed is null ? 1 : int.Parse(seed, CultureInfo.InvariantCulture));

            int checkedInputs = 0, accepted = 0;
            Console.WriteLine($"fuzzing ModelCompiler.Compile for {seconds} s on {threads} threads: {files.Length} .model files, budget {budget} s per input");
            inputs.Sample(text =>
            {
                if (CheckInput(text, TimeSpan.FromSeconds(budget))) Interlocked.Increment(ref accepted);
                Interlocked.Increment(ref checkedInputs);
            }, writeLine: Console.WriteLine, seed: seed, iter: long.MaxValue, time: seconds, threads: threads,
               print: text => "\n" + text);
            Console.WriteLine($"{checkedInputs} inputs, {accepted} accepted and built: no failure");
            return 0;
        }

        /// <summary>Throws on a broken promise; true when the model was accepted (and so built and ran).</summary>
        private static bool CheckInput(string text, TimeSpan budget)
        {
            CompileResult? result = null;
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try { result = ModelCompiler.Compile("fuzz.model", text); }
                catch (Exception e) { failure = e; }
            }, OneMegabyte) { IsBackground = true };
            thread.Start();
            if (!thread.Join(budget)) throw new TimeoutException($"Compile took longer than {budget.TotalSeconds} s");
            if (failure is not null) throw new InvalidOperationException("Compile threw", failure);

            foreach (var d in result!.Diagnostics)
            {
                if (d.Code == "MC9999") throw new InvalidOperationException($"internal error: {d}");
                if (d.Span.Start < 0 || d.Span.End > text.Length) throw new InvalidOperationException($"span outside the text: {d}");
            }
            if (result.HasErrors) return false;

            var assembly = InMemoryModels.Compile(result.Files.Select(f => f.Source), out var problems)
                ?? throw new InvalidOperationException("accepted, but the C# does not build:\n" + string.Join("\n", problems));
            foreach (var type in assembly.GetTypes().Where(t => typeof(IModel).IsAssignableFrom(t)))
                Run((IModel)Activator.CreateInstance(type, 0)!);
            return true;
        }

        private static void Run(IModel model)
        {
            var data = new ModelData();
            foreach (var tensor in model.Inputs.Concat(model.Targets))
            {
                if (tensor.Kind == TensorKind.Int) data.Set(tensor.Name, Enumerable.Range(0, 2 * tensor.Size).Select(i => i % Math.Max(1, tensor.Classes)).ToArray());
                else data.Set(tensor.Name, Enumerable.Range(0, 2 * tensor.Size).Select(i => (i % 7) / 7f - 0.4f).ToArray());
            }
            foreach (var output in model.Outputs) data.Set(output.Name, new float[2 * output.Size]);
            if (model.Outputs.Count > 0)
            {
                model.Forward(data, training: true);
                var gradients = new ModelData();
                foreach (var output in model.Outputs) gradients.Set(output.Name, Enumerable.Repeat(0.5f, 2 * output.Size).ToArray());
                model.Backward(gradients, null);
            }
            if (model.HasLoss) model.TrainStep(data);
        }

        private static string? Option(string[] args, string name)
        {
            int at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        private static int IntOption(string[] args, string name, int fallback) =>
            Option(args, name) is string value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
    }
}
