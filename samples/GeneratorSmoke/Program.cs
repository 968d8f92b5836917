using System;
using System.Globalization;

namespace GeneratorSmoke
{
    /// <summary>Proves the generator runs inside a build: Tiny exists only because tiny.model was compiled.</summary>
    public static class Program
    {
        public static void Main()
        {
            var model = new Tiny(seed: 1);
            var x = new float[] { 1f, 2f, 3f };
            var pred = new float[Tiny.PredSize];
            model.Forward(x, pred);

            Console.WriteLine($"ParameterCount: {Tiny.ParameterCount}");
            Console.WriteLine($"pred([1, 2, 3]) = {pred[0].ToString("G6", CultureInfo.InvariantCulture)}");
        }
    }
}
