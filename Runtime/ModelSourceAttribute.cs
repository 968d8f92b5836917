using System;
using System.Reflection;

namespace ModelC.Runtime;

/// <summary>
/// The .model text a generated class was compiled from. Every class ModelC generates carries it, so
/// a tool that needs the model's graph rather than its compiled code (ONNX export) can bind the
/// text again with the compiler, starting from nothing but an <see cref="IModel"/> instance.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelSourceAttribute : Attribute
{
    public ModelSourceAttribute(string fileName, string text)
    {
        FileName = fileName;
        Text = text;
    }

    /// <summary>The file's name without folders, as diagnostics name it.</summary>
    public string FileName { get; }

    /// <summary>The file's whole text (all the models and blocks it declares).</summary>
    public string Text { get; }

    /// <summary>The source of <paramref name="model"/>'s class; null for a class that ModelC did not generate.</summary>
    public static ModelSourceAttribute? Of(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GetType().GetCustomAttribute<ModelSourceAttribute>();
    }
}
