"""Reference values for the retrieval metrics, computed by the original Norton metric code.

Run with Debian's python (numpy, torch 1.13):
    git -C <norton bare repo> show HEAD:mmpt/utils/metrics.py > /tmp/metrics.py
    git -C <norton bare repo> show HEAD:mmpt/evaluators/metric.py > /tmp/metric.py
    /usr/bin/python3 make_reference.py /tmp/metrics.py /tmp/metric.py > reference_metrics.json

The original modules are loaded from the given paths (nothing of them is copied here). Their pair-score matrices
are captured by overriding the metric's static `recall`, and re-ordered into sorted-id order, the order
ParagraphLayout uses (the original's set order matters only for ties, and random scores have none).
"""
import importlib.util
import json
import sys
import types

import numpy as np

sys.modules["einops"] = types.SimpleNamespace(rearrange=None)  # imported by metrics.py, never used by these metrics


def load(name, path, package):
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = package
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


for pkg in ["mmpt", "mmpt.utils", "mmpt.evaluators"]:
    m = types.ModuleType(pkg)
    m.__path__ = []
    sys.modules[pkg] = m
load("mmpt.utils.metrics", sys.argv[1], "mmpt.utils")
metric = load("mmpt.evaluators.metric", sys.argv[2], "mmpt.evaluators")


def capture(cls):
    captured = []
    original = cls.recall

    def recall(mat, gts):
        captured.append(np.array(mat, dtype=np.float64))
        return original(mat, gts)

    cls.recall = staticmethod(recall)
    return captured


def ids(rng, n):
    return ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 11)) for _ in range(n)]


def full_video_case(seed, n_videos, max_segments):
    rng = np.random.default_rng(seed)
    vids = ids(rng, n_videos)
    counts = rng.integers(1, max_segments + 1, n_videos)
    clip_ids = [v for v, c in zip(vids, counts) for _ in range(c)]
    n = len(clip_ids)
    m = rng.normal(0, 1, (n, n)).astype(np.float32)
    captured = capture(metric.FullVideoRetrievalMetric)
    result = metric.FullVideoRetrievalMetric(None).compute_metrics(m, None, video_ids=clip_ids)
    order = list(set([d for d in clip_ids]))  # same expression, same process: the metric's row order
    perm = [order.index(v) for v in sorted(order)]
    mats = [c[np.ix_(perm, perm)] for c in captured]
    return {
        "kind": "full_video", "segment_video_ids": clip_ids, "similarity": m.tolist(),
        "scores": {"Cap.Avg": mats[0].tolist(), "DTW": mats[1].tolist(), "OTAM": mats[2].tolist()},
        "recall": {k: [float(result[k + "R1"]), float(result[k + "R5"]), float(result[k + "R10"])]
                   for k in ["", "DTW-", "OTAM-"]},
    }


def background_case(seed, n_videos, max_captions, max_windows):
    rng = np.random.default_rng(seed)
    vids = ids(rng, n_videos)
    caps = [int(x) for x in rng.integers(1, max_captions + 1, n_videos)]
    wins = [int(x) for x in rng.integers(1, max_windows + 1, n_videos)]
    caps[0], wins[1] = max_captions, max_windows  # make both bounds reached
    m = rng.normal(0, 1, (sum(caps), sum(wins))).astype(np.float32)
    captured = capture(metric.FullVideoBGRetrievalMetric)
    result = metric.FullVideoBGRetrievalMetric(None).compute_metrics(
        m, None, video_ids=vids, text_lengths=caps, video_lengths=wins)
    return {
        "kind": "background_removed", "video_ids": vids, "caption_counts": caps, "clip_counts": wins,
        "similarity": m.tolist(),
        "scores": {"Cap.Avg": captured[0].tolist(), "DTW": captured[1].tolist(), "OTAM": captured[2].tolist()},
        "recall": {k: [float(result[k + "R1"]), float(result[k + "R5"]), float(result[k + "R10"])]
                   for k in ["", "DTW-", "OTAM-"]},
    }


def retrieval_case(seed, n):
    rng = np.random.default_rng(seed)
    # One decimal on n <= 16 columns: many ties, and numpy's argsort is insertion sort (stable) at that size.
    s = np.round(rng.normal(0, 1, (n, n)), 1).astype(np.float32)
    result = metric.RetrievalMetric(None).compute_metrics(s, None)
    return {"kind": "retrieval", "similarity": s.tolist(),
            "metrics": [float(result["R1"]), float(result["R5"]), float(result["R10"]), float(result["MR"])]}


cases = [
    full_video_case(1, 13, 5),
    full_video_case(2, 4, 3),
    background_case(3, 12, 5, 8),   # int(1.3*5) = 6 > Lt = 5: the transposed OTAM pad crops rows
    background_case(4, 6, 5, 3),    # captions > Lv = 3: the transposed OTAM pad crops columns
    retrieval_case(5, 12),
    retrieval_case(6, 16),
]
json.dump({"source": "XLearning-SCU/2024-ICLR-Norton@6c80470 mmpt/evaluators/metric.py", "cases": cases}, sys.stdout)
