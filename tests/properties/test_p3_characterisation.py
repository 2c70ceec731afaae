"""P3: W^T = W^+ if and only if W is a partial isometry (every nonzero singular value is 1)."""

import numpy as np
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify import is_partial_isometry, partial_isometry_tolerance, transpose_pseudo_inverse_gap
from verify.strategies import (
    full_rank_non_orthonormal,
    orthonormal_columns,
    partial_isometries,
    rank_deficient,
    rational_matrices,
    rational_partial_isometries,
    weight_decayed,
)

not_partial_isometries = st.one_of(full_rank_non_orthonormal(), rank_deficient(), weight_decayed())
# In these classes some nonzero sigma has |sigma - 1| >= 1/8 (or sigma <= 0.95), so
# |sigma - 1/sigma| = |sigma - 1| (sigma + 1) / sigma >= min(1/8, 1/0.95 - 0.95) > 1/10.
GAP_LOWER_BOUND = 0.1


def pinv_with_zero_cutoff(W):
    """`numpy.linalg.pinv` cutting singular values below `sqrt(tolerance) sigma_max`.

    A generous cutoff, safe for the strategies here: a float64 partial
    isometry's zero singular values are at rounding level, far below it, and
    its unit singular values far above it. (`is_partial_isometry` itself counts
    only singular values at or below `rank_cutoff(W)` as zero.)
    """
    return np.linalg.pinv(W, rcond=np.sqrt(partial_isometry_tolerance(W)))


@given(
    st.one_of(partial_isometries(), orthonormal_columns(), orthonormal_columns().map(np.transpose))
)
def test_p3_partial_isometries_have_transpose_equal_to_pinv(W):
    tolerance = partial_isometry_tolerance(W)
    assert np.linalg.norm(W.T - pinv_with_zero_cutoff(W), 2) <= 2 * tolerance
    assert transpose_pseudo_inverse_gap(W, cutoff=np.sqrt(tolerance)) <= 2 * tolerance


@given(partial_isometries())
def test_p3_generated_partial_isometries_are_recognised(W):
    assert is_partial_isometry(W)


@given(not_partial_isometries)
def test_p3_non_partial_isometries_have_transpose_different_from_pinv(W):
    assert not is_partial_isometry(W)
    tolerance = partial_isometry_tolerance(W)
    assert np.linalg.norm(W.T - pinv_with_zero_cutoff(W), 2) >= GAP_LOWER_BOUND - tolerance
    assert transpose_pseudo_inverse_gap(W, cutoff=np.sqrt(tolerance)) >= GAP_LOWER_BOUND


def stated_tolerance(W):
    """The bound `partial_isometry_tolerance` documents, recomputed here from the SVD."""
    u = np.finfo(np.float64).eps / 2
    n, m = max(W.shape), min(W.shape)
    norm_squared = np.linalg.norm(W, 2) ** 2
    gamma_n, gamma_4n = n * u / (1 - n * u), 4 * n * u / (1 - 4 * n * u)
    return (
        gamma_n * np.linalg.norm(W) ** 2
        + m * u * norm_squared
        + u * max(norm_squared, 1.0)
        + 2 * np.sqrt(m) * gamma_4n * norm_squared
    )


@given(partial_isometries(), st.floats(8.0, 1000.0), st.booleans())
def test_p3_a_unit_singular_value_off_by_a_few_rounding_bounds_is_detected(W, factor, above):
    # "Only if" at the finest scale float64 allows: sigma^2 = 1 +- factor * (stated bound).
    shift = factor * stated_tolerance(W)
    U, s, Vt = np.linalg.svd(W)
    s[0] = np.sqrt(1 + shift if above else 1 - shift)
    moved = (U[:, : len(s)] * s) @ Vt
    assert not is_partial_isometry(moved)
    cutoff = np.sqrt(partial_isometry_tolerance(moved))
    # |sigma - 1/sigma| = shift / sigma to first order: at least shift / 2 here.
    assert transpose_pseudo_inverse_gap(moved, cutoff=cutoff) >= shift / 2


@given(rational_partial_isometries(max_rows=4))
def test_p3_exact_partial_isometries_have_pinv_equal_to_transpose(W):
    assert W.pinv() == W.T


@given(st.one_of(rational_matrices(max_rows=4), rational_partial_isometries(max_rows=4)))
def test_p3_exact_transpose_equals_pinv_iff_partial_isometry_iff_gram_is_a_projector(W):
    G = W.T * W  # eigenvalues sigma_i^2: all in {0, 1} iff G^2 = G
    transpose_is_pinv = W.pinv() == W.T
    assert transpose_is_pinv == (W * W.T * W == W)
    assert transpose_is_pinv == (G * G == G)


def nonzero_singular_values_squared(W):
    return [value for value in (W.T * W).eigenvals() if value != 0]


def test_p3_search_finds_an_exact_counterexample_with_a_nonzero_singular_value_off_one():
    counterexample = find(
        rational_matrices(max_rows=3),
        lambda W: W.pinv() != W.T,
        settings=settings(database=None, derandomize=True, max_examples=500),
    )
    assert counterexample.pinv() != counterexample.T
    assert any(value != 1 for value in nonzero_singular_values_squared(counterexample))


def test_p3_search_finds_a_float_counterexample_with_a_nonzero_singular_value_off_one():
    bounded = st.floats(-1, 1, allow_nan=False, allow_subnormal=False)
    matrices = st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(
        lambda shape: arrays(np.float64, shape, elements=bounded)
    )
    counterexample = find(
        matrices,
        lambda W: np.linalg.norm(W.T - pinv_with_zero_cutoff(W), 2) > GAP_LOWER_BOUND,
        settings=settings(database=None, derandomize=True, max_examples=500),
    )
    s = np.linalg.svd(counterexample, compute_uv=False)
    tolerance = partial_isometry_tolerance(counterexample)
    nonzero = s[s > np.sqrt(tolerance) * s[0]]
    assert np.abs(nonzero - 1).max() > GAP_LOWER_BOUND / 2
    assert not is_partial_isometry(counterexample)
