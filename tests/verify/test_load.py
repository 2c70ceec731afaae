"""verify.load: every supported format loads; every file problem is a WeightFileError;
nothing is ever unpickled."""

import io
import os
import sys
import zipfile

import numpy as np
import pytest

from verify.load import DEFAULT_MAX_BYTES, WeightFileError, load_weights, npz_keys, read_weights
from verify.text_format import significant_digits

MATRIX = np.arange(12, dtype=np.float64).reshape(4, 3) / 7


class _CreatesMarkerWhenUnpickled:
    """Unpickling this object calls ``open(marker, "w")``, which creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _pickle_payload(marker):
    return np.array([_CreatesMarkerWhenUnpickled(marker), None], dtype=object)


def test_npy_round_trips(tmp_path):
    path = tmp_path / "W.npy"
    np.save(path, MATRIX)
    np.testing.assert_array_equal(load_weights(path), MATRIX)


def test_npy_fortran_order_and_float32_load(tmp_path):
    path = tmp_path / "W.NPY"  # extensions are case-insensitive
    with open(path, "wb") as stream:  # np.save(path) would append ".npy"
        np.save(stream, np.asfortranarray(MATRIX.astype(np.float32)))
    np.testing.assert_array_equal(load_weights(path), MATRIX.astype(np.float32))


def test_npz_with_one_array_needs_no_key(tmp_path):
    path = tmp_path / "W.npz"
    np.savez_compressed(path, weights=MATRIX)
    np.testing.assert_array_equal(load_weights(path), MATRIX)


def test_npz_key_picks_the_array(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, encoder=MATRIX.T, decoder=MATRIX)
    np.testing.assert_array_equal(load_weights(path, key="decoder"), MATRIX)
    np.testing.assert_array_equal(load_weights(path, key="encoder"), MATRIX.T)
    assert npz_keys(path) == ["encoder", "decoder"]


def test_npz_without_key_lists_the_names_when_ambiguous(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, encoder=MATRIX.T, decoder=MATRIX)
    with pytest.raises(WeightFileError, match=r"2 arrays \(encoder, decoder\).*--key"):
        load_weights(path)


def test_npz_unknown_key_lists_the_names(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, encoder=MATRIX.T, decoder=MATRIX)
    with pytest.raises(WeightFileError, match=r"no array named 'W'.*encoder, decoder"):
        load_weights(path, key="W")


def test_empty_npz_is_refused(tmp_path):
    path = tmp_path / "empty.npz"
    np.savez(path)
    with pytest.raises(WeightFileError, match="holds no arrays"):
        load_weights(path)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", " "])
def test_text_delimiter_is_sniffed(tmp_path, delimiter):
    path = tmp_path / "W.csv"
    np.savetxt(path, MATRIX, delimiter=delimiter, header="a tied decoder", fmt="%.17g")
    np.testing.assert_array_equal(load_weights(path), MATRIX)


def test_text_delimiter_can_be_given(tmp_path):
    path = tmp_path / "W.txt"
    np.savetxt(path, MATRIX, delimiter="|", fmt="%.17g")
    np.testing.assert_array_equal(load_weights(path, delimiter="|"), MATRIX)


def test_text_single_row_and_column_are_matrices(tmp_path):
    row, column = tmp_path / "row.csv", tmp_path / "column.csv"
    row.write_text("1,2,3\n")
    column.write_text("1\n2\n3\n")
    assert load_weights(row).shape == (1, 3)
    assert load_weights(column).shape == (3, 1)


def test_text_that_is_not_numbers_is_refused(tmp_path):
    path = tmp_path / "W.csv"
    path.write_text("a,b\nc,d\n1,2\n")  # one header row is skipped, a second is not
    with pytest.raises(WeightFileError, match=r"W\.csv: not a valid \.csv file"):
        load_weights(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(WeightFileError, match=r"missing\.npy: no such file"):
        load_weights(tmp_path / "missing.npy")


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "folder.npy"
    folder.mkdir()
    with pytest.raises(WeightFileError, match="not a regular file"):
        load_weights(folder)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="permissions do not bind root or Windows")
def test_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "W.npy"
    np.save(path, MATRIX)
    path.chmod(0)
    with pytest.raises(WeightFileError, match="cannot read the file"):
        load_weights(path)


def test_read_error_is_refused(tmp_path, monkeypatch):
    # Runs as root too, where file permissions do not bind.
    import verify.load as load_module

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "W.npy"
    np.save(path, MATRIX)
    monkeypatch.setattr(load_module, "open", refuse, raising=False)
    with pytest.raises(WeightFileError, match=r"cannot read the file \(Permission denied\)"):
        load_weights(path)


@pytest.mark.parametrize("name", ["W.pkl", "W", "W.bin"])
def test_unknown_extension_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"anything")
    expected = r"unknown file extension.*\.npy, \.npz, \.safetensors, \.pt, \.pth, \.csv, \.txt"
    with pytest.raises(WeightFileError, match=expected):
        load_weights(path)


def test_corrupt_npy_is_refused(tmp_path):
    path = tmp_path / "W.npy"
    path.write_bytes(b"not an array at all")
    with pytest.raises(WeightFileError, match=r"not a valid \.npy file"):
        load_weights(path)


def test_truncated_npy_is_refused(tmp_path):
    path = tmp_path / "W.npy"
    np.save(path, MATRIX)
    path.write_bytes(path.read_bytes()[:-8])
    expected = r"truncated: the header announces shape \(4, 3\) .* 96 bytes, but only 88"
    with pytest.raises(WeightFileError, match=expected):
        load_weights(path)


def test_corrupt_npz_is_refused(tmp_path):
    path = tmp_path / "W.npz"
    path.write_bytes(b"PK but not a zip")
    with pytest.raises(WeightFileError, match=r"not a valid \.npz file"):
        load_weights(path)


def test_key_on_a_non_archive_is_refused(tmp_path):
    path = tmp_path / "W.npy"
    np.save(path, MATRIX)
    with pytest.raises(WeightFileError, match=r"applies to \.npz, \.safetensors and \.pt files"):
        load_weights(path, key="W")


def test_the_pickle_payload_would_run_if_unpickled(tmp_path):
    # Guards the next test: the crafted file really executes code when unpickled.
    path, marker = tmp_path / "evil.npy", tmp_path / "marker"
    np.save(path, _pickle_payload(marker), allow_pickle=True)
    loaded = np.load(path, allow_pickle=True)
    loaded[0].close()
    assert marker.exists()


def test_pickled_npy_is_refused_and_never_executed(tmp_path):
    path, marker = tmp_path / "evil.npy", tmp_path / "marker"
    np.save(path, _pickle_payload(marker), allow_pickle=True)
    with pytest.raises(WeightFileError, match="pickled object array.*never loaded"):
        load_weights(path)
    assert not marker.exists()


def test_pickled_npz_member_is_refused_and_never_executed(tmp_path):
    path, marker = tmp_path / "evil.npz", tmp_path / "marker"
    np.savez(path, W=_pickle_payload(marker))
    with pytest.raises(WeightFileError, match="pickled object array"):
        load_weights(path)
    assert not marker.exists()


def test_default_size_limit_is_two_gibibytes():
    assert DEFAULT_MAX_BYTES == 2 * 1024**3


def test_file_larger_than_the_limit_is_refused_before_loading(tmp_path):
    path = tmp_path / "W.csv"
    np.savetxt(path, MATRIX)
    limit = path.stat().st_size - 1
    expected = rf"more than the limit of {limit} bytes.*--max-bytes"
    with pytest.raises(WeightFileError, match=expected):
        load_weights(path, max_bytes=limit)
    assert load_weights(path, max_bytes=limit + 1).shape == MATRIX.shape


def test_npy_header_announcing_a_huge_array_is_refused_before_reading(tmp_path):
    # A header may announce far more data than the file holds; the announced size is checked.
    path = tmp_path / "W.npy"
    with open(path, "wb") as stream:
        np.lib.format.write_array_header_1_0(
            stream, {"shape": (10**6, 10**6), "fortran_order": False, "descr": "<f8"})
    with pytest.raises(WeightFileError, match=r"shape \(1000000, 1000000\).*more than the limit"):
        load_weights(path)


def test_npz_member_size_is_checked_uncompressed(tmp_path):
    # Zeros compress to almost nothing: the limit applies to the unpacked size (zip bombs).
    path = tmp_path / "W.npz"
    np.savez_compressed(path, W=np.zeros((200, 200)))
    assert path.stat().st_size < 10_000
    with pytest.raises(WeightFileError, match=r"array 'W' takes \d+ bytes uncompressed"):
        load_weights(path, max_bytes=10_000)


def test_npz_non_array_members_are_not_listed(tmp_path):
    path = tmp_path / "W.npz"
    np.savez(path, W=MATRIX)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("README", "not an array")
    assert npz_keys(path) == ["W"]
    np.testing.assert_array_equal(load_weights(path), MATRIX)


def test_weight_file_error_is_a_value_error():
    assert issubclass(WeightFileError, ValueError)


@pytest.mark.parametrize(
    ("fmt", "digits"),
    [("%.6f", 6), ("%.6g", 6), ("%.3e", 4), ("%.17g", 17), ("%.18e", 19)],
)
def test_text_precision_is_that_of_the_digits_written(tmp_path, fmt, digits):
    path = tmp_path / "W.csv"
    matrix = MATRIX[1:] / 1.6  # entries in (0.08, 0.99): %.6f writes 6 significant digits
    np.savetxt(path, matrix, delimiter=",", fmt=fmt)
    (weights,) = read_weights(path).weights
    assert weights.dtype_name == f"text ({digits} significant digits)"
    assert weights.unit_roundoff == max(5 / 10**digits, 2.0**-53)
    # The bound holds: every value read is within its unit roundoff of the one written.
    assert np.all(np.abs(weights.array - matrix) <= weights.unit_roundoff * np.abs(matrix))


def test_text_precision_ignores_integers_comments_and_the_header(tmp_path):
    path = tmp_path / "W.csv"
    path.write_text("# written 2024-01-01 by 3.14159265 pi\nw1,w2\n1,0\n0.25,0.5\n")
    (weights,) = read_weights(path).weights
    assert weights.dtype_name == "text (2 significant digits)"  # 0.25: two digits
    assert weights.notes == ("skipped a header row: 'w1,w2'",)
    np.testing.assert_array_equal(weights.array, [[1.0, 0.0], [0.25, 0.5]])
    path.write_text("1 0\n0 1\n")
    (weights,) = read_weights(path).weights
    assert (weights.dtype_name, weights.unit_roundoff) == ("text (integers)", 2.0**-53)


def test_significant_digits_count_trailing_but_not_leading_zeros():
    assert significant_digits("0.000120") == 3
    assert significant_digits("-1.500000e-03;+2.5E+01") == 7
    assert significant_digits("0.000000, 0") is None  # zeros carry no precision to count
    assert significant_digits(".5 5.") == 1


def test_a_header_row_with_a_sniffed_delimiter_and_comments_before_it(tmp_path):
    path = tmp_path / "W.txt"
    path.write_text("# the decoder\n\n  a\tb\n0.6\t0.0\n0.8\t0.0\n# end\n")
    (weights,) = read_weights(path).weights
    np.testing.assert_array_equal(weights.array, [[0.6, 0.0], [0.8, 0.0]])
    assert weights.notes == ("skipped a header row: 'a\\tb'",)


def test_empty_files_are_refused_by_name(tmp_path):
    for name in ("W.npy", "W.csv", "W.safetensors", "W.npz", "W.pt"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(WeightFileError, match=rf"{name}: the file is empty"):
            read_weights(tmp_path / name)


@pytest.mark.parametrize("shape", [(2**70, 1), (2**62, 2**62), (1, 2**63 - 1)])
def test_npy_headers_announcing_absurd_shapes_are_refused(tmp_path, shape):
    # np.prod(shape) overflowed int64 (OverflowError) before; Python integers do not.
    path = tmp_path / "W.npy"
    with open(path, "wb") as stream:
        np.lib.format.write_array_header_2_0(
            stream, {"shape": shape, "fortran_order": False, "descr": "<f8"})
    with pytest.raises(WeightFileError, match=r"takes \d+ bytes, more than the limit"):
        load_weights(path)
    archive = tmp_path / "W.npz"
    with zipfile.ZipFile(archive, "w") as members:
        members.writestr("W.npy", path.read_bytes())
    with pytest.raises(WeightFileError, match=r"W\.npz\[W\]: the array of shape"):
        load_weights(archive)


def test_npz_member_announcing_more_than_it_holds_is_refused_before_allocating(tmp_path):
    path = tmp_path / "W.npz"
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"shape": (4000, 4000), "fortran_order": False, "descr": "<f8"})  # 128 MB
    with zipfile.ZipFile(path, "w") as members:
        members.writestr("W.npy", header.getvalue() + b"\0" * 16)
    with pytest.raises(WeightFileError, match=r"truncated: .* 128000000 bytes, but only 16"):
        load_weights(path)


def test_npz_with_several_2d_arrays_gives_them_all(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, encoder=MATRIX.T, bias=np.zeros(3), decoder=MATRIX.astype(np.float32))
    found = read_weights(path)
    assert [(w.key, w.dtype_name, w.name) for w in found.weights] == [
        ("encoder", "float64", f"{path} [encoder]"), ("decoder", "float32", f"{path} [decoder]")]
    assert found.skipped == (("bias", (3,)),)
    np.testing.assert_array_equal(read_weights(path, key="bias").weights[0].array, np.zeros(3))


@pytest.mark.parametrize("version", [1, 2])
def test_npy_header_claiming_an_absurd_length_is_refused_unread(tmp_path, version):
    path = tmp_path / "W.npy"
    length = (2**16 - 1).to_bytes(2, "little") if version == 1 else (2**31).to_bytes(4, "little")
    path.write_bytes(b"\x93NUMPY" + bytes([version, 0]) + length + b"{" * 64)
    with pytest.raises(WeightFileError, match=r"header claims \d+ bytes, more than the 10000"):
        load_weights(path)
