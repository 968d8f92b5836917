using System.Linq;
using ModelC.Dsl.Syntax;
using Xunit;

namespace ModelC.Tests.Dsl
{
    public class ParserSpanTests
    {
        private static readonly ModelFileSyntax Fashion = ParseAssert.Valid(ModelSources.FashionMlp);
        private static readonly ModelSyntax FashionModel = Fashion.Models.Single();

        [Fact]
        public void NamespaceAndModelNamesPointAtTheirIdentifiers()
        {
            AssertSpan(Fashion.NamespaceSpan, "Samples.Fashion", line: 2, column: 11);
            AssertSpan(FashionModel.NameSpan, "FashionMlp", line: 4, column: 7);
            Assert.Equal((4, 1, 25, 2), (FashionModel.Span.Line, FashionModel.Span.Column, FashionModel.Span.EndLine, FashionModel.Span.EndColumn));
            Assert.Equal(ModelSources.FashionMlp.Length, Fashion.Span.Length);
        }

        [Fact]
        public void StatementSpanCoversTheWholeStatementAndNameSpanTheName()
        {
            var input = (InputSyntax)FashionModel.Statements[0];
            AssertSpan(input.Span, "input  x : float[784];", line: 5, column: 5);
            Assert.Equal((5, 27), (input.Span.EndLine, input.Span.EndColumn));
            AssertSpan(input.NameSpan, "x", line: 5, column: 12);
            AssertSpan(input.Type.Span, "float[784]", line: 5, column: 16);
            AssertSpan(((FloatTypeSyntax)input.Type).Dimensions[0].Span, "784", line: 5, column: 22);

            var fc2 = (LayerSyntax)FashionModel.Statements[3];
            AssertSpan(fc2.NameSpan, "fc2", line: 9, column: 11);
            AssertSpan(fc2.Constructor.Span, "dense(64, init: he)", line: 9, column: 17);
            var init = fc2.Constructor.Arguments[1];
            AssertSpan(init.NameSpan, "init", line: 9, column: 27);
            AssertSpan(init.Span, "init: he", line: 9, column: 27);
            AssertSpan(init.Value.Span, "he", line: 9, column: 33);
        }

        [Fact]
        public void ExpressionSpansLocateOperatorsCallsAndMembers()
        {
            var loss = (LossSyntax)FashionModel.Statements[9];
            AssertSpan(loss.Span, "loss = cross_entropy(logits, y) + 1e-4 * l2(fc1.weight, fc2.weight);", line: 17, column: 5);

            var sum = (BinarySyntax)loss.Value;
            AssertSpan(sum.OperatorSpan, "+", line: 17, column: 37);
            AssertSpan(sum.Span, "cross_entropy(logits, y) + 1e-4 * l2(fc1.weight, fc2.weight)", line: 17, column: 12);
            AssertSpan(sum.Left.Span, "cross_entropy(logits, y)", line: 17, column: 12);

            var product = (BinarySyntax)sum.Right;
            AssertSpan(product.OperatorSpan, "*", line: 17, column: 44);
            AssertSpan(product.Left.Span, "1e-4", line: 17, column: 39);
            var l2 = (CallSyntax)product.Right;
            AssertSpan(l2.Span, "l2(fc1.weight, fc2.weight)", line: 17, column: 46);
            var weight = (MemberSyntax)l2.Arguments[0].Value;
            AssertSpan(weight.Span, "fc1.weight", line: 17, column: 49);
            AssertSpan(weight.MemberSpan, "weight", line: 17, column: 53);
        }

        [Fact]
        public void BareTrainCallSpansTheCallAndTheSettingIncludesTheSemicolon()
        {
            var train = (TrainSyntax)FashionModel.Statements[10];
            Assert.Equal((19, 5, 24, 6), (train.Span.Line, train.Span.Column, train.Span.EndLine, train.Span.EndColumn));
            var earlyStopping = train.Settings[5];
            AssertSpan(earlyStopping.Span, "early_stopping(patience: 3);", line: 23, column: 9);
            AssertSpan(earlyStopping.NameSpan, "early_stopping", line: 23, column: 9);
            AssertSpan(earlyStopping.Value.Span, "early_stopping(patience: 3)", line: 23, column: 9);
            var epochs = train.Settings[3];
            AssertSpan(epochs.Span, "epochs = 10;", line: 22, column: 22);
        }

        [Fact]
        public void TabsCountOneColumnAndCarriageReturnsDoNotStartLines()
        {
            var tabbed = ParseAssert.Valid("model M {\n\tlet\tv = 1;\n}");
            var let = (LetSyntax)tabbed.Models.Single().Statements.Single();
            Assert.Equal((2, 2), (let.Span.Line, let.Span.Column));
            Assert.Equal((2, 6), (let.NameSpan.Line, let.NameSpan.Column));

            var windows = ParseAssert.Valid("model M {\r\n    let v = 1;\r\n}\r\n");
            var crlfLet = (LetSyntax)windows.Models.Single().Statements.Single();
            Assert.Equal((2, 5, 2, 15), (crlfLet.Span.Line, crlfLet.Span.Column, crlfLet.Span.EndLine, crlfLet.Span.EndColumn));
            Assert.Equal(15, crlfLet.Span.Start);
        }

        [Fact]
        public void BlockSpansLocateParametersAndForwardBody()
        {
            var block = ParseAssert.Valid(ModelSources.ResBlock).Blocks.Single();
            AssertSpanIn(ModelSources.ResBlock, block.NameSpan, "ResBlock", line: 1, column: 7);
            AssertSpanIn(ModelSources.ResBlock, block.Parameters[0].Span, "channels", line: 1, column: 16);
            AssertSpanIn(ModelSources.ResBlock, block.ForwardParameters[0].Span, "x", line: 6, column: 13);
            AssertSpanIn(ModelSources.ResBlock, block.ForwardBody[1].Span, "return relu(x + bn2(conv2(h)));", line: 8, column: 9);
            Assert.Equal((1, 1, 10, 2), (block.Span.Line, block.Span.Column, block.Span.EndLine, block.Span.EndColumn));
        }

        private static void AssertSpan(SourceSpan span, string expectedText, int line, int column) =>
            AssertSpanIn(ModelSources.FashionMlp, span, expectedText, line, column);

        /// <summary>The span selects <paramref name="expectedText"/> and starts at the given 1-based line and column.</summary>
        private static void AssertSpanIn(string source, SourceSpan span, string expectedText, int line, int column)
        {
            Assert.Equal(expectedText, source.Substring(span.Start, span.Length));
            Assert.Equal((line, column), (span.Line, span.Column));
        }
    }
}
