using System.Runtime.InteropServices;

namespace Norton.Training.Distributed;

/// <summary>
/// MPI_COMM_WORLD of the system's MPI library, initialised with MPI_THREAD_SERIALIZED: calls from several threads
/// are serialised here with a lock. Create it through <see cref="DistributedWorld.Join"/>; disposing it calls
/// MPI_Finalize, after which MPI cannot be initialised again in this process.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    // MPI counts are C ints; long buffers travel in chunks of at most this many elements (or bytes for byte-typed calls).
    private const int ChunkElements = 1 << 27;
    private const int ChunkBytes = 1 << 30;

    private readonly MpiLibrary _mpi;
    private readonly object _gate = new();
    private bool _finalized;

    internal MpiCommunicator(MpiLibrary mpi, int localRank)
    {
        _mpi = mpi;
        if (!mpi.Initialized())
            mpi.InitThread();
        Rank = mpi.Rank();
        Size = mpi.Size();
        LocalRank = localRank;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <inheritdoc />
    public int LocalRank { get; }

    /// <summary>The ABI of the loaded library.</summary>
    public MpiFlavor Flavor => _mpi.Flavor;

    /// <summary>The library file that was loaded.</summary>
    public string LibraryPath => _mpi.Path;

    /// <summary>True until <see cref="Dispose"/> has finalised MPI (MPI_Initialized and not MPI_Finalized).</summary>
    public bool IsActive
    {
        get
        {
            lock (_gate) return !_finalized && _mpi.Initialized() && !_mpi.Finalized();
        }
    }

    /// <inheritdoc />
    public void Barrier()
    {
        lock (_gate)
        {
            ThrowIfFinalized();
            _mpi.Barrier();
        }
    }

    /// <inheritdoc />
    public void Broadcast<T>(Span<T> buffer, int root = 0) where T : unmanaged
    {
        if ((uint)root >= (uint)Size)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"root must be a rank in [0, {Size}).");
        var bytes = MemoryMarshal.AsBytes(buffer);
        lock (_gate)
        {
            ThrowIfFinalized();
            fixed (byte* p = bytes)
                for (int offset = 0; offset < bytes.Length; offset += ChunkBytes)
                    _mpi.Bcast(p + offset, Math.Min(ChunkBytes, bytes.Length - offset), _mpi.Byte, root);
        }
    }

    /// <inheritdoc />
    public void AllReduceSum(Span<float> buffer)
    {
        lock (_gate)
        {
            ThrowIfFinalized();
            fixed (float* p = buffer)
                for (int offset = 0; offset < buffer.Length; offset += ChunkElements)
                    _mpi.AllreduceSumInPlace(p + offset, Math.Min(ChunkElements, buffer.Length - offset), _mpi.Float);
        }
    }

    /// <inheritdoc />
    public void AllReduceSum(Span<double> buffer)
    {
        lock (_gate)
        {
            ThrowIfFinalized();
            fixed (double* p = buffer)
                for (int offset = 0; offset < buffer.Length; offset += ChunkElements)
                    _mpi.AllreduceSumInPlace(p + offset, Math.Min(ChunkElements, buffer.Length - offset), _mpi.Double);
        }
    }

    /// <inheritdoc />
    public T[] AllGather<T>(ReadOnlySpan<T> mine) where T : unmanaged
    {
        var send = MemoryMarshal.AsBytes(mine);
        long total = (long)send.Length * Size;
        if (total > int.MaxValue)
            throw new ArgumentException($"AllGather moves at most {int.MaxValue} bytes in all; {Size} ranks x {send.Length} bytes is {total}.", nameof(mine));
        var result = new T[mine.Length * Size];
        var receive = MemoryMarshal.AsBytes(result.AsSpan());
        lock (_gate)
        {
            ThrowIfFinalized();
            fixed (byte* s = send)
            fixed (byte* r = receive)
                _mpi.Allgather(s, send.Length, _mpi.Byte, r);
        }
        return result;
    }

    /// <inheritdoc />
    public T[] AllGatherVariable<T>(ReadOnlySpan<T> mine, out int[] counts) where T : unmanaged
    {
        counts = AllGather<int>([mine.Length]);
        int size = Marshal.SizeOf<T>();
        var byteCounts = new int[Size];
        var displacements = new int[Size];
        long total = 0;
        for (int r = 0; r < Size; r++)
        {
            long bytes = (long)counts[r] * size;
            if (total + bytes > int.MaxValue)
                throw new ArgumentException($"AllGatherVariable moves at most {int.MaxValue} bytes in all; the ranks' parts add up to more.", nameof(mine));
            byteCounts[r] = (int)bytes;
            displacements[r] = (int)total;
            total += bytes;
        }
        var result = new T[total / size];
        var send = MemoryMarshal.AsBytes(mine);
        var receive = MemoryMarshal.AsBytes(result.AsSpan());
        lock (_gate)
        {
            ThrowIfFinalized();
            fixed (byte* s = send)
            fixed (byte* r = receive)
            fixed (int* c = byteCounts)
            fixed (int* d = displacements)
                _mpi.Allgatherv(s, send.Length, _mpi.Byte, r, c, d);
        }
        return result;
    }

    /// <inheritdoc />
    /// <remarks>Deliberately takes no lock: it must end the job even while another thread waits in a collective.</remarks>
    public void Abort(int exitCode)
    {
        _mpi.Abort(exitCode);
        Environment.Exit(exitCode); // MPI_Abort returned (it should not)
    }

    /// <summary>Calls MPI_Finalize (a collective: every rank disposes its communicator).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_finalized) return;
            _finalized = true;
            if (!_mpi.Finalized())
                _mpi.FinalizeMpi();
        }
    }

    private void ThrowIfFinalized()
    {
        if (_finalized)
            throw new ObjectDisposedException(nameof(MpiCommunicator), "MPI has been finalised; it cannot be used again in this process.");
    }
}
