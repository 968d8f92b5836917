using System.IO;
using ModelC.Cli;
using ModelC.Compiler.Summary;
using ModelC.Tests.Generators;
using ModelC.Tests.Samples;
using Xunit;

namespace ModelC.Tests.Cli
{
    public class SummaryAndGraphCommandTests
    {
        private static string FashionModel => Path.Combine(SampleModels.RepositoryPath("samples"), "FashionMlp", "fashion.model");

        [Fact]
        public void Summary_lists_layers_with_shapes_parameter_counts_and_flops()
        {
            var output = new StringWriter();

            int exitCode = SummaryCommand.Run(FashionModel, null, output, new StringWriter());

            Assert.Equal(ExitCodes.Success, exitCode);
            string text = output.ToString().Replace("\r\n", "\n");
            Assert.Contains("x (input)     [784]                  0\n", text);
            Assert.Contains("fc1 (dense)   [128]            100,480\n", text);
            Assert.Contains("fc2 (dense)   [64]               8,256\n", text);
            Assert.Contains("out (dense)   [10]                 650\n", text);
            // 784·128 + 128 + 128·64 + 64 + 64·10 + 10 parameters, as the generated ParameterCount.
            Assert.Contains("Total parameters: 109,386\nTrainable parameters: 109,386\nNon-trainable parameters: 0\n", text);
            // Multiply-adds of the three dense layers count 2 each: 2·(784·128 + 128·64 + 64·10) = 218,368;
            // then one per element: relu 128, relu 64, dropout 64, softmax 10, which makes 218,634.
            Assert.Contains("Forward FLOPs per example: 218,634\n", text);
        }

        [Fact]
        public void Summary_of_LeNet_counts_convolutions_and_pools()
        {
            var output = new StringWriter();

            SummaryCommand.Run(Path.Combine(SampleModels.RepositoryPath("samples"), "LeNet", "lenet.model"), null, output, new StringWriter());

            string text = output.ToString().Replace("\r\n", "\n");
            Assert.Matches(@"conv1 \(conv2d\)\s+\[6, 28, 28\]\s+156\n", text);
            Assert.Matches(@"pool1 \(maxpool2d\)\s+\[6, 14, 14\]\s+0\n", text);
            Assert.Matches(@"conv2 \(conv2d\)\s+\[16, 10, 10\]\s+2,416\n", text);
            Assert.Contains("Total parameters: 61,706\n", text);
            // 2 per multiply-add: conv1 2·4,704·25, conv2 2·1,600·150, fc 2·(400·120 + 120·84 + 84·10) = 833,040;
            // one per element of the rest: reshape 784, relu 4,704, pool 1,176, relu 1,600, pool 400,
            // flatten 400, relu 120, relu 84 = 9,268; together 842,308.
            Assert.Contains("Forward FLOPs per example: 842,308\n", text);
        }

        [Fact]
        public void Summary_lists_raw_parameters_on_rows_of_their_own()
        {
            using var folder = new TempDirectory();
            string file = folder.Write("mf.model", """
                model Factors {
                    input x : float[3];
                    param w : float[3, 2] = normal(0, 0.1);
                    layer fit = dense(1);
                    output y = fit(x @ w);
                }
                """);
            var output = new StringWriter();

            SummaryCommand.Run(file, null, output, new StringWriter());

            Assert.Matches(@"w \(param\)\s+\[3, 2\]\s+6\n", output.ToString().Replace("\r\n", "\n"));
            Assert.Contains("Total parameters: 9", output.ToString());
        }

        [Fact]
        public void Mermaid_graph_follows_the_data_from_input_to_loss()
        {
            var output = new StringWriter();

            int exitCode = GraphCommand.Run(FashionModel, DiagramFormat.Mermaid, null, output, new StringWriter());

            Assert.Equal(ExitCodes.Success, exitCode);
            string text = output.ToString();
            Assert.StartsWith("flowchart TD\n", text);
            Assert.Contains("n0([\"input x : float[784]\"])", text);
            Assert.Contains("n2[\"fc1 = dense 784->128 [128]\"]", text);
            // The weight decay's constant is shown on the op it scales; the penalty reads two layers and names none.
            Assert.Contains("[\"mul 0.0001 []\"]", text);
            Assert.Contains("[\"l2 of fc1.weight, fc2.weight []\"]", text);
            Assert.Contains("n0 --> n2", text);
            Assert.Contains("[\"loss: mean over the batch []\"]", text);
        }

        [Fact]
        public void Dot_graph_is_one_digraph_named_after_the_model()
        {
            var output = new StringWriter();

            GraphCommand.Run(FashionModel, DiagramFormat.Dot, "FashionMlp", output, new StringWriter());

            string text = output.ToString();
            Assert.StartsWith("digraph FashionMlp {\n", text);
            Assert.Contains("n1 [label=\"target y : int<10>\", shape=ellipse];", text);
            Assert.Contains("n7 [label=\"logits: out = dense 64->10 [10]\", style=bold];", text);
            Assert.EndsWith("}\n", text);
        }

        [Fact]
        public void A_file_of_several_models_needs_model_for_a_graph_and_an_unknown_name_is_listed()
        {
            using var folder = new TempDirectory();
            string file = folder.Write("two.model", TestModels.Tiny + "\n" + TestModels.Other);
            var error = new StringWriter();

            Assert.Equal(ExitCodes.BadInput, GraphCommand.Run(file, DiagramFormat.Dot, null, new StringWriter(), error));
            Assert.Contains("choose one with --model", error.ToString());

            error = new StringWriter();
            Assert.Equal(ExitCodes.BadInput, SummaryCommand.Run(file, "Nope", new StringWriter(), error));
            Assert.Contains("no model named 'Nope'", error.ToString());
        }

        [Fact]
        public void A_model_with_errors_prints_its_diagnostics_and_exits_one()
        {
            using var folder = new TempDirectory();
            string file = folder.Write("bad.model", TestModels.UndefinedNameOnLine5);
            var output = new StringWriter();

            Assert.Equal(ExitCodes.CompileErrors, SummaryCommand.Run(file, null, output, new StringWriter()));
            Assert.Contains("error MC1001", output.ToString());
        }
    }
}
