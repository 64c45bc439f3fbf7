using System.Globalization;

namespace Norton.Demo;

/// <summary>
/// The demo's command-line arguments. The defaults are the benchmark the README's first command runs: 512 training
/// videos of 8 clips, half of them with captions shifted by one or two clips, 30% irrelevant captions, 30% background
/// frames and filler words, 20 epochs in batches of 16 videos.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>Training videos.</summary>
    public int Videos { get; init; } = 512;

    /// <summary>Held-out videos the table is measured on.</summary>
    public int TestVideos { get; init; } = 256;

    /// <summary>Clips per video (= captions per paragraph, the loss's Length).</summary>
    public int Clips { get; init; } = 8;

    /// <summary>Frames per clip.</summary>
    public int Frames { get; init; } = 4;

    /// <summary>Words per caption.</summary>
    public int Words { get; init; } = 4;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Videos per batch (a batch holds BatchVideos * Clips clip-caption pairs).</summary>
    public int BatchVideos { get; init; } = 16;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Fraction of videos whose captions are shifted in time by one or two clips.</summary>
    public double Shifted { get; init; } = 0.5;

    /// <summary>Fraction of captions that describe nothing in their video.</summary>
    public double Irrelevant { get; init; } = 0.3;

    /// <summary>Fraction of frames that are background and of words that are filler.</summary>
    public double Background { get; init; } = 0.3;

    /// <summary>Size of the vocabulary of latent steps that videos are made of (steps recur across videos).</summary>
    public int Steps { get; init; } = 64;

    /// <summary>How far a clip's own details move it from its step (relative to the step vector's length 1).</summary>
    public double Detail { get; init; } = 0.5;

    /// <summary>Standard deviation of the per-frame and per-word noise around a clip's latent.</summary>
    public double TokenNoise { get; init; } = 1.0;

    /// <summary>Seed of everything: data, initial weights, batch order.</summary>
    public int Seed { get; init; }

    /// <summary>Folder for results.json and the plots.</summary>
    public string Output { get; init; } = Path.Combine("artifacts", "demo");

    /// <summary>Skip the PNG plots.</summary>
    public bool NoPlots { get; init; }

    /// <summary>Train the two runs one after the other on one thread instead of side by side on two. The numbers are
    /// the same either way (each run's ops run in a fixed order on its own thread); side by side takes about half
    /// the wall time where two cores are free (docs/performance.md, "The demo side by side").</summary>
    public bool Serial { get; init; }

    /// <summary>The command-line help.</summary>
    public const string Usage = """
        Norton vs InfoNCE on generated long videos with noisy correspondence.

        usage: dotnet run -c Release --project samples/Norton.Demo -- [options]

          --videos N          training videos (512)
          --test-videos N     held-out videos for the table (256)
          --clips N           clips per video = captions per paragraph (8)
          --frames N          frames per clip (4)
          --words N           words per caption (4)
          --epochs N          training epochs (20)
          --batch N           videos per batch (16)
          --lr X              Adam learning rate (0.001)
          --shifted X         fraction of videos with captions shifted by 1-2 clips (0.5)
          --irrelevant X      fraction of captions that match nothing (0.3)
          --background X      fraction of background frames and filler words (0.3)
          --steps N           vocabulary of latent steps the videos are made of (64)
          --detail X          how far each clip's own details move it from its step (0.5)
          --token-noise X     noise of each frame and word around its clip's latent (1.0)
          --seed N            seed of data, weights and batch order (0)
          --output DIR        folder for results.json and the plots (artifacts/demo)
          --no-plots          skip the PNG plots
          --serial            train the two runs one after the other (default: side by side, same numbers)
          --help              this text
        """;

    /// <summary>Parses the command line.</summary>
    /// <returns>The options, or null when help was asked for.</returns>
    /// <exception cref="ArgumentException">An unknown flag, a missing or malformed value, or a value out of range.</exception>
    public static DemoOptions? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new DemoOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value.", nameof(args));
            int Int() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
                ? v : throw new ArgumentException($"{flag} needs an integer, but got '{args[i]}'.", nameof(args));
            double Real() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                ? v : throw new ArgumentException($"{flag} needs a number, but got '{args[i]}'.", nameof(args));
            DemoOptions? next = flag switch
            {
                "--help" or "-h" => null,
                "--videos" => o with { Videos = Int() },
                "--test-videos" => o with { TestVideos = Int() },
                "--clips" => o with { Clips = Int() },
                "--frames" => o with { Frames = Int() },
                "--words" => o with { Words = Int() },
                "--epochs" => o with { Epochs = Int() },
                "--batch" => o with { BatchVideos = Int() },
                "--lr" => o with { LearningRate = Real() },
                "--shifted" => o with { Shifted = Real() },
                "--irrelevant" => o with { Irrelevant = Real() },
                "--background" => o with { Background = Real() },
                "--token-noise" => o with { TokenNoise = Real() },
                "--steps" => o with { Steps = Int() },
                "--detail" => o with { Detail = Real() },
                "--seed" => o with { Seed = Int() },
                "--output" => o with { Output = Value() },
                "--no-plots" => o with { NoPlots = true },
                "--serial" => o with { Serial = true },
                _ => throw new ArgumentException($"unknown argument '{flag}' (see --help).", nameof(args)),
            };
            if (next is null) return null;
            o = next;
        }
        o.Validate();
        return o;
    }

    /// <summary>Throws unless every value is in range.</summary>
    /// <exception cref="ArgumentException">The message names the flag, the range and the value.</exception>
    public void Validate()
    {
        static void AtLeast(string flag, double value, double min)
        {
            if (!(value >= min)) throw new ArgumentException($"{flag} must be >= {min}, but is {value}.", flag);
        }
        static void Fraction(string flag, double value)
        {
            if (!(value >= 0 && value <= 1)) throw new ArgumentException($"{flag} must lie in [0, 1], but is {value}.", flag);
        }
        AtLeast("--videos", Videos, 1);
        AtLeast("--test-videos", TestVideos, 2);
        AtLeast("--clips", Clips, 3);   // the generator shifts captions by up to two clips
        AtLeast("--frames", Frames, 1);
        AtLeast("--words", Words, 1);
        AtLeast("--epochs", Epochs, 1);
        AtLeast("--batch", BatchVideos, 1);
        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
            throw new ArgumentException($"--lr must be a finite number > 0, but is {LearningRate}.", "--lr");
        Fraction("--shifted", Shifted);
        Fraction("--irrelevant", Irrelevant);
        Fraction("--background", Background);
        AtLeast("--steps", Steps, 1);
        if (!(Detail >= 0 && double.IsFinite(Detail)))
            throw new ArgumentException($"--detail must be a finite number >= 0, but is {Detail}.", "--detail");
        if (!(TokenNoise >= 0 && double.IsFinite(TokenNoise)))
            throw new ArgumentException($"--token-noise must be a finite number >= 0, but is {TokenNoise}.", "--token-noise");
        // The loss's prompt bucket needs k = int(0.3 * clips in a batch) >= 1 for every batch, the last one included.
        int smallest = Videos % BatchVideos == 0 ? BatchVideos : Math.Min(BatchVideos, Videos % BatchVideos);
        if ((long)(0.3 * smallest * Clips) < 1)
            throw new ArgumentException(
                $"a batch of {smallest} video(s) x {Clips} clips is too small for the prompt bucket (k = int(0.3 * {smallest * Clips}) = 0); use --batch or --videos so that every batch has at least 4 clips.",
                "--batch");
        if (string.IsNullOrWhiteSpace(Output))
            throw new ArgumentException("--output must name a folder.", "--output");
    }

    /// <summary>The arguments as written to results.json.</summary>
    public IReadOnlyDictionary<string, object> ToDictionary() => new SortedDictionary<string, object>(StringComparer.Ordinal)
    {
        ["videos"] = Videos,
        ["test_videos"] = TestVideos,
        ["clips"] = Clips,
        ["frames"] = Frames,
        ["words"] = Words,
        ["epochs"] = Epochs,
        ["batch_videos"] = BatchVideos,
        ["lr"] = LearningRate,
        ["shifted"] = Shifted,
        ["irrelevant"] = Irrelevant,
        ["background"] = Background,
        ["token_noise"] = TokenNoise,
        ["steps"] = Steps,
        ["detail"] = Detail,
        ["seed"] = Seed,
        ["output"] = Output,
    };
}
