"""F2: rank-deficient weights: W = [w, w] has W^+ = W^T / 2 != W^T and no (W^T W)^{-1}.

More generally a rank-deficient W has W^T = W^+ only if it is a partial
isometry (P3): the `rank_deficient` class (nonzero singular values in [1/4, 4],
one at least 1/8 away from 1) never does, the `partial_isometries` class always does.

Pseudo-inverse cutoff and the error of numpy's pinv: `pinv_numerics` of
tests/properties/conftest.py (sqrt(eps) sigma_max; Wedin's theorem with the
SVD's backward error `2 d k eps ||W||_2`).

Comparing two computed gaps, `_gap_error`: the SVD backward error moves
each computed sigma by at most `e` (Weyl), hence
`|sigma - 1/sigma|` by `(1 + 1/(sigma - e)^2) e`, plus `3 u (sigma + 1/sigma)`
to evaluate it. On the other side, `||W^T - pinv(W)||_2` is off by the pinv
error, the rounding of the subtraction (`u (||W||_F + ||pinv||_F)`) and the
backward error of the SVD inside `norm(., 2)`.
"""

import numpy as np
import pytest
from hypothesis import given

from verify import (
    gap_with_error_bound,
    is_partial_isometry,
    orthonormality_defect,
    orthonormality_tolerance,
)
from verify.strategies import orthonormal_columns, partial_isometries, rank_deficient

_EPS = float(np.finfo(float).eps)


def _gap_error(W, pinv, numerics):
    """Bound on `| ||W^T - pinv||_2 - max |sigma - 1/sigma|` |, both computed (see above)."""
    sigma = numerics.nonzero_singular_values(W)
    shifted = numerics.svd_backward_error(W)
    from_sigma = (1 + 1 / (sigma - shifted) ** 2) * shifted + 1.5 * _EPS * (sigma + 1 / sigma)
    rounding = _EPS / 2 * (np.linalg.norm(W) + np.linalg.norm(pinv))
    from_norm = numerics.pinv_error(W) + rounding + numerics.svd_backward_error(W.T - pinv)
    return from_norm + from_sigma.max()


@given(orthonormal_columns(max_rows=6).map(lambda Q: Q[:, :1]))
def test_f2_duplicated_unit_column_has_pseudo_inverse_half_its_transpose(pinv_numerics, w):
    W = np.hstack([w, w])
    pinv = np.linalg.pinv(W, rcond=pinv_numerics.cutoff)
    # The drawn w is a unit vector only to rounding: | ||w||^2 - 1 | <= delta, so the exact
    # W^+ = W^T / (2 ||w||^2) is W^T / 2 to within delta / (2 (1 - delta)) entrywise, and
    # the singular value sqrt(2) ||w|| is sqrt(2) to within sqrt(2) delta.
    delta = orthonormality_defect(w) + orthonormality_tolerance(w)
    assert np.abs(pinv - W.T / 2).max() <= pinv_numerics.pinv_error(W) + delta / (2 * (1 - delta))
    # Singular values sqrt(2) and 0: P5 gives ||W^T - W^+||_2 = sqrt(2) - 1/sqrt(2).
    expected_gap = np.sqrt(2) - 1 / np.sqrt(2)
    sigma_shift = np.sqrt(2) * delta
    not_unit = (1 + 1 / (2 * (1 - delta) ** 2)) * sigma_shift + 1.5 * _EPS * 2 * np.sqrt(2)
    measured = np.linalg.norm(W.T - pinv, 2)
    assert abs(measured - expected_gap) <= _gap_error(W, pinv, pinv_numerics) + not_unit
    gap, gap_error, _ = gap_with_error_bound(W)
    assert abs(gap - expected_gap) <= gap_error + not_unit
    assert not is_partial_isometry(W)
    with pytest.raises(np.linalg.LinAlgError):  # W^T W = [[a, a], [a, a]] exactly
        np.linalg.inv(W.T @ W)


@given(rank_deficient(max_rows=6))
def test_f2_rank_deficient_weights_off_the_unit_sphere_have_transpose_not_pseudo_inverse(
    pinv_numerics, W
):
    pinv = np.linalg.pinv(W, rcond=pinv_numerics.cutoff)
    gap = np.linalg.norm(W.T - pinv, 2)
    sigma = pinv_numerics.nonzero_singular_values(W)
    assert abs(gap - np.max(np.abs(sigma - 1 / sigma))) <= _gap_error(W, pinv, pinv_numerics)  # P5
    # Some drawn sigma has |sigma - 1| >= 1/8, so |sigma - 1/sigma| >= 1.125 - 1/1.125 > 0.23:
    # the rounding bounded above (below 1e-11 at these sizes) cannot bring the gap under 0.2.
    assert gap >= 0.2
    assert not is_partial_isometry(W)


@given(partial_isometries(max_rows=6))
def test_f2_rank_deficient_partial_isometries_do_have_transpose_equal_pseudo_inverse(
    pinv_numerics, W
):
    pinv = np.linalg.pinv(W, rcond=pinv_numerics.cutoff)
    assert np.abs(pinv - W.T).max() <= pinv_numerics.pinv_error(W)
    assert is_partial_isometry(W)
