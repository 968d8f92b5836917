using System;

namespace ModelC.Distributed;

/// <summary>
/// Whether this process was started by <c>mpiexec</c>, read from the environment that MPICH's
/// launcher (Hydra) sets for every rank. It touches no MPI type, so a program can ask without
/// loading MPI.NET or the MPI library.
/// </summary>
public static class MpiLaunch
{
    /// <summary>True when a process manager started this process as one rank of a job (PMI_RANK and PMI_SIZE are set).</summary>
    public static bool IsLaunched =>
        Environment.GetEnvironmentVariable("PMI_RANK") is not null && Environment.GetEnvironmentVariable("PMI_SIZE") is not null;

    /// <summary>The job's process count as the launcher announced it; 1 when not launched by mpiexec.</summary>
    public static int Size => int.TryParse(Environment.GetEnvironmentVariable("PMI_SIZE"), out int size) && size >= 1 ? size : 1;

    /// <summary>How many ranks of the job share this machine (MPICH's MPI_LOCALNRANKS); 1 when unknown.</summary>
    public static int RanksOnThisNode =>
        int.TryParse(Environment.GetEnvironmentVariable("MPI_LOCALNRANKS"), out int ranks) && ranks >= 1 ? ranks : 1;

    /// <summary>True when Open MPI's launcher started this process: its ABI differs from MPICH's, which MPI.NET needs.</summary>
    public static bool IsOpenMpi => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;
}
