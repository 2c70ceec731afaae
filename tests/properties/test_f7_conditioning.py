"""F7: ||W^+||_2 = 1 / sigma_min blows up near rank deficiency; ||W^T||_2 = sigma_max does not.

`near_singular` draws W with smallest singular value s exactly (up to a few eps
absolute) and the others in [1/2, 2]: ||W^T||_2 <= 2 whatever s, while
||W^+||_2 = 1 / s. The computed s has absolute error at most 8 m eps sigma_max
(backward-stable SVD plus the rounding of the drawn product), so 1 / s has
relative error at most 16 m eps / s.

Discontinuity: W(t) = W(0) + t u v^T adds a singular value t in a direction
orthogonal to W(0)'s singular vectors. As t -> 0, W(t) -> W(0) and W(t)^T ->
W(0)^T (both at distance t), but ||W(t)^+ - W(0)^+||_2 = 1 / t -> infinity.
numpy.linalg.pinv cuts singular values at rcond * sigma_max with rcond = 1e-15
by default: below that cutoff t is treated as 0 and pinv(W(t)) returns
pinv(W(0)), so the computed map jumps at the cutoff instead of at 0.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from verify.strategies import near_singular, orthogonal_matrices

_EPS = float(np.finfo(float).eps)
_NUMPY_RCOND = 1e-15  # numpy.linalg.pinv's default relative cutoff


@given(near_singular(max_rows=6, smallest=1e-8) | near_singular(max_rows=6, smallest=1e-3))
def test_f7_pseudo_inverse_norm_is_one_over_sigma_min_while_transpose_norm_stays_bounded(W):
    sigma = np.linalg.svd(W, compute_uv=False)
    smallest = sigma[-1]
    m = max(W.shape)
    assert np.linalg.norm(W.T, 2) <= 2 * (1 + 8 * m * _EPS)  # sigma_max <= 2, for every s
    pinv_norm = np.linalg.norm(np.linalg.pinv(W), 2)
    assert abs(pinv_norm * smallest - 1) <= 16 * m * _EPS * sigma[0] / smallest
    # Relative to the transpose: ||W^+|| / ||W^T|| = 1 / (s sigma_max) >= 1 / (2 s).
    ratio = pinv_norm / np.linalg.norm(W.T, 2)
    assert ratio >= (1 - 16 * m * _EPS * sigma[0] / smallest) / (2 * smallest)


@st.composite
def _rank_drop(draw):
    """W(0) = U diag(sigma) V^T of rank k - 1, and the unit rank-one direction u v^T it lacks.

    Rank k - 1 exactly: W(t) then has full rank with sigma_min = t, and no other
    rounding-level singular value that numpy's 1e-15 cutoff might keep.
    """
    d = draw(st.integers(2, 5))
    k = draw(st.integers(2, d))
    rank = k - 1
    left, right = draw(orthogonal_matrices(d)), draw(orthogonal_matrices(k))
    sigma = np.array([draw(st.floats(0.5, 2.0)) for _ in range(rank)])
    base = (left[:, :rank] * sigma) @ right[:, :rank].T
    return base, np.outer(left[:, rank], right[:, rank])


@given(_rank_drop(), st.integers(3, 12))
def test_f7_pseudo_inverse_is_discontinuous_where_the_rank_drops_and_the_transpose_is_not(
    case, exponent
):
    base, direction = case
    t = 10.0**-exponent  # from 1e-3 down to 1e-12, above numpy's 1e-15 sigma_max cutoff
    moved = base + t * direction
    m = max(base.shape)
    rounding = 8 * m * _EPS * np.linalg.norm(base, 2)  # the rounding of base + t direction
    assert abs(np.linalg.norm(moved - base, 2) - t) <= rounding
    assert abs(np.linalg.norm(moved.T - base.T, 2) - t) <= rounding  # W -> W^T: continuous
    cutoff = np.sqrt(_EPS)  # base has exact zeros at rounding level: cut them (F2)
    jump = np.linalg.norm(np.linalg.pinv(moved) - np.linalg.pinv(base, rcond=cutoff), 2)
    # The jump is 1/t up to the relative error 16 m eps sigma_max / t of the tiny singular value.
    assert abs(jump * t - 1) <= 16 * m * _EPS * np.linalg.norm(base, 2) / t + 16 * m * _EPS


@given(st.lists(st.floats(0.5, 2.0), min_size=1, max_size=4), st.integers(1, 3))
def test_f7_below_numpys_cutoff_pinv_ignores_the_perturbation(sigmas, extra_rows):
    # Diagonal W(0) = diag(sigma_1, ..., sigma_r, 0): its SVD is exact, so the zero singular
    # value is exactly 0 (a rotated W(0) would carry rounding-level values that numpy's cutoff
    # might keep). pinv(Q W R^T) = R pinv(W) Q^T, so the diagonal case loses no generality.
    k = len(sigmas) + 1
    base = np.zeros((k + extra_rows - 1, k))
    base[np.arange(k - 1), np.arange(k - 1)] = sigmas
    direction = np.zeros_like(base)
    direction[k - 1, k - 1] = 1.0
    cutoff = _NUMPY_RCOND * max(sigmas)
    below, above = 0.1 * cutoff, 10 * cutoff
    rounding = 8 * k * _EPS * max(sigmas) / min(sigmas) ** 2  # relative m eps per singular value
    ignored = np.linalg.pinv(base + below * direction) - np.linalg.pinv(base)
    assert np.abs(ignored).max() <= rounding
    jumped = np.linalg.pinv(base + above * direction) - np.linalg.pinv(base)
    assert abs(np.linalg.norm(jumped, 2) * above - 1) <= 8 * k * _EPS  # the 1/t singular value
