"""verify.safetensors_format: our pickle-free reader agrees with the `safetensors` package
(an independent implementation) on every dtype both know, reads bfloat16 as PyTorch
rounds it, and refuses every malformed header before allocating."""

import json
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from verify.load import WeightFileError, load_weights, read_weights
from verify.safetensors_format import (
    DTYPES,
    SafetensorsError,
    read_tensor,
    tensor_headers,
)


def _reference():
    """The safetensors package's NumPy API: the independent implementation (test extra)."""
    return pytest.importorskip("safetensors.numpy",
                               reason="the independent reference: pip install safetensors")

DATA = Path(__file__).parent / "data"
# The dtypes the safetensors package's NumPy API writes (it has no bfloat16).
NUMPY_DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8,
                np.uint8, np.uint16, np.uint32, np.uint64, np.bool_]


def _write(path, header: dict | bytes | str, data: bytes = b"", *, length: int | None = None):
    raw = header if isinstance(header, bytes) else (
        header if isinstance(header, str) else json.dumps(header)).encode()
    path.write_bytes(struct.pack("<Q", len(raw) if length is None else length) + raw + data)
    return path


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_every_numpy_dtype_reads_as_the_safetensors_package_reads_it(tmp_path_factory, data):
    safetensors_numpy = _reference()
    path = tmp_path_factory.mktemp("st") / "model.safetensors"
    names = data.draw(st.lists(st.text("abc.", min_size=1, max_size=6), min_size=1,
                               max_size=3, unique=True))
    tensors = {name: data.draw(arrays(st.sampled_from(NUMPY_DTYPES),
                                      array_shapes(min_dims=0, max_dims=3, min_side=0,
                                                   max_side=4)))
               for name in names}
    safetensors_numpy.save_file(tensors, str(path))
    reference = safetensors_numpy.load_file(str(path))
    ours = {entry.name: read_tensor(path, entry) for entry in tensor_headers(path)}
    assert ours.keys() == reference.keys()
    for name, array in reference.items():
        assert ours[name].dtype == array.dtype and ours[name].shape == array.shape
        np.testing.assert_array_equal(ours[name], array)  # NaNs compare equal here


def test_read_weights_gives_every_2d_tensor_with_its_precision(tmp_path):
    path = tmp_path / "model.safetensors"
    _reference().save_file({"encoder.weight": np.eye(3, 6, dtype=np.float32),
                                 "encoder.bias": np.zeros(3, dtype=np.float32),
                                 "decoder.weight": np.eye(6, 3, dtype=np.float16)}, str(path))
    found = read_weights(path)
    assert [(w.key, w.dtype_name, w.unit_roundoff, w.array.dtype) for w in found.weights] == [
        ("encoder.weight", "float32", 2.0**-24, np.float32),
        ("decoder.weight", "float16", 2.0**-11, np.float16)]
    assert found.skipped == (("encoder.bias", (3,)),)
    assert found.weights[0].name == f"{path} [encoder.weight]"
    np.testing.assert_array_equal(load_weights(path, key="decoder.weight"), np.eye(6, 3))


def _bfloat16_bits(values: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bits, rounding to nearest even (as PyTorch's .to(torch.bfloat16))."""
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def test_bfloat16_is_widened_exactly_and_matches_pytorch_rounding():
    # The fixture was written by PyTorch (tests/verify/data/README.md).
    found = {w.key: w for w in read_weights(DATA / "tied_linear.safetensors").weights}
    float32, bfloat16 = found["encoder.weight"], found["encoder_bf16.weight"]
    assert (bfloat16.dtype_name, bfloat16.unit_roundoff) == ("bfloat16", 2.0**-8)
    assert bfloat16.array.dtype == np.float32
    expected = (_bfloat16_bits(float32.array).astype(np.uint32) << 16).view(np.float32)
    np.testing.assert_array_equal(bfloat16.array, expected)
    # Rounding to 8 significant bits moves each entry by at most its unit roundoff, relative.
    assert np.all(np.abs(bfloat16.array - float32.array) <= 2.0**-8 * np.abs(float32.array))
    assert not np.array_equal(bfloat16.array, float32.array)


def test_bfloat16_special_values(tmp_path):
    bits = np.array([0x3F80, 0xC000, 0x0000, 0x8000, 0x7F80, 0x0001], dtype="<u2")
    header = {"w": {"dtype": "BF16", "shape": [2, 3], "data_offsets": [0, 12]}}
    path = _write(tmp_path / "w.safetensors", header, bits.tobytes())
    values = read_tensor(path, tensor_headers(path)[0])
    expected = np.array([[1.0, -2.0, 0.0], [-0.0, np.inf, 2.0**-133]], dtype=np.float32)
    np.testing.assert_array_equal(values, expected)
    assert np.signbit(values[1, 0])


def test_metadata_is_ignored_and_tensors_are_read_in_file_order(tmp_path):
    header = {"__metadata__": {"format": "pt"},
              "b": {"dtype": "F64", "shape": [1, 1], "data_offsets": [8, 16]},
              "a": {"dtype": "F64", "shape": [1, 1], "data_offsets": [0, 8]}}
    path = _write(tmp_path / "w.safetensors", header, struct.pack("<2d", 1.0, 2.0))
    assert [entry.name for entry in tensor_headers(path)] == ["a", "b"]
    assert [w.array[0, 0] for w in read_weights(path).weights] == [1.0, 2.0]


MALFORMED = {
    "short": (b"\x01\x02", None, "fewer than the 8"),
    "length beyond the file": ({"w": {}}, 10**6, "header length 1000000 exceeds"),
    "length absurd": ({"w": {}}, 2**64 - 1, "exceeds"),
    "not utf-8": (b"\xff\xfe{}", None, "not valid UTF-8 JSON"),
    "not json": ("{'w': 1}", None, "not valid UTF-8 JSON"),
    "deeply nested": ("[" * 100_000 + "]" * 100_000, None, "not valid UTF-8 JSON"),
    "a list": ("[]", None, "a JSON list, not an object"),
    "entry not an object": ({"w": 3}, None, "expected an object"),
    "unknown dtype": ({"w": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}, None,
                      "dtype 'F8_E4M3'; supported: F64"),
    "negative shape": ({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}, None,
                       "not a list of non-negative integers"),
    "boolean shape": ({"w": {"dtype": "F32", "shape": [True], "data_offsets": [0, 4]}}, None,
                      "not a list of non-negative integers"),
    "offsets past the data": ({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 8]}},
                              None, "data_offsets [0, 8] are not"),
    "offsets reversed": ({"w": {"dtype": "F32", "shape": [0], "data_offsets": [4, 0]}}, None,
                         "data_offsets [4, 0]"),
    # A span larger than its shape's bytes: the reader would read the wrong number of values.
    "span larger than the shape": ({"w": {"dtype": "F16", "shape": [1], "data_offsets": [0, 4]}},
                                   None, "takes 2 bytes, but its data_offsets span 4"),
    "duplicate name": ('{"w": {"dtype": "F16", "shape": [1], "data_offsets": [0, 2]}, '
                       '"w": {"dtype": "F16", "shape": [1], "data_offsets": [2, 4]}}', None,
                       "the header names 'w' twice"),
    "overlapping offsets": ({"w": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
                             "v": {"dtype": "F16", "shape": [1], "data_offsets": [2, 4]}}, None,
                            "tensors 'w' and 'v' overlap: their data_offsets [0, 4] and [2, 4]"),
    "huge shape": ({"w": {"dtype": "F64", "shape": [2**70, 1], "data_offsets": [0, 4]}}, None,
                   "takes 9444732965739290427392 bytes, but its data_offsets span 4"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_files_are_refused_before_allocating(tmp_path, case):
    header, length, words = MALFORMED[case]
    path = tmp_path / "w.safetensors"
    if header == b"\x01\x02":
        path.write_bytes(header)
    else:
        _write(path, header, b"\x00" * 4, length=length)
    with pytest.raises(SafetensorsError, match=re.escape(words)):
        tensor_headers(path)
    with pytest.raises(WeightFileError, match=r"w\.safetensors: not a valid \.safetensors file"):
        read_weights(path)


def test_the_safetensors_library_refuses_what_the_reader_refuses(tmp_path):
    """Duplicate names and shared bytes: the reference refuses them too (not our invention)."""
    safetensors = pytest.importorskip("safetensors", reason="the independent reference")
    for case in ("duplicate name", "overlapping offsets"):
        header, _, _ = MALFORMED[case]
        path = _write(tmp_path / f"{case}.safetensors", header, b"\x00" * 4)
        with pytest.raises(Exception):  # noqa: B017 - its error type is not part of its API
            safetensors.safe_open(str(path), framework="numpy")


def test_a_file_truncated_after_its_header_was_read_is_refused(tmp_path):
    header = {"w": {"dtype": "F64", "shape": [2, 2], "data_offsets": [0, 32]}}
    path = _write(tmp_path / "w.safetensors", header, bytes(32))
    entry = tensor_headers(path)[0]
    path.write_bytes(path.read_bytes()[:-8])
    with pytest.raises(SafetensorsError, match="truncated"):
        read_tensor(path, entry)


def test_every_dtype_has_a_matching_itemsize():
    sizes = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
             "U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1}
    assert {name: np.dtype(stored).itemsize for name, (stored, _, _) in DTYPES.items()} == sizes


def test_bfloat16_is_read_a_chunk_at_a_time(tmp_path, monkeypatch):
    import verify.safetensors_format as module

    monkeypatch.setattr(module, "_BFLOAT16_CHUNK", 4)  # 10 values: chunks of 4, 4, 2
    expected = np.arange(-5, 5, dtype=np.float32).reshape(2, 5) / 4  # exact in bfloat16
    bits = (expected.view(np.uint32) >> 16).astype("<u2")
    header = {"w": {"dtype": "BF16", "shape": [2, 5], "data_offsets": [0, 20]}}
    path = _write(tmp_path / "w.safetensors", header, bits.tobytes())
    entry = tensor_headers(path)[0]
    np.testing.assert_array_equal(read_tensor(path, entry), expected)
    path.write_bytes(path.read_bytes()[:-6])  # the last chunk is short
    with pytest.raises(SafetensorsError, match="'w' is truncated"):
        read_tensor(path, entry)
