using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using ModelC.Dsl.Grammar;
using ModelC.Dsl.Syntax;
using static ModelC.Dsl.Grammar.ModelCParser;

namespace ModelC.Dsl.Parsing
{
    /// <summary>
    /// Turns ANTLR's parse tree into the immutable records of SyntaxNodes.cs. After a syntax error
    /// the parse tree has holes (missing children, rule contexts that matched nothing); they become
    /// empty names, <see cref="ErrorTypeSyntax"/> and <see cref="ErrorExpressionSyntax"/>, and the
    /// rest of the tree is kept. This file: the file, its declarations and their statements.
    /// </summary>
    internal sealed partial class SyntaxTreeBuilder
    {
        private readonly SourceText source;
        private readonly DiagnosticBag diagnostics;
        private readonly CancellationToken cancellationToken;

        public SyntaxTreeBuilder(SourceText source, DiagnosticBag diagnostics, CancellationToken cancellationToken)
        {
            this.source = source;
            this.diagnostics = diagnostics;
            this.cancellationToken = cancellationToken;
        }

        public static ModelFileSyntax EmptyFile(SourceText source) =>
            new ModelFileSyntax(null, SourceSpan.None, Array.Empty<BlockSyntax>(), Array.Empty<ModelSyntax>(), source.WholeText);

        public ModelFileSyntax BuildFile(ModelFileContext file)
        {
            string? name = null;
            var nameSpan = SourceSpan.None;
            var qualifiedName = file.namespaceDeclaration()?.qualifiedName();
            if (qualifiedName != null)
            {
                name = string.Join(".", qualifiedName.identifier().Select(part => Name(part).Name));
                nameSpan = source.Of(qualifiedName);
            }

            var blocks = new List<BlockSyntax>();
            var models = new List<ModelSyntax>();
            foreach (var declaration in file.declaration())
            {
                if (declaration.modelDeclaration() is { } model)
                {
                    models.Add(Model(model));
                }
                else if (declaration.blockDeclaration() is { } block)
                {
                    blocks.Add(Block(block));
                }
            }

            return new ModelFileSyntax(name, nameSpan, blocks, models, source.WholeText);
        }

        private ModelSyntax Model(ModelDeclarationContext model)
        {
            var (name, nameSpan) = Name(model.identifier());
            var statements = new List<StatementSyntax>();
            foreach (var statement in model.modelStatement())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Statement(statement.GetChild(0)) is { } built)
                {
                    statements.Add(built);
                }
            }

            return new ModelSyntax(name, nameSpan, statements, source.Of(model));
        }

        private BlockSyntax Block(BlockDeclarationContext block)
        {
            var (name, nameSpan) = Name(block.identifier());
            var statements = new List<StatementSyntax>();
            foreach (var statement in block.blockStatement())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Statement(statement.GetChild(0)) is { } built)
                {
                    statements.Add(built);
                }
            }

            var forward = block.forwardDeclaration();
            var forwardBody = new List<StatementSyntax>();
            foreach (var statement in forward?.forwardStatement() ?? Array.Empty<ForwardStatementContext>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Statement(statement.GetChild(0)) is { } built)
                {
                    forwardBody.Add(built);
                }
            }

            return new BlockSyntax(
                name,
                nameSpan,
                Identifiers(block.identifierList()),
                statements,
                Identifiers(forward?.identifierList()),
                forwardBody,
                source.Of(block));
        }

        /// <summary>Null when the parser could not tell which statement was meant (it has reported why).</summary>
        private StatementSyntax? Statement(IParseTree? statement)
        {
            BeginStatement();
            switch (statement)
            {
                case InputStatementContext input:
                {
                    var (name, nameSpan) = Name(input.identifier());
                    return new InputSyntax(name, nameSpan, Type(input.type(), input), source.Of(input));
                }

                case TargetStatementContext target:
                {
                    var (name, nameSpan) = Name(target.identifier());
                    return new TargetSyntax(name, nameSpan, Type(target.type(), target), source.Of(target));
                }

                case LayerStatementContext layer:
                {
                    var (name, nameSpan) = Name(layer.identifier());
                    return new LayerSyntax(name, nameSpan, LayerConstructor(layer.layerConstructor(), layer), source.Of(layer));
                }

                case ParamStatementContext param:
                {
                    var (name, nameSpan) = Name(param.identifier());
                    var initializer = param.ASSIGN() != null ? TopExpression(param.expression(), param) : null;
                    return new ParamSyntax(name, nameSpan, Type(param.type(), param), initializer, source.Of(param));
                }

                case LetStatementContext let:
                {
                    var (name, nameSpan) = Name(let.identifier());
                    return new LetSyntax(name, nameSpan, TopExpression(let.expression(), let), source.Of(let));
                }

                case OutputStatementContext output:
                {
                    var (name, nameSpan) = Name(output.identifier());
                    return new OutputSyntax(name, nameSpan, TopExpression(output.expression(), output), source.Of(output));
                }

                case LossStatementContext loss:
                    return new LossSyntax(TopExpression(loss.expression(), loss), source.Of(loss));

                case ReturnStatementContext @return:
                    return new ReturnSyntax(TopExpression(@return.expression(), @return), source.Of(@return));

                case TrainStatementContext train:
                    return new TrainSyntax(train.trainSetting().Select(TrainSetting).OfType<TrainSettingSyntax>().ToArray(), source.Of(train));

                default:
                    return null;
            }
        }

        /// <summary>Null when the parser could not tell which kind of setting was meant (it has reported why).</summary>
        private TrainSettingSyntax? TrainSetting(TrainSettingContext setting)
        {
            cancellationToken.ThrowIfCancellationRequested();
            BeginStatement();
            var span = source.Of(setting);
            switch (setting)
            {
                case AssignedSettingContext assigned:
                {
                    var (name, nameSpan) = Name(assigned.identifier());
                    return new TrainSettingSyntax(name, nameSpan, TopExpression(assigned.expression(), assigned), false, span);
                }

                case CalledSettingContext called:
                {
                    var (name, nameSpan) = Name(called.identifier());
                    var callSpan = Through(called.identifier(), called.RIGHT_PAREN(), called);
                    var call = new CallSyntax(new NameSyntax(name, nameSpan), Arguments(called.argumentList(), 1), callSpan);
                    return new TrainSettingSyntax(name, nameSpan, call, true, span);
                }

                default:
                    return null;
            }
        }

        private CallSyntax LayerConstructor(LayerConstructorContext? constructor, ParserRuleContext statement)
        {
            if (constructor == null)
            {
                var missing = MissingAtEndOf(statement);
                return new CallSyntax(new ErrorExpressionSyntax(missing), Array.Empty<ArgumentSyntax>(), missing);
            }

            var (name, nameSpan) = Name(constructor.identifier());
            ExpressionSyntax callee = name.Length > 0 ? new NameSyntax(name, nameSpan) : new ErrorExpressionSyntax(nameSpan);
            var span = Through(constructor.identifier(), constructor.RIGHT_PAREN(), constructor);
            return new CallSyntax(callee, Arguments(constructor.argumentList(), 1), span);
        }

        private IReadOnlyList<IdentifierSyntax> Identifiers(IdentifierListContext? list) =>
            list?.identifier()
                .Select(Name)
                .Where(name => name.Name.Length > 0)
                .Select(name => new IdentifierSyntax(name.Name, name.Span))
                .ToArray()
            ?? Array.Empty<IdentifierSyntax>();

        /// <summary>The name written, or an empty name at the place the parser expected one (it has reported it).</summary>
        private (string Name, SourceSpan Span) Name(IdentifierContext? identifier)
        {
            if (identifier == null)
            {
                return (string.Empty, SourceSpan.None);
            }

            if (!(identifier.GetChild(0) is ITerminalNode terminal) || terminal is IErrorNode)
            {
                return (string.Empty, source.At(source.Of(identifier).Start));
            }

            return (terminal.Symbol.Text, source.Of(terminal.Symbol));
        }

        /// <summary>From the start of <paramref name="first"/> through <paramref name="last"/>, or through the end of <paramref name="whole"/> when <paramref name="last"/> is missing.</summary>
        private SourceSpan Through(ParserRuleContext? first, ITerminalNode? last, ParserRuleContext whole)
        {
            var wholeSpan = source.Of(whole);
            int start = first != null ? source.Of(first).Start : wholeSpan.Start;
            int end = last != null && !SourceText.IsConjured(last.Symbol) ? source.Of(last.Symbol).End : wholeSpan.End;
            return source.Span(start, end);
        }

        private SourceSpan MissingAtEndOf(ParserRuleContext context) => source.At(source.Of(context).End);
    }
}
