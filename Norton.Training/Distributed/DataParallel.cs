using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Norton.Training.Distributed;

/// <summary>
/// Data-parallel training as the original's DistributedDataParallel does it: every rank starts from rank 0's weights
/// (<see cref="BroadcastParameters"/>), computes the loss on its own batch, and after <c>backward</c> and before
/// clipping calls <see cref="AverageGradients"/>, so the optimiser steps identically everywhere. Gradients travel
/// through one host buffer per bucket (CPU, the parameters' dtype: float32, or float64 for e.g. a trained
/// <c>logit_scale</c>): on CUDA they are copied to the host and back, since the MPI binding does not assume a
/// CUDA-aware MPI. In a world of one every call leaves the tensors as they are.
/// </summary>
public sealed class DataParallel : IDisposable
{
    /// <summary>Default bucket size in elements (64 MiB of float32): small models use one bucket, full fine-tuning a few.</summary>
    public const long DefaultBucketFloats = 1L << 24;

    private readonly (string Name, Parameter Parameter)[] _trained;
    private readonly List<(int First, int Count, Tensor Host)> _buckets = [];
    private readonly Scalar _size;

    /// <summary>Prepares gradient averaging for the parameters of <paramref name="model"/> that require a gradient,
    /// in <c>named_parameters</c> order (the same on every rank for the same model).</summary>
    /// <param name="world">The job's communicator.</param>
    /// <param name="model">The model being trained; freeze parameters (e.g. layernorm-only) before this call.</param>
    /// <param name="bucketFloats">Elements per all-reduce bucket (a parameter larger than this gets its own bucket).</param>
    /// <exception cref="ArgumentException">No trained parameter, or one that is neither float32 nor float64.</exception>
    public DataParallel(ICommunicator world, nn.Module model, long bucketFloats = DefaultBucketFloats)
        : this(world, Trained(model ?? throw new ArgumentNullException(nameof(model))), bucketFloats)
    {
    }

    /// <summary>Prepares gradient averaging for the given parameters (e.g. the model's and the loss's trained
    /// <c>logit_scale</c>), in the order given, which must be the same on every rank.</summary>
    /// <param name="world">The job's communicator.</param>
    /// <param name="trained">Names (for error messages) and parameters.</param>
    /// <param name="bucketFloats">Elements per all-reduce bucket (a parameter larger than this gets its own bucket).</param>
    /// <exception cref="ArgumentException">No parameter, or one that is neither float32 nor float64.</exception>
    public DataParallel(ICommunicator world, IEnumerable<(string Name, Parameter Parameter)> trained, long bucketFloats = DefaultBucketFloats)
    {
        World = world ?? throw new ArgumentNullException(nameof(world));
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketFloats, 1, nameof(bucketFloats));
        _trained = trained.ToArray();
        if (_trained.Length == 0)
            throw new ArgumentException("there is no trained parameter (none with requires_grad); there is nothing to average.", nameof(trained));
        foreach (var (name, p) in _trained)
            if (p.dtype != ScalarType.Float32 && p.dtype != ScalarType.Float64)
                throw new ArgumentException($"trained parameter '{name}' is {p.dtype}; data-parallel averaging supports float32 and float64 parameters.", nameof(trained));
        _size = ((double)world.Size).ToScalar();
        TrainedFloats = _trained.Sum(t => t.Parameter.numel());
        BytesPerUpdate = _trained.Sum(t => t.Parameter.numel() * t.Parameter.ElementSize);
        int first = 0;
        long elements = 0;
        for (int k = 0; k < _trained.Length; k++)
        {
            elements += _trained[k].Parameter.numel();
            bool last = k == _trained.Length - 1;
            if (last || elements >= bucketFloats || _trained[k + 1].Parameter.dtype != _trained[k].Parameter.dtype)
            {
                AddBucket(first, k - first + 1, elements);
                first = k + 1;
                elements = 0;
            }
        }
    }

    /// <summary>The job's communicator.</summary>
    public ICommunicator World { get; }

    /// <summary>Scalar parameters whose gradients are averaged (59,904 in the paper's layernorm-only setting).</summary>
    public long TrainedFloats { get; }

    /// <summary>Gradient bytes one rank sends into the all-reduce per update.</summary>
    public long BytesPerUpdate { get; }

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
            long gradients = host.numel() - count; // the gradients, then one has-gradient flag per parameter
            var flags = new double[count];
            long offset = 0;
            for (int k = first; k < first + count; k++)
            {
                var p = _trained[k].Parameter;
                long n = p.numel();
                var grad = p.grad;
                if (grad is null) host.narrow(0, offset, n).zero_();
                else host.narrow(0, offset, n).copy_(grad.reshape(-1));
                flags[k - first] = grad is null ? 0 : 1;
                offset += n;
            }
            host.narrow(0, gradients, count).copy_(tensor(flags));
            if (host.dtype == ScalarType.Float32) World.AllReduceSum(MemoryMarshal.Cast<byte, float>(host.bytes));
            else World.AllReduceSum(MemoryMarshal.Cast<byte, double>(host.bytes));
            double[] ranks = host.narrow(0, gradients, count).to(ScalarType.Float64).data<double>().ToArray();
            offset = 0;
            for (int k = first; k < first + count; k++)
            {
                var p = _trained[k].Parameter;
                long n = p.numel();
                double withGradient = ranks[k - first];
                var grad = p.grad;
                if ((withGradient != 0 && withGradient != World.Size) || (withGradient == 0) != (grad is null))
                    throw new InvalidOperationException(
                        $"parameter '{_trained[k].Name}' has a gradient on {withGradient} of {World.Size} ranks; every rank must use every trained parameter (or freeze it).");
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

    private static IEnumerable<(string, Parameter)> Trained(nn.Module model) =>
        model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter));

    private void AddBucket(int first, int count, long elements)
    {
        var dtype = _trained[first].Parameter.dtype;
        long bytes = (elements + count) * (dtype == ScalarType.Float32 ? 4 : 8);
        if (bytes > int.MaxValue)
            throw new ArgumentException($"parameter '{_trained[first].Name}' alone exceeds the 2 GiB a bucket can hold.");
        _buckets.Add((first, count, zeros(elements + count, dtype, CPU).DetachFromDisposeScope()));
    }
}
