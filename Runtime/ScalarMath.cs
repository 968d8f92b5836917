using System;

namespace ModelC.Runtime
{
    /// <summary>
    /// Scalar functions that generated code calls where System.MathF has no stable or exact form.
    /// Each is written in the numerically stable way PyTorch uses.
    /// </summary>
    public static class ScalarMath
    {
        /// <summary>1 / (1 + e^-x), never overflowing: e^x is only taken of non-positive numbers.</summary>
        public static float Sigmoid(float x)
        {
            if (x >= 0f) return 1f / (1f + MathF.Exp(-x));
            float e = MathF.Exp(x);
            return e / (1f + e);
        }

        /// <summary>log(1 + e^x) = max(x, 0) + log1p(e^-|x|).</summary>
        public static float Softplus(float x) => MathF.Max(x, 0f) + (float)Math.Log(1.0 + Math.Exp(-Math.Abs(x)));

        /// <summary>x · tanh(softplus(x)).</summary>
        public static float Mish(float x) => x * MathF.Tanh(Softplus(x));

        /// <summary>d/dx mish = tanh(sp) + x · sigmoid(x) · (1 - tanh(sp)²).</summary>
        public static float MishDerivative(float x)
        {
            float t = MathF.Tanh(Softplus(x));
            return t + x * Sigmoid(x) * (1f - t * t);
        }

        /// <summary>The exact GELU: x · Φ(x) = 0.5 x (1 + erf(x / √2)).</summary>
        public static float Gelu(float x) => (float)(0.5 * x * (1.0 + Erf(x / Math.Sqrt(2.0))));

        /// <summary>Φ(x) + x · φ(x).</summary>
        public static float GeluDerivative(float x)
        {
            double cdf = 0.5 * (1.0 + Erf(x / Math.Sqrt(2.0)));
            double pdf = Math.Exp(-0.5 * (double)x * x) / Math.Sqrt(2.0 * Math.PI);
            return (float)(cdf + x * pdf);
        }

        /// <summary>Binary cross-entropy of logit z against target y: softplus(z) - z y = max(z, 0) - z y + log1p(e^-|z|).</summary>
        public static float BceWithLogits(float z, float y) => Softplus(z) - z * y;

        /// <summary>The error function, accurate to double rounding (MathNet's implementation).</summary>
        public static double Erf(double x) => MathNet.Numerics.SpecialFunctions.Erf(x);
    }
}
