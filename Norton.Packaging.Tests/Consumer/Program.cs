// A fresh console project that got Norton.Losses by `dotnet add package` (see ConsumerProjectTests).
using System.Globalization;
using Norton.Core.Native;
using Norton.Losses;
using static TorchSharp.torch;

manual_seed(2024);
const int clips = 16, frames = 6, words = 10, dim = 32; // two long videos of 8 clips (the paper's Length)
var pooledVideo = randn(clips, dim).requires_grad_();
var video = new VideoFeatures(pooledVideo, randn(clips, frames, dim));
var text = new TextFeatures(randn(clips, dim), randn(clips, words, dim));

using var loss = new NortonLoss();
using var output = loss.Forward(video, text);
output.Loss.backward();

var grad = pooledVideo.grad!;
Console.WriteLine("loss=" + output.Loss.item<float>().ToString("R", CultureInfo.InvariantCulture));
Console.WriteLine("clip-caption=" + output.ClipCaption.Loss.item<float>().ToString("R", CultureInfo.InvariantCulture));
Console.WriteLine("video-paragraph=" + output.VideoParagraph!.Loss.item<float>().ToString("R", CultureInfo.InvariantCulture));
Console.WriteLine("grad-finite=" + isfinite(grad).all().item<bool>() + " grad-nonzero=" + (grad.abs().sum().item<float>() > 0));
// 0 when the build already fixed TorchSharp's native library (the package's buildTransitive target).
Console.WriteLine("runtime-patched=" + NortonNative.PatchedFiles.Count);
foreach (string lib in File.ReadLines("/proc/self/maps")
             .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last())
             .Where(p => Path.GetFileName(p).StartsWith("libtorch", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith("libc10", StringComparison.Ordinal))
             .Distinct())
    Console.WriteLine("mapped=" + lib);
