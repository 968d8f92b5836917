// netstandard2.0 lacks the attribute the C# compiler needs for `init` and records.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
