using ModelC.Compiler.Emit;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Ir
{
    /// <summary>
    /// sample_normal(mu, logvar) with the reparameterization trick: y = mu + exp(logvar / 2) · eps,
    /// eps ~ N(0, 1) from the model's seeded generator, kept for the backward pass. In inference
    /// mode eps is 0, so y is the mean mu: Forward is deterministic, as dropout is the identity there.
    /// </summary>
    public sealed class SampleNormalNode : Node
    {
        public SampleNormalNode(Node mu, Node logvar, SourceSpan span)
            : base(mu.Shape, true, new[] { mu, logvar }, span) { }

        public Node Mu => Inputs[0];
        public Node LogVar => Inputs[1];
        public override long ScratchSize => Shape.ElementCount;
        public override string Describe() => "sample_normal";

        public override void EmitForward(EmitContext c)
        {
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Shape.Size}; i++)"))
            {
                c.Line("float eps = training ? _random.NextNormal() : 0f;");
                c.Line($"{c.Scratch(this, "i")} = eps;");
                c.Line($"{c.Value(this, "i")} = {c.Value(Mu, "i")} + global::System.MathF.Exp(0.5f * {c.Value(LogVar, "i")}) * eps;");
            }
        }

        public override void EmitBackward(EmitContext c)
        {
            bool wantMu = c.WantsGradient(Mu), wantLogVar = c.WantsGradient(LogVar);
            if (!wantMu && !wantLogVar) return;
            using (c.BatchLoop(this))
            using (c.Block($"for (int i = 0; i < {Shape.Size}; i++)"))
            {
                c.Line($"float g = {c.Gradient(this, "i")};");
                if (wantMu) c.Line($"{c.Gradient(Mu, "i")} += g;");
                if (wantLogVar)
                    c.Line($"{c.Gradient(LogVar, "i")} += g * 0.5f * global::System.MathF.Exp(0.5f * {c.Value(LogVar, "i")}) * {c.Scratch(this, "i")};");
            }
        }
    }
}
