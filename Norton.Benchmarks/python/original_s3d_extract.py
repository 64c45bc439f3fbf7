#!/usr/bin/python3
"""Times the original's feature-extractor path on one video with Debian's PyTorch, for a side-by-side with
`Norton.Benchmarks profile-extract`: ffprobe for the size, ffmpeg with the filter graph that ffmpeg-python builds
for the original (`fps=30`, `scale` so the shorter side is 224, centre `crop` 224 x 224, rgb24 to a pipe), numpy ->
float tensor, /255, zero padding to a multiple of 30 frames, (N, 3, 30, 224, 224) clips, S3D-G `video_embedding`
in batches, L2 normalisation, float16.

The S3D-G network below is written from our model description (docs/ and Norton.Models/S3D: space-to-depth,
STConv3d, self-gating, TF-SAME max pooling, Inception blocks), with the original's parameter names, not copied from
the original. Timing uses its random (PyTorch default) weights, which cost the same as the released ones;
`--check DIR` first loads a fixture's weights.pt and compares the output with its io.pt.

    /usr/bin/python3 Norton.Benchmarks/python/original_s3d_extract.py --video clip.mp4 --batch 4 --threads 2

Prints one JSON line: decode (ffmpeg + tensor preparation) and network seconds, and seconds of video per second
for each and for the whole path run one after the other (the original's DataLoader overlaps decoding of the next
video with the network only across videos).
"""
import argparse
import json
import subprocess
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class STConv3d(nn.Module):
    def __init__(self, input_dim, output_dim, kernel_size, stride=1, padding=0, separable=False):
        super().__init__()
        if separable:
            k = kernel_size
            self.conv1 = nn.Conv3d(input_dim, output_dim, (1, k, k), stride=(1, stride, stride), padding=(0, padding, padding), bias=False)
            self.conv2 = nn.Conv3d(output_dim, output_dim, (k, 1, 1), stride=(stride, 1, 1), padding=(padding, 0, 0), bias=False)
            self.bn2 = nn.BatchNorm3d(output_dim)
        else:
            self.conv1 = nn.Conv3d(input_dim, output_dim, kernel_size, stride=stride, padding=padding, bias=False)
            self.conv2 = None
        self.bn1 = nn.BatchNorm3d(output_dim)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)), inplace=True)
        if self.conv2 is not None:
            x = F.relu(self.bn2(self.conv2(x)), inplace=True)
        return x


class SelfGating(nn.Module):
    def __init__(self, input_dim):
        super().__init__()
        self.fc = nn.Linear(input_dim, input_dim)

    def forward(self, x):
        weights = torch.sigmoid(self.fc(x.mean(dim=[2, 3, 4])))
        return weights[:, :, None, None, None] * x


class MaxPool3dTFPadding(nn.Module):
    def __init__(self, kernel_size, stride):
        super().__init__()
        pads = []
        for k, s in zip(kernel_size, stride):
            along = max(k - s, 0)
            pads += [along // 2, along - along // 2]
        # F.pad takes (W, H, T) pairs; the original passes (H, W, T), which only matters for non-square kernels.
        self.pad = (pads[2], pads[3], pads[4], pads[5], pads[0], pads[1])
        self.kernel_size, self.stride = kernel_size, stride

    def forward(self, x):
        x = F.pad(x, self.pad, "constant", 0.0)
        return F.max_pool3d(x, self.kernel_size, self.stride, ceil_mode=True)


class InceptionBlock(nn.Module):
    def __init__(self, input_dim, o0a, o1a, o1b, o2a, o2b, o3b):
        super().__init__()
        self.conv_b0 = STConv3d(input_dim, o0a, 1)
        self.conv_b1_a = STConv3d(input_dim, o1a, 1)
        self.conv_b1_b = STConv3d(o1a, o1b, 3, padding=1, separable=True)
        self.conv_b2_a = STConv3d(input_dim, o2a, 1)
        self.conv_b2_b = STConv3d(o2a, o2b, 3, padding=1, separable=True)
        self.conv_b3_b = STConv3d(input_dim, o3b, 1)
        self.gating_b0, self.gating_b1 = SelfGating(o0a), SelfGating(o1b)
        self.gating_b2, self.gating_b3 = SelfGating(o2b), SelfGating(o3b)
        self.output_dim = o0a + o1b + o2b + o3b

    def forward(self, x):
        b0 = self.gating_b0(self.conv_b0(x))
        b1 = self.gating_b1(self.conv_b1_b(self.conv_b1_a(x)))
        b2 = self.gating_b2(self.conv_b2_b(self.conv_b2_a(x)))
        b3 = self.gating_b3(self.conv_b3_b(F.max_pool3d(x, 3, 1, 1)))
        return torch.cat([b0, b1, b2, b3], dim=1)


def space_to_depth(x):
    n, c, t, h, w = x.shape
    x = x.view(n, c, t // 2, 2, h // 2, 2, w // 2, 2).permute(0, 3, 5, 7, 1, 2, 4, 6)
    return x.reshape(n, 8 * c, t // 2, h // 2, w // 2)


class S3D(nn.Module):
    def __init__(self, num_classes=512):
        super().__init__()
        self.conv1 = STConv3d(24, 64, (2, 4, 4), stride=1, padding=(1, 2, 2))
        self.conv_2b = STConv3d(64, 64, 1)
        self.conv_2c = STConv3d(64, 192, 3, padding=1, separable=True)
        self.gating = SelfGating(192)
        self.maxpool_2a = MaxPool3dTFPadding((1, 3, 3), (1, 2, 2))
        self.maxpool_3a = MaxPool3dTFPadding((1, 3, 3), (1, 2, 2))
        self.mixed_3b = InceptionBlock(192, 64, 96, 128, 16, 32, 32)
        self.mixed_3c = InceptionBlock(256, 128, 128, 192, 32, 96, 64)
        self.maxpool_4a = MaxPool3dTFPadding((3, 3, 3), (2, 2, 2))
        self.mixed_4b = InceptionBlock(480, 192, 96, 208, 16, 48, 64)
        self.mixed_4c = InceptionBlock(512, 160, 112, 224, 24, 64, 64)
        self.mixed_4d = InceptionBlock(512, 128, 128, 256, 24, 64, 64)
        self.mixed_4e = InceptionBlock(512, 112, 144, 288, 32, 64, 64)
        self.mixed_4f = InceptionBlock(528, 256, 160, 320, 32, 128, 128)
        self.maxpool_5a = MaxPool3dTFPadding((2, 2, 2), (2, 2, 2))
        self.mixed_5b = InceptionBlock(832, 256, 160, 320, 32, 128, 128)
        self.mixed_5c = InceptionBlock(832, 384, 192, 384, 48, 128, 128)
        self.fc = nn.Linear(1024, num_classes)

    def forward(self, x):
        net = self.conv1(space_to_depth(x))[:, :, 1:, 1:, 1:]
        net = self.gating(self.conv_2c(self.conv_2b(self.maxpool_2a(net))))
        net = self.mixed_3c(self.mixed_3b(self.maxpool_3a(net)))
        net = self.maxpool_4a(net)
        for block in (self.mixed_4b, self.mixed_4c, self.mixed_4d, self.mixed_4e, self.mixed_4f):
            net = block(net)
        net = self.mixed_5c(self.mixed_5b(self.maxpool_5a(net)))
        return self.fc(net.mean(dim=[2, 3, 4]))


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                          "-of", "json", path], capture_output=True, check=True).stdout
    stream = json.loads(out)["streams"][0]
    return int(stream["height"]), int(stream["width"])


def output_dim(h, w, size):
    return (int(h * size / w), size) if h >= w else (size, int(w * size / h))


def decode(path, fps, size):
    """The original's reader: ffmpeg to rgb24 frames, (T, 3, size, size) float32 0..255."""
    h, w = probe(path)
    height, width = output_dim(h, w, size)
    x, y = int((width - size) / 2.0), int((height - size) / 2.0)
    graph = f"[0]fps=fps={fps}[s0];[s0]scale={width}:{height}[s1];[s1]crop={size}:{size}:{x}:{y}[s2]"
    out = subprocess.run(["ffmpeg", "-i", path, "-filter_complex", graph, "-map", "[s2]", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "pipe:"], capture_output=True, check=True).stdout
    video = np.frombuffer(out, np.uint8).reshape([-1, size, size, 3])
    return torch.from_numpy(video.astype("float32")).permute(0, 3, 1, 2)


def preprocess(video, fps, size):
    """/255, zero-pad to a multiple of fps frames, (N, 3, fps, size, size)."""
    video = video / 255.0
    n = (-len(video)) % fps
    if n:
        video = torch.cat([video, torch.zeros(n, 3, size, size)], 0)
    return video.view(-1, fps, 3, size, size).transpose(1, 2)


def embed(model, clips, batch):
    features = torch.zeros(len(clips), 512)
    with torch.no_grad():
        for start in range(0, len(clips), batch):
            features[start:start + batch] = F.normalize(model(clips[start:start + batch]), dim=1)
    return features.numpy().astype("float16")


def check(model, folder):
    model.load_state_dict(torch.load(f"{folder}/weights.pt"), strict=True)
    io = torch.load(f"{folder}/io.pt")
    with torch.no_grad():
        out = model(io["input"])
    err = (out - io["output"]).abs().max().item() / io["output"].abs().max().item()
    if err > 1e-3:
        raise SystemExit(f"S3D here differs from the fixture: max|a-b|/max|b| = {err:g}")
    return err


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--video", required=True)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--check", help="fixture folder (weights.pt, io.pt) to compare this S3D-G with first")
    p.add_argument("--weights", help="a state dict with the original key names to run instead of random weights")
    p.add_argument("--save", help="write the features here (np.save), as the original's extractor does")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = S3D().eval()
    fixture_error = check(model, a.check) if a.check else None
    if a.check:
        model = S3D().eval()        # time the random weights, as the .NET side does
    if a.weights:
        missing = model.load_state_dict(torch.load(a.weights), strict=False).missing_keys   # text_module.* may be extra
        if missing:
            raise SystemExit(f"{a.weights} lacks {missing[:5]}")

    with torch.no_grad():           # warm-up (first oneDNN call), not timed
        model(torch.zeros(1, 3, a.fps, a.size, a.size))
    start = time.perf_counter()
    clips = preprocess(decode(a.video, a.fps, a.size), a.fps, a.size)
    decode_s = time.perf_counter() - start
    start = time.perf_counter()
    features = embed(model, clips, a.batch)
    network_s = time.perf_counter() - start
    seconds = len(clips)
    if a.save:
        np.save(a.save, features)
    print(json.dumps({
        "command": "original_s3d_extract", "torch": torch.__version__, "threads": a.threads, "batch": a.batch,
        "video": a.video, "clips": seconds, "features_shape": list(features.shape),
        "decode_s": round(decode_s, 3), "network_s": round(network_s, 3),
        "decode_video_s_per_s": round(seconds / decode_s, 3), "network_video_s_per_s": round(seconds / network_s, 4),
        "end_to_end_video_s_per_s": round(seconds / (decode_s + network_s), 4),
        "fixture_max_rel_error": fixture_error,
    }))


if __name__ == "__main__":
    main()
