using System;
using System.Collections.Generic;
using System.Threading;
using Antlr4.Runtime;
using ModelC.Dsl.Grammar;
using ModelC.Dsl.Parsing;

namespace ModelC.Dsl.Syntax
{
    /// <summary>The result of parsing one .model file: the tree (always present, possibly partial) and what went wrong.</summary>
    public sealed record ParseResult(ModelFileSyntax File, IReadOnlyList<SyntaxDiagnostic> Diagnostics)
    {
        public bool HasErrors => Diagnostics.Count > 0;
    }

    /// <summary>Reads the text of a .model file into its syntax tree. See <see cref="SyntaxErrorCodes"/> for what it reports.</summary>
    public static class ModelParser
    {
        /// <summary>
        /// Parses <paramref name="text"/>. Syntax errors come back as diagnostics beside a partial
        /// tree, never as exceptions; only cancellation throws (<see cref="OperationCanceledException"/>).
        /// </summary>
        public static ParseResult Parse(string text, CancellationToken cancellationToken = default)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var source = new SourceText(text);
            var diagnostics = new DiagnosticBag();
            var errorListener = new FallbackErrorListener(source, diagnostics);

            var lexer = new ModelCLexer(new AntlrInputStream(text));
            lexer.RemoveErrorListeners();
            lexer.AddErrorListener(errorListener);
            var tokens = new CommonTokenStream(lexer);
            tokens.Fill();
            cancellationToken.ThrowIfCancellationRequested();

            if (!TokenPrescan.Check(tokens.GetTokens(), source, diagnostics))
            {
                return new ParseResult(SyntaxTreeBuilder.EmptyFile(source), diagnostics.ToSortedList());
            }

            var parser = new ModelCParser(tokens) { ErrorHandler = new SyntaxErrorStrategy(source, diagnostics) };
            parser.RemoveErrorListeners();
            parser.AddErrorListener(errorListener);
            ModelCParser.ModelFileContext tree;
            try
            {
                tree = parser.modelFile();
            }
            catch (InsufficientExecutionStackException)
            {
                diagnostics.Report(
                    SyntaxErrorCodes.NestingTooDeep,
                    "the file is nested too deeply to be read on this thread's stack",
                    source.Of(parser.CurrentToken));
                return new ParseResult(SyntaxTreeBuilder.EmptyFile(source), diagnostics.ToSortedList());
            }

            var file = new SyntaxTreeBuilder(source, diagnostics, cancellationToken).BuildFile(tree);
            return new ParseResult(file, diagnostics.ToSortedList());
        }
    }
}
