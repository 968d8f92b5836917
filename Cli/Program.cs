namespace ModelC.Cli
{
    public static class Program
    {
        public static int Main(string[] args) => ModelcCommandLine.Run(args);
    }
}
