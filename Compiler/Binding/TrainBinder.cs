using System.Collections.Generic;
using System.Linq;
using ModelC.Compiler.Diagnostics;
using ModelC.Compiler.Ir;
using ModelC.Compiler.Specs;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Binding
{
    /// <summary>Reads a train { } block into a TrainSpec, checking every setting, optimizer and schedule by name.</summary>
    public sealed class TrainBinder
    {
        private static readonly string[] Settings =
            { "optimizer", "schedule", "batch", "epochs", "clip_norm", "clip_value", "max_norm", "early_stopping", "seed", "validation" };

        private readonly TrainSpec _spec;
        private readonly DiagnosticBag _diagnostics;
        private readonly Binder _binder;

        public TrainBinder(TrainSpec spec, DiagnosticBag diagnostics, Binder binder)
        {
            _spec = spec;
            _diagnostics = diagnostics;
            _binder = binder;
        }

        public void Bind(TrainSyntax train)
        {
            foreach (var setting in train.Settings)
            {
                switch (setting.Name)
                {
                    case "optimizer": _spec.Optimizer = NamedCall(setting, TrainingSpecs.Optimizers, "optimizer") ?? _spec.Optimizer; break;
                    case "schedule": _spec.Schedule = NamedCall(setting, TrainingSpecs.Schedules, "schedule") ?? _spec.Schedule; break;
                    case "batch": _spec.Batch = Whole(setting, 1) ?? _spec.Batch; break;
                    case "epochs": _spec.Epochs = Whole(setting, 1) ?? _spec.Epochs; break;
                    case "seed": _spec.Seed = Whole(setting, 0) ?? _spec.Seed; break;
                    case "clip_norm": _spec.ClipNorm = Positive(setting, OnlyValue(setting)) ?? _spec.ClipNorm; break;
                    case "clip_value": _spec.ClipValue = Positive(setting, OnlyValue(setting)) ?? _spec.ClipValue; break;
                    case "max_norm": _spec.MaxNorm = Positive(setting, OnlyValue(setting)) ?? _spec.MaxNorm; break;
                    case "validation":
                    {
                        var fraction = Number(setting, OnlyValue(setting));
                        if (fraction is double f && (f <= 0 || f >= 1))
                            _diagnostics.ReportValidationFraction(setting.Value.Span, f);
                        else if (fraction is double ok) _spec.Validation = ok;
                        break;
                    }
                    case "early_stopping":
                        EarlyStopping(setting);
                        break;
                    default:
                        _diagnostics.ReportUnknownTrainSetting(setting.NameSpan, setting.Name, Settings);
                        break;
                }
            }
        }

        /// <summary>The value of `name = v;` or of the single argument of `name(v);`.</summary>
        private ExpressionSyntax? OnlyValue(TrainSettingSyntax setting)
        {
            if (!setting.IsCall) return setting.Value;
            var call = (CallSyntax)setting.Value;
            var args = CallArguments.Match(call, Signature.Of(setting.Name, 1, setting.Name == "max_norm" ? "c" : "value"), _diagnostics);
            return args.IsValid ? call.Arguments[0].Value : null;
        }

        private double? Number(TrainSettingSyntax setting, ExpressionSyntax? value)
        {
            if (value is null) return null;
            var node = _binder.BindExpression(value);
            if (node is ConstantNode c) return c.Value;
            if (node is not ErrorNode)
                _diagnostics.ReportTrainSettingNotANumber(value.Span, setting.Name);
            return null;
        }

        private double? Positive(TrainSettingSyntax setting, ExpressionSyntax? value)
        {
            var number = Number(setting, value);
            if (number is double v && v <= 0)
            {
                _diagnostics.ReportSettingNotPositive(value!.Span, setting.Name, v);
                return null;
            }
            return number;
        }

        private int? Whole(TrainSettingSyntax setting, int minimum)
        {
            var value = OnlyValue(setting);
            var number = Number(setting, value);
            if (number is not double v) return null;
            if (v != System.Math.Floor(v) || v < minimum || v > int.MaxValue)
            {
                _diagnostics.ReportSettingNotWhole(value!.Span, setting.Name, minimum, v);
                return null;
            }
            return (int)v;
        }

        private void EarlyStopping(TrainSettingSyntax setting)
        {
            if (setting.Value is not CallSyntax call)
            {
                _diagnostics.ReportEarlyStoppingForm(setting.Value.Span);
                return;
            }
            var args = CallArguments.Match(call, Signature.Of("early_stopping", 1, "patience", "metric"), _diagnostics);
            if (!args.IsValid) return;
            var patience = _binder.Count(args, "patience", 1);
            if (patience is null) return;
            string? metric = null;
            if (args["metric"] is ExpressionSyntax m)
            {
                if (m is NameSyntax word)
                {
                    metric = word.Name;
                    if (!TrainingSpecs.EarlyStoppingMetrics.Contains(metric))
                    {
                        _diagnostics.ReportUnknownMetric(m.Span, Alternatives(TrainingSpecs.EarlyStoppingMetrics), metric);
                        return;
                    }
                }
                else
                {
                    _diagnostics.ReportEarlyStoppingMetricNotAName(m.Span);
                    return;
                }
            }
            _spec.EarlyStoppingPatience = patience;
            _spec.EarlyStoppingMetric = metric;
        }

        /// <summary>"a, b or c".</summary>
        private static string Alternatives(IReadOnlyList<string> words) =>
            words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[words.Count - 1];

        private NamedCall? NamedCall(TrainSettingSyntax setting, IReadOnlyList<CallSpec> table, string what)
        {
            var known = string.Join(", ", table.Select(t => t.Name));
            if (setting.IsCall)
            {
                _diagnostics.ReportTrainCallForm(setting.Span, setting.Name, what);
                return null;
            }
            string name;
            CallSyntax? call = null;
            switch (setting.Value)
            {
                case NameSyntax n: name = n.Name; break;
                case CallSyntax { Callee: NameSyntax n } c: name = n.Name; call = c; break;
                default:
                    _diagnostics.ReportTrainSettingNotAName(setting.Value.Span, setting.Name, what, known);
                    return null;
            }
            var spec = table.FirstOrDefault(t => t.Name == name);
            if (spec is null)
            {
                _diagnostics.ReportUnknownTrainCall(setting.Value.Span, what, name, table.Select(t => t.Name), known);
                return null;
            }
            var signature = Signature.Of(name, spec.Arguments.Count(a => a.Default is null), spec.Arguments.Select(a => a.Name).ToArray());
            // Arguments with defaults may come before required ones in the table order; check them by name.
            var synthetic = call ?? new CallSyntax(setting.Value, new ArgumentSyntax[0], setting.Value.Span);
            var args = CallArguments.Match(synthetic, signature with { Required = 0 }, _diagnostics);
            if (!args.IsValid) return null;
            var values = new List<KeyValuePair<string, double>>();
            foreach (var argument in spec.Arguments)
            {
                if (!args.Has(argument.Name) && argument.Default is null)
                {
                    _diagnostics.ReportMissingTrainArgument(synthetic.Span, what, name, argument.Name, spec.Usage);
                    return null;
                }
                var value = _binder.Number(args, argument.Name, argument.Default);
                if (value is not double v) return null;
                if (!argument.Accepts(v))
                {
                    _diagnostics.ReportTrainArgumentOutOfRange(args[argument.Name]!.Span, argument.Name, what, name, argument.Range,
                        _binder.Text(args[argument.Name]!.Span));
                    return null;
                }
                values.Add(new KeyValuePair<string, double>(argument.Name, v));
            }
            return new NamedCall(name, values);
        }
    }
}
