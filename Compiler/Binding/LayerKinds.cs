using System.Collections.Generic;
using System.Globalization;
using ModelC.Compiler.Ir;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>
    /// The layer kinds of `layer name = kind(...)`, each defined once: its signature and a factory
    /// that reads the checked arguments and creates the layer (or reports why not and returns null).
    /// What a layer does when called lives in its <see cref="Layer"/> class. User blocks are looked
    /// up after these.
    /// </summary>
    public static class LayerKinds
    {
        private delegate Layer? Factory(Binder b, CallArguments args, string name, int order);

        private sealed record LayerKind(Signature Signature, Factory Create);

        private static readonly Dictionary<string, LayerKind> Table = new Dictionary<string, LayerKind>();

        public static IEnumerable<string> Names => Table.Keys;

        public static bool Contains(string kind) => Table.ContainsKey(kind);

        private static void Define(Signature signature, Factory create) => Table[signature.Function] = new LayerKind(signature, create);

        /// <summary>The layer `kind(...)` declares, named <paramref name="name"/>; null after reporting why not.</summary>
        public static Layer? Create(Binder binder, string kind, string name, int order, CallSyntax call)
        {
            var entry = Table[kind];
            var args = CallArguments.Match(call, entry.Signature, binder.Diagnostics);
            return args.IsValid ? entry.Create(binder, args, name, order) : null;
        }

        static LayerKinds()
        {
            // ---- dense ----
            Define(Signature.Of("dense", 1, "out", "bias", "init", "bias_init"), (b, a, name, order) =>
            {
                var units = b.Count(a, "out", 0);
                var bias = b.Flag(a, "bias", true);
                var inits = Initializers(b, a);
                return units is int u && bias is bool hasBias && inits is { } i && BiasInitNeedsBias(b, a, hasBias)
                    ? new DenseLayer(name, order, u, hasBias, i.Weight, i.Bias) : null;
            });
            Define(Signature.Of("maxout", 2, "out", "k", "init", "bias_init"), (b, a, name, order) =>
            {
                var units = b.Count(a, "out", 0);
                var pieces = b.Count(a, "k", 0);
                var inits = Initializers(b, a);
                if (units is not int u || pieces is not int k || inits is not { } i) return null;
                if ((long)u * k <= int.MaxValue) return new MaxoutLayer(name, order, u, k, i.Weight, i.Bias);
                b.Diagnostics.ReportMaxoutTooLarge(a.Call.Span);
                return null;
            });

            // ---- images and normalization ----
            Define(Signature.Of("conv2d", 2, "filters", "kernel", "stride", "padding", "bias", "init", "bias_init"), Conv2d);
            Define(Signature.Of("maxpool2d", 1, "k", "stride"), (b, a, name, order) => Pool(b, a, name, order, PoolKind.Max));
            Define(Signature.Of("avgpool2d", 1, "k", "stride"), (b, a, name, order) => Pool(b, a, name, order, PoolKind.Average));
            Define(Signature.Of("batchnorm", 0, "init", "bias_init"), (b, a, name, order) =>
                Initializers(b, a) is { } i ? new BatchNormLayer(name, order, i.Weight, i.Bias) : null);
            Define(Signature.Of("layernorm", 0, "init", "bias_init"), (b, a, name, order) =>
                Initializers(b, a) is { } i ? new LayerNormLayer(name, order, i.Weight, i.Bias) : null);

            // ---- signals [C, L] ----
            Define(Signature.Of("conv1d", 2, "filters", "kernel", "stride", "padding", "bias", "init", "bias_init"), Conv1d);
            Define(Signature.Of("maxpool1d", 1, "k", "stride"), (b, a, name, order) => Pool1d(b, a, name, order, PoolKind.Max));
            Define(Signature.Of("avgpool1d", 1, "k", "stride"), (b, a, name, order) => Pool1d(b, a, name, order, PoolKind.Average));
            Define(Signature.Of("global_maxpool1d", 0), (b, a, name, order) => new GlobalPoolLayer(name, order, PoolKind.Max, 1));
            Define(Signature.Of("global_avgpool1d", 0), (b, a, name, order) => new GlobalPoolLayer(name, order, PoolKind.Average, 1));

            // ---- resampling images ----
            Define(Signature.Of("global_avgpool2d", 0), (b, a, name, order) => new GlobalPoolLayer(name, order, PoolKind.Average, 2));
            Define(Signature.Of("global_maxpool2d", 0), (b, a, name, order) => new GlobalPoolLayer(name, order, PoolKind.Max, 2));
            Define(Signature.Of("adaptive_avgpool2d", 1, "size"), (b, a, name, order) =>
                b.Count(a, "size", 1) is int size ? new AdaptiveAvgPool2dLayer(name, order, size) : null);
            Define(Signature.Of("upsample2d", 1, "scale"), (b, a, name, order) =>
                b.Count(a, "scale", 1) is int scale ? new Upsample2dLayer(name, order, scale) : null);
            Define(Signature.Of("conv_transpose2d", 2, "filters", "kernel", "stride", "padding", "output_padding", "bias", "init", "bias_init"), ConvTranspose2d);

            // ---- sequences ----
            Define(Signature.Of("embedding", 2, "vocab", "dim", "init"), (b, a, name, order) =>
            {
                var vocab = b.Count(a, "vocab", 1);
                var dim = b.Count(a, "dim", 1);
                var init = Initializer(b, a, "init", out bool initValid);
                if (vocab is not int v || dim is not int d || !initValid) return null;
                if ((long)v * d <= int.MaxValue) return new EmbeddingLayer(name, order, v, d, init);
                b.Diagnostics.ReportTooManyWeights(a.Call.Span, $"embedding({v}, {d})");
                return null;
            });
            Define(Signature.Of("multihead_attention", 1, "heads", "causal", "bias"), (b, a, name, order) =>
                b.Count(a, "heads", 1) is int heads && b.Flag(a, "causal", false) is bool causal && b.Flag(a, "bias", true) is bool bias
                    ? new MultiheadAttentionLayer(name, order, heads, causal, bias) : null);
            foreach (var recurrent in new[] { "rnn", "lstm", "gru" })
            {
                var kind = recurrent;
                Define(Signature.Of(kind, 1, "hidden", "layers", "dropout", "bidirectional", "init", "bias_init"), (b, a, name, order) => Recurrent(b, a, name, order, kind));
            }
        }

        /// <summary>An optional init: argument; <paramref name="valid"/> is false when it was given but is unusable.</summary>
        private static Initializer? Initializer(Binder b, CallArguments a, string argument, out bool valid)
        {
            var init = a[argument] is ExpressionSyntax syntax ? b.BindInitializer(syntax) : null;
            valid = a[argument] is null || init is not null;
            return init;
        }

        private sealed record LayerInitializers(Initializer? Weight, Initializer? Bias);

        /// <summary>The optional init: and bias_init: arguments (null: the layer's PyTorch default); null after reporting an unusable one.</summary>
        private static LayerInitializers? Initializers(Binder b, CallArguments a)
        {
            var weight = Initializer(b, a, "init", out bool weightValid);
            var bias = Initializer(b, a, "bias_init", out bool biasValid);
            return weightValid && biasValid ? new LayerInitializers(weight, bias) : null;
        }

        /// <summary>bias_init: with bias: false initializes nothing; reports it, and returns false.</summary>
        private static bool BiasInitNeedsBias(Binder b, CallArguments a, bool hasBias)
        {
            if (hasBias || a["bias_init"] is not ExpressionSyntax syntax) return true;
            b.Diagnostics.ReportBiasInitWithoutBias(syntax.Span, a.Signature.Function);
            return false;
        }

        private static Layer? Conv2d(Binder b, CallArguments a, string name, int order)
        {
            var filters = b.Count(a, "filters", 1);
            var kernel = b.Count(a, "kernel", 1);
            var stride = b.Count(a, "stride", 1, 1);
            var padding = Padding(b, a);
            var bias = b.Flag(a, "bias", true);
            var inits = Initializers(b, a);
            if (filters is not int f || kernel is not int k || stride is not int s || padding is not ConvPadding p || bias is not bool hasBias) return null;
            if (inits is null || !BiasInitNeedsBias(b, a, hasBias)) return null;
            if (p.Same && s != 1)
            {
                b.Diagnostics.ReportSamePaddingWithStride(a["padding"]!.Span, s);
                return null;
            }
            // PyTorch's 'same': k - 1 zeros in all, the odd one after (right and bottom).
            int before = p.Same ? (k - 1) / 2 : p.Amount, after = p.Same ? k - 1 - before : p.Amount;
            return new Conv2dLayer(name, order, f, new Window2d(k, k, s, before, after, before, after), hasBias, inits.Weight, inits.Bias);
        }

        private static Layer? Conv1d(Binder b, CallArguments a, string name, int order)
        {
            var filters = b.Count(a, "filters", 1);
            var kernel = b.Count(a, "kernel", 1);
            var stride = b.Count(a, "stride", 1, 1);
            var padding = Padding(b, a);
            var bias = b.Flag(a, "bias", true);
            var inits = Initializers(b, a);
            if (filters is not int f || kernel is not int k || stride is not int s || padding is not ConvPadding p || bias is not bool hasBias) return null;
            if (inits is null || !BiasInitNeedsBias(b, a, hasBias)) return null;
            if (p.Same && s != 1)
            {
                b.Diagnostics.ReportSamePaddingWithStride(a["padding"]!.Span, s);
                return null;
            }
            int before = p.Same ? (k - 1) / 2 : p.Amount, after = p.Same ? k - 1 - before : p.Amount;
            return new Conv1dLayer(name, order, f, k, s, before, after, hasBias, inits.Weight, inits.Bias);
        }

        private static Layer? ConvTranspose2d(Binder b, CallArguments a, string name, int order)
        {
            var filters = b.Count(a, "filters", 1);
            var kernel = b.Count(a, "kernel", 1);
            var stride = b.Count(a, "stride", 1, 1);
            var padding = b.Count(a, "padding", 0, 0);
            var outputPadding = b.Count(a, "output_padding", 0, 0);
            var bias = b.Flag(a, "bias", true);
            var inits = Initializers(b, a);
            if (filters is not int f || kernel is not int k || stride is not int s || padding is not int p || outputPadding is not int op || bias is not bool hasBias) return null;
            if (inits is null || !BiasInitNeedsBias(b, a, hasBias)) return null;
            if (op >= s)
            {
                b.Diagnostics.ReportOutputPaddingNotBelowStride(a["output_padding"]!.Span, op, s);
                return null;
            }
            if (p >= k)
            {
                b.Diagnostics.ReportTransposedPaddingNotBelowKernel(a["padding"]!.Span, p, k);
                return null;
            }
            return new ConvTranspose2dLayer(name, order, f, k, s, p, op, hasBias, inits.Weight, inits.Bias);
        }

        /// <summary>rnn, lstm, gru(hidden, layers:, dropout:, bidirectional:, init:, bias_init:), PyTorch's arguments and defaults.</summary>
        private static Layer? Recurrent(Binder b, CallArguments a, string name, int order, string kind)
        {
            var hidden = b.Count(a, "hidden", 1);
            var layers = b.Count(a, "layers", 1, 1);
            var dropout = b.Number(a, "dropout", 0.0);
            var bidirectional = b.Flag(a, "bidirectional", false);
            var inits = Initializers(b, a);
            if (hidden is not int h || layers is not int l || dropout is not double p || bidirectional is not bool both || inits is not { } i) return null;
            if (p < 0 || p >= 1)
            {
                b.Diagnostics.ReportDropoutProbability(a["dropout"]!.Span, p);
                return null;
            }
            // PyTorch warns too: dropout acts between stacked layers, so one layer drops nothing.
            if (p > 0 && l == 1) b.Diagnostics.ReportDropoutWithOneLayer(a["dropout"]!.Span, kind, p);
            return new RecurrentLayer(name, kind, order, h, i.Weight, i.Bias, l, p, both);
        }

        private static Layer? Pool1d(Binder b, CallArguments a, string name, int order, PoolKind pool)
        {
            if (b.Count(a, "k", 1) is not int window) return null;
            if (b.Count(a, "stride", 1, window) is not int stride) return null;
            return new Pool1dLayer(name, order, pool, window, stride);
        }

        private static Layer? Pool(Binder b, CallArguments a, string name, int order, PoolKind pool)
        {
            if (b.Count(a, "k", 1) is not int window) return null;
            if (b.Count(a, "stride", 1, window) is not int stride) return null;
            return new Pool2dLayer(name, order, pool, window, stride);
        }

        private sealed record ConvPadding(bool Same, int Amount);

        /// <summary>padding: a whole number of zeros on every side, or `same`.</summary>
        private static ConvPadding? Padding(Binder b, CallArguments a)
        {
            var syntax = a["padding"];
            if (syntax is null) return new ConvPadding(false, 0);
            if (syntax is NameSyntax { Name: "same" }) return new ConvPadding(true, 0);
            if (syntax is NameSyntax { Name: "valid" }) return new ConvPadding(false, 0);
            if (b.Number(a, "padding") is not double value) return null;
            if (value != System.Math.Floor(value) || value < 0 || value > 1 << 20)
            {
                b.Diagnostics.ReportPaddingNotWhole(syntax.Span, value);
                return null;
            }
            return new ConvPadding(false, (int)value);
        }
    }
}
