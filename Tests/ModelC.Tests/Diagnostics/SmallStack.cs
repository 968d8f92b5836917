using System;
using System.Threading;

namespace ModelC.Tests.Diagnostics
{
    /// <summary>
    /// Runs work on a thread with a small stack. 1 MB is the default stack of a thread on Windows,
    /// where the C# compiler runs source generators, so what compiles here compiles in any build.
    /// </summary>
    internal static class SmallStack
    {
        public const int OneMegabyte = 1024 * 1024;

        public static T Run<T>(Func<T> work, int stackBytes = OneMegabyte) where T : class
        {
            T? result = null;
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try { result = work(); }
                catch (Exception e) { failure = e; }
            }, stackBytes);
            thread.Start();
            thread.Join();
            if (failure is not null) throw new Xunit.Sdk.XunitException($"failed on a {stackBytes / 1024} KB thread: {failure}");
            return result!;
        }
    }
}
