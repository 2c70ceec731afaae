"""Precision follows the data: tolerances in the stored format's unit roundoff (verify.precision).

An exactly orthonormal matrix stored in any supported format is "orthonormal
columns"; moving one sigma^2 by just over one tolerance is not; entries near the
magnitude limit or subnormal give a verdict without warnings.
"""

import json
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify import (
    InvalidMatrixError,
    diagnose,
    has_orthonormal_columns,
    is_partial_isometry,
    orthonormality_tolerance,
    rank_cutoff,
)
from verify._gram import representation_factor
from verify.precision import BFLOAT16_UNIT_ROUNDOFF, as_weights, unit_roundoff_of
from verify.strategies import orthonormal_columns, partial_isometries

U64, U32, U16 = 2.0**-53, 2.0**-24, 2.0**-11
FORMATS = [(np.float64, U64), (np.float32, U32), (np.float16, U16)]


def to_bfloat16(W):
    """Round float32 values to bfloat16 (8 significant bits, to nearest even), kept in float32."""
    bits = np.asarray(W, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return rounded.astype(np.uint32).view(np.float32)


def textbook_gamma(n, u):
    """Higham's `gamma_n = n u / (1 - n u)` in exact rationals, rounded once (not the library's)."""
    nu = n * Fraction(u)
    return float(nu / (1 - nu))


def expected_tolerance(W, u):
    """The documented formula, recomputed from the SVD in float64."""
    W = np.asarray(W, dtype=np.float64)
    n, m = max(W.shape), min(W.shape)
    norm_squared = np.linalg.norm(W, 2) ** 2
    computed = min(u, U32)
    rho = math.sqrt(m) * (textbook_gamma(4 * n, computed) + (u if u > computed else 0.0))
    rho /= 1 - rho
    computation = textbook_gamma(n, U64) * np.linalg.norm(W) ** 2 + m * U64 * norm_squared
    return computation + U64 * max(norm_squared, 1.0) + (2 * rho + rho**2) * norm_squared


@pytest.mark.parametrize(("dtype", "u"), FORMATS)
def test_unit_roundoff_is_the_dtypes(dtype, u):
    assert unit_roundoff_of(dtype) == u
    W, precision = as_weights(np.eye(2, dtype=dtype), name="W")
    assert W.dtype == dtype and (precision.name, precision.unit_roundoff) == (
        np.dtype(dtype).name, u)


@pytest.mark.parametrize(("dtype", "u"), FORMATS)
def test_the_array_is_not_copied(dtype, u):
    W = np.eye(4, 2, dtype=dtype)
    assert as_weights(W, name="W")[0] is W


@pytest.mark.parametrize(("dtype", "u"), FORMATS)
@given(data=st.data())
def test_an_exactly_orthonormal_matrix_in_any_format_has_orthonormal_columns(dtype, u, data):
    Q = data.draw(orthonormal_columns(max_rows=8))
    stored = Q.astype(dtype)
    found = diagnose(stored)
    assert (found.verdict, found.dtype, found.unit_roundoff) == (
        "orthonormal columns", np.dtype(dtype).name, u)
    assert found.tolerance == pytest.approx(expected_tolerance(stored, u), rel=1e-6, abs=0)


@given(orthonormal_columns(max_rows=8))
def test_bfloat16_values_in_float32_are_orthonormal_with_their_unit_roundoff(Q):
    stored = to_bfloat16(Q)
    found = diagnose(stored, unit_roundoff=BFLOAT16_UNIT_ROUNDOFF, dtype_name="bfloat16")
    assert found.verdict == "orthonormal columns" and found.dtype == "bfloat16"
    assert "bfloat16, unit roundoff u = 0.003906" in found.report()


def test_bfloat16_values_fail_at_float32_precision_when_the_rounding_is_visible():
    Q = np.linalg.qr(np.random.default_rng(3).standard_normal((64, 16)))[0]
    stored = to_bfloat16(Q)
    assert not has_orthonormal_columns(stored)  # float32's tolerance is far below 2^-8
    assert has_orthonormal_columns(stored, unit_roundoff=BFLOAT16_UNIT_ROUNDOFF)


@pytest.mark.parametrize("shape", [(64, 10), (256, 64), (2048, 16)])
def test_float32_matrices_at_realistic_sizes_are_orthonormal(shape):
    rng = np.random.default_rng(sum(shape))
    from_float64 = np.linalg.qr(rng.standard_normal(shape))[0].astype(np.float32)
    in_float32 = np.linalg.qr(rng.standard_normal(shape).astype(np.float32))[0]
    for W in (from_float64, in_float32):
        assert W.dtype == np.float32 and diagnose(W).verdict == "orthonormal columns"


@pytest.mark.parametrize("ulps", [-4, -1, 1, 3])
def test_float32_singular_values_a_few_ulps_from_1_are_1(ulps):
    # ulp of float32 at 1 is 2^-23 above and 2^-24 below; sigma^2 - 1 is about 2 ulps * ulps.
    sigma = np.float32(1) + np.float32(ulps) * np.float32(2.0**-23 if ulps > 0 else 2.0**-24)
    W = np.eye(4, 3, dtype=np.float32) * sigma
    assert W.dtype == np.float32 and diagnose(W).verdict == "orthonormal columns"


@pytest.mark.parametrize(("dtype", "u"), FORMATS[:2])
@given(data=st.data())
def test_sigma_squared_moved_by_just_over_one_tolerance_is_not_orthonormal(
    dtype, u, data, exact_moves
):
    # A tolerance even 1.1 times too wide would accept these: the test pins it from above.
    Q = data.draw(orthonormal_columns(max_rows=8))
    tolerance = expected_tolerance(Q.astype(dtype), u)
    factor = data.draw(st.floats(1.1, 2.0))
    sign = data.draw(st.sampled_from([1.0, -1.0]))
    moved = exact_moves.column_moved(Q, sign * factor * tolerance, dtype)
    assert not has_orthonormal_columns(moved) and not is_partial_isometry(moved)
    assert diagnose(moved).verdict == "neither"
    # ... and the same matrix passes once the tolerance covers the move.
    assert has_orthonormal_columns(moved, tolerance=2 * factor * tolerance)


@given(partial_isometries(max_rows=8))
def test_float32_partial_isometries_keep_their_verdict(W):
    found = diagnose(W.astype(np.float32))
    assert found.verdict == "partial isometry"
    # zeros at float32 rounding level fall below the float32 cutoff max(d, k) 2^-23 sigma_max
    assert found.rank_cutoff == pytest.approx(max(W.shape) * 2 * U32 * found.sigma_max,
                                              rel=1e-6, abs=0)


@given(partial_isometries(max_rows=8))
def test_float16_and_bfloat16_partial_isometries_keep_their_verdict(W):
    for stored, u in ((W.astype(np.float16), U16), (to_bfloat16(W), BFLOAT16_UNIT_ROUNDOFF)):
        found = diagnose(stored, unit_roundoff=u)
        assert found.verdict == "partial isometry"
        # the format's rounding lifts a zero singular value by at most sqrt(m) u sigma_max
        expected = (max(W.shape) * 2 * U32 + math.sqrt(min(W.shape)) * u) * found.sigma_max
        assert found.rank_cutoff == pytest.approx(expected, rel=1e-6, abs=0)
        assert found.rank == found.near_one_count < W.shape[1]


def test_rank_cutoff_follows_the_stored_precision():
    W = np.eye(5, 3)
    assert rank_cutoff(W) == 5 * 2 * U64
    assert rank_cutoff(W.astype(np.float32)) == 5 * 2 * U32
    text = (5 * 2 * U32 + math.sqrt(3) * 5e-6) * 1.0  # 6 digits: narrower than float32
    assert rank_cutoff(W, unit_roundoff=5e-6) == pytest.approx(text, rel=1e-12, abs=0)
    assert rank_cutoff(W.astype(np.float16)) == pytest.approx(10 * U32 + math.sqrt(3) * U16,
                                                              rel=1e-12, abs=0)


def test_text_with_six_digits_is_judged_at_its_precision():
    Q = np.linalg.qr(np.random.default_rng(5).standard_normal((30, 6)))[0]
    written = np.array([[float(f"{x:.6g}") for x in row] for row in Q])
    assert not has_orthonormal_columns(written)
    found = diagnose(written, unit_roundoff=5e-6, dtype_name="text, 6 significant digits")
    assert found.verdict == "orthonormal columns"
    assert "Precision: text, 6 significant digits, unit roundoff u = 5e-06" in found.report()


@pytest.mark.parametrize(
    "W",
    [np.array([[1e154]]), np.full((1, 3), 7e153), np.full((3, 1), 7e153),
     np.full((2, 2), 6.7e153), np.full((3, 2), 5e-324), np.eye(3, 2) * 1e-310,
     np.eye(3, 2, dtype=np.float32) * np.float32(1e-45), np.eye(2, dtype=np.float16) * 6e-8],
)
def test_extreme_magnitudes_get_a_verdict_without_warnings(W):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = diagnose(W)
    assert found.verdict == "neither"
    assert not math.isnan(found.transpose_pseudo_inverse_gap)
    assert math.isfinite(found.tolerance) and found.orthonormality_defect > found.tolerance


def test_entries_beyond_the_magnitude_limit_are_refused_by_name():
    with pytest.raises(InvalidMatrixError, match=r"W has an entry of magnitude 1\.4e\+154"):
        diagnose(np.array([[1.4e154]]))


class _Tensor:
    """Enough of a PyTorch tensor that requires grad: np.asarray fails, .detach() works."""

    def __init__(self, array, dtype="torch.float32"):
        self.array, self.dtype = array, dtype

    def __array__(self, *args, **kwargs):
        raise RuntimeError("Can't call numpy() on Tensor that requires grad.")

    def detach(self):
        return self

    def cpu(self):
        return self

    def float(self):
        return _Tensor(self.array.astype(np.float32))

    def numpy(self):
        return self.array


def test_tensors_that_require_grad_are_detached():
    W = np.eye(4, 2, dtype=np.float32)
    assert diagnose(_Tensor(W)).dtype == "float32"
    found = diagnose(_Tensor(W, dtype="torch.bfloat16"))
    assert (found.dtype, found.unit_roundoff) == ("bfloat16", BFLOAT16_UNIT_ROUNDOFF)


@pytest.mark.parametrize("bad", [0, -1e-3, 0.5, float("nan"), "2**-8", True])
def test_bad_unit_roundoff_is_refused_by_name(bad):
    with pytest.raises(InvalidMatrixError, match="unit_roundoff must be a number in"):
        diagnose(np.eye(2), unit_roundoff=bad)


def test_a_unit_roundoff_too_coarse_for_the_size_is_refused_with_the_way_out():
    with pytest.raises(InvalidMatrixError, match="pass tolerance= explicitly"):
        orthonormality_tolerance(np.eye(64, 16), unit_roundoff=0.3)
    assert representation_factor((2, 2), BFLOAT16_UNIT_ROUNDOFF) < 0.01


def test_a_given_tolerance_is_used_and_its_reason_reported():
    W = np.eye(3, 2) * math.sqrt(1 + 1e-4)
    assert diagnose(W).verdict == "neither"
    found = diagnose(W, tolerance=2e-4, tolerance_reason="trained with lr 1e-3 in float32")
    assert (found.verdict, found.tolerance) == ("orthonormal columns", 2e-4)
    assert "(tolerance 0.0002, given: trained with lr 1e-3 in float32)" in found.report()
    assert found.to_dict()["tolerance_reason"] == "trained with lr 1e-3 in float32"


@pytest.mark.parametrize(("tolerance", "reason"), [(0.0, None), (-1.0, "x"), (math.inf, None),
                                                   ("1e-3", None), (None, "why")])
def test_bad_tolerance_options_are_refused_by_name(tolerance, reason):
    with pytest.raises(InvalidMatrixError, match="tolerance"):
        diagnose(np.eye(2), tolerance=tolerance, tolerance_reason=reason)


@pytest.mark.parametrize("offset", [3e-7, 1e-9, 2e-12])
def test_the_report_never_shows_a_singular_value_off_1_as_1(offset):
    # Ten singular values 1 and one just off 1 by more than the tolerance: the report must
    # not say "from 1 to 1" and then "not all 1".
    W = np.eye(12, 10)
    W[0, 0] = 1 + offset
    found = diagnose(W)
    assert found.verdict == "neither" and found.near_one_count == 9
    line = next(x for x in found.report().splitlines() if x.startswith("Singular values"))
    largest = line.split(" to ")[1].split(";")[0]
    assert float(largest) != 1.0 and abs(float(largest) - (1 + offset)) <= offset / 2


@pytest.mark.parametrize(("dtype", "u"), FORMATS[1:])
@given(data=st.data())
def test_rounding_an_exact_isometry_stays_within_the_rounding_tolerance(dtype, u, data):
    # The rounding-only bound holds for what it claims (an exact Q rounded to the format) ...
    Q = data.draw(orthonormal_columns(max_rows=8))
    stored = diagnose(Q.astype(dtype))
    assert stored.orthonormality_defect <= stored.rounding_tolerance < stored.tolerance
    assert "rounding alone explains" not in stored.explanation


@pytest.mark.parametrize(("dtype", "u"), FORMATS[1:2])
@given(data=st.data())
def test_a_defect_past_rounding_but_within_the_tolerance_is_reported(
    dtype, u, data, exact_moves
):
    # ... and a matrix moved by just over it is orthonormal only by the computation allowance,
    # which the report then says, pointing to --data.
    Q = data.draw(orthonormal_columns(max_rows=8))
    bound = diagnose(Q.astype(dtype)).rounding_tolerance
    moved = diagnose(exact_moves.column_moved(Q, -1.1 * bound, dtype))
    assert moved.verdict == "orthonormal columns"
    assert moved.orthonormality_defect > moved.rounding_tolerance
    assert "more than rounding W to float32 alone explains" in moved.explanation
    assert "--data X.npy" in moved.explanation
    assert "rounding W to float32 alone: " in moved.report()


def test_float64_reports_no_rounding_split_and_a_given_tolerance_no_note():
    W = np.eye(3, 2) * math.sqrt(1 - 1e-14)
    assert "alone" not in diagnose(W).report()
    found = diagnose(np.float32(W), tolerance=1e-3, tolerance_reason="my training's accuracy")
    assert "alone explains" not in found.explanation


def test_a_format_too_coarse_for_a_rounding_bound_reports_none_and_stays_json():
    # One significant digit (u = 0.05) and 450 columns: u sqrt(m) > 1, no rounding bound.
    found = diagnose(np.eye(500, 450) * 0.9, unit_roundoff=0.05, dtype_name="text, 1 digit",
                     tolerance=0.5, tolerance_reason="one digit written")
    assert found.rounding_tolerance == math.inf and found.to_dict()["rounding_tolerance"] is None
    assert "alone" not in found.report()
    json.dumps(found.to_dict(), allow_nan=False)
