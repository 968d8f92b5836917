using System;

namespace ModelC.Runtime
{
    /// <summary>
    /// Scalar functions that generated code calls where System.MathF has no stable or exact form.
    /// Each is written in the numerically stable way PyTorch uses.
    /// </summary>
    public static class ScalarMath
    {
        /// <summary>1 / (1 + e^-x), never overflowing: e^x is only taken of non-positive numbers (the sigmoid kernels' own formula).</summary>
        public static float Sigmoid(float x) => Kernels.SigmoidTanhKernels.Sigmoid(x);

        /// <summary>tanh(x), within 2 ulp, small values included (the tanh kernels' own formula).</summary>
        public static float Tanh(float x) => Kernels.SigmoidTanhKernels.Tanh(x);

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

        /// <summary>
        /// The exact GELU: x · Φ(x) = 0.5 x (1 + erf(x / √2)), in single precision: the formula
        /// <see cref="Kernels.GeluKernels"/> applies to whole tensors, so a scalar loop and the kernel
        /// give the same bits (the double-precision erf series once cost a transformer's training
        /// step more than its attention did).
        /// </summary>
        public static float Gelu(float x) => Kernels.GeluKernels.Value(x);

        /// <summary>Φ(x) + x · φ(x), as <see cref="Kernels.GeluKernels"/> computes it.</summary>
        public static float GeluDerivative(float x) => Kernels.GeluKernels.Derivative(x);

        /// <summary>
        /// erf(x) within 6e-7 of the exact value everywhere (Abramowitz and Stegun 7.1.26:
        /// 1 - t (a1 + t (a2 + ... )) e^-x², t = 1 / (1 + p |x|), odd in x; the formula's 1.5e-7
        /// plus single-precision rounding near erf = 1, a few float steps): one exponential and
        /// a division, against MathNet's double-precision series.
        /// </summary>
        public static float ErfSingle(float x)
        {
            float z = MathF.Abs(x);
            float t = 1f / (1f + 0.3275911f * z);
            float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
            float y = 1f - poly * MathF.Exp(-z * z);
            return x < 0f ? -y : y;
        }

        /// <summary>Binary cross-entropy of logit z against target y: softplus(z) - z y = max(z, 0) - z y + log1p(e^-|z|).</summary>
        public static float BceWithLogits(float z, float y) => Softplus(z) - z * y;

        /// <summary>
        /// Binary cross-entropy of probability p against target y, -(y log p + (1 - y) log(1 - p)),
        /// with each log clamped at -100 as PyTorch's BCELoss does: a saturated p of exactly 0 or 1
        /// costs 100 instead of infinity, and 0 · log 0 is 0 instead of NaN.
        /// </summary>
        public static float Bce(float p, float y) => -(y * ClampedLog(p) + (1f - y) * ClampedLog(1f - p));

        /// <summary>
        /// d bce / d p as PyTorch's BCELoss computes it, (p - y) / max(p (1 - p), 1e-12): finite at
        /// p = 0 and p = 1, and 0 there when the target agrees.
        /// </summary>
        public static float BceGradient(float p, float y) => (p - y) / MathF.Max((1f - p) * p, 1e-12f);

        /// <summary>
        /// d bce / d y of the clamped loss, log(1 - p) - log p with both logs clamped at -100. PyTorch
        /// returns -logit(p) unclamped, which is ±infinity at a saturated p; this stays finite so one
        /// saturated unit cannot turn a learned target's gradient into NaN.
        /// </summary>
        public static float BceTargetGradient(float p, float y) => ClampedLog(1f - p) - ClampedLog(p);

        /// <summary>log x, but never below -100 (PyTorch's BCELoss clamp).</summary>
        private static float ClampedLog(float x) => MathF.Max(MathF.Log(x), -100f);

        /// <summary>The error function, accurate to double rounding (MathNet's implementation).</summary>
        public static double Erf(double x) => MathNet.Numerics.SpecialFunctions.Erf(x);
    }
}
