using System.Collections.Generic;
using ModelC.Dsl.Syntax;

namespace ModelC.Compiler.Diagnostics
{
    /// <summary>
    /// Every diagnostic ModelC reports, one series of stable ids.
    /// MC00xx: reading the text (reported by ModelC.Dsl). MC1xxx: meaning (binding, shapes).
    /// MC9999: an internal compiler error (a bug in ModelC, never the user's fault).
    /// </summary>
    public static class DiagnosticCatalog
    {
        public const string SyntaxError = SyntaxErrorCodes.SyntaxError;
        public const string NestingTooDeep = SyntaxErrorCodes.NestingTooDeep;
        public const string NumberOutOfRange = SyntaxErrorCodes.NumberOutOfRange;
        public const string UnterminatedComment = SyntaxErrorCodes.UnterminatedComment;
        public const string PositionalAfterNamed = SyntaxErrorCodes.PositionalAfterNamedArgument;
        public const string NotCallable = SyntaxErrorCodes.NotCallable;

        public const string UnknownName = "MC1001";
        public const string UnknownFunction = "MC1002";
        public const string DuplicateName = "MC1003";
        public const string ShapeMismatch = "MC1004";
        public const string LayerInputMismatch = "MC1005";
        public const string WrongArgumentCount = "MC1006";
        public const string UnknownArgument = "MC1007";
        public const string WrongArgumentKind = "MC1008";
        public const string InvalidAxis = "MC1009";
        public const string LossNotScalar = "MC1010";
        public const string MissingDeclaration = "MC1011";
        public const string OutputDependsOnTarget = "MC1012";
        public const string NotSupportedYet = "MC1013";
        public const string ArgumentOutOfRange = "MC1014";
        public const string IntegerMisuse = "MC1015";
        public const string ReshapeMismatch = "MC1016";
        public const string UnknownLayerKind = "MC1017";
        public const string UnknownTrainSetting = "MC1018";
        public const string UnknownMember = "MC1019";
        public const string LayerNotCalled = "MC1020";
        public const string UnusedLayer = "MC1021";
        public const string DuplicateLoss = "MC1022";
        public const string TooLarge = "MC1023";
        public const string UsedBeforeDefinition = "MC1024";
        public const string DuplicateModel = "MC1025";
        public const string ConflictingArguments = "MC1026";
        public const string TrainSettingOutOfRange = "MC1027";
        public const string UnknownMetric = "MC1028";
        public const string RecursiveBlock = "MC1029";
        public const string NotPerExample = "MC1030";
        public const string ConstantLoss = "MC1031";
        public const string ClassIdsRequired = "MC1032";
        public const string NotLogProbabilities = "MC1033";
        public const string NotRecurrentOutput = "MC1034";
        public const string DropoutWithOneLayer = "MC1035";
        public const string LearnedMask = "MC1036";

        /// <summary>Reported by the generator when an .onnx file of AdditionalFiles cannot be imported.</summary>
        public const string OnnxNotCompilable = "MC9997";
        /// <summary>Reported by the generator when a .model file cannot be read at all.</summary>
        public const string UnreadableFile = "MC9998";
        public const string InternalError = "MC9999";

        /// <summary>A one-line title per code, for the generator's descriptors and the README table.</summary>
        public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
        {
            [SyntaxError] = "Syntax error",
            [NestingTooDeep] = "Nested too deeply",
            [NumberOutOfRange] = "Number or dimension out of range",
            [UnterminatedComment] = "Comment not closed",
            [PositionalAfterNamed] = "Positional argument after a named one",
            [NotCallable] = "Only names can be called",
            [UnknownName] = "Unknown name",
            [UnknownFunction] = "Unknown function or layer",
            [DuplicateName] = "Name declared twice",
            [ShapeMismatch] = "Shape mismatch",
            [LayerInputMismatch] = "Layer called with a different input shape",
            [WrongArgumentCount] = "Wrong number of arguments",
            [UnknownArgument] = "Unknown named argument",
            [WrongArgumentKind] = "Argument of the wrong kind",
            [InvalidAxis] = "Axis out of range",
            [LossNotScalar] = "Loss is not a scalar",
            [MissingDeclaration] = "Model lacks a required declaration",
            [OutputDependsOnTarget] = "Output depends on a target",
            [NotSupportedYet] = "Feature not supported yet",
            [ArgumentOutOfRange] = "Argument out of range",
            [IntegerMisuse] = "Class ids used as numbers",
            [ReshapeMismatch] = "Reshape changes the number of elements",
            [UnknownLayerKind] = "Unknown layer kind",
            [UnknownTrainSetting] = "Unknown train setting",
            [UnknownMember] = "Unknown member",
            [LayerNotCalled] = "Layer used as a value",
            [UnusedLayer] = "Layer never used",
            [DuplicateLoss] = "Loss declared twice",
            [TooLarge] = "Model too large",
            [UsedBeforeDefinition] = "Name used before its definition",
            [DuplicateModel] = "Model declared twice",
            [ConflictingArguments] = "Arguments contradict each other",
            [TrainSettingOutOfRange] = "Train setting out of range",
            [UnknownMetric] = "Unknown early-stopping metric",
            [RecursiveBlock] = "Block contains itself",
            [NotPerExample] = "Value is not per example",
            [ConstantLoss] = "Loss is a constant",
            [ClassIdsRequired] = "Class-id target required",
            [NotLogProbabilities] = "Probabilities where log-probabilities belong",
            [NotRecurrentOutput] = "Not a recurrent layer's output",
            [DropoutWithOneLayer] = "Recurrent dropout with one layer",
            [LearnedMask] = "Mask computed from parameters",
            [OnnxNotCompilable] = "ONNX file cannot be compiled",
            [UnreadableFile] = "Model file cannot be read",
            [InternalError] = "Internal compiler error",
        };
    }
}
