using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ModelC.Distributed;

/// <summary>
/// MPI.NET's P/Invokes name <c>msmpi.dll</c>, Microsoft's MPI. On Linux the same calls go to
/// MPICH, whose integer handles (MPI_COMM_WORLD, MPI_FLOAT, ...) and status layout are MS-MPI's,
/// so resolving the name to <c>libmpich.so.12</c> is all it takes. Open MPI's ABI differs.
/// </summary>
internal static class MpichLibrary
{
    private const string MsMpi = "msmpi.dll";
    private const string Mpich = "libmpich.so.12";
    private static readonly object Gate = new();
    private static bool installed;

    /// <summary>Installs the resolver on MPI.NET's assembly, once; on Windows MS-MPI loads as named.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (installed || OperatingSystem.IsWindows())
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(MPI.Communicator).Assembly, Resolve);
            installed = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!name.Equals(MsMpi, StringComparison.OrdinalIgnoreCase) && !name.Equals("msmpi", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        if (NativeLibrary.TryLoad(Mpich, out IntPtr handle))
        {
            return handle;
        }

        throw new DllNotFoundException(
            $"ModelC.Distributed needs MPICH's {Mpich}, which is not installed; on Debian or Ubuntu: apt-get install mpich libmpich-dev.");
    }
}
