#!/usr/bin/python3
"""Times the original's clip-caption Sinkhorn iterate (MMContraLoss.log_optimal_transport: SuperGlue marginals,
log domain, rows first, fixed sweeps) on one N x N problem with PyTorch, for a side-by-side with
`Norton.Benchmarks profile-sinkhorn --batch 0 --rows N --cols N --iterations K`.

Written from docs/concepts.md (the Sinkhorn iterate) and docs/quirks.md Q5, not copied. Run with Debian's python3:
    /usr/bin/python3 Norton.Benchmarks/python/original_clip_sinkhorn.py --n 1024 --iterations 50 --runs 10
Prints one JSON line with median_ms.
"""
import argparse
import json
import time

import torch


def log_optimal_transport(z, iterations):
    m, n = z.shape
    log_mn = torch.log(torch.tensor(float(m + n), dtype=z.dtype))
    log_a = (-log_mn).expand(m)
    log_b = (-log_mn).expand(n)
    f = torch.zeros(m, dtype=z.dtype)
    g = torch.zeros(n, dtype=z.dtype)
    for _ in range(iterations):
        f = log_a - torch.logsumexp(z + g.unsqueeze(0), dim=1)
        g = log_b - torch.logsumexp(z + f.unsqueeze(1), dim=0)
    return z + f.unsqueeze(1) + g.unsqueeze(0) + log_mn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1024)
    ap.add_argument("--iterations", type=int, default=50)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    z = torch.randn(args.n, args.n) * 3  # raw clip logits, as the .NET command generates them
    with torch.no_grad():
        for _ in range(args.warmup):
            log_optimal_transport(z, args.iterations)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            log_optimal_transport(z, args.iterations)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(json.dumps({"command": "original_clip_sinkhorn.py", "n": args.n, "iterations": args.iterations,
                      "runs": args.runs, "threads": args.threads, "torch": torch.__version__,
                      "median_ms": round(times[len(times) // 2], 3), "min_ms": round(times[0], 3)}))


if __name__ == "__main__":
    main()
