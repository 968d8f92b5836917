using System.Linq;
using ModelC.Dsl.Syntax;
using Xunit;

namespace ModelC.Tests.Dsl
{
    public class ParserTreeTests
    {
        [Fact]
        public void FashionMlpExampleParsesIntoItsStatements()
        {
            var file = ParseAssert.Valid(ModelSources.FashionMlp);

            Assert.Equal("Samples.Fashion", file.Namespace);
            Assert.Empty(file.Blocks);
            var model = Assert.Single(file.Models);
            Assert.Equal("FashionMlp", model.Name);
            Assert.Equal(
                new[]
                {
                    "InputSyntax", "TargetSyntax", "LayerSyntax", "LayerSyntax", "LayerSyntax", "LetSyntax", "LetSyntax",
                    "OutputSyntax", "OutputSyntax", "LossSyntax", "TrainSyntax",
                },
                model.Statements.Select(statement => statement.GetType().Name));

            var input = Assert.IsType<InputSyntax>(model.Statements[0]);
            Assert.Equal("x", input.Name);
            var inputType = Assert.IsType<FloatTypeSyntax>(input.Type);
            Assert.Equal(new long?[] { 784 }, inputType.Dimensions.Select(d => d.Value));

            var target = Assert.IsType<TargetSyntax>(model.Statements[1]);
            Assert.Equal("y", target.Name);
            var targetType = Assert.IsType<IntTypeSyntax>(target.Type);
            Assert.Equal(10, targetType.Classes.Value);
            Assert.Empty(targetType.Dimensions);

            var fc2 = Assert.IsType<LayerSyntax>(model.Statements[3]);
            Assert.Equal("fc2", fc2.Name);
            Assert.Equal("(call dense 64 init:he)", SyntaxPrinter.Print(fc2.Constructor));
            Assert.Equal(new[] { null, "init" }, fc2.Constructor.Arguments.Select(a => a.Name));
            var output = Assert.IsType<LayerSyntax>(model.Statements[4]);
            Assert.Equal("out", output.Name);

            var h2 = Assert.IsType<LetSyntax>(model.Statements[6]);
            Assert.Equal("h2", h2.Name);
            Assert.Equal("(call dropout (call relu (call fc2 h1)) 0.2)", SyntaxPrinter.Print(h2.Value));

            var logits = Assert.IsType<OutputSyntax>(model.Statements[7]);
            Assert.Equal("logits", logits.Name);
            Assert.Equal("(call out h2)", SyntaxPrinter.Print(logits.Value));
            Assert.Equal("probs", Assert.IsType<OutputSyntax>(model.Statements[8]).Name);

            var loss = Assert.IsType<LossSyntax>(model.Statements[9]);
            Assert.Equal(
                "(+ (call cross_entropy logits y) (* 1e-4 (call l2 (. fc1 weight) (. fc2 weight))))",
                SyntaxPrinter.Print(loss.Value));
        }

        [Fact]
        public void FashionMlpTrainBlockKeepsAssignmentsAndBareCallsInOrder()
        {
            var train = ParseAssert.Valid(ModelSources.FashionMlp).Models.Single().Statements.OfType<TrainSyntax>().Single();

            Assert.Equal(
                new[] { "optimizer", "schedule", "batch", "epochs", "clip_norm", "early_stopping" },
                train.Settings.Select(setting => setting.Name));
            Assert.Equal(new[] { false, false, false, false, false, true }, train.Settings.Select(setting => setting.IsCall));
            Assert.Equal("(call adam lr:1e-3)", SyntaxPrinter.Print(train.Settings[0].Value));
            var batch = Assert.IsType<NumberSyntax>(train.Settings[2].Value);
            Assert.Equal(64.0, batch.Value);
            Assert.True(batch.IsInteger);
            var clip = Assert.IsType<NumberSyntax>(train.Settings[4].Value);
            Assert.Equal(5.0, clip.Value);
            Assert.False(clip.IsInteger);
            Assert.Equal("(call early_stopping patience:3)", SyntaxPrinter.Print(train.Settings[5].Value));
        }

        [Fact]
        public void ResBlockExampleParsesLayersAndForward()
        {
            var file = ParseAssert.Valid(ModelSources.ResBlock);

            Assert.Null(file.Namespace);
            Assert.Empty(file.Models);
            var block = Assert.Single(file.Blocks);
            Assert.Equal("ResBlock", block.Name);
            Assert.Equal(new[] { "channels" }, block.Parameters.Select(p => p.Name));
            Assert.Equal(new[] { "conv1", "bn1", "conv2", "bn2" }, block.Statements.Cast<LayerSyntax>().Select(l => l.Name));
            Assert.Equal("(call conv2d channels 3 padding:same)", SyntaxPrinter.Print(((LayerSyntax)block.Statements[0]).Constructor));
            Assert.Equal("(call batchnorm)", SyntaxPrinter.Print(((LayerSyntax)block.Statements[1]).Constructor));
            Assert.Equal(new[] { "x" }, block.ForwardParameters.Select(p => p.Name));
            Assert.Equal(2, block.ForwardBody.Count);
            var let = Assert.IsType<LetSyntax>(block.ForwardBody[0]);
            Assert.Equal("h", let.Name);
            Assert.Equal("(call relu (call bn1 (call conv1 x)))", SyntaxPrinter.Print(let.Value));
            var @return = Assert.IsType<ReturnSyntax>(block.ForwardBody[1]);
            Assert.Equal("(call relu (+ x (call bn2 (call conv2 h))))", SyntaxPrinter.Print(@return.Value));
        }

        [Theory]
        [InlineData("a + b * c @ d", "(+ a (@ (* b c) d))")]
        [InlineData("a - b - c", "(- (- a b) c)")]
        [InlineData("a / b * c", "(* (/ a b) c)")]
        [InlineData("a @ b + c", "(+ (@ a b) c)")]
        [InlineData("(a + b) * c", "(* (+ a b) c)")]
        [InlineData("-a * b", "(* (neg a) b)")]
        [InlineData("-a + -b", "(+ (neg a) (neg b))")]
        [InlineData("a - -b", "(- a (neg b))")]
        [InlineData("- -a", "(neg (neg a))")]
        [InlineData("+a", "(pos a)")]
        [InlineData("-fc1.weight", "(neg (. fc1 weight))")]
        [InlineData("-f(x)[0]", "(neg (index (call f x) 0))")]
        [InlineData("U[u] * V[v]", "(* (index U u) (index V v))")]
        [InlineData("seq[t + 1]", "(index seq (+ t 1))")]
        [InlineData("enc.fc.weight", "(. (. enc fc) weight)")]
        [InlineData("enc.fc(x)", "(call (. enc fc) x)")]
        [InlineData("reshape(x, [7, 7])", "(call reshape x [7 7])")]
        [InlineData("[]", "[]")]
        [InlineData("concat(a, b, axis: 0)", "(call concat a b axis:0)")]
        [InlineData("l2(params)", "(call l2 params)")]
        [InlineData("normal(0, -0.1)", "(call normal 0 (neg 0.1))")]
        public void ExpressionsFollowPrecedenceAndAssociativity(string expression, string expectedTree)
        {
            Assert.Equal(expectedTree, ParseAssert.Expression(expression));
        }

        [Theory]
        [InlineData("3", 3.0, true)]
        [InlineData("0.2", 0.2, false)]
        [InlineData("1e-4", 1e-4, false)]
        [InlineData("1E+3", 1000.0, false)]
        [InlineData("2.5e2", 250.0, false)]
        public void NumbersKeepValueTextAndKind(string text, double value, bool isInteger)
        {
            var let = Assert.IsType<LetSyntax>(ParseAssert.ValidModel($"let v = {text};").Statements.Single());
            var number = Assert.IsType<NumberSyntax>(let.Value);
            Assert.Equal(value, number.Value);
            Assert.Equal(text, number.Text);
            Assert.Equal(isInteger, number.IsInteger);
        }

        [Fact]
        public void TypesCoverScalarsTensorsClassesAndSequences()
        {
            var model = ParseAssert.ValidModel(
                "input s : float;\ninput img : float[1, 28, 28];\ninput tokens : int<65>[100];\ntarget label : int<10>;");

            var scalar = Assert.IsType<FloatTypeSyntax>(((InputSyntax)model.Statements[0]).Type);
            Assert.Empty(scalar.Dimensions);
            var image = Assert.IsType<FloatTypeSyntax>(((InputSyntax)model.Statements[1]).Type);
            Assert.Equal(new long?[] { 1, 28, 28 }, image.Dimensions.Select(d => d.Value));
            Assert.Equal(new[] { "1", "28", "28" }, image.Dimensions.Select(d => d.Text));
            var sequence = Assert.IsType<IntTypeSyntax>(((InputSyntax)model.Statements[2]).Type);
            Assert.Equal(65, sequence.Classes.Value);
            Assert.Equal(new long?[] { 100 }, sequence.Dimensions.Select(d => d.Value));
            var label = Assert.IsType<IntTypeSyntax>(((TargetSyntax)model.Statements[3]).Type);
            Assert.Equal(10, label.Classes.Value);
        }

        [Fact]
        public void ParamKeepsItsInitializerWhenWritten()
        {
            var model = ParseAssert.ValidModel("param U : float[943, 16] = normal(0, 0.1);\nparam b : float[16];");

            var withInitializer = Assert.IsType<ParamSyntax>(model.Statements[0]);
            Assert.Equal("U", withInitializer.Name);
            Assert.Equal(new long?[] { 943, 16 }, ((FloatTypeSyntax)withInitializer.Type).Dimensions.Select(d => d.Value));
            Assert.Equal("(call normal 0 0.1)", SyntaxPrinter.Print(withInitializer.Initializer!));
            var without = Assert.IsType<ParamSyntax>(model.Statements[1]);
            Assert.Null(without.Initializer);
        }

        [Fact]
        public void FileHoldsSeveralBlocksAndModelsInOrder()
        {
            var file = ParseAssert.Valid(
                "namespace A.B.C;\n" +
                "block First() { forward(x) { return x; } }\n" +
                "model One { input x : float[2]; }\n" +
                "block Second(a, b) { param w : float[3]; forward(x, y) { return x @ w + y; } }\n" +
                "model Two { input x : float[2]; }\n");

            Assert.Equal("A.B.C", file.Namespace);
            Assert.Equal(new[] { "First", "Second" }, file.Blocks.Select(b => b.Name));
            Assert.Equal(new[] { "One", "Two" }, file.Models.Select(m => m.Name));
            Assert.Empty(file.Blocks[0].Parameters);
            Assert.Equal(new[] { "a", "b" }, file.Blocks[1].Parameters.Select(p => p.Name));
            Assert.Equal(new[] { "x", "y" }, file.Blocks[1].ForwardParameters.Select(p => p.Name));
            Assert.Equal("(+ (@ x w) y)", SyntaxPrinter.Print(((ReturnSyntax)file.Blocks[1].ForwardBody.Single()).Value));
        }

        [Fact]
        public void CommonWordsAndStatementKeywordsWorkAsNames()
        {
            var model = ParseAssert.ValidModel(
                "layer out = dense(10, init: zeros, padding: same);\n" +
                "let output = out(x);\n" +
                "let input = loss + target * train;\n" +
                "loss = l1(params) + model.layer.param;\n" +
                "train { loss = 1; max_norm(1.0); }");

            Assert.Equal("out", ((LayerSyntax)model.Statements[0]).Name);
            Assert.Equal("(call dense 10 init:zeros padding:same)", SyntaxPrinter.Print(((LayerSyntax)model.Statements[0]).Constructor));
            Assert.Equal("output", ((LetSyntax)model.Statements[1]).Name);
            Assert.Equal("(+ loss (* target train))", SyntaxPrinter.Print(((LetSyntax)model.Statements[2]).Value));
            Assert.Equal("(+ (call l1 params) (. (. model layer) param))", SyntaxPrinter.Print(((LossSyntax)model.Statements[3]).Value));
            var train = (TrainSyntax)model.Statements[4];
            Assert.Equal(new[] { "loss", "max_norm" }, train.Settings.Select(s => s.Name));
            Assert.Equal("(call max_norm 1.0)", SyntaxPrinter.Print(train.Settings[1].Value));
        }

        [Fact]
        public void EmptyFileAndCommentOnlyFileGiveAnEmptyTree()
        {
            foreach (var text in new[] { string.Empty, "// nothing here\n/* and\n nothing */\n" })
            {
                var result = ModelParser.Parse(text);
                Assert.Empty(result.Diagnostics);
                Assert.Empty(result.File.Models);
                Assert.Empty(result.File.Blocks);
                Assert.Null(result.File.Namespace);
                Assert.Equal(text.Length, result.File.Span.Length);
            }
        }
    }
}
