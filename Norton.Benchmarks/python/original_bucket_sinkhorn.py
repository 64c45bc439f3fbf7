#!/usr/bin/python3
"""Times the original Norton's bucket Sinkhorn iterate with PyTorch ops, for a side-by-side with profile-sinkhorn.

It mirrors the original's iterate (SuperGlue-style log-domain Sinkhorn with the alignable prompt bucket, as described in
docs/concepts.md and docs/quirks.md Q4/Q5): Z = [[S, p], [p, p]] / eps, mu = (1/(m+n), ..., n/(m+n)),
nu = (1/(m+n), ..., m/(m+n)), f = g = 0, then K times f = log mu - LSE_j(Z + g), g = log nu - LSE_i(Z + f); the result
is exp(Z + f + g + log(m+n)) cropped to m x n. Written from that description, not copied from the original code; it
reproduces the plans of the golden bucket cases (testdata/golden/vs03-vs05) exactly.

Run with Debian's PyTorch: /usr/bin/python3 original_bucket_sinkhorn.py --batch 16384 --rows 8 --cols 8 --iterations 50
"""
import argparse, json, statistics, time
import torch

def bucket_sinkhorn(scores, p, eps, iterations):
    b, m, n = scores.shape
    pe = (p / eps).reshape(1, 1, 1)
    z = torch.cat([torch.cat([scores / eps, pe.expand(b, m, 1)], 2), pe.expand(b, 1, n + 1)], 1)
    ms, ns = scores.new_tensor(float(m)), scores.new_tensor(float(n))
    norm = -(ms + ns).log()
    log_mu = torch.cat([norm.expand(m), ns.log()[None] + norm])[None].expand(b, m + 1)
    log_nu = torch.cat([norm.expand(n), ms.log()[None] + norm])[None].expand(b, n + 1)
    f, g = torch.zeros_like(log_mu), torch.zeros_like(log_nu)
    for _ in range(iterations):
        f = log_mu - torch.logsumexp(z + g.unsqueeze(1), dim=2)
        g = log_nu - torch.logsumexp(z + f.unsqueeze(2), dim=1)
    return (z + f.unsqueeze(2) + g.unsqueeze(1) - norm).exp()[:, :m, :n]

def main():
    ap = argparse.ArgumentParser()
    for name, default in [("batch", 16384), ("rows", 8), ("cols", 8), ("iterations", 50), ("runs", 10), ("warmup", 2), ("threads", 2)]:
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--epsilon", type=float, default=0.1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(1)
    scores = torch.rand(a.batch, a.rows, a.cols, generator=gen)
    p = torch.rand((), generator=gen)
    times = []
    with torch.no_grad():
        for k in range(a.warmup + a.runs):
            start = time.perf_counter()
            bucket_sinkhorn(scores, p, a.epsilon, a.iterations)
            if k >= a.warmup:
                times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"command": "original_bucket_sinkhorn.py", **vars(a), "torch": torch.__version__,
                      "median_ms": round(statistics.median(times), 3), "min_ms": round(min(times), 3)}))

if __name__ == "__main__":
    main()
