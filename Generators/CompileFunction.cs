using System.Threading;
using ModelC.Compiler;

namespace ModelC.Generators
{
    /// <summary>The shape of <see cref="ModelCompiler.Compile"/>, replaceable in tests.</summary>
    internal delegate CompileResult CompileFunction(string filePath, string text, CompileOptions? options, CancellationToken cancellationToken);
}
