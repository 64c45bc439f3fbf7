#!/usr/bin/python3
"""Writes a full-size fairseq-shaped VideoCLIP checkpoint (random fp16 weights) for `read-checkpoint`.

    /usr/bin/python3 Norton.Benchmarks/python/make_fairseq_checkpoint.py \
        Norton.Models.Tests/Fixtures/videoclip_full_state_dict.txt /tmp/videoclip_full_fairseq.pt [--legacy]

Keys and shapes come from the state-dict listing of VideoTextModel(VideoClipConfig.Full()); the weights sit under
"model" with the `mmmodel.` prefix in float16 (int64 position_ids), next to an argparse.Namespace and fairseq-style
extra state, as in the released checkpoint_best.pt (without its optimizer state).
"""
import argparse
import collections
import re

import numpy as np
import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("listing")
    parser.add_argument("out")
    parser.add_argument("--legacy", action="store_true", help="write the pre-1.6 (non-zip) format")
    a = parser.parse_args()
    torch.manual_seed(0)
    model = collections.OrderedDict()
    for line in open(a.listing):
        m = re.match(r"^(\S+) \[([0-9,]*)\] (\w+)$", line.strip())
        if not m:
            continue
        key, dims = m.group(1), [int(d) for d in m.group(2).split(",") if d]
        if m.group(3) == "Int64":
            model["mmmodel." + key] = torch.arange(dims[-1], dtype=torch.int64).expand(*dims).clone()
        else:
            model["mmmodel." + key] = (torch.randn(dims) * 0.02).half()
    checkpoint = {"args": argparse.Namespace(arch="mmfusionseparate", fp16=True), "model": model,
                  "optimizer_history": [{"num_updates": np.int64(1)}], "extra_state": {"best": np.float64(1.0)}}
    torch.save(checkpoint, a.out, _use_new_zipfile_serialization=not a.legacy)


if __name__ == "__main__":
    main()
