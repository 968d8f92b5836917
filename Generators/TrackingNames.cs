namespace ModelC.Generators
{
    /// <summary>Names of the pipeline steps, so tests can check which ones were cached.</summary>
    public static class TrackingNames
    {
        public const string ModelSources = nameof(ModelSources);
        public const string RootNamespace = nameof(RootNamespace);
        public const string CompiledModels = nameof(CompiledModels);
        public const string CompiledOnnxModels = nameof(CompiledOnnxModels);
    }
}
