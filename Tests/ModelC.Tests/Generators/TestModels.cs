namespace ModelC.Tests.Generators
{
    /// <summary>.model texts the generator tests share; line numbers in the comments are asserted on.</summary>
    internal static class TestModels
    {
        public const string Tiny =
            "model Tiny {\n" +
            "    input x : float[3];\n" +
            "    target y : float[1];\n" +
            "    layer fc = dense(1);\n" +
            "    output pred = fc(x);\n" +
            "    loss = mse(pred, y);\n" +
            "}\n";

        public const string Other =
            "model Other {\n" +
            "    input x : float[2];\n" +
            "    target y : float[1];\n" +
            "    layer fc = dense(1);\n" +
            "    output pred = fc(x);\n" +
            "    loss = mse(pred, y);\n" +
            "}\n";

        /// <summary>The ';' after <c>float[1]</c> on line 3 is missing.</summary>
        public const string MissingSemicolonOnLine3 =
            "model Broken {\n" +
            "    input x : float[3];\n" +
            "    target y : float[1]\n" +
            "    layer fc = dense(1);\n" +
            "    output pred = fc(x);\n" +
            "    loss = mse(pred, y);\n" +
            "}\n";

        /// <summary>Line 5 calls fc on <c>z</c>, which is never declared; <c>z</c> is at column 22.</summary>
        public const string UndefinedNameOnLine5 =
            "model Undefined {\n" +
            "    input x : float[3];\n" +
            "    target y : float[1];\n" +
            "    layer fc = dense(1);\n" +
            "    output pred = fc(z);\n" +
            "    loss = mse(pred, y);\n" +
            "}\n";
    }
}
