"""P5: ||W^T - W^+||_2 = max |sigma_i - 1/sigma_i| <= delta / sqrt(1 - delta),
with delta = ||W^T W - I||_2 < 1."""

import numpy as np
import sympy
from hypothesis import given
from hypothesis import strategies as st

from verify import (
    gap_with_error_bound,
    gram_error_bound,
    orthonormality_defect,
    partial_isometry_tolerance,
)
from verify._gram import UNIT_ROUNDOFF
from verify.strategies import (
    full_rank_non_orthonormal,
    near_singular,
    orthonormal_columns,
    rank_deficient,
    rational_full_column_rank,
    weight_decayed,
)


def delta_bound(delta):
    return delta / np.sqrt(1 - delta)


def delta_bound_slope(delta):
    """d/d delta of delta / sqrt(1 - delta): how a defect error moves the bound."""
    return (1 - delta / 2) / (1 - delta) ** 1.5


def bound_slack(W, delta, gap_error):
    """How far the computed gap may exceed the computed `delta / sqrt(1 - delta)`.

    The gap's own stated error, plus the error of the computed `delta`
    (`gram_error_bound(W) + u max(||W||_2^2, 1)`) times the slope of the bound,
    plus rounding in evaluating `delta / sqrt(1 - delta)` (`4 u` relative).
    """
    u = UNIT_ROUNDOFF
    delta_error = gram_error_bound(W) + u * max(np.linalg.norm(W, 2) ** 2, 1.0)
    return gap_error + delta_bound_slope(delta) * delta_error + 4 * u * delta_bound(delta)


def pinv_reference_error(W, cutoff):
    """Error bound of `||W^T - pinv(W)||_2` from numpy (rank kept above `cutoff`).

    pinv: backward stable SVD, `||E||_2 <= sqrt(m) gamma_{4n} ||W||_2`, so
    `sqrt(2) ||W^+||_2^2 ||E||_2` by Wedin's theorem (the rank is unchanged: the
    kept singular values are far above the cutoff); the 2-norm of the difference
    adds `n u` relative (we allow twice the sum).
    """
    s = np.linalg.svd(W, compute_uv=False)
    kept = s[s > cutoff]
    n, m = max(W.shape), min(W.shape)
    gamma = 4 * n * UNIT_ROUNDOFF / (1 - 4 * n * UNIT_ROUNDOFF)
    pinv_error = np.sqrt(2) * s[0] / kept[-1] ** 2 * np.sqrt(m) * gamma
    norm_error = n * UNIT_ROUNDOFF * (s[0] + 1 / kept[-1])
    return 2 * (pinv_error + norm_error)


@given(
    st.one_of(
        orthonormal_columns(),
        full_rank_non_orthonormal(),
        rank_deficient(),
        weight_decayed(),
        near_singular(smallest=1e-3),
    )
)
def test_p5_gap_equals_the_distance_from_transpose_to_numpy_pinv(W):
    sigma_max = np.linalg.norm(W, 2)
    relative_cutoff = np.sqrt(partial_isometry_tolerance(W))  # rounding-level sigmas are zero
    cutoff = relative_cutoff * sigma_max
    gap, bound, _ = gap_with_error_bound(W, cutoff=cutoff)
    reference = np.linalg.norm(W.T - np.linalg.pinv(W, rcond=relative_cutoff), 2)
    assert abs(gap - reference) <= bound + pinv_reference_error(W, cutoff)


@given(full_rank_non_orthonormal(low=0.3, high=1.4, margin=0.01))
def test_p5_gap_is_at_most_delta_over_sqrt_one_minus_delta(W):
    delta = orthonormality_defect(W)  # < 1: sigma^2 in [0.09, 1.96]
    gap, bound, _ = gap_with_error_bound(W)
    assert gap <= delta_bound(delta) + bound_slack(W, delta, bound)


@given(full_rank_non_orthonormal(low=0.3, high=0.95, margin=0.05))
def test_p5_the_bound_is_attained_when_every_singular_value_is_below_one(W):
    # sigma_min^2 = 1 - delta gives |sigma_min - 1/sigma_min| = delta / sqrt(1 - delta): sharp.
    delta = orthonormality_defect(W)
    gap, bound, _ = gap_with_error_bound(W)
    assert abs(gap - delta_bound(delta)) <= bound_slack(W, delta, bound)


@given(full_rank_non_orthonormal(low=1.05, high=1.4, margin=0.05))
def test_p5_the_bound_is_strict_when_every_singular_value_is_above_one(W):
    delta = orthonormality_defect(W)  # sigma_max^2 = 1 + delta: gap = delta / sqrt(1 + delta)
    gap, bound, _ = gap_with_error_bound(W)
    slack = bound_slack(W, delta, bound)
    assert abs(gap - delta / np.sqrt(1 + delta)) <= slack
    assert gap < delta_bound(delta) - slack


@given(rational_full_column_rank(max_rows=4))
def test_p5_exact_transpose_minus_pinv_has_gram_matrix_with_eigenvalues_sigma_minus_inverse_squared(
    W,
):
    # (W^T - W^+)(W^T - W^+)^T = (G - I)^2 G^{-1} with G = W^T W: eigenvalues (mu - 1)^2 / mu
    # = (sigma - 1/sigma)^2 for mu = sigma^2, which is P5's formula.
    G = W.T * W
    D = W.T - W.pinv()
    identity = sympy.eye(W.shape[1])
    assert D * D.T == (G - identity) ** 2 * G.inv()


RATIONALS_IN_UNIT = st.builds(
    lambda p, q: sympy.Rational(p, p + q), st.integers(0, 50), st.integers(1, 50)
)


@given(RATIONALS_IN_UNIT, RATIONALS_IN_UNIT, st.booleans())
def test_p5_exact_scalar_core_of_the_bound(distance, spare, above):
    # For mu = sigma^2 with |mu - 1| <= delta < 1: (sigma - 1/sigma)^2 = (mu - 1)^2 / mu
    # <= delta^2 / (1 - delta), in exact rationals with no tolerance.
    mu = 1 + distance if above else 1 - distance
    delta = distance + spare * (1 - distance)  # in [|mu - 1|, 1); mu > 0 as distance < 1
    assert (mu - 1) ** 2 / mu <= delta**2 / (1 - delta)


@given(rational_full_column_rank(max_rows=3))
def test_p5_sympy_exact_gap_and_numpy_gap_agree(W):
    # Exact eigenvalues mu = sigma^2 of G = W^T W: real roots of a rational polynomial,
    # isolated exactly by SymPy, then |sigma - 1/sigma| = |mu - 1| / sqrt(mu) to 30 digits.
    mus = sympy.real_roots((W.T * W).charpoly().as_expr())
    exact_gap = max(float((sympy.Abs(mu - 1) / sympy.sqrt(mu)).evalf(30)) for mu in mus)
    floating = np.array(W.evalf(17).tolist(), dtype=np.float64)
    gap, bound, _ = gap_with_error_bound(floating)
    # Rounding W's entries moves each sigma by at most u ||W||_F (Weyl), the gap by
    # (1 + 1/sigma^2) times that.
    s = np.linalg.svd(floating, compute_uv=False)
    representation = UNIT_ROUNDOFF * np.linalg.norm(floating) * (1 + 1 / s[-1] ** 2)
    assert abs(gap - exact_gap) <= bound + representation + 1e-25
