using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using Xunit;

namespace ModelC.Tests.Runtime.Data;

public sealed class CsvDatasetTests : IDisposable
{
    private const string Flowers =
        "sepal_length,sepal_width,petal_length,species\n" +
        "5.1,3.5,1.4,0\n" +
        "6.2, 2.9 ,4.3,1\n" +
        "\"7.7\",3.0,6.1,2\n" +
        "-1e-2,0.5,12,1\n";

    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Every_other_column_becomes_a_feature_and_the_target_class_ids()
    {
        Dataset data = CsvDataset.Load(files.WriteText("flowers.csv", Flowers), target: "species");

        Assert.Equal(4, data.Count);
        Assert.Equal(new[] { 3 }, data["x"].Shape);
        Assert.Equal(new[] { 5.1f, 3.5f, 1.4f, 6.2f, 2.9f, 4.3f, 7.7f, 3.0f, 6.1f, -0.01f, 0.5f, 12f }, data["x"].Floats.ToArray());
        Assert.Equal(TensorKind.Int, data["y"].Kind);
        Assert.Equal(new[] { 0, 1, 2, 1 }, data["y"].Ints.ToArray());
    }

    [Fact]
    public void Selected_features_keep_the_given_order_and_a_float_target_is_a_column_of_one()
    {
        Dataset data = CsvDataset.Load(
            files.WriteText("flowers.csv", Flowers),
            target: "petal_length",
            features: ["sepal_width", "sepal_length"],
            targetKind: CsvTarget.Float,
            featureName: "input",
            targetName: "length");

        Assert.Equal(new[] { 3.5f, 5.1f }, data["input"].FloatsOf(0).ToArray());
        Assert.Equal(new[] { 1 }, data["length"].Shape);
        Assert.Equal(new[] { 1.4f, 4.3f, 6.1f, 12f }, data["length"].Floats.ToArray());
    }

    [Fact]
    public void Without_a_target_every_column_is_a_feature()
    {
        Dataset data = CsvDataset.Load(new StringReader("a;b\n1.5;2\n3;4\n"), "memory", target: null, delimiter: ";");
        Assert.Single(data.Columns);
        Assert.Equal(new[] { 1.5f, 2f, 3f, 4f }, data["x"].Floats.ToArray());
    }

    [Fact]
    public void Numbers_are_read_the_same_under_a_comma_decimal_culture()
    {
        CultureInfo saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Dataset data = CsvDataset.Load(new StringReader("a,b\n1.5,2\n"), "memory", target: "b");
            Assert.Equal(1.5f, data["x"].Floats[0]);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void A_missing_column_is_named_with_the_ones_there_are()
    {
        string path = files.WriteText("flowers.csv", Flowers);
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, target: "label"));
        Assert.Contains($"{path}: line 1: no column named 'label'; the header has 'sepal_length', 'sepal_width', 'petal_length', 'species'", error.Message);
        var feature = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, "species", features: ["petal_width"]));
        Assert.Contains("no column named 'petal_width'", feature.Message);
    }

    [Fact]
    public void A_cell_that_is_not_a_number_is_reported_by_line_and_column()
    {
        string path = files.WriteText("bad.csv", "a,b,c\n1,2,0\n3,four,1\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, target: "c"));
        Assert.Contains($"{path}: line 3, column 2 ('b'): 'four' is not a number", error.Message);
    }

    [Theory]
    [InlineData("", "column 1 ('a'): '' is not a number")]
    [InlineData("NaN", "'NaN' is not a finite float")]
    [InlineData("1e39", "'1e39' is not a finite float")]
    public void Empty_and_non_finite_cells_are_rejected(string cell, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(new StringReader($"a,b\n{cell},1\n"), "memory.csv", target: "b"));
        Assert.Contains($"memory.csv: line 2, {(message.StartsWith("column") ? message : "column 1 ('a'): " + message)}", error.Message);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("-1")]
    [InlineData("cat")]
    public void A_class_id_must_be_an_integer_of_at_least_zero(string cell)
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(new StringReader($"a,b\n1,0\n2,{cell}\n"), "ids.csv", target: "b"));
        Assert.Contains($"ids.csv: line 3, column 2 ('b'): '{cell}' is not a class id", error.Message);
    }

    [Fact]
    public void A_ragged_row_is_reported_with_its_line()
    {
        string path = files.WriteText("ragged.csv", "a,b,c\n1,2,0\n\n3,1\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, target: "c"));
        Assert.Contains($"{path}: line 4: 2 fields, but the header has 3", error.Message);
    }

    [Fact]
    public void An_empty_file_or_one_without_rows_is_rejected()
    {
        string empty = files.WriteText("empty.csv", string.Empty);
        Assert.Contains($"{empty}: line 1: the file is empty", Assert.Throws<InvalidDataException>(() => CsvDataset.Load(empty, "y")).Message);
        string headerOnly = files.WriteText("header.csv", "x,y\n");
        Assert.Contains($"{headerOnly}: line 2: the file has a header but no rows", Assert.Throws<InvalidDataException>(() => CsvDataset.Load(headerOnly, "y")).Message);
    }

    [Fact]
    public void A_duplicated_column_name_is_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(new StringReader("a,b,a\n1,2,3\n"), "dup.csv", target: "b"));
        Assert.Contains("dup.csv: line 1: two columns are named 'a' (columns 1 and 3)", error.Message);
    }

    [Fact]
    public void Broken_quoting_is_reported_with_the_file_and_line()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(new StringReader("a,b\n1,0\n2\"x,1\n"), "quote.csv", target: "b"));
        Assert.Equal("quote.csv: line 3: a stray or unclosed quote in field 2\"x.", error.Message);
    }

    [Fact]
    public void A_huge_cell_is_quoted_cut_short()
    {
        string huge = new string('z', 10_000_000);
        var error = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(new StringReader($"a,b\n{huge},1\n"), "huge.csv", target: "b"));

        Assert.StartsWith($"huge.csv: line 2, column 1 ('a'): '{new string('z', CsvDataset.MaxQuotedLength)}... (10,000,000 characters)' is not a number", error.Message);
        Assert.True(error.Message.Length < 200, $"{error.Message.Length} characters");
        string hugeName = new string('n', 5_000_000);
        var header = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(new StringReader($"{hugeName},b\n1,1\n"), "names.csv", target: "c"));
        Assert.True(header.Message.Length < 300, $"{header.Message.Length} characters");
    }

    [Theory]
    [InlineData("1\0", "b", "column 1 ('a'): '1\\u0000' is not a number")]
    [InlineData("2\0\0", "a", "column 1 ('a'): '2\\u0000\\u0000' is not a class id")]
    public void A_trailing_nul_is_not_part_of_a_number(string cell, string target, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            CsvDataset.Load(new StringReader($"a,b\n{cell},1\n"), "nul.csv", target: target, features: [target == "a" ? "b" : "a"]));
        Assert.StartsWith($"nul.csv: line 2, {message}", error.Message);
    }

    [Fact]
    public void Lines_of_whitespace_are_blank_lines()
    {
        Dataset data = CsvDataset.Load(new StringReader("  \na,b\n1,0\n   \n\t\n2,1\n \t \n"), "spaces.csv", target: "b");

        Assert.Equal(new[] { 1f, 2f }, data["x"].Floats.ToArray());
        Assert.Equal(new[] { 0, 1 }, data["y"].Ints.ToArray());
    }
}
