"""verify.strategies: each strategy delivers the class of matrices its docstring guarantees."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify import numerical_rank, orthonormality_tolerance
from verify._gram import UNIT_ROUNDOFF, gamma
from verify.strategies import (
    data_matrices,
    full_rank_non_orthonormal,
    near_singular,
    orthogonal_matrices,
    orthonormal_columns,
    partial_isometries,
    rank_deficient,
    rescaled,
    subnormal_matrices,
    weight_decayed,
    wide_matrices,
)


def product_rounding(W):
    """Absolute error bound on the singular values of the float64 thin product `(U Sigma) V^T`.

    Each entry of a product with inner dimension `m` is off by `gamma_m` times
    `|U Sigma| |V^T|` (Higham eq. 3.13), whose 2-norm is at most `||W||_F`-like
    `sqrt(m) sigma_max`; the drawn factors are themselves orthonormal to
    `orthonormality_tolerance`. Weyl's inequality turns both into a bound on
    every singular value.
    """
    sigma_max = float(np.linalg.norm(W, 2))
    m = min(W.shape)
    return (m * gamma(m) + orthonormality_tolerance(np.eye(*W.shape))) * max(sigma_max, 1.0)


def sigmas(W):
    return np.linalg.svd(W, compute_uv=False)


@given(st.integers(1, 8).flatmap(orthogonal_matrices))
def test_orthogonal_matrices_are_square_and_orthogonal(Q):
    assert Q.shape[0] == Q.shape[1]
    defect = np.linalg.norm(Q.T @ Q - np.eye(len(Q)), 2)
    assert defect <= orthonormality_tolerance(Q)


def test_orthogonal_matrices_take_both_determinants():
    from hypothesis import find

    for sign in (1.0, -1.0):
        Q = find(orthogonal_matrices(3), lambda Q, s=sign: np.linalg.det(Q) * s > 0.5)
        assert np.sign(np.linalg.det(Q)) == sign


@given(orthonormal_columns(max_rows=8))
def test_orthonormal_columns_are_orthonormal_and_tall(W):
    d, k = W.shape
    assert 1 <= k <= d <= 8
    assert np.linalg.norm(W.T @ W - np.eye(k), 2) <= orthonormality_tolerance(W)


@given(partial_isometries(max_rows=8))
def test_partial_isometries_have_singular_values_one_and_zero(W):
    d, k = W.shape
    assert 2 <= k <= d
    s = sigmas(W)
    slack = product_rounding(W)
    ones = np.abs(s - 1) <= slack
    zeros = s <= slack
    assert np.all(ones | zeros) and ones.any() and zeros.any()


@given(full_rank_non_orthonormal(max_rows=8))
def test_full_rank_non_orthonormal_has_bounded_singular_values_one_away_from_one(W):
    s = sigmas(W)
    slack = product_rounding(W)
    assert W.shape[1] <= W.shape[0]
    assert np.all((0.25 - slack <= s) & (s <= 4 + slack))
    assert np.abs(s - 1).max() >= 0.125 - slack


@given(rank_deficient(max_rows=8))
def test_rank_deficient_has_rank_below_k_and_a_nonzero_singular_value_off_one(W):
    k = W.shape[1]
    slack = product_rounding(W)
    rank = numerical_rank(W, cutoff=slack)
    assert 1 <= rank < k
    nonzero = sigmas(W)[:rank]
    assert nonzero.min() >= 0.25 - slack
    assert np.abs(nonzero - 1).max() >= 0.125 - slack


@pytest.mark.parametrize("smallest", [1e-2, 1e-6, 1e-8])
def test_near_singular_has_the_requested_smallest_singular_value(smallest):
    @given(near_singular(max_rows=6, smallest=smallest))
    def check(W):
        s = sigmas(W)
        slack = product_rounding(W)
        assert abs(s[-1] - smallest) <= slack
        assert np.all(s[:-1] >= 0.5 - slack)

    check()


@given(wide_matrices(max_columns=8))
def test_wide_matrices_have_more_columns_than_rows(W):
    d, k = W.shape
    assert 1 <= d < k <= 8
    s = sigmas(W)
    assert len(s) == d and s.min() >= 0.25 - product_rounding(W)


@given(weight_decayed(max_rows=8))
def test_weight_decayed_nonzero_singular_values_are_uniformly_below_one(W):
    s = sigmas(W)
    slack = product_rounding(W)
    rank = numerical_rank(W, cutoff=slack)
    assert rank >= 1
    assert np.all(s[:rank] <= 0.95 + slack) and np.all(s[:rank] >= 0.05 - slack)


@given(data_matrices(covariance="definite", max_dimension=6))
def test_definite_data_are_centred_with_separated_covariance_eigenvalues(X):
    d, n = X.shape
    assert n >= d + 1
    eigenvalues = np.linalg.eigvalsh(X @ X.T)
    slack = 64 * n * d * UNIT_ROUNDOFF * max(eigenvalues.max(), 1.0)
    assert np.abs(X.sum(axis=1)).max() <= slack
    assert eigenvalues.min() >= 0.5 - slack
    assert np.all(np.diff(eigenvalues) >= 0.5 - slack)


@given(data_matrices(covariance="singular", max_dimension=6))
def test_singular_data_have_covariance_of_rank_below_d(X):
    d, n = X.shape
    eigenvalues = np.linalg.eigvalsh(X @ X.T)
    slack = 64 * n * d * UNIT_ROUNDOFF * max(eigenvalues.max(), 1.0)
    rank = int(np.count_nonzero(eigenvalues > slack))
    assert 1 <= rank < d
    assert np.abs(X.sum(axis=1)).max() <= slack
    nonzero = eigenvalues[d - rank :]
    assert nonzero.min() >= 0.5 - slack and np.all(np.diff(nonzero) >= 0.5 - slack)


def test_data_matrices_refuse_an_unknown_covariance_kind():
    with pytest.raises(ValueError, match="definite"):
        data_matrices(covariance="positive")


def test_float_strategies_import_without_sympy():
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = ("import sys, verify.strategies as s; s.orthonormal_columns(); "
             "print('sympy' in sys.modules); s.rational_matrices; print('sympy' in sys.modules)")
    root = str(Path(__file__).resolve().parents[2])  # this checkout's verify, installed or not
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": path})
    assert done.stdout.split() == ["False", "True"]  # loaded on first use of a rational_*


def test_rational_strategies_are_re_exported_and_unknown_names_raise():
    import verify.rational_strategies as rational
    import verify.strategies as strategies

    assert strategies.rational_orthogonal_matrices is rational.rational_orthogonal_matrices
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        strategies.nonsense  # noqa: B018


@given(rescaled(orthonormal_columns(), min_exponent=-1074))
def test_rescaled_reaches_subnormal_and_huge_entries_within_the_accepted_range(W):
    from verify._validation import magnitude_limit

    assert np.isfinite(W).all() and np.abs(W).max() <= magnitude_limit(W.shape)


def test_rescaled_and_subnormal_matrices_draw_both_extremes():
    from hypothesis import find

    tiny = np.finfo(np.float64).tiny
    assert find(rescaled(orthonormal_columns()), lambda W: 0 < np.abs(W).max() < tiny).any()
    assert np.abs(find(rescaled(orthonormal_columns()), lambda W: np.abs(W).max() > 1e150)).max()
    W = find(subnormal_matrices(), lambda W: W.shape[0] > 1)
    assert 0 < np.abs(W).max() < tiny
