using Norton.Core.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Models.S3D;

/// <summary>
/// S3D's 2×2×2 space-to-depth stem (<c>_space_to_depth</c> in s3dg.py): (N, C, T, H, W) → (N, 8C, T/2, H/2, W/2)
/// with output channel <c>((dt·2 + dh)·2 + dw)·C + c</c>.
/// </summary>
public static class SpaceToDepth
{
    /// <summary>Rearranges each 2×2×2 block of <paramref name="input"/> into channels.</summary>
    /// <param name="input">(N, C, T, H, W) with even T, H and W.</param>
    /// <returns>A new (N, 8C, T/2, H/2, W/2) tensor.</returns>
    /// <exception cref="ArgumentException">The input is not rank 5 or T, H or W is odd.</exception>
    public static Tensor Apply(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 5)
            throw Guard.Argument(nameof(input), "be a rank-5 (N, C, T, H, W) tensor", $"has shape {Guard.Shape(input)}");
        long n = input.shape[0], c = input.shape[1], t = input.shape[2], h = input.shape[3], w = input.shape[4];
        if (t % 2 != 0 || h % 2 != 0 || w % 2 != 0)
            throw Guard.Argument(nameof(input), "have even T, H and W (space-to-depth)", $"has T={t}, H={h}, W={w}");
        using var scope = NewDisposeScope();
        // The block offsets (dt, dh, dw) go in front of the channel: that fixes the channel order the weights expect.
        return input.reshape(n, c, t / 2, 2, h / 2, 2, w / 2, 2)
            .permute(0, 3, 5, 7, 1, 2, 4, 6)
            .reshape(n, 8 * c, t / 2, h / 2, w / 2)
            .MoveToOuterDisposeScope();
    }
}
