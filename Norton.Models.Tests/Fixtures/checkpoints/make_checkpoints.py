#!/usr/bin/env python3
"""Makes the tiny checkpoint files of Norton.Models.Tests/Checkpoints (run from the repository root):

    /usr/bin/python3 Norton.Models.Tests/Fixtures/checkpoints/make_checkpoints.py

fairseq_like_tiny.pt   A fake fairseq checkpoint in the layout of docs/original-model.md §6.1 for a tiny VideoTextModel
                       (vocab 30, hidden 8, 2 heads, FFN 16, 12 positions; video tower 1 layer, max_video_len 4,
                       input width 6; text tower 2 layers): fp16 weights under "model" with the `mmmodel.` prefix
                       and the int64 position_ids buffers, next to an argparse.Namespace, a cfg dict, optimizer
                       history, numpy meters and Adam state, as fairseq 0.12 writes them.
fairseq_like_tiny_no_numpy.pt
                       The same without the numpy objects (CheckpointReader reads both directly).
expected_tiny.pt       The same weights as a flat float32 dict without prefix and without position_ids: what an
                       export must give (made here independently of tools/export_checkpoint.py).
exported_tiny.pt       tools/export_checkpoint.py fairseq_like_tiny.pt exported_tiny.pt --safetensors exported_tiny.safetensors
exported_tiny.safetensors
not_a_state_dict.pt    torch.save of {"weights": [1, 2, 3], "name": "x"}: a pickle without tensors.
whole_module.pt        torch.save of an nn.Linear(2, 2) object (the whole module, not its state dict).
legacy_format.pt       A state dict written in the pre-1.6 (non-zip) torch.save format.
"""
import argparse
import collections
import os
import subprocess
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
V, H, FFN, P, IN = 30, 8, 16, 12, 6


def bert_keys(prefix, layers):
    rows = [(prefix + "embeddings.position_ids", None),
            (prefix + "embeddings.word_embeddings.weight", (V, H)),
            (prefix + "embeddings.position_embeddings.weight", (P, H)),
            (prefix + "embeddings.token_type_embeddings.weight", (2, H)),
            (prefix + "embeddings.LayerNorm.weight", (H,)),
            (prefix + "embeddings.LayerNorm.bias", (H,))]
    for n in range(layers):
        l = f"{prefix}encoder.layer.{n}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            rows += [(l + name + ".weight", (H, H)), (l + name + ".bias", (H,))]
        rows += [(l + "attention.output.LayerNorm.weight", (H,)), (l + "attention.output.LayerNorm.bias", (H,)),
                 (l + "intermediate.dense.weight", (FFN, H)), (l + "intermediate.dense.bias", (FFN,)),
                 (l + "output.dense.weight", (H, FFN)), (l + "output.dense.bias", (H,)),
                 (l + "output.LayerNorm.weight", (H,)), (l + "output.LayerNorm.bias", (H,))]
    rows += [(prefix + "pooler.dense.weight", (H, H)), (prefix + "pooler.dense.bias", (H,))]
    return rows


def main():
    torch.manual_seed(7)
    keys = [("video_encoder.videomlp.linear1.weight", (H, IN)), ("video_encoder.videomlp.linear1.bias", (H,)),
            ("video_encoder.videomlp.LayerNorm.weight", (H,)), ("video_encoder.videomlp.LayerNorm.bias", (H,)),
            ("video_encoder.videomlp.linear2.weight", (H, H)), ("video_encoder.videomlp.linear2.bias", (H,))]
    keys += bert_keys("video_encoder.bert.", 1) + bert_keys("text_encoder.", 2)

    model = collections.OrderedDict()
    expected = {}
    for key, shape in keys:
        if shape is None:
            model["mmmodel." + key] = torch.arange(P, dtype=torch.int64).unsqueeze(0)
            continue
        value = (torch.randn(shape) * 0.5).half()
        model["mmmodel." + key] = value
        expected[key] = value.float().clone()

    checkpoint = {
        "args": argparse.Namespace(arch="mmfusionseparate", lr=[1e-5], fp16=True),
        "cfg": {"common": {"fp16": True, "seed": 1}, "model": {"_name": "mmfusionseparate"}},
        "model": model,
        "criterion": None,
        "optimizer_history": [{"criterion_name": "MMCriterion", "optimizer_name": "FairseqAdam",
                               "lr_scheduler_state": {"best": np.float64(1.25)}, "num_updates": 7}],
        "task_state": {},
        "extra_state": {"metrics": {"train": [("loss", np.float32(2.5))]}, "train_iterator": {"epoch": 1},
                        "best": np.array([1.25, 1.5])},
        "last_optimizer_state": {"state": {0: {"step": 7, "exp_avg": torch.zeros(4)}}, "param_groups": [{"lr": 1e-5}]},
    }
    torch.save(checkpoint, os.path.join(HERE, "fairseq_like_tiny.pt"))
    checkpoint["optimizer_history"][0]["lr_scheduler_state"] = {"best": 1.25}
    checkpoint["extra_state"] = {"train_iterator": {"epoch": 1}, "best": 1.25}
    torch.save(checkpoint, os.path.join(HERE, "fairseq_like_tiny_no_numpy.pt"))
    torch.save(expected, os.path.join(HERE, "expected_tiny.pt"))
    torch.save({"weights": [1, 2, 3], "name": "x"}, os.path.join(HERE, "not_a_state_dict.pt"))
    torch.save(torch.nn.Linear(2, 2), os.path.join(HERE, "whole_module.pt"))
    torch.save({"w": torch.ones(2)}, os.path.join(HERE, "legacy_format.pt"), _use_new_zipfile_serialization=False)
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "export_checkpoint.py"),
                    os.path.join(HERE, "fairseq_like_tiny.pt"), os.path.join(HERE, "exported_tiny.pt"),
                    "--safetensors", os.path.join(HERE, "exported_tiny.safetensors")], check=True)


if __name__ == "__main__":
    main()
