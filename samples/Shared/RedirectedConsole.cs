using System;
using System.Runtime.CompilerServices;
using Spectre.Console;

namespace ModelC.Samples;

/// <summary>
/// When a sample's output goes to a file or a pipe, Spectre.Console would still write colour
/// escapes and hyperlinks (it trusts TERM) and wrap at 80 columns, mid-word. This switches it, before
/// the sample's first line, to plain text as wide as each line needs.
/// </summary>
internal static class RedirectedConsole
{
    // Wide enough for any table or line a sample prints; nothing is padded to it.
    private const int PlainWidth = 4096;

    [ModuleInitializer]
    internal static void UsePlainTextWhenRedirected()
    {
        if (!Console.IsOutputRedirected)
        {
            return;
        }

        IAnsiConsole plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        plain.Profile.Width = PlainWidth;
        AnsiConsole.Console = plain;
    }
}
