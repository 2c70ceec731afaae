"""A pickle-free reader of ``.safetensors`` files, with bfloat16, and nothing to install.

The format (https://huggingface.co/docs/safetensors) is three parts: an 8-byte
little-endian unsigned header length ``N``; ``N`` bytes of UTF-8 JSON mapping
each tensor name to ``{"dtype", "shape", "data_offsets": [begin, end]}`` (plus an
optional ``"__metadata__"`` of strings); then the raw little-endian bytes, the
offsets counting from the end of the header. This reader checks the header
length against the file size, every tensor's dtype, shape and offsets
against each other and against the file, and that no name appears twice and no
two tensors share bytes (the ``safetensors`` library refuses both), before it
allocates anything; it reads
only the tensors asked for. NumPy has no bfloat16: a bfloat16 tensor is widened
exactly to float32 by moving its 16 bits into the high half of a 32-bit word
(bfloat16 is float32 with the low 16 bits of the significand dropped).

>>> import numpy as np, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "model.safetensors")
>>> header = b'{"w":{"dtype":"BF16","shape":[1,2],"data_offsets":[0,4]}}'
>>> with open(path, "wb") as stream:   # bfloat16 1.0 is 0x3F80, -2.0 is 0xC000
...     _ = stream.write(len(header).to_bytes(8, "little") + header + b"\\x80\\x3f\\x00\\xc0")
>>> [(t.name, t.dtype, t.shape) for t in tensor_headers(path)]
[('w', 'BF16', (1, 2))]
>>> read_tensor(path, tensor_headers(path)[0])
array([[ 1., -2.]], dtype=float32)
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass

import numpy as np

__all__ = ["DTYPES", "SafetensorsError", "TensorHeader", "read_tensor", "tensor_headers"]

#: Stored dtype -> (NumPy dtype of the stored bytes, name, unit roundoff of the stored values).
#: Integers and booleans are exact: they get the unit roundoff of the float64 they become.
DTYPES = {
    "F64": ("<f8", "float64", 2.0**-53),
    "F32": ("<f4", "float32", 2.0**-24),
    "F16": ("<f2", "float16", 2.0**-11),
    "BF16": ("<u2", "bfloat16", 2.0**-8),
    "I64": ("<i8", "int64", 2.0**-53),
    "I32": ("<i4", "int32", 2.0**-53),
    "I16": ("<i2", "int16", 2.0**-53),
    "I8": ("i1", "int8", 2.0**-53),
    "U64": ("<u8", "uint64", 2.0**-53),
    "U32": ("<u4", "uint32", 2.0**-53),
    "U16": ("<u2", "uint16", 2.0**-53),
    "U8": ("u1", "uint8", 2.0**-53),
    "BOOL": ("?", "bool", 2.0**-53),
}

# The safetensors library refuses headers above 100 MB; so does this reader, before reading one.
MAX_HEADER_BYTES = 100_000_000
# bfloat16 values read at a time (2 MiB): the only memory beyond the float32 result.
_BFLOAT16_CHUNK = 1 << 20


class SafetensorsError(ValueError):
    """The file is not a well-formed ``.safetensors`` file (the message says what is wrong)."""


@dataclass(frozen=True)
class TensorHeader:
    """One tensor's entry in the header, checked: its bytes lie inside the file."""

    name: str
    dtype: str  # the stored dtype, e.g. "F32" or "BF16"
    shape: tuple[int, ...]
    start: int  # absolute byte offset in the file
    nbytes: int


def tensor_headers(path: str | os.PathLike) -> list[TensorHeader]:
    """Every tensor's header entry, in the order of their data in the file."""
    with open(path, "rb") as stream:
        file_size = os.fstat(stream.fileno()).st_size
        prefix = stream.read(8)
        if len(prefix) < 8:
            raise SafetensorsError(f"the file has {len(prefix)} bytes, fewer than the 8 of the "
                                   "header length")
        length = int.from_bytes(prefix, "little")
        if length > min(MAX_HEADER_BYTES, file_size - 8):
            raise SafetensorsError(f"the header length {length} exceeds the "
                                   f"{min(MAX_HEADER_BYTES, file_size - 8)} bytes available")
        raw = stream.read(length)
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except _DuplicateKey as error:
        raise SafetensorsError(f"the header names {error.args[0]!r} twice") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise SafetensorsError(f"the header is not valid UTF-8 JSON ({_first_line(error)})"
                               ) from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"the header is a JSON {type(header).__name__}, not an object")
    data_start, data_size = 8 + length, file_size - 8 - length
    entries = [_entry(name, value, data_start, data_size)
               for name, value in header.items() if name != "__metadata__"]
    entries.sort(key=lambda entry: (entry.start, entry.nbytes))
    for before, after in zip(entries, entries[1:]):
        if after.start < before.start + before.nbytes:  # shared bytes: the library refuses too
            raise SafetensorsError(
                f"tensors {before.name!r} and {after.name!r} overlap: their data_offsets "
                f"[{before.start - data_start}, {before.start - data_start + before.nbytes}] "
                f"and [{after.start - data_start}, {after.start - data_start + after.nbytes}] "
                "share bytes")
    return entries


class _DuplicateKey(Exception):
    """A JSON object names a key twice (``json`` would silently keep the last)."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def read_tensor(path: str | os.PathLike, entry: TensorHeader) -> np.ndarray:
    """The tensor's values: its own dtype, except bfloat16 (widened to float32), native order."""
    stored, _, _ = DTYPES[entry.dtype]
    count = math.prod(entry.shape)
    with open(path, "rb") as stream:
        stream.seek(entry.start)
        if entry.dtype == "BF16":
            values = _read_bfloat16(stream, count, entry.name)
        else:
            values = np.fromfile(stream, dtype=stored, count=count)
    if values.size != count:  # the file shrank since its header was read
        raise SafetensorsError(f"tensor {entry.name!r} is truncated")
    if not values.dtype.isnative:
        values = values.astype(values.dtype.newbyteorder("="))
    return values.reshape(entry.shape)


def _read_bfloat16(stream, count: int, name: str) -> np.ndarray:
    """`count` bfloat16 values as float32: each 16 bits read into the high half of a word.

    Read a chunk at a time straight into the float32 array, so loading takes
    the memory of the result and no more.
    """
    words = np.zeros(count, dtype=np.uint32)
    high = words.view(np.uint16)[1::2] if sys.byteorder == "little" else words.view(
        np.uint16)[0::2]
    for start in range(0, count, _BFLOAT16_CHUNK):
        part = np.fromfile(stream, dtype="<u2", count=min(_BFLOAT16_CHUNK, count - start))
        if part.size < min(_BFLOAT16_CHUNK, count - start):
            raise SafetensorsError(f"tensor {name!r} is truncated")
        high[start:start + part.size] = part
    return words.view(np.float32)


def _entry(name: str, value: object, data_start: int, data_size: int) -> TensorHeader:
    where = f"tensor {name!r}"
    if not isinstance(value, dict):
        raise SafetensorsError(f"{where}: expected an object with dtype, shape and data_offsets")
    dtype, shape, offsets = value.get("dtype"), value.get("shape"), value.get("data_offsets")
    if dtype not in DTYPES:
        raise SafetensorsError(
            f"{where} has dtype {dtype!r}; supported: {', '.join(DTYPES)}")
    if not (isinstance(shape, list) and all(_is_count(n) for n in shape)):
        raise SafetensorsError(f"{where}: shape {shape!r} is not a list of non-negative integers")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_count, offsets))
            and offsets[0] <= offsets[1] <= data_size):
        raise SafetensorsError(
            f"{where}: data_offsets {offsets!r} are not [begin, end] with "
            f"0 <= begin <= end <= {data_size} (the bytes after the header)")
    itemsize = np.dtype(DTYPES[dtype][0]).itemsize
    expected = math.prod(shape) * itemsize  # Python integers: no overflow, however absurd
    if offsets[1] - offsets[0] != expected:
        raise SafetensorsError(
            f"{where}: shape {tuple(shape)} of {dtype} takes {expected} bytes, but its "
            f"data_offsets span {offsets[1] - offsets[0]}")
    return TensorHeader(name, dtype, tuple(shape), data_start + offsets[0], expected)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _first_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
