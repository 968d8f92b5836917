using System.IO;
using System.Linq;
using System.Xml.Linq;
using SkiaSharp;
using Xunit;

namespace ModelC.Tests.Samples
{
    /// <summary>Checks that a picture a sample or modelc wrote is there, has its size, and is not blank.</summary>
    internal static class Pictures
    {
        /// <summary>
        /// A PNG must decode at <paramref name="width"/> × <paramref name="height"/> with ink on 2–90 % of
        /// its pixels in more than a handful of colours (a blank or one-colour picture fails); an SVG must
        /// declare that size, hold many drawn elements and contain each of <paramref name="texts"/>.
        /// </summary>
        public static void AssertDrawn(string path, int width, int height, params string[] texts)
        {
            Assert.True(File.Exists(path), $"{path} was not written");
            if (Path.GetExtension(path) == ".png")
            {
                using SKBitmap bitmap = SKBitmap.Decode(path);
                Assert.NotNull(bitmap);
                Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
                SKColor[] pixels = bitmap.Pixels;
                double ink = pixels.Count(p => p != SKColors.White && p.Alpha > 0) / (double)pixels.Length;
                int colours = pixels.Distinct().Count();
                Assert.True(ink is > 0.02 and < 0.9, $"{path}: {ink:P1} of the pixels are drawn");
                Assert.True(colours >= 16, $"{path}: only {colours} colours");
                return;
            }

            string text = File.ReadAllText(path);
            XElement root = XDocument.Parse(text).Root!;
            Assert.Equal("svg", root.Name.LocalName);
            Assert.Equal((width.ToString(), height.ToString()), ((string?)root.Attribute("width"), (string?)root.Attribute("height")));
            int drawn = root.Descendants().Count(e => e.Name.LocalName is "path" or "rect" or "circle" or "ellipse" or "line" or "polyline" or "text");
            Assert.True(drawn > 50, $"{path}: {drawn} drawn elements");
            foreach (string expected in texts)
            {
                Assert.Contains(expected, string.Concat(root.Descendants().Where(e => e.Name.LocalName is "text" or "tspan").Select(e => e.Value + "\n")) + text);
            }
        }
    }
}
