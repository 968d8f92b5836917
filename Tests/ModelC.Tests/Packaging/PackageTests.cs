using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using ModelC.Tests.Cli;
using Xunit;

namespace ModelC.Tests.Packaging
{
    /// <summary>
    /// The packages as a user outside the repository meets them: a new console project that adds
    /// the ModelC package from a feed its nuget.config names, and the modelc tool installed from it.
    /// </summary>
    [Trait("Category", "Slow")]
    public sealed class PackageTests : IClassFixture<PackedFeed>
    {
        private const string XorModel =
            "model Xor {\n" +
            "    input  x : float[2];\n" +
            "    target y : float[1];\n" +
            "    layer hidden = dense(8);\n" +
            "    layer out = dense(1);\n" +
            "    output p = sigmoid(out(tanh(hidden(x))));\n" +
            "    loss = bce(p, y);\n" +
            "    train { optimizer = adam(lr: 0.05); }\n" +
            "}\n";

        private const string XorProgram =
            "using System;\n" +
            "using ModelC.Runtime.Kernels;\n" +
            "\n" +
            "var model = new Outside.Xor(seed: 1);\n" +
            "float[] x = { 0, 0, 0, 1, 1, 0, 1, 1 };\n" +
            "float[] y = { 0, 1, 1, 0 };\n" +
            "float before = model.Loss(x, y);\n" +
            "for (int step = 0; step < 300; step++) model.TrainStep(x, y);\n" +
            "Console.WriteLine(KernelInfo.Describe());\n" +
            "Console.WriteLine(FormattableString.Invariant($\"loss {before:F4} -> {model.Loss(x, y):F4}\"));\n";

        private readonly PackedFeed _feed;

        public PackageTests(PackedFeed feed) => _feed = feed;

        [Fact]
        public void DotnetPack_AtTheRoot_MakesExactlyTheFivePackages_AtOneVersion_WithReadmeLicenseAndSymbols()
        {
            string[] ids = { "ModelC", "ModelC.Runtime", "ModelC.Cli", "ModelC.Onnx", "ModelC.Distributed" };
            // Nothing else is packed (no test, sample or compiler-internal project), and ModelC has no
            // symbol package of its own: its pdbs sit beside the analyzers.
            var expected = ids.SelectMany(id => id == "ModelC"
                    ? new[] { $"{id}.{_feed.Version}.nupkg" }
                    : new[] { $"{id}.{_feed.Version}.nupkg", $"{id}.{_feed.Version}.snupkg" })
                .OrderBy(name => name, System.StringComparer.Ordinal);
            Assert.Equal(expected, Directory.GetFiles(_feed.Path).Select(Path.GetFileName).OrderBy(name => name, System.StringComparer.Ordinal));
            foreach (string id in ids)
            {
                string package = Path.Combine(_feed.Path, $"{id}.{_feed.Version}.nupkg");
                Assert.True(File.Exists(package), $"{package} is missing; pack said:\n{_feed.PackOutput}");
                using var zip = ZipFile.OpenRead(package);
                var entries = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("README.md", entries);
                Assert.Contains("LICENSE", entries);
                string nuspec = new StreamReader(zip.GetEntry($"{id}.nuspec")!.Open()).ReadToEnd();
                Assert.Contains($"<version>{_feed.Version}</version>", nuspec);
                Assert.Contains("<license type=\"expression\">MIT</license>", nuspec);
                Assert.Contains("<readme>README.md</readme>", nuspec);
                Assert.Contains("<repository type=\"git\"", nuspec);
                // Symbols: a .snupkg beside the library packages, pdbs beside the analyzers in ModelC.
                if (id == "ModelC")
                    Assert.Contains("analyzers/dotnet/cs/ModelC.Generators.pdb", entries);
                else
                    AssertSymbolsCover(zip, Path.Combine(_feed.Path, $"{id}.{_feed.Version}.snupkg"));
            }

            using var modelc = ZipFile.OpenRead(Path.Combine(_feed.Path, $"ModelC.{_feed.Version}.nupkg"));
            var files = modelc.Entries.Select(e => e.FullName).ToList();
            foreach (string analyzer in new[] { "ModelC.Generators.dll", "ModelC.Compiler.dll", "ModelC.Dsl.dll", "ModelC.Onnx.Import.dll",
                "Antlr4.Runtime.Standard.dll", "Google.Protobuf.dll" })
                Assert.Contains("analyzers/dotnet/cs/" + analyzer, files);
            Assert.Contains("build/ModelC.targets", files);
            Assert.Contains("buildTransitive/ModelC.targets", files);
            string spec = new StreamReader(modelc.GetEntry("ModelC.nuspec")!.Open()).ReadToEnd();
            Assert.Contains($"<dependency id=\"ModelC.Runtime\" version=\"{_feed.Version}\"", spec);
        }

        [Fact]
        public void ANewConsoleProject_AddsThePackage_AndTrainsAModel()
        {
            using var folder = new TempDirectory();
            string project = Path.Combine(folder.Path, "Outside");
            AssertRan(DotnetCli.Run(folder.Path, "new", "console", "--name", "Outside", "--output", project, "--no-restore"));
            // The feed named in nuget.config: `dotnet add package --source DIR` alone would be forgotten by the next restore.
            File.WriteAllText(Path.Combine(project, "nuget.config"),
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n" +
                $"    <add key=\"modelc\" value=\"{_feed.Path}\" />\n" +
                "  </packageSources>\n</configuration>\n");
            AssertRan(DotnetCli.Run(project, "add", "package", "ModelC", "--version", _feed.Version));
            File.WriteAllText(Path.Combine(project, "xor.model"), XorModel);
            // An .onnx file is compiled only when listed: the importer and Google.Protobuf must load from the package too.
            string root = DotnetCli.RepositoryRoot();
            string onnx = Path.Combine(root, "Tests", "ModelC.Tests", "Fixtures", "Onnx", "mlp.onnx");
            File.Copy(onnx, Path.Combine(project, "mlp.onnx"));
            string projectFile = Path.Combine(project, "Outside.csproj");
            File.WriteAllText(projectFile, File.ReadAllText(projectFile).Replace("</Project>",
                "  <ItemGroup>\n    <AdditionalFiles Include=\"mlp.onnx\" />\n  </ItemGroup>\n</Project>"));
            File.WriteAllText(Path.Combine(project, "Program.cs"), XorProgram
                + "Console.WriteLine($\"onnx first weight: {Outside.Mlp.FromOnnx().Parameters[0]:R}\");\n");

            var (exitCode, output) = DotnetCli.Run(project, "run", "-nodeReuse:false");

            Assert.True(exitCode == 0, "dotnet run failed:\n" + output);
            var line = output.Split('\n').Single(l => l.StartsWith("loss "));
            var parts = line.Substring("loss ".Length).Split(" -> ");
            float before = float.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            float after = float.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(before > 0.5f && after < 0.05f, $"XOR should train: {line}");
            Assert.Contains("kernels: ", output);
            float firstWeight = ModelC.Onnx.OnnxImport.Read(onnx).Tensors[0].Values[0];
            Assert.Contains($"onnx first weight: {firstWeight:R}", output);

            // The props made the model an AdditionalFiles item (the generator's input) and a Watch item.
            var (itemsExit, items) = DotnetCli.Run(project, "msbuild", "-getItem:AdditionalFiles", "-getItem:Watch", "-nologo");
            Assert.True(itemsExit == 0, items);
            using var json = JsonDocument.Parse(items.Substring(items.IndexOf('{')));
            foreach (string itemType in new[] { "AdditionalFiles", "Watch" })
            {
                var identities = json.RootElement.GetProperty("Items").GetProperty(itemType).EnumerateArray()
                    .Select(item => item.GetProperty("Identity").GetString()).ToList();
                Assert.True(identities.Count(identity => identity == "xor.model") == 1, $"{itemType}: {string.Join(", ", identities)}");
            }
        }

        [Fact]
        public void TheTool_InstallsFromTheFeed_AndChecksAModel()
        {
            using var folder = new TempDirectory();
            string tools = Path.Combine(folder.Path, "tools");
            AssertRan(DotnetCli.Run(folder.Path, "tool", "install", "--tool-path", tools, "--add-source", _feed.Path,
                "ModelC.Cli", "--version", _feed.Version));
            string good = folder.Write("xor.model", XorModel);
            string bad = folder.Write("bad.model", XorModel.Replace("tanh(hidden(x))", "tanh(hiden(x))"));
            string modelc = Path.Combine(tools, "modelc");

            var (goodExit, goodOutput) = DotnetCli.RunProgram(modelc, folder.Path, "check", good);
            var (badExit, badOutput) = DotnetCli.RunProgram(modelc, folder.Path, "check", bad);

            Assert.True(goodExit == 0, "modelc check of a good model failed:\n" + goodOutput);
            Assert.Equal(1, badExit);
            Assert.Contains("bad.model(6,", badOutput);
            Assert.Contains("hiden", badOutput);
        }

        // Every assembly of ours in the package (ModelC.Onnx also carries the compiler's) has its pdb in the symbol package.
        private static void AssertSymbolsCover(ZipArchive package, string symbolPackage)
        {
            Assert.True(File.Exists(symbolPackage), $"{symbolPackage} is missing");
            using var symbols = ZipFile.OpenRead(symbolPackage);
            var pdbs = symbols.Entries.Select(e => e.FullName).Where(name => name.EndsWith(".pdb")).ToList();
            var ours = package.Entries.Select(e => e.FullName)
                .Where(name => name.EndsWith(".dll") && Path.GetFileName(name).StartsWith("ModelC", System.StringComparison.OrdinalIgnoreCase))
                .ToList();
            Assert.NotEmpty(ours);
            foreach (string dll in ours)
                Assert.Contains(dll.Substring(0, dll.Length - ".dll".Length) + ".pdb", pdbs);
        }

        private static void AssertRan((int ExitCode, string Output) result) =>
            Assert.True(result.ExitCode == 0, result.Output);
    }
}
