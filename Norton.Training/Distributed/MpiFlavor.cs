namespace Norton.Training.Distributed;

/// <summary>The two application binary interfaces MPI libraries come in; they differ in how handles are represented.</summary>
public enum MpiFlavor
{
    /// <summary>Open MPI (<c>libmpi.so.40</c>): handles are the addresses of exported objects such as
    /// <c>ompi_mpi_comm_world</c>.</summary>
    OpenMpi,

    /// <summary>MPICH and the MPIs sharing its ABI (Intel MPI, Cray MPICH, MVAPICH; <c>libmpi.so.12</c>): handles are
    /// fixed 32-bit integers.</summary>
    Mpich,
}
