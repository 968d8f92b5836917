using System;
using System.Collections.Generic;
using ModelC.Runtime.Optimizers;

namespace ModelC.Tests.Runtime.Optimizers;

/// <summary>Builds an optimizer from a fixture's kind and arguments (the train block's names), defaults as in the train block.</summary>
internal static class OptimizerFactory
{
    public static IOptimizer Create(string kind, IReadOnlyDictionary<string, double> arguments)
    {
        float Get(string name, float fallback) => arguments.TryGetValue(name, out double v) ? (float)v : fallback;
        float lr = Get("lr", float.NaN);
        return kind switch
        {
            "sgd" => new Sgd(lr, Get("weight_decay", 0)),
            "momentum" => new Momentum(lr, Get("beta", 0.9f), Get("weight_decay", 0)),
            "nesterov" => new Nesterov(lr, Get("beta", 0.9f), Get("weight_decay", 0)),
            "adagrad" => new Adagrad(lr, Get("eps", 1e-10f), Get("weight_decay", 0)),
            "rmsprop" => new RmsProp(lr, Get("rho", 0.99f), Get("eps", 1e-8f), Get("weight_decay", 0)),
            "adam" => new Adam(lr, Get("beta1", 0.9f), Get("beta2", 0.999f), Get("eps", 1e-8f), Get("weight_decay", 0)),
            "adamw" => new AdamW(lr, Get("beta1", 0.9f), Get("beta2", 0.999f), Get("eps", 1e-8f), Get("weight_decay", 0.01f)),
            _ => throw new ArgumentException($"unknown optimizer kind '{kind}'", nameof(kind)),
        };
    }
}
