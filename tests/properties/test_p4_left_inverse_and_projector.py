"""P4: no inverse for k < d; with full column rank W^+ is a left inverse and W W^+ a projector;
W^+ = W^{-1} when d = k; for k > d no W has orthonormal columns."""

import numpy as np
import sympy
from hypothesis import given
from hypothesis import strategies as st

from verify import has_orthonormal_columns, numerical_rank, orthonormality_defect
from verify._gram import UNIT_ROUNDOFF
from verify.strategies import (
    full_rank_non_orthonormal,
    orthogonal_matrices,
    orthonormal_columns,
    rational_full_column_rank,
    rational_orthogonal_matrices,
    wide_matrices,
)


@st.composite
def square_full_rank(draw, *, max_size=8):
    """`Q diag(sigma) V^T`, square, singular values in `[1/4, 4]`."""
    size = draw(st.integers(1, max_size))
    sigmas = draw(st.lists(st.floats(0.25, 4.0), min_size=size, max_size=size))
    return (draw(orthogonal_matrices(size)) * sigmas) @ draw(orthogonal_matrices(size)).T


def pinv_error(W):
    """Bound on the error of `numpy.linalg.pinv(W)` for full column rank `W`.

    Backward stable SVD, `||E||_2 <= sqrt(k) gamma_{4n} ||W||_2`, so by Wedin's
    theorem `||pinv - W^+||_2 <= sqrt(2) ||W^+||_2^2 ||E||_2`; we allow twice that
    (forming `V Sigma^+ U^T` adds `k gamma_k ||W^+||_2`, smaller).
    """
    s = np.linalg.svd(W, compute_uv=False)
    n, k = max(W.shape), W.shape[1]
    gamma = 4 * n * UNIT_ROUNDOFF / (1 - 4 * n * UNIT_ROUNDOFF)
    return 2 * np.sqrt(2) * s[0] / s[-1] ** 2 * np.sqrt(k) * gamma


@given(st.one_of(full_rank_non_orthonormal(), orthonormal_columns()))
def test_p4_pinv_is_a_left_inverse_and_w_pinv_the_projector_onto_the_columns(W):
    k = W.shape[1]
    P = np.linalg.pinv(W)
    sigma_max = np.linalg.norm(W, 2)
    error = pinv_error(W) * sigma_max  # how far products with W may drift
    assert np.linalg.norm(P @ W - np.eye(k), 2) <= 2 * error
    H = W @ P
    assert np.linalg.norm(H - H.T, 2) <= 4 * error
    assert np.linalg.norm(H @ H - H, 2) <= 8 * error
    assert np.linalg.norm(H @ W - W, 2) <= 4 * error * sigma_max
    assert numerical_rank(H) == k


@given(square_full_rank())
def test_p4_square_full_rank_pinv_is_the_inverse(W):
    distance = np.linalg.norm(np.linalg.pinv(W) - np.linalg.inv(W), 2)
    s = np.linalg.svd(W, compute_uv=False)
    assert distance <= 2 * pinv_error(W) * (s[0] / s[-1])


@given(rational_full_column_rank())
def test_p4_exact_pinv_is_the_normal_equations_left_inverse_and_w_pinv_a_projector(W):
    k = W.shape[1]
    P = W.pinv()
    assert P == (W.T * W).inv() * W.T
    assert P * W == sympy.eye(k)
    H = W * P
    assert H * H == H and H.T == H and H * W == W and H.rank() == k


@given(rational_full_column_rank(max_rows=4, square=True))
def test_p4_exact_square_full_rank_pinv_is_the_inverse(W):
    assert W.pinv() == W.inv()


@given(rational_full_column_rank(max_rows=3))
def test_p4_exact_tall_matrices_have_no_inverse_but_a_left_inverse(W):
    d, k = W.shape
    P = W.pinv()
    assert P * W == sympy.eye(k)
    if d > k:
        assert (W * P).rank() == k < d  # W P is a projector, not I_d: no right inverse
        assert W * P != sympy.eye(d)
    else:
        assert P == W.inv()


@given(wide_matrices())
def test_p4_wide_matrices_never_have_orthonormal_columns(W):
    d, k = W.shape
    assert d < k
    assert numerical_rank(W.T @ W) <= d < k
    assert orthonormality_defect(W) >= 1.0
    assert not has_orthonormal_columns(W, tolerance=0.5)


@given(
    st.integers(2, 5).flatmap(
        lambda k: st.tuples(st.integers(1, k - 1), rational_orthogonal_matrices(k))
    )
)
def test_p4_exact_wide_matrices_with_orthonormal_rows_still_fail_wt_w_equals_identity(drawn):
    d, Q = drawn
    W = Q[:d, :]  # d x k, k > d: the best a wide matrix can do is orthonormal rows
    k = W.shape[1]
    assert W * W.T == sympy.eye(d)
    assert W.T * W != sympy.eye(k)
    assert (W.T * W).rank() == d < k
