using Norton.Core.Validation;

namespace Norton.Losses;

/// <summary>
/// The value checks of one loss call (finite features, 0/1 masks, a valid slot per row, no zero direction), batched
/// into one device-to-host transfer together with the masks the fine-grained layout needs: Norton.Core's
/// <see cref="ValueChecks"/>, the same helper the Sinkhorn solver uses.
/// </summary>
/// <remarks>Disabled (<see cref="NortonLossOptions.CheckValues"/> false), checks are not even computed; payloads are
/// still read, so a call without payloads makes no transfer at all.</remarks>
internal sealed class LossValueChecks(bool enabled) : ValueChecks(enabled);
