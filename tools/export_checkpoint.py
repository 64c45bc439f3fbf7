#!/usr/bin/env python3
"""Export an original VideoCLIP / Norton fairseq checkpoint to a plain state dict for Norton for .NET.

The released checkpoints (`checkpoint_best.pt`, ...) are fairseq `torch.save` pickles: the weights sit under
"model" with an `mmmodel.` key prefix, next to fairseq config objects, optimizer state and meters that .NET
cannot (and should not) rebuild. This script keeps only the weights:

  1. read the zip archive with a *restricted* unpickler (not torch.load): only tensors and OrderedDicts are
     rebuilt, by this script's own functions; every other class named in the pickle (argparse.Namespace,
     omegaconf, numpy, fairseq meters, ...) becomes an inert placeholder, so no code from the file runs and
     fairseq need not be installed;
  2. descend into ["state_dict"] if present, then into ["model"] if present (the reference loader's order);
  3. strip the `mmmodel.` prefix, drop non-tensor entries and (unless --keep-position-ids) the int64
     `*.position_ids` buffers (they are always 0..max_pos-1);
  4. cast floating tensors to float32 (training used fp16) unless --keep-dtype;
  5. write a flat {key: tensor} dict with torch.save (zip format, contiguous tensors that own their storage,
     which TorchSharp.PyBridge requires) and/or a safetensors file (written directly, no extra package).

Load the result in .NET with `CheckpointLoader.Load(new VideoTextModel(VideoClipConfig.Full()), "out.pt")`.

Usage (Debian's python3 with python3-torch is enough):
    /usr/bin/python3 tools/export_checkpoint.py checkpoint_best.pt videoclip.pt
    /usr/bin/python3 tools/export_checkpoint.py checkpoint_best.pt videoclip.pt --safetensors videoclip.safetensors
    /usr/bin/python3 tools/export_checkpoint.py checkpoint_best.pt --safetensors videoclip.safetensors
It works the same on plain state dicts (e.g. s3d_howto100m.pth).
"""
import argparse
import collections
import io
import json
import pickle
import struct
import sys
import zipfile

import torch

PREFIX = "mmmodel."

_STORAGE_DTYPES = {"HalfStorage": torch.float16, "FloatStorage": torch.float32, "DoubleStorage": torch.float64,
                   "BFloat16Storage": torch.bfloat16, "LongStorage": torch.int64, "IntStorage": torch.int32,
                   "ShortStorage": torch.int16, "CharStorage": torch.int8, "ByteStorage": torch.uint8,
                   "BoolStorage": torch.bool}


class _StorageType:
    def __init__(self, dtype):
        self.dtype = dtype


def _rebuild_tensor(storage, storage_offset, size, stride, *unused):
    # storage is a flat tensor of the right dtype (see persistent_load); a tensor is a strided view of it.
    return storage.as_strided(tuple(size), tuple(stride), storage_offset)


def _rebuild_parameter(data, requires_grad, backward_hooks, *unused):
    return data  # a state dict needs the values only


class _Opaque:
    """Stands in for any class the pickle names that is not a tensor: accepts and keeps its arguments, runs nothing."""

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)

    def __init__(self, *args, **kwargs):
        self.args = args

    def __setstate__(self, state):
        self.state = state

    def __repr__(self):
        return f"<opaque {type(self).__name__}>"


_placeholders = {}

# The only globals that are rebuilt for real: ordered dicts and tensors (by our own functions above).
_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch", "Size"): tuple,
}


class RestrictedUnpickler(pickle.Unpickler):
    """Rebuilds only tensors and OrderedDicts from a torch.save zip archive; nothing named in the file is imported
    or called. (torch 1.13's torch.load ignores a custom pickle_module, so we do not use torch.load at all.)"""

    def __init__(self, file, archive, prefix):
        super().__init__(file, encoding="utf-8")
        self._archive = archive
        self._prefix = prefix
        self._storages = {}

    def find_class(self, module, name):
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(_STORAGE_DTYPES[name])
        allowed = _ALLOWED.get((module, name))
        if allowed is not None:
            return allowed
        key = f"{module}.{name}"
        if key not in _placeholders:
            _placeholders[key] = type(key, (_Opaque,), {})
        return _placeholders[key]

    def persistent_load(self, saved_id):
        # ("storage", storage_type, key, location, numel): the bytes live in <prefix>/data/<key>.
        if not (isinstance(saved_id, tuple) and saved_id and saved_id[0] == "storage"):
            raise pickle.UnpicklingError(f"unknown persistent id {saved_id!r}")
        storage_type, key = saved_id[1], saved_id[2]
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError(f"unsupported storage type {storage_type!r}")
        if key not in self._storages:
            raw = bytearray(self._archive.read(f"{self._prefix}/data/{key}"))
            self._storages[key] = (torch.frombuffer(raw, dtype=storage_type.dtype) if raw
                                   else torch.empty(0, dtype=storage_type.dtype))
        return self._storages[key]


def load_restricted(path):
    """Reads a torch.save zip archive (PyTorch >= 1.6) without running any code named in its pickle."""
    if not zipfile.is_zipfile(path):
        raise SystemExit(f"{path}: not a torch.save zip archive (legacy pre-1.6 torch.save files are not supported; "
                         "re-save them with a recent PyTorch: torch.save(torch.load(path), new_path), trusted files only)")
    with zipfile.ZipFile(path) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("/data.pkl")]
        if len(pickles) != 1:
            raise SystemExit(f"{path}: expected one */data.pkl in the archive, found {pickles}")
        prefix = pickles[0][: -len("/data.pkl")]
        with archive.open(pickles[0]) as f:
            return RestrictedUnpickler(io.BytesIO(f.read()), archive, prefix).load()


def extract_state_dict(checkpoint, keep_position_ids=False, keep_dtype=False, log=print):
    """The reference loader's unwrapping and key mapping; returns an ordered {key: contiguous tensor} dict."""
    sd = checkpoint
    for wrapper in ("state_dict", "model"):
        if isinstance(sd, dict) and isinstance(sd.get(wrapper), dict):
            sd = sd[wrapper]
    if not isinstance(sd, dict):
        raise SystemExit(f"not a state dict: the checkpoint is a {type(sd).__name__}")
    out = collections.OrderedDict()
    for key, value in sd.items():
        if not torch.is_tensor(value):
            log(f"  skip {key}: {type(value).__name__}, not a tensor")
            continue
        if key.startswith(PREFIX):
            key = key[len(PREFIX):]
        if key.endswith("position_ids") and not keep_position_ids:
            continue
        if value.is_floating_point() and not keep_dtype:
            value = value.float()
        # clone(): every tensor owns its storage at offset 0 (PyBridge cannot read shared or offset storages).
        out[key] = value.detach().contiguous().clone()
    if not out:
        raise SystemExit("no tensors found: not a checkpoint")
    return out


_SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.float64: "F64", torch.bfloat16: "BF16",
                       torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
                       torch.uint8: "U8", torch.bool: "BOOL"}


def save_safetensors(state_dict, path):
    """The safetensors layout: u64 little-endian header size, JSON header (padded to 8 bytes), raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for key, t in state_dict.items():
        if t.dtype not in _SAFETENSORS_DTYPES:
            raise SystemExit(f"{key}: dtype {t.dtype} has no safetensors name")
        # numpy has no bfloat16: reinterpret its 2-byte words as int16 (same bytes).
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).contiguous().numpy().tobytes()
        header[key] = {"dtype": _SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt", "producer": "norton tools/export_checkpoint.py"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("checkpoint", help="fairseq checkpoint (or any torch.save state dict)")
    p.add_argument("output", nargs="?", help="plain state dict written with torch.save (.pt)")
    p.add_argument("--safetensors", help="also (or instead) write a .safetensors file")
    p.add_argument("--keep-position-ids", action="store_true", help="keep the int64 *.position_ids buffers")
    p.add_argument("--keep-dtype", action="store_true", help="keep fp16 weights as fp16 instead of casting to float32")
    args = p.parse_args(argv)
    if not args.output and not args.safetensors:
        p.error("give an output .pt path, --safetensors PATH, or both")

    checkpoint = load_restricted(args.checkpoint)
    sd = extract_state_dict(checkpoint, args.keep_position_ids, args.keep_dtype)
    n = sum(t.numel() for t in sd.values() if t.is_floating_point())
    dtypes = sorted({str(t.dtype) for t in sd.values()})
    print(f"{args.checkpoint}: {len(sd)} tensors, {n:,} floating values, dtypes {', '.join(dtypes)}")
    if _placeholders:
        print("  ignored objects of: " + ", ".join(sorted(_placeholders)))
    if args.output:
        torch.save(dict(sd), args.output)
        print(f"  wrote {args.output}")
    if args.safetensors:
        save_safetensors(sd, args.safetensors)
        print(f"  wrote {args.safetensors}")


if __name__ == "__main__":
    sys.exit(main())
