// A fresh console project that got Norton.Losses by `dotnet add package` (see ConsumerProjectTests).
using System.Globalization;
using Norton.Core.Features;
using Norton.Core.Native;
using Norton.Losses;
using static TorchSharp.torch;

// The one setup call of a process that was not built with Norton's build-time fix (ConsumerProjectTests runs both).
if (args.Contains("--setup")) NortonNative.EnsureInitialized();
manual_seed(2024);
const int clips = 16, frames = 6, words = 10, dim = 32; // two long videos of 8 clips (the paper's Length)
var pooledVideo = randn(clips, dim).requires_grad_();
var video = new VideoFeatures(pooledVideo, randn(clips, frames, dim));
var text = new TextFeatures(randn(clips, dim), randn(clips, words, dim));

using var loss = new NortonLoss();
using var output = loss.forward(video, text);
output.Loss.backward();

var grad = pooledVideo.grad!;
Console.WriteLine("loss=" + output.Loss.item<float>().ToString("R", CultureInfo.InvariantCulture));
Console.WriteLine("clip-caption=" + output.ClipCaption.Loss.item<float>().ToString("R", CultureInfo.InvariantCulture));
Console.WriteLine("video-paragraph=" + output.VideoParagraph!.Loss.item<float>().ToString("R", CultureInfo.InvariantCulture));
Console.WriteLine("grad-finite=" + isfinite(grad).all().item<bool>() + " grad-nonzero=" + (grad.abs().sum().item<float>() > 0));
// 0 when TorchSharp's native library loaded as built (the package's buildTransitive target fixed the output copy);
// 1 when the setup call's fallback loaded a fixed private copy.
Console.WriteLine("runtime-patched=" + NortonNative.PatchedFiles.Count);
foreach (string lib in File.ReadLines("/proc/self/maps")
             .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last())
             .Where(p => Path.GetFileName(p).StartsWith("libtorch", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith("libc10", StringComparison.Ordinal)
                 || Path.GetFileName(p) == "libLibTorchSharp.so")
             .Distinct())
    Console.WriteLine("mapped=" + lib);
