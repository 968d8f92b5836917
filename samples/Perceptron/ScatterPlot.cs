using System;
using System.Text;

namespace ModelC.Samples.Perceptron;

/// <summary>A character plot of [-1, 1]²: '+' and 'o' for the two classes, '·' on the learned line.</summary>
public static class ScatterPlot
{
    private const int Width = 57, Height = 25;

    public static string Render(SeparableData data, (float W1, float W2, float B) line)
    {
        var grid = new char[Height, Width];
        for (int row = 0; row < Height; row++)
        {
            for (int column = 0; column < Width; column++)
            {
                double x1 = ToX(column), x2 = ToY(row);
                // A cell is on the line when the line passes within half a cell of its centre.
                double halfCell = 0.5 * (Math.Abs(line.W1) * 2.0 / (Width - 1) + Math.Abs(line.W2) * 2.0 / (Height - 1));
                grid[row, column] = Math.Abs(line.W1 * x1 + line.W2 * x2 + line.B) <= halfCell ? '·' : ' ';
            }
        }

        for (int i = 0; i < data.Count; i++)
        {
            int column = (int)Math.Round((data.Features[2 * i] + 1) / 2 * (Width - 1));
            int row = (int)Math.Round((1 - data.Features[2 * i + 1]) / 2 * (Height - 1));
            grid[row, column] = data.Labels[i] > 0 ? '+' : 'o';
        }

        var text = new StringBuilder();
        text.Append("x2 ↑   + : y = +1   o : y = -1   · : learned line\n");
        for (int row = 0; row < Height; row++)
        {
            text.Append("   |");
            for (int column = 0; column < Width; column++)
                text.Append(grid[row, column]);
            text.Append('\n');
        }

        text.Append("   +").Append('-', Width).Append("→ x1   (axes from -1 to 1)");
        return text.ToString();
    }

    private static double ToX(int column) => -1 + 2.0 * column / (Width - 1);

    private static double ToY(int row) => 1 - 2.0 * row / (Height - 1);
}
