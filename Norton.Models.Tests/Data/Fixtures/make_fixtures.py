"""Tiny files written by numpy and pickle, to cross-check the C# readers against the real writers.

Run from this folder with Debian's python (numpy 1.24):  /usr/bin/python3 make_fixtures.py
Every value follows a formula the tests recompute; nothing here is model data.
"""
import json
import pickle

import numpy as np
from numpy.lib import format as npformat


def pattern(rows, cols):
    # k/16 - 0.5 for k in 0..16: exact in float16.
    k = (np.arange(rows * cols) % 17).reshape(rows, cols)
    return k / 16.0 - 0.5


# An S3D feature file as the extractor writes it: float16 (T, 512), np.save (format 1.0).
np.save("s3d_f16.npy", pattern(3, 512).astype(np.float16))

# The same values in float32 and in float64 with format 3.0 (utf-8 header, 4-byte header length).
np.save("s3d_f32.npy", pattern(3, 512).astype(np.float32))
with open("pattern_f64_v3.npy", "wb") as f:
    npformat.write_array(f, pattern(2, 5), version=(3, 0))

# A ShardedTensor saved as the original's save(): <path>_starts.npy (int64) and <path>_data.npy.
items = [pattern(2, 4), pattern(0, 4), pattern(3, 4) + 1.0]
starts = np.zeros(len(items) + 1, dtype=np.int64)
starts[1:] = np.cumsum([len(x) for x in items])
np.save("shard_starts.npy", starts)
np.save("shard_data.npy", np.concatenate(items, axis=0).astype(np.float16))

# A *_meta.pkl (dict shard id -> [video ids]) and a caption pickle as convert_to_pickle writes it.
with open("meta.pkl", "wb") as f:
    pickle.dump({0: ["vidA", "vidB"], 1: ["vidC"]}, f, pickle.HIGHEST_PROTOCOL)
captions = {"vidA": {"start": [0.0, 1.5], "end": [1.5, 3.25], "text": ["hello there", "second one"]},
            "vidB": {"start": [2], "end": [4], "text": [None]}}
with open("captions.pkl", "wb") as f:
    pickle.dump({k: json.dumps(v) for k, v in captions.items()}, f, pickle.HIGHEST_PROTOCOL)


class Clip:
    def __init__(self):
        self.start = 1.0


# A pickle holding a class instance: must be refused.
with open("object.pkl", "wb") as f:
    pickle.dump({"vidA": Clip()}, f, pickle.HIGHEST_PROTOCOL)
