using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Training.Distributed;

/// <summary>
/// Data-parallel training as the original's DistributedDataParallel does it: every rank starts from rank 0's weights
/// (<see cref="BroadcastParameters"/>), computes the loss on its own batch, and after <c>backward</c> and before
/// clipping calls <see cref="AverageGradients"/>, so the optimiser steps identically everywhere. Gradients travel
/// through one host buffer per bucket (float32, CPU): on CUDA they are copied to the host and back, since the MPI
/// binding does not assume a CUDA-aware MPI. In a world of one every call leaves the tensors as they are.
/// </summary>
public sealed class DataParallel : IDisposable
{
    /// <summary>Default bucket size in floats (64 MiB): small models use one bucket, full fine-tuning a few.</summary>
    public const long DefaultBucketFloats = 1L << 24;

    private readonly (string Name, Parameter Parameter)[] _trained;
    private readonly List<(int First, int Count, Tensor Host)> _buckets = [];
    private readonly Scalar _size;

    /// <summary>Prepares gradient averaging for the parameters of <paramref name="model"/> that require a gradient,
    /// in <c>named_parameters</c> order (the same on every rank for the same model).</summary>
    /// <param name="world">The job's communicator.</param>
    /// <param name="model">The model being trained; freeze parameters (e.g. layernorm-only) before this call.</param>
    /// <param name="bucketFloats">Floats per all-reduce bucket (a parameter larger than this gets its own bucket).</param>
    /// <exception cref="ArgumentException">No trained parameter, or a trained parameter that is not float32.</exception>
    public DataParallel(ICommunicator world, nn.Module model, long bucketFloats = DefaultBucketFloats)
    {
        World = world ?? throw new ArgumentNullException(nameof(world));
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketFloats, 1, nameof(bucketFloats));
        _trained = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToArray();
        if (_trained.Length == 0)
            throw new ArgumentException("the model has no parameter with requires_grad; there is nothing to average.", nameof(model));
        foreach (var (name, p) in _trained)
            if (p.dtype != ScalarType.Float32)
                throw new ArgumentException($"trained parameter '{name}' is {p.dtype}; data-parallel averaging supports float32 parameters.", nameof(model));
        _size = ((double)world.Size).ToScalar();
        TrainedFloats = _trained.Sum(t => t.Parameter.numel());
        int first = 0;
        long floats = 0;
        for (int k = 0; k < _trained.Length; k++)
        {
            floats += _trained[k].Parameter.numel();
            if (floats >= bucketFloats || k == _trained.Length - 1)
            {
                AddBucket(first, k - first + 1, floats);
                first = k + 1;
                floats = 0;
            }
        }
    }

    /// <summary>The job's communicator.</summary>
    public ICommunicator World { get; }

    /// <summary>Scalar parameters whose gradients are averaged (59,904 in the paper's layernorm-only setting).</summary>
    public long TrainedFloats { get; }

    /// <summary>Bytes one rank sends into the all-reduce per update (float32 gradients).</summary>
    public long BytesPerUpdate => TrainedFloats * sizeof(float);

    /// <summary>The number of all-reduce buckets.</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>
    /// Overwrites every parameter and buffer of <paramref name="model"/> on every rank with rank 0's (all of them,
    /// trained or frozen), so that ranks whose random initialisation or loaded checkpoint differ start equal.
    /// </summary>
    /// <param name="world">The job's communicator.</param>
    /// <param name="model">The same architecture on every rank.</param>
    public static void BroadcastParameters(ICommunicator world, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(model);
        if (world.Size == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var tensor in model.parameters().Cast<Tensor>().Concat(model.buffers()))
        {
            bool direct = tensor.device_type == DeviceType.CPU && tensor.is_contiguous();
            var host = direct ? tensor : tensor.detach().cpu().contiguous();
            world.Broadcast(host.bytes, root: 0);
            if (!direct) tensor.copy_(host);
        }
    }

    /// <summary>
    /// Replaces each trained parameter's gradient with its mean over the ranks (sum, then divide by the world size).
    /// Call it on every rank after <c>backward</c> and before clipping. A parameter without a gradient on every rank
    /// is left without one (as DDP with unused parameters does).
    /// </summary>
    /// <exception cref="InvalidOperationException">A parameter has a gradient on some ranks but not on others (the
    /// same on every rank, so the job fails consistently instead of hanging).</exception>
    public void AverageGradients()
    {
        if (World.Size == 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (first, count, host) in _buckets)
        {
            var values = MemoryMarshal.Cast<byte, float>(host.bytes);
            long offset = 0;
            for (int k = first; k < first + count; k++)
            {
                var p = _trained[k].Parameter;
                long n = p.numel();
                var grad = p.grad;
                if (grad is null) host.narrow(0, offset, n).zero_();
                else host.narrow(0, offset, n).copy_(grad.reshape(-1));
                values[(int)(host.numel() - count + (k - first))] = grad is null ? 0f : 1f; // the has-gradient flags
                offset += n;
            }
            World.AllReduceSum(values);
            offset = 0;
            for (int k = first; k < first + count; k++)
            {
                var p = _trained[k].Parameter;
                long n = p.numel();
                float ranks = values[(int)(host.numel() - count + (k - first))];
                var grad = p.grad;
                if (ranks != 0f && ranks != World.Size || (ranks == 0f) != (grad is null))
                    throw new InvalidOperationException(
                        $"parameter '{_trained[k].Name}' has a gradient on {ranks} of {World.Size} ranks; every rank must use every trained parameter (or freeze it).");
                if (grad is not null)
                    grad.copy_(host.narrow(0, offset, n).div_(_size).view_as(grad));
                offset += n;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, _, host) in _buckets) host.Dispose();
        _buckets.Clear();
        _size.Dispose();
    }

    private void AddBucket(int first, int count, long floats)
    {
        if (floats + count > int.MaxValue / sizeof(float))
            throw new ArgumentException($"parameter '{_trained[first].Name}' alone exceeds the 2 GiB a bucket can hold.");
        // The bucket's gradients, then one has-gradient flag per parameter (summed across ranks with them).
        _buckets.Add((first, count, zeros(floats + count, ScalarType.Float32, CPU).DetachFromDisposeScope()));
    }
}
