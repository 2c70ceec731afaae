"""F2: rank-deficient weights: W = [w, w] has W^+ = W^T / 2 != W^T and no (W^T W)^{-1}.

More generally a rank-deficient W has W^T = W^+ only if it is a partial
isometry (P3): the `rank_deficient` class (nonzero singular values in [1/4, 4],
one at least 1/8 away from 1) never does, the `partial_isometries` class always does.

Pseudo-inverse cutoff (numpy's default 1e-15 sigma_max can keep rounding-level
singular values of a rank-deficient product): every matrix here has nonzero
singular values >= 1/4 sigma_max / 16 and zero ones at most a few m eps sigma_max,
so we cut at sqrt(eps) sigma_max, far from both.

Error of numpy's pinv, `_pinv_error`: with the rank decided correctly, the SVD
is the exact SVD of W + dW, and Wedin's theorem for equal ranks gives
||pinv(W + dW) - W^+||_2 <= 2 ||W^+||_2^2 ||dW||_2. LAPACK states the SVD's
backward error only as p(d, k) eps ||W||_2 with "a modestly growing" p; we
take p = 2 d k (one rotation error per entry and sweep pair), which covers the
worst error seen in 10,000-example runs (about 16 eps sigma_max at d = 6,
k = 2) with room. Forming V diag(1/sigma) U^T then adds at most
gamma_k ||W^+||_2 entrywise, k eps ||W^+||_2 to first order.
"""

import numpy as np
import pytest
from hypothesis import given

from verify import is_partial_isometry, transpose_pseudo_inverse_gap
from verify.strategies import orthonormal_columns, partial_isometries, rank_deficient

_EPS = float(np.finfo(float).eps)
_CUTOFF = np.sqrt(_EPS)  # relative to sigma_max: rcond for numpy.linalg.pinv


def _nonzero_singular_values(W):
    sigma = np.linalg.svd(W, compute_uv=False)
    return sigma[sigma > _CUTOFF * sigma[0]]


def _pinv_error(W):
    d, k = W.shape
    sigma = _nonzero_singular_values(W)
    pseudo_inverse_norm = 1 / sigma[-1]
    backward_error = 2 * d * k * _EPS * sigma[0]
    return 2 * pseudo_inverse_norm**2 * backward_error + k * _EPS * pseudo_inverse_norm


@given(orthonormal_columns(max_rows=6).map(lambda Q: Q[:, :1]))
def test_f2_duplicated_unit_column_has_pseudo_inverse_half_its_transpose(w):
    W = np.hstack([w, w])
    pinv = np.linalg.pinv(W, rcond=_CUTOFF)
    assert np.abs(pinv - W.T / 2).max() <= _pinv_error(W)
    # Singular values sqrt(2) and 0: P5 gives ||W^T - W^+||_2 = sqrt(2) - 1/sqrt(2).
    expected_gap = np.sqrt(2) - 1 / np.sqrt(2)
    assert abs(np.linalg.norm(W.T - pinv, 2) - expected_gap) <= 2 * _pinv_error(W)
    assert abs(transpose_pseudo_inverse_gap(W) - expected_gap) <= 2 * _pinv_error(W)
    assert not is_partial_isometry(W)
    with pytest.raises(np.linalg.LinAlgError):  # W^T W = [[a, a], [a, a]] exactly
        np.linalg.inv(W.T @ W)


@given(rank_deficient(max_rows=6))
def test_f2_rank_deficient_weights_off_the_unit_sphere_have_transpose_not_pseudo_inverse(W):
    pinv = np.linalg.pinv(W, rcond=_CUTOFF)
    gap = np.linalg.norm(W.T - pinv, 2)
    sigma = _nonzero_singular_values(W)
    assert abs(gap - np.max(np.abs(sigma - 1 / sigma))) <= 2 * _pinv_error(W)  # P5
    # Some nonzero sigma has |sigma - 1| >= 1/8, so |sigma - 1/sigma| >= 1.125 - 1/1.125.
    assert gap >= 1.125 - 1 / 1.125 - 2 * _pinv_error(W)
    assert not is_partial_isometry(W)


@given(partial_isometries(max_rows=6))
def test_f2_rank_deficient_partial_isometries_do_have_transpose_equal_pseudo_inverse(W):
    pinv = np.linalg.pinv(W, rcond=_CUTOFF)
    assert np.abs(pinv - W.T).max() <= _pinv_error(W)
    assert is_partial_isometry(W)
