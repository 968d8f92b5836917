namespace ModelC.Generators
{
    /// <summary>
    /// A .model file as plain text. Text is null when the file could not be read.
    /// </summary>
    public sealed record ModelSource(string Path, string? Text);
}
