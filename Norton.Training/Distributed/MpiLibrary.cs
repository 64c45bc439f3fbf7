using System.Runtime.InteropServices;
using System.Text;

namespace Norton.Training.Distributed;

/// <summary>
/// The system's MPI library, loaded at run time: the entry points this package uses and the predefined handles
/// (communicator, datatypes, the sum operation) of its ABI. Handles are carried as <see cref="nint"/>: Open MPI's are
/// addresses of exported objects; MPICH's are 32-bit integers, which the 64-bit Linux calling conventions (x86-64
/// System V, AArch64) pass in the same integer registers and 8-byte stack slots, the callee reading the low half.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>The files tried, in order, when <c>NORTON_MPI_LIBRARY</c> names none.</summary>
    public static readonly string[] Candidates = ["libmpi.so.40", "libmpi.so.12", "libmpich.so.12", "libmpi.so"];

    /// <summary>The environment variable that names the MPI library file to load instead of the candidates.</summary>
    public const string LibraryVariable = "NORTON_MPI_LIBRARY";

    private const string UcxErrorSignals = "UCX_ERROR_SIGNALS";

    private const int ThreadSerialized = 2; // MPI_THREAD_SERIALIZED, the same value in both ABIs

    private readonly delegate* unmanaged<int*, byte***, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<nint, int, int> _abort;
    private readonly delegate* unmanaged<nint, int*, int> _commRank;
    private readonly delegate* unmanaged<nint, int*, int> _commSize;
    private readonly delegate* unmanaged<nint, int> _barrier;
    private readonly delegate* unmanaged<void*, int, nint, int, nint, int> _bcast;
    private readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> _allreduce;
    private readonly delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> _allgather;
    private readonly delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int> _allgatherv;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;

    private MpiLibrary(nint handle, string path)
    {
        Path = path;
        Flavor = NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out nint world) ? MpiFlavor.OpenMpi : MpiFlavor.Mpich;
        _initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export(handle, "MPI_Init_thread");
        _initialized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Finalized");
        _finalize = (delegate* unmanaged<int>)Export(handle, "MPI_Finalize");
        _abort = (delegate* unmanaged<nint, int, int>)Export(handle, "MPI_Abort");
        _commRank = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_rank");
        _commSize = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_size");
        _barrier = (delegate* unmanaged<nint, int>)Export(handle, "MPI_Barrier");
        _bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export(handle, "MPI_Bcast");
        _allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export(handle, "MPI_Allreduce");
        _allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Export(handle, "MPI_Allgather");
        _allgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int>)Export(handle, "MPI_Allgatherv");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export(handle, "MPI_Error_string");
        if (Flavor == MpiFlavor.OpenMpi)
        {
            CommWorld = world;
            Float = Export(handle, "ompi_mpi_float");
            Double = Export(handle, "ompi_mpi_double");
            Int32 = Export(handle, "ompi_mpi_int");
            Int64 = Export(handle, "ompi_mpi_int64_t");
            Byte = Export(handle, "ompi_mpi_byte");
            Sum = Export(handle, "ompi_mpi_op_sum");
            InPlace = 1; // MPI_IN_PLACE is ((void *) 1) in mpi.h
        }
        else
        {
            // The constants of MPICH's mpi.h, shared by every MPI of the MPICH ABI initiative.
            CommWorld = 0x44000000;
            Float = 0x4c00040a;
            Double = 0x4c00080b;
            Int32 = 0x4c000405;
            Int64 = 0x4c000841;
            Byte = 0x4c00010d;
            Sum = 0x58000003;
            InPlace = -1; // MPI_IN_PLACE is ((void *) -1)
        }
    }

    /// <summary>The file that was loaded.</summary>
    public string Path { get; }

    /// <summary>The library's ABI.</summary>
    public MpiFlavor Flavor { get; }

    /// <summary>MPI_COMM_WORLD.</summary>
    public nint CommWorld { get; }

    /// <summary>MPI_FLOAT.</summary>
    public nint Float { get; }

    /// <summary>MPI_DOUBLE.</summary>
    public nint Double { get; }

    /// <summary>MPI_INT.</summary>
    public nint Int32 { get; }

    /// <summary>MPI_INT64_T.</summary>
    public nint Int64 { get; }

    /// <summary>MPI_BYTE.</summary>
    public nint Byte { get; }

    /// <summary>MPI_SUM.</summary>
    public nint Sum { get; }

    /// <summary>MPI_IN_PLACE.</summary>
    public nint InPlace { get; }

    /// <summary>
    /// <see cref="Candidates"/> in the order the launcher suggests: a process started by MPICH's Hydra
    /// (<c>PMI_SIZE</c> or <c>PMI_RANK</c> without Open MPI's <c>OMPI_COMM_WORLD_SIZE</c>) tries the MPICH ABI
    /// (<c>libmpi.so.12</c>, <c>libmpich.so.12</c>) first, so a machine with both MPIs installed loads the one that
    /// launched it; everything else tries Open MPI first.
    /// </summary>
    internal static string[] CandidatesFor(Func<string, string?> variable)
    {
        bool hydra = variable("OMPI_COMM_WORLD_SIZE") is null && (variable("PMI_SIZE") is not null || variable("PMI_RANK") is not null);
        return hydra ? ["libmpi.so.12", "libmpich.so.12", "libmpi.so.40", "libmpi.so"] : Candidates;
    }

    /// <summary>Loads <c>NORTON_MPI_LIBRARY</c> if set, else the first of <see cref="CandidatesFor"/> that loads.</summary>
    /// <exception cref="MpiLibraryNotFoundException">Nothing loads; the message names what to install.</exception>
    public static MpiLibrary Load() => Load(Environment.GetEnvironmentVariable(LibraryVariable));

    /// <summary>Loads <paramref name="chosen"/> if not blank, else the first of <see cref="Candidates"/> that loads.</summary>
    /// <exception cref="MpiLibraryNotFoundException">Nothing loads; the message names what to install.</exception>
    /// <remarks>Before loading, keeps UCX (the transport of MPICH's ch4:ucx device, and of Open MPI's UCX PML on
    /// InfiniBand clusters) off SIGSEGV, SIGBUS, SIGILL and SIGFPE: its error handler would take the signal .NET turns
    /// into a NullReferenceException, and a caught null reference then kills the process (seen with Debian's MPICH 4.0:
    /// "Caught signal 11" from libucs, then "Illegal instruction"). UCX reads its settings when the library loads, so
    /// this must come first; a value the user set is left alone.</remarks>
    public static MpiLibrary Load(string? chosen)
    {
        if (Environment.GetEnvironmentVariable(UcxErrorSignals) is null)
            NativeEnvironment.Set(UcxErrorSignals, "");
        string[] names = string.IsNullOrWhiteSpace(chosen) ? CandidatesFor(Environment.GetEnvironmentVariable) : [chosen];
        foreach (string name in names)
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                if (!NativeLibrary.TryGetExport(handle, "MPI_Init_thread", out _))
                    throw new MpiLibraryNotFoundException($"'{name}' loaded but exports no MPI_Init_thread, so it is not an MPI library.");
                return new MpiLibrary(handle, name);
            }
        throw new MpiLibraryNotFoundException(
            $"This process was started by an MPI launcher but no MPI library could be loaded (tried {string.Join(", ", names)}). " +
            "Install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev; Fedora: dnf install openmpi) or MPICH, " +
            $"or set {LibraryVariable} to the path of libmpi.so.");
    }

    /// <summary>MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &amp;provided); returns the level provided.</summary>
    public int InitThread()
    {
        int provided;
        Check(_initThread(null, null, ThreadSerialized, &provided), "MPI_Init_thread");
        return provided;
    }

    /// <summary>MPI_Initialized.</summary>
    public bool Initialized()
    {
        int flag;
        Check(_initialized(&flag), "MPI_Initialized");
        return flag != 0;
    }

    /// <summary>MPI_Finalized.</summary>
    public bool Finalized()
    {
        int flag;
        Check(_finalized(&flag), "MPI_Finalized");
        return flag != 0;
    }

    /// <summary>MPI_Finalize.</summary>
    public void FinalizeMpi() => Check(_finalize(), "MPI_Finalize");

    /// <summary>MPI_Abort(MPI_COMM_WORLD, code): ends every process of the job.</summary>
    public void Abort(int code) => _abort(CommWorld, code);

    /// <summary>MPI_Comm_rank(MPI_COMM_WORLD).</summary>
    public int Rank()
    {
        int rank;
        Check(_commRank(CommWorld, &rank), "MPI_Comm_rank");
        return rank;
    }

    /// <summary>MPI_Comm_size(MPI_COMM_WORLD).</summary>
    public int Size()
    {
        int size;
        Check(_commSize(CommWorld, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary>MPI_Barrier(MPI_COMM_WORLD).</summary>
    public void Barrier() => Check(_barrier(CommWorld), "MPI_Barrier");

    /// <summary>MPI_Bcast on MPI_COMM_WORLD.</summary>
    public void Bcast(void* buffer, int count, nint type, int root) => Check(_bcast(buffer, count, type, root, CommWorld), "MPI_Bcast");

    /// <summary>MPI_Allreduce in place with MPI_SUM on MPI_COMM_WORLD.</summary>
    public void AllreduceSumInPlace(void* buffer, int count, nint type) =>
        Check(_allreduce((void*)InPlace, buffer, count, type, Sum, CommWorld), "MPI_Allreduce");

    /// <summary>MPI_Allgather on MPI_COMM_WORLD (same count and type on both sides).</summary>
    public void Allgather(void* send, int count, nint type, void* receive) =>
        Check(_allgather(send, count, type, receive, count, type, CommWorld), "MPI_Allgather");

    /// <summary>MPI_Allgatherv on MPI_COMM_WORLD.</summary>
    public void Allgatherv(void* send, int count, nint type, void* receive, int* counts, int* displacements) =>
        Check(_allgatherv(send, count, type, receive, counts, displacements, type, CommWorld), "MPI_Allgatherv");

    private void Check(int code, string function)
    {
        if (code == 0) return;
        var text = new byte[1024]; // MPI_MAX_ERROR_STRING is 256 (Open MPI) or 1024 (MPICH)
        int length = 0;
        fixed (byte* p = text)
            if (_errorString(code, p, &length) != 0) length = 0;
        throw new MpiException(function, code, Encoding.ASCII.GetString(text, 0, Math.Clamp(length, 0, text.Length)));
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address)
            ? address
            : throw new MpiLibraryNotFoundException($"The MPI library does not export {name}; it is not a usable MPI library.");
}
