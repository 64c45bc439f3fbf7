using Norton.Core.Validation;
using static TorchSharp.torch;

namespace Norton.Losses;

/// <summary>
/// The value checks of one loss call (finite features, 0/1 masks, a valid slot per row, no zero direction), batched
/// into one device-to-host transfer together with the masks the fine-grained layout needs. A loss-side name for
/// Norton.Core's <see cref="ValueChecks"/>, the same helper the Sinkhorn solver batches its checks with.
/// </summary>
/// <remarks>Disabled (<see cref="NortonLossOptions.CheckValues"/> false), checks are not even computed; payloads are
/// still read, so a call without payloads makes no transfer at all.</remarks>
internal sealed class LossValueChecks(bool enabled)
{
    private readonly ValueChecks _checks = new(enabled);

    /// <summary>Whether value checks are computed.</summary>
    public bool Enabled => _checks.Enabled;

    /// <inheritdoc cref="ValueChecks.Add"/>
    public void Add(Func<Tensor> bad, Action report) => _checks.Add(bad, report);

    /// <inheritdoc cref="ValueChecks.AddPayload"/>
    public int AddPayload(Tensor boolTensor) => _checks.AddPayload(boolTensor);

    /// <inheritdoc cref="ValueChecks.Read"/>
    public bool[][] Read() => _checks.Read();
}
