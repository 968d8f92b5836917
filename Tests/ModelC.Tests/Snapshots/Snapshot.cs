using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace ModelC.Tests.Snapshots
{
    /// <summary>
    /// Approval testing in Verify's conventions: the accepted text is Name.verified.cs beside the
    /// test; a mismatch writes Name.received.cs there and fails. Set MODELC_ACCEPT_SNAPSHOTS=1
    /// to accept received text as the new verified text (then review the diff before committing).
    /// </summary>
    public static class Snapshot
    {
        public const string AcceptVariable = "MODELC_ACCEPT_SNAPSHOTS";

        public static void Verify(string actual, string name, [CallerFilePath] string testFile = "")
        {
            var directory = Path.GetDirectoryName(testFile)!;
            var verified = Path.Combine(directory, name + ".verified.cs");
            var received = Path.Combine(directory, name + ".received.cs");
            actual = actual.Replace("\r\n", "\n");

            if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
            {
                File.WriteAllText(verified, actual);
                if (File.Exists(received)) File.Delete(received);
                return;
            }

            var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
            if (expected == actual)
            {
                if (File.Exists(received)) File.Delete(received);
                return;
            }
            File.WriteAllText(received, actual);
            Assert.Fail(expected is null
                ? $"no snapshot yet: review {received} and rename it to {Path.GetFileName(verified)} (or run with {AcceptVariable}=1)"
                : $"generated code differs from {Path.GetFileName(verified)}: first difference at line {FirstDifferentLine(expected, actual)}; see {received} (accept with {AcceptVariable}=1)");
        }

        private static int FirstDifferentLine(string expected, string actual)
        {
            var a = expected.Split('\n');
            var b = actual.Split('\n');
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
                if (a[i] != b[i]) return i + 1;
            return Math.Min(a.Length, b.Length) + 1;
        }
    }
}
