using Norton.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Norton.Demo.Data;

/// <summary>
/// Generates long videos with the multi-granularity noise of the Norton paper, from one seed.
/// </summary>
/// <remarks>
/// <para>The world: a vocabulary of latent steps (unit vectors in a small latent space, <see cref="DemoOptions.Steps"/>
/// of them), a fixed random "camera" and a fixed random "narrator" (linear maps to 64 features). A long video is a
/// sequence of steps drawn from the vocabulary; each clip shows one step with its own details (the step vector plus
/// <see cref="DemoOptions.Detail"/> times a random vector). A clip's frames are its latent, jittered per frame and seen
/// through the camera; a caption's words are the latent it describes, jittered per word and spoken by the narrator.
/// Steps recur across videos, so a batch holds clips of the same step: the faulty negatives Norton's clip-level OT is
/// meant for. A single token says little: the encoders must pool.</para>
/// <para>The noise, at three granularities: (1) temporal misalignment: in a fraction of the videos every caption is
/// shifted by one or two clips (caption c describes clip c - shift; captions shifted past the ends describe the steps
/// just before or after the video); (2) irrelevant captions: a fraction of all captions describe a fresh random latent
/// that appears nowhere; (3) inside each clip a fraction of the frames are background (one of a few shared looks) and
/// the same fraction of the words are filler (one of a few shared filler words). The fractions are exact (rounded to
/// whole videos, captions and tokens), not drawn item by item.</para>
/// </remarks>
public sealed class NoisyVideoGenerator : IDisposable
{
    /// <summary>Latent dimension of the steps.</summary>
    public const int LatentDim = 16;

    /// <summary>Feature size of frames and words.</summary>
    public const int FeatureDim = 64;

    /// <summary>Largest shift of a misaligned video's captions, in clips.</summary>
    public const int MaxShift = 2;

    private const int Looks = 4;                 // shared background looks and filler words
    private const double LookJitter = 0.3;
    private static readonly Scalar LookJitterScalar = LookJitter.ToScalar();

    private readonly Tensor _vocabulary, _camera, _narrator, _backgroundLooks, _fillerWords;

    /// <summary>Creates the world (camera, narrator, background looks, filler words) from the seed.</summary>
    /// <param name="options">Sizes and noise levels (validated).</param>
    public NoisyVideoGenerator(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        using var g = new Generator(Mix(options.Seed, 0));
        double scale = 1 / Math.Sqrt(LatentDim);
        _vocabulary = nn.functional.normalize(randn(options.Steps, LatentDim, generator: g), dim: -1);
        using var scaleScalar = scale.ToScalar();
        _camera = randn(LatentDim, FeatureDim, generator: g).mul(scaleScalar);
        _narrator = randn(LatentDim, FeatureDim, generator: g).mul(scaleScalar);
        _backgroundLooks = randn(Looks, FeatureDim, generator: g);
        _fillerWords = randn(Looks, FeatureDim, generator: g);
    }

    /// <summary>The options.</summary>
    public DemoOptions Options { get; }

    /// <summary>Generates a set of videos. Same seed, same <paramref name="stream"/>: same videos.</summary>
    /// <param name="count">Number of videos.</param>
    /// <param name="stream">Which independent stream of the seed (0 = training set, 1 = test set, ...).</param>
    public NoisyVideoSet Generate(int count, int stream)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stream, 0);
        int clips = Options.Clips, extended = clips + 2 * MaxShift;
        using var scope = NewDisposeScope();
        using var g = new Generator(Mix(Options.Seed, stream + 1));

        // The steps of each long video, with room for the steps just before and after the shown clips, and each
        // clip's own details.
        var stepIds = randint(0, Options.Steps, new long[] { count, extended }, generator: g);
        using var detailScale = (Options.Detail / Math.Sqrt(LatentDim)).ToScalar();
        using var latentNorm = Math.Sqrt(LatentDim).ToScalar();
        var details = randn(count, extended, LatentDim, generator: g).mul(detailScale);
        var latents = nn.functional.normalize(_vocabulary.index_select(0, stepIds.flatten()).reshape(count, extended, LatentDim).add(details, Scalars.One), dim: -1)
                    .mul(latentNorm);

        // (1) Misalignment: exactly round(Shifted * count) videos, each shifted by +-1 or +-2 clips.
        var shifts = new int[count];
        var shiftedVideos = Pick(count, Options.Shifted, g);
        var magnitude = randint(1, MaxShift + 1, count, generator: g).data<long>().ToArray();
        var sign = randint(0, 2, count, generator: g).data<long>().ToArray();
        foreach (int v in shiftedVideos)
            shifts[v] = (int)(magnitude[v] * (sign[v] == 0 ? -1 : 1));

        // (2) Irrelevant captions: exactly round(Irrelevant * captions), anywhere.
        var irrelevant = new bool[count, clips];
        foreach (int i in Pick(count * clips, Options.Irrelevant, g))
            irrelevant[i / clips, i % clips] = true;

        var truth = new int[count, clips];
        var source = new long[count * clips];
        for (int v = 0; v < count; v++)
            for (int c = 0; c < clips; c++)
            {
                int described = c - shifts[v];
                source[v * clips + c] = v * extended + described + MaxShift;
                truth[v, c] = irrelevant[v, c] || described < 0 || described >= clips ? -1 : described;
            }
        var flatLatents = latents.reshape(count * extended, LatentDim);
        var clipLatents = latents.narrow(1, MaxShift, clips);
        var captionLatents = flatLatents.index_select(0, tensor(source)).reshape(count, clips, LatentDim);
        using var randomNorm = Math.Sqrt(LatentDim).ToScalar();
        var randomSteps = nn.functional.normalize(randn(count, clips, LatentDim, generator: g), dim: -1).mul(randomNorm);
        var irrelevantMask = tensor(irrelevant.Cast<bool>().ToArray()).reshape(count, clips, 1);
        captionLatents = where(irrelevantMask, randomSteps, captionLatents);

        // (3) Background frames and filler words.
        var (frames, background) = Render(clipLatents, _camera, Options.Frames, _backgroundLooks, g);
        var (words, filler) = Render(captionLatents, _narrator, Options.Words, _fillerWords, g);
        var clipStepIds = stepIds.narrow(1, MaxShift, clips).contiguous().data<long>().ToArray();
        var clipSteps = new int[count, clips];
        for (int v = 0; v < count; v++)
            for (int c = 0; c < clips; c++)
                clipSteps[v, c] = (int)clipStepIds[v * clips + c];
        return new NoisyVideoSet(frames.MoveToOuterDisposeScope(), words.MoveToOuterDisposeScope(),
            background.MoveToOuterDisposeScope(), filler.MoveToOuterDisposeScope(), shifts, irrelevant, truth, clipSteps);
    }

    /// <summary>Tokens of (videos, clips, latent) steps: (videos, clips, tokens, 64) features and the noise mask.</summary>
    private (Tensor Tokens, Tensor Noise) Render(Tensor steps, Tensor projection, int tokens, Tensor looks, Generator g)
    {
        long videos = steps.shape[0], clips = steps.shape[1];
        using var tokenNoise = Options.TokenNoise.ToScalar();
        var jittered = steps.unsqueeze(2).add(randn(videos, clips, tokens, LatentDim, generator: g).mul(tokenNoise), Scalars.One);
        var signal = jittered.matmul(projection);
        long total = videos * clips * tokens;
        var noise = zeros(total, dtype: ScalarType.Bool);
        var picked = Pick((int)total, Options.Background, g);
        if (picked.Length > 0) noise.index_fill_(0, tensor(picked.Select(i => (long)i).ToArray()), Scalars.True);
        noise = noise.reshape(videos, clips, tokens);
        var look = looks.index_select(0, randint(0, Looks, total, generator: g)).reshape(videos, clips, tokens, FeatureDim);
        var backgroundTokens = look.add(randn(videos, clips, tokens, FeatureDim, generator: g).mul(LookJitterScalar), Scalars.One);
        return (where(noise.unsqueeze(-1), backgroundTokens, signal), noise);
    }

    /// <summary>round(fraction * count) distinct indices in [0, count), uniformly at random.</summary>
    private static int[] Pick(int count, double fraction, Generator g)
    {
        int k = (int)Math.Round(fraction * count, MidpointRounding.AwayFromZero);
        using var perm = randperm(count, generator: g);
        return perm.narrow(0, 0, k).data<long>().Select(i => (int)i).ToArray();
    }

    /// <summary>A seed for each (seed, stream): different streams never share random numbers.</summary>
    private static ulong Mix(int seed, int stream) => unchecked((ulong)seed * 1_000_003UL + (ulong)stream * 7919UL);

    /// <inheritdoc />
    public void Dispose()
    {
        _vocabulary.Dispose();
        _camera.Dispose();
        _narrator.Dispose();
        _backgroundLooks.Dispose();
        _fillerWords.Dispose();
    }
}
