"""No file makes the command crash: Hypothesis corrupts valid files of every format
(flipped and inserted bytes, truncation, rewritten header lengths) and the command
must answer with a verdict (exit 0) or one line on stderr (exit 2), never a traceback.

Any exception escaping `cli.main` fails the test, so these are also no-traceback tests."""

import importlib.util
import io
import json
import struct
import zipfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify import cli, torch_format

DATA = Path(__file__).parent / "data"
W = np.linalg.qr(np.random.default_rng(3).standard_normal((5, 3)))[0]


def _npy(array) -> bytes:
    stream = io.BytesIO()
    np.save(stream, array, allow_pickle=False)
    return stream.getvalue()


def _npz(**arrays) -> bytes:
    stream = io.BytesIO()
    np.savez(stream, **arrays)
    return stream.getvalue()


def _safetensors(**arrays) -> bytes:
    header, data = {}, b""
    for name, array in arrays.items():
        raw = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    encoded = json.dumps(header).encode()
    return struct.pack("<Q", len(encoded)) + encoded + data


VALID = {
    ".npy": _npy(W),
    ".npz": _npz(decoder=W, bias=np.zeros(3)),
    ".safetensors": _safetensors(decoder=W, bias=np.zeros(3)),
    ".csv": ("\n".join(",".join(f"{x:.6f}" for x in row) for row in W) + "\n").encode(),
    ".pt": (DATA / "tied_linear.pt").read_bytes(),
}


@st.composite
def corrupted(draw, original: bytes) -> bytes:
    """`original` with a few bytes flipped or inserted, maybe truncated or with a huge length."""
    data = bytearray(original)
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.integers(0, len(data)))
        if draw(st.booleans()) and where < len(data):
            data[where] = draw(st.integers(0, 255))
        else:
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
    if draw(st.booleans()):  # rewrite a length field (.safetensors header, .npy header)
        where = draw(st.sampled_from([0, 8, min(9, len(data))]))
        size = draw(st.sampled_from([0, 1, 2**31, 2**63, 2**64 - 1]))
        data[where:where + 8] = struct.pack("<Q", size)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def _reference_matrices(extension: str, contents: bytes) -> list[np.ndarray] | None:
    """The 2-D arrays an independent reader finds (NumPy for .npy/.npz, the safetensors
    package for .safetensors); None when it refuses the file or there is no reference."""
    try:
        if extension == ".npy":
            arrays = [np.load(io.BytesIO(contents), allow_pickle=False)]
        elif extension == ".npz":  # a zip archive may have bytes before it: zipfile, not np.load
            with zipfile.ZipFile(io.BytesIO(contents)) as archive:
                arrays = [np.load(io.BytesIO(archive.read(name)), allow_pickle=False)
                          for name in archive.namelist()]
        elif extension == ".safetensors" and importlib.util.find_spec("safetensors"):
            from safetensors.numpy import load
            arrays = list(load(contents).values())
        else:
            return None
    except Exception:  # noqa: BLE001 - any refusal of the reference reader
        return None
    return [array for array in arrays if array.ndim == 2]


def _is_valid_matrix(array: np.ndarray) -> bool:
    """What `verify._validation.as_real_matrix` accepts, restated: a nonempty real
    (integer, boolean or float) 2-D array, finite, with every entry below
    sqrt(max_float64 / (d k))."""
    if array.dtype.kind not in "iufb" or array.size == 0:
        return False
    values = array.astype(np.float64)
    limit = np.sqrt(np.finfo(np.float64).max / array.size)
    return bool(np.isfinite(values).all() and np.abs(values).max() <= limit)


def _check_answers_without_a_traceback(path: Path, contents: bytes, capsys) -> None:
    """The one outcome the contents call for, when an independent reader can tell: a
    verdict per matrix if it reads only valid 2-D matrices, an error line if it refuses
    the file. In any case exit 0 with a report or 2 with one line per matrix at most."""
    path.write_bytes(contents)
    status = cli.main(["check", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err + out
    matrices = _reference_matrices(path.suffix, contents)
    if matrices is None and path.suffix in (".npy", ".npz") or matrices == []:
        assert status == 2, f"the reference refuses the file (or finds no 2-D array): {out}"
    elif matrices is not None and all(map(_is_valid_matrix, matrices)):
        assert (status, err) == (0, ""), f"the reference reads valid matrices: {err}"
    assert status in (0, 2), (status, err)
    if status == 2:
        assert err.startswith("tied-weights: error: ") and len(err.splitlines()) >= 1
        # One line per problem: one per matrix of the file at most.
        assert len(err.splitlines()) <= 3, err
    else:
        assert err == ""
        assert "Verdict: " in out or out.startswith("Weights ")  # one report, or a table


@pytest.mark.parametrize("extension", sorted(VALID))
def test_each_valid_file_gets_the_verdict_p1(tmp_path, capsys, extension):
    """The uncorrupted files: W has orthonormal columns, so the verdict is P1 (the bias of
    the containers is 1-D and skipped; .pt needs PyTorch, else one line says so)."""
    if extension == ".pt" and importlib.util.find_spec("torch") is None:
        pytest.skip("PyTorch is not installed (not a test dependency)")
    path = tmp_path / f"W{extension}"
    path.write_bytes(VALID[extension])
    status = cli.main(["check", str(path)])
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), err
    assert [line for line in out.splitlines() if line.startswith("Verdict: ")] == [
        "Verdict: orthonormal columns (P1)"]


@pytest.mark.parametrize("extension", [".npy", ".npz", ".safetensors", ".csv"])
@settings(max_examples=max(100, settings().max_examples),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_corrupted_files_get_a_verdict_or_one_line(tmp_path, capsys, extension, data):
    contents = data.draw(corrupted(VALID[extension]), label="contents")
    _check_answers_without_a_traceback(tmp_path / f"W{extension}", contents, capsys)


@settings(max_examples=max(30, settings().max_examples),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=corrupted(VALID[".pt"]))
def test_corrupted_pt_files_without_pytorch_get_one_line(tmp_path, capsys, contents):
    real = importlib.util.find_spec
    hidden = mock.patch.object(torch_format.importlib.util, "find_spec",
                               lambda name, *a: None if name == "torch" else real(name, *a))
    with hidden:
        _check_answers_without_a_traceback(tmp_path / "W.pt", contents, capsys)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                    reason="PyTorch is not installed (not a test dependency)")
@settings(max_examples=max(30, settings().max_examples),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=corrupted(VALID[".pt"]))
def test_corrupted_pt_files_with_pytorch_get_a_verdict_or_one_line(tmp_path, capsys, contents):
    _check_answers_without_a_traceback(tmp_path / "W.pt", contents, capsys)


@given(contents=st.binary(max_size=64))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_bytes_in_every_format_get_a_verdict_or_one_line(tmp_path, capsys, contents):
    for extension in (".npy", ".npz", ".safetensors", ".csv", ".txt"):
        _check_answers_without_a_traceback(tmp_path / f"W{extension}", contents, capsys)
