#!/usr/bin/python3
"""Times the original's retrieval step with faiss (Debian python3-faiss 1.7.3), for a side-by-side with
`Norton.Benchmarks profile-retrieval` (which runs this script itself on the same vectors): an IndexIVFFlat over an
IndexFlatL2 quantiser (METRIC_L2) trained on the first `--train` vectors, every vector added, `--queries` stored vectors
searched for `--k` neighbours with nprobe 1, as the original's VectorRetriever does (docs/performance.md).

    /usr/bin/python3 Norton.Benchmarks/python/faiss_ivf_retrieval.py --vectors v.npy --centroids 512 --train 24576 \
        --queries 1563 --k 192 --runs 3 --threads 2
Prints one JSON line: median_s (train + add + search), its parts, and the k-means objective (mean squared distance of
the training vectors to their nearest centroid).
"""
import argparse
import json
import resource
import time

import faiss
import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--centroids", type=int, default=512)
    ap.add_argument("--train", type=int, default=512 * 48)
    ap.add_argument("--queries", type=int, required=True)
    ap.add_argument("--k", type=int, default=192)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    faiss.omp_set_num_threads(args.threads)
    x = np.ascontiguousarray(np.load(args.vectors), dtype=np.float32)
    d = x.shape[1]
    queries = np.random.default_rng(args.seed).choice(len(x), size=args.queries, replace=False)
    totals, parts, objective = [], [], None
    cpu = 0.0
    for _ in range(args.runs):
        t0 = time.perf_counter()
        c0 = time.process_time()
        index = faiss.IndexIVFFlat(faiss.IndexFlatL2(d), d, args.centroids, faiss.METRIC_L2)
        index.train(x[: args.train])
        t1 = time.perf_counter()
        index.add(x)
        t2 = time.perf_counter()
        index.search(x[queries], args.k)
        t3 = time.perf_counter()
        cpu += time.process_time() - c0
        totals.append(t3 - t0)
        parts.append((t1 - t0, t2 - t1, t3 - t2))
        dist, _ = index.quantizer.search(x[: args.train], 1)
        objective = float(dist.mean())
    order = sorted(range(len(totals)), key=lambda i: totals[i])
    mid = order[len(order) // 2]
    print(json.dumps({
        "faiss": faiss.__version__, "threads": args.threads, "runs": args.runs,
        "median_s": round(totals[mid], 3), "train_s": round(parts[mid][0], 3), "add_s": round(parts[mid][1], 3),
        "search_s": round(parts[mid][2], 3), "cpu_s_per_run": round(cpu / args.runs, 3), "kmeans_objective": objective,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
