using System;
using System.IO;

namespace ModelC.Samples;

/// <summary>The shipped corpus: the King James Version of the Book of Genesis, one verse a line.</summary>
public static class GenesisCorpus
{
    /// <summary>samples/Shared/corpus/genesis.txt, copied next to the sample's binary.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "corpus", "genesis.txt");

    public static string Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The corpus is not at {path}; scripts/make-genesis-corpus.sh makes it.", path);
        // One newline convention whatever the checkout did to line endings.
        return File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
