"""P2: the Moore-Penrose inverse is unique: independent constructions agree (exactly, and in
float64 to a derived bound)."""

import numpy as np
import sympy
from hypothesis import given
from hypothesis import strategies as st

from verify._gram import UNIT_ROUNDOFF
from verify.strategies import (
    full_rank_non_orthonormal,
    near_singular,
    orthonormal_columns,
    rank_deficient,
    rational_matrices,
)


def penrose_conditions_hold(W, G):
    return (W * G * W == W, G * W * G == G, (W * G).T == W * G, (G * W).T == G * W)


def full_rank_factorization_inverse(W):
    """`C^T (C C^T)^{-1} (F^T F)^{-1} F^T` from `W = F C`.

    `F`: the pivot columns of `W`; `C`: the nonzero rows of its reduced row echelon form.
    """
    rref, pivots = W.rref()
    if not pivots:
        return sympy.zeros(W.shape[1], W.shape[0])
    F = W.extract(list(range(W.shape[0])), list(pivots))
    C = rref[: len(pivots), :]
    return C.T * (C * C.T).inv() * (F.T * F).inv() * F.T


@given(rational_matrices(max_rows=4))
def test_p2_exact_pinv_and_full_rank_factorization_inverse_are_equal(W):
    G_sympy = W.pinv()
    G_factored = full_rank_factorization_inverse(W)
    assert all(penrose_conditions_hold(W, G_factored))
    assert all(penrose_conditions_hold(W, G_sympy))
    assert G_sympy == G_factored


@given(rational_matrices(max_rows=4))
def test_p2_the_transpose_is_the_pinv_exactly_when_it_satisfies_all_four_conditions(W):
    # Uniqueness can fail only if the four conditions are dropped: the transpose of W
    # satisfies (3) and (4) always, and equals W^+ exactly when it also satisfies (1).
    G = W.T
    assert ((W * G * W == W) and (G * W * G == G)) == (G == W.pinv())


def reference_error(W, cutoff):
    """Bound on the distance between two float64 computations of `W^+` (sigmas above `cutoff`).

    With `n = max(d, k)`, `m = min(d, k)`, `kappa = sigma_max / sigma_min` (kept values):
    SVD-based routines (pinv, lstsq) are backward stable, error `sqrt(m) gamma_{4n} ||W||_2`,
    moving `W^+` by at most `sqrt(2) kappa ||W^+||_2` times `sqrt(m) gamma_{4n}` (Wedin 1973);
    the normal equations square the condition number (Higham, Accuracy and Stability of
    Numerical Algorithms, 20.4): forming `W^T W` costs `m gamma_n ||W||_2^2`, so their error is
    about `kappa^2 ||W^+||_2 m gamma_n`. We allow
    `4 kappa^2 ||W^+||_2 sqrt(m) max(m, 2) gamma_{4n}`.
    """
    s = np.linalg.svd(W, compute_uv=False)
    kept = s[s > cutoff]
    n, m = max(W.shape), min(W.shape)
    gamma = 4 * n * UNIT_ROUNDOFF / (1 - 4 * n * UNIT_ROUNDOFF)
    kappa = kept[0] / kept[-1]
    return 4 * kappa**2 / kept[-1] * np.sqrt(m) * gamma * max(m, 2)


@given(st.one_of(orthonormal_columns(), full_rank_non_orthonormal(), near_singular(smallest=1e-3)))
def test_p2_numpy_pinv_equals_the_normal_equations_left_inverse(W):
    normal_equations = np.linalg.solve(W.T @ W, W.T)  # (W^T W)^{-1} W^T, independent of pinv
    distance = np.linalg.norm(np.linalg.pinv(W) - normal_equations, 2)
    assert distance <= reference_error(W, cutoff=0.0)


@given(rank_deficient())
def test_p2_numpy_pinv_equals_the_minimum_norm_least_squares_solution(W):
    cutoff = 1e-8  # relative: between the rounding-level sigmas (< 1e-14) and the others (>= 1/16)
    least_squares = np.linalg.lstsq(W, np.eye(W.shape[0]), rcond=cutoff)[0]
    distance = np.linalg.norm(np.linalg.pinv(W, rcond=cutoff) - least_squares, 2)
    sigma_max = np.linalg.norm(W, 2)
    assert distance <= reference_error(W, cutoff=cutoff * sigma_max)
