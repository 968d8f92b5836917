namespace ModelC.Distributed.TestHost;

internal static class Search
{
    public static int Run(Options options, MpiGroup? group) => throw new System.NotImplementedException();
}
