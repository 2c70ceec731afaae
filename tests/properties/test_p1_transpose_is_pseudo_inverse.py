"""P1: orthonormal columns make the transpose the pseudo-inverse (float64, to a derived bound;
and exactly, in rationals)."""

import numpy as np
import sympy
from hypothesis import given

from verify import (
    has_orthonormal_columns,
    is_partial_isometry,
    orthonormality_tolerance,
    transpose_pseudo_inverse_gap,
)
from verify.strategies import orthonormal_columns, rational_orthonormal_columns


def pinv_distance_bound(W):
    """Bound on `||W^T - numpy.linalg.pinv(W)||_2` for float64 `W` with orthonormal columns.

    `2 orthonormality_tolerance(W)`. One tolerance bounds the exact gap: the
    defect `delta` of `W` is below it and P5 gives `gap <= delta / sqrt(1 - delta)`,
    i.e. `delta` to first order. The other bounds numpy's SVD-based pinv: its
    backward error `sqrt(m) gamma_{4n} ||W||_2` moves `W^+` by at most `sqrt(2)`
    times that when `||W^+||_2 = 1` (Wedin 1973), and forming `V Sigma^+ U^T`
    adds `m gamma_m`; both are below the tolerance's own terms.
    """
    return 2 * orthonormality_tolerance(W)


@given(orthonormal_columns(max_rows=12))
def test_p1_numpy_pinv_of_orthonormal_columns_is_the_transpose(W):
    assert np.linalg.norm(W.T - np.linalg.pinv(W), 2) <= pinv_distance_bound(W)


@given(orthonormal_columns(max_rows=12))
def test_p1_verify_recognises_orthonormal_columns_and_measures_a_zero_gap(W):
    assert has_orthonormal_columns(W)
    assert is_partial_isometry(W)
    assert transpose_pseudo_inverse_gap(W) <= pinv_distance_bound(W)


@given(orthonormal_columns(max_rows=12))
def test_p1_the_transpose_satisfies_the_four_penrose_conditions_in_float64(W):
    G = W.T
    bound = pinv_distance_bound(W)
    assert np.linalg.norm(W @ G @ W - W, 2) <= bound  # (1) W G W = W
    assert np.linalg.norm(G @ W @ G - G, 2) <= bound  # (2) G W G = G
    assert np.linalg.norm(W @ G - (W @ G).T, 2) <= bound  # (3) W G symmetric
    assert np.linalg.norm(G @ W - (G @ W).T, 2) <= bound  # (4) G W symmetric


@given(rational_orthonormal_columns(max_rows=5))
def test_p1_exact_orthonormal_columns_have_sympy_pinv_equal_to_the_transpose(W):
    assert W.T * W == sympy.eye(W.shape[1])
    assert W.pinv() == W.T


@given(rational_orthonormal_columns(max_rows=5))
def test_p1_exact_transpose_satisfies_the_four_penrose_conditions(W):
    G = W.T
    assert W * G * W == W
    assert G * W * G == G
    assert (W * G).T == W * G
    assert (G * W).T == G * W


@given(rational_orthonormal_columns(max_rows=5))
def test_p1_exact_and_float_agree_on_rational_orthonormal_columns(W):
    floating = np.array(W.evalf(17).tolist(), dtype=np.float64)  # each entry correctly rounded
    assert has_orthonormal_columns(floating)
    assert np.linalg.norm(floating.T - np.linalg.pinv(floating), 2) <= pinv_distance_bound(floating)
