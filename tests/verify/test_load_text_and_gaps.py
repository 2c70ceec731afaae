"""Text files with their own precision (one digit, a BOM, hex floats, headers only when
not numbers), float16 ``.npy`` recognised, and only 2-D arrays of a container chosen.

The expected verdicts are those of the claims: orthonormal columns are P1; the
expected unit roundoffs are computed here by hand from the digits written.
"""

import numpy as np
import pytest

from verify import cli
from verify.load import read_weights
from verify.text_format import text_unit_roundoff


def _verdict(capsys, path):
    status = cli.main(["check", str(path)])
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), err
    return next(line for line in out.splitlines() if line.startswith("Verdict: "))


def test_one_significant_digit_is_loaded_with_its_own_precision(tmp_path, capsys):
    # 0.6, 0.8 are one digit each: the worst rounding to one digit is 0.15 -> 0.2, 1/3 relative.
    path = tmp_path / "W.csv"
    path.write_text("0.6, 0.8\n0.8, -0.6\n")
    (weights,) = read_weights(path).weights
    assert weights.unit_roundoff == pytest.approx(0.05 / 0.15, rel=1e-15, abs=0)
    assert weights.dtype_name == "text (1 significant digits)"
    assert _verdict(capsys, path) == "Verdict: orthonormal columns (P1)"


def test_half_the_identity_in_one_digit_gets_a_verdict_not_an_error(tmp_path, capsys):
    # 0.5 I: singular values 1/2, defect 3/4 above even one digit's tolerance: not P1/P3.
    path = tmp_path / "W.txt"
    path.write_text("0.5 0\n0 0.5\n")
    assert _verdict(capsys, path) == "Verdict: neither (F3/F4)"


def test_unit_roundoff_of_digits_is_below_one_half_and_the_stated_bound():
    assert text_unit_roundoff(1) == 1 / 3
    assert [text_unit_roundoff(p) for p in (2, 3, 6)] == [5e-2, 5e-3, 5e-6]


def test_a_utf8_bom_is_dropped_and_the_first_row_is_data(tmp_path, capsys):
    path = tmp_path / "W.csv"
    path.write_bytes(b"\xef\xbb\xbf1,0\n0,1\n0,0\n")  # orthonormal columns, exact integers
    (weights,) = read_weights(path).weights
    np.testing.assert_array_equal(weights.array, np.eye(3, 2))
    assert weights.notes == ()
    assert _verdict(capsys, path) == "Verdict: orthonormal columns (P1)"


def test_a_bom_before_a_real_header_is_not_part_of_it(tmp_path):
    path = tmp_path / "W.csv"
    path.write_bytes(b"\xef\xbb\xbfw1,w2\n1,0\n0,1\n")
    (weights,) = read_weights(path).weights
    np.testing.assert_array_equal(weights.array, np.eye(2))
    assert weights.notes == ("skipped a header row: 'w1,w2'",)


def test_hex_floats_are_numbers_with_their_bits_of_precision(tmp_path, capsys):
    # float.hex writes every float64 exactly (13 hex digits: 53 bits): a rotation stays P1.
    c, s = np.cos(0.3), np.sin(0.3)
    path = tmp_path / "W.csv"
    path.write_text(f"{c.hex()},{(-s).hex()}\n{s.hex()},{c.hex()}\n")
    (weights,) = read_weights(path).weights
    np.testing.assert_array_equal(weights.array, [[c, -s], [s, c]])
    assert weights.notes == () and weights.unit_roundoff == 2.0**-53
    assert weights.dtype_name == "text (hexadecimal, 53 significant bits)"
    assert _verdict(capsys, path) == "Verdict: orthonormal columns (P1)"


def test_a_short_hex_mantissa_has_few_bits(tmp_path):
    path = tmp_path / "W.csv"
    path.write_text("0x1.8p-1,0x1p-1\n")  # 0.75, 0.5: one hex digit after the point, 5 bits
    (weights,) = read_weights(path).weights
    np.testing.assert_array_equal(weights.array, [[0.75, 0.5]])
    assert weights.unit_roundoff == 2.0**-5


def test_a_header_of_hex_letters_is_still_a_header(tmp_path):
    path = tmp_path / "W.csv"
    path.write_text("a,b\n1,0\n0,1\n")  # float.fromhex("a") is 10; "a" is a column name
    (weights,) = read_weights(path).weights
    assert weights.notes == ("skipped a header row: 'a,b'",)


@pytest.mark.parametrize("dtype, u", [(np.float16, 2.0**-11), (np.float32, 2.0**-24),
                                      (np.float64, 2.0**-53)])
def test_every_float_npy_has_its_own_unit_roundoff(tmp_path, dtype, u):
    path = tmp_path / "W.npy"
    np.save(path, np.eye(3, 2, dtype=dtype))
    (weights,) = read_weights(path).weights
    assert (weights.dtype_name, weights.unit_roundoff) == (np.dtype(dtype).name, u)


def test_float16_orthonormal_columns_are_p1_through_the_cli(tmp_path, capsys):
    # Rounded to float16, a rotation's columns are orthonormal to about 2^-11, far above
    # float64's tolerance: only float16's own unit roundoff gives P1 (load.py:237).
    c, s = np.cos(0.3), np.sin(0.3)
    W = np.array([[c, -s], [s, c], [0, 0]], dtype=np.float16)
    assert np.linalg.norm(W.astype(float).T @ W.astype(float) - np.eye(2), 2) > 1e-5
    path = tmp_path / "W.npy"
    np.save(path, W)
    assert _verdict(capsys, path) == "Verdict: orthonormal columns (P1)"


def test_only_the_two_dimensional_arrays_of_a_container_are_chosen(tmp_path):
    # 0-, 1-, 3- and 4-D arrays are skipped and named; the 2-D ones are checked (load.py:314).
    path = tmp_path / "model.npz"
    arrays = {"scalar": np.float64(1.0), "bias": np.zeros(3), "W": np.eye(3, 2),
              "conv": np.zeros((2, 2, 2)), "kernel": np.zeros((1, 2, 2, 1)), "V": np.eye(2)}
    np.savez(path, **arrays)
    found = read_weights(path)
    assert sorted(w.key for w in found.weights) == ["V", "W"]
    assert sorted(found.skipped) == [("bias", (3,)), ("conv", (2, 2, 2)),
                                     ("kernel", (1, 2, 2, 1)), ("scalar", ())]
