#!/usr/bin/python3
"""Extra norton_loss cases in the golden format (testdata/golden/FORMAT.md), computed with the float64 reference
implementation that produced the golden vectors (norton_reference.py; not part of this repository, see
testdata/README.md) for settings the golden files of testdata/golden do not cover:
float32 constants (mimic), clip OT off with the sequence OT on (extension), very small alpha (max-shifted LSE path),
zero Sinkhorn iterations, one long video, length 1, float 0/1 masks, weight 0, N = 90 with prompt ratio 0.7.

Run from the repository root with Debian's python3 (python3-torch):
    /usr/bin/python3 Norton.Losses.Tests/Fixtures/make_reference_cases.py
"""
import json
import math
import os
import sys

import torch

def find_reference():
    """The first shared/spec/reference folder (the reference implementation's home) beside the repository or a parent."""
    here = os.path.dirname(os.path.abspath(__file__))
    while True:
        candidate = os.path.join(here, "shared", "spec", "reference")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            raise FileNotFoundError("no shared/spec/reference above " + __file__)
        here = parent


sys.path.insert(0, find_reference())
import norton_reference as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")


def enc(t):
    t = t.detach()
    if t.dtype == torch.bool:
        data = [int(x) for x in t.flatten().tolist()]
        dtype = "bool"
    else:
        dtype = {torch.float64: "float64", torch.float32: "float32"}[t.dtype]
        data = [float(x) for x in t.flatten().tolist()]   # float32 values are exact as doubles
    return {"shape": list(t.shape), "dtype": dtype, "data": data}


def masks(gen, n, slots, model_layout):
    if model_layout:   # [CLS] masked, valid prefix, last slot valid
        length = torch.randint(1, slots, (n, 1), generator=gen)
        idx = torch.arange(slots).unsqueeze(0)
        return ((idx >= 1) & (idx <= length)) | (idx == slots - 1)
    length = torch.randint(1, slots + 1, (n, 1), generator=gen)
    return torch.arange(slots).unsqueeze(0) < length


def inputs(seed, n, d, t, v, dtype, signal=1.5, pooled_scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    base = torch.randn(n, d, generator=gen, dtype=torch.float64)
    pv = base + 0.5 * torch.randn(n, d, generator=gen, dtype=torch.float64)
    pt = signal * base + torch.randn(n, d, generator=gen, dtype=torch.float64)
    vo = base[:, None, :] + torch.randn(n, v, d, generator=gen, dtype=torch.float64)
    to = signal * base[:, None, :] + torch.randn(n, t, d, generator=gen, dtype=torch.float64)
    vm = masks(gen, n, v, True)
    tm = masks(gen, n, t, False)
    pv, pt = pooled_scale * pv, pooled_scale * pt
    return [x.to(dtype) for x in (pv, pt, vo, to)] + [vm, tm]


SLIM_KEYS = {"paragraph_logits"}   # the only matrix kept by slim cases (besides the gradients)


def case(name, seed, n, d, t, v, dtype=torch.float64, float_masks=False, slim=False, pooled_scale=1.0, **hp):
    cfg = ref.NortonConfig(**hp)
    pv, pt, vo, to, vm, tm = inputs(seed, n, d, t, v, dtype, pooled_scale=pooled_scale)
    if float_masks:
        vm, tm = vm.to(dtype), tm.to(dtype)
    leaves = [x.clone().requires_grad_() for x in (pv, pt, vo, to)]
    out = ref.norton_loss(*leaves, vm, tm, cfg)
    out["loss"].backward()
    expected = {}
    for k, val in out.items():
        if isinstance(val, int):
            expected[k] = val
        elif torch.is_tensor(val):
            if val.dim() == 0:
                expected[k] = float(val)
            elif not slim or k in SLIM_KEYS:
                expected[k] = enc(val)
    expected["grads"] = {k: enc(x.grad) for k, x in zip(["pooled_video", "pooled_text", "video_outputs", "text_outputs"], leaves)}
    doc = {
        "format_version": 1, "name": name, "kind": "norton_loss",
        "dtype": {torch.float64: "float64", torch.float32: "float32"}[dtype],
        "original_compatible": hp.get("seq_sinkhorn_iterations") is None,
        "description": f"reference-generated: {name}",
        "shapes": {"N_clips": n, "G_long_videos": n // cfg.length, "length": cfg.length, "D": d,
                   "T_words_padded": t, "V_frames_padded": v},
        "hparams": cfg.to_dict(),
        "inputs": {"pooled_video": enc(pv), "pooled_text": enc(pt), "video_outputs": enc(vo), "text_outputs": enc(to),
                   "video_mask": enc(vm), "text_mask": enc(tm)},
        "expected": expected,
        "generator": {"seed": seed, "script": "Norton.Losses.Tests/Fixtures/make_reference_cases.py",
                      "torch": torch.__version__},
    }
    for k, x in expected.items():
        if isinstance(x, float) and not math.isfinite(x):
            raise ValueError(f"{name}: {k} is not finite")
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(doc, f)
    print(name, "loss", expected["loss"])


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    case("r01_mimic_fp32_constants_f64", 1, 8, 8, 5, 4, length=4, mimic_fp32_constants=True)
    case("r02_EXTENSION_clip_ot_off_seq50_f64", 2, 12, 8, 5, 4, length=4, sinkhorn_iterations=None, seq_sinkhorn_iterations=50)
    case("r03_alpha_0.002_f64", 3, 8, 8, 5, 4, length=4, alpha_lse=0.002)
    case("r04_alpha_0.02_f32", 4, 8, 8, 5, 4, dtype=torch.float32, length=4, alpha_lse=0.02)
    # Small logits: with 0 sweeps the plan exp(S)*(2N) is unnormalised, and large logits would make the gradient a
    # cancellation of huge terms (round-off beyond the 1e-9 rule, whatever the implementation).
    case("r05_zero_iterations_f64", 5, 8, 6, 4, 4, pooled_scale=0.3, length=4, sinkhorn_iterations=0)
    case("r06_one_long_video_f64", 6, 8, 8, 5, 4)
    case("r07_float_masks_f64", 7, 8, 8, 5, 4, float_masks=True, length=4)
    case("r08_weight_zero_f64", 8, 8, 8, 5, 4, length=4, sequence_contrast_weight=0.0)
    case("r09_length1_f64", 9, 6, 8, 5, 4, length=1)
    case("r10_N90_ratio0.7_f64", 10, 90, 4, 3, 3, slim=True, length=5, prompt_ratio=0.7)   # int(0.7*90) = 62
