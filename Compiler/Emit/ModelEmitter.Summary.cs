using System.Linq;
using ModelC.Compiler.Summary;
using static ModelC.Compiler.Emit.CSharpNames;

namespace ModelC.Compiler.Emit
{
    /// <summary>
    /// The model's summary as a constant, so a program can print its layers, shapes and counts
    /// without the compiler at run time (the shapes are only known at compile time).
    /// </summary>
    public sealed partial class ModelEmitter
    {
        private void EmitSummaryConstant()
        {
            string[] lines = ModelSummary.Create(_plan).ToText().TrimEnd('\n').Split('\n');
            _w.Line("/// <summary>The layers with their output shapes and parameter counts, the totals and the forward FLOPs per example, as <c>modelc summary</c> prints them.</summary>");
            _w.Line("public const string Summary =");
            _w.Indent();
            var pieces = lines.SelectMany(line => QuoteInPieces(line + "\n", LiteralLength)).ToList();
            for (int i = 0; i < pieces.Count; i++)
                _w.Line(pieces[i] + (i < pieces.Count - 1 ? " +" : ";"));
            _w.Unindent();
        }
    }
}
