"""verify.rational_strategies: exact rational matrices with the structure each strategy states."""

import sympy
from hypothesis import given
from hypothesis import strategies as st

from verify.strategies import (
    rational_full_column_rank,
    rational_matrices,
    rational_orthogonal_matrices,
    rational_orthonormal_columns,
    rational_partial_isometries,
)


@given(st.integers(1, 5).flatmap(rational_orthogonal_matrices))
def test_rational_orthogonal_matrices_are_exactly_orthogonal(Q):
    assert Q.T * Q == sympy.eye(Q.shape[0]) == Q * Q.T


@given(rational_full_column_rank(max_rows=4))
def test_rational_full_column_rank_has_rank_k(W):
    assert W.shape[1] <= W.shape[0] <= 4
    assert W.rank() == W.shape[1]
    assert (W.T * W).det() != 0


@given(rational_full_column_rank(max_rows=4, square=True))
def test_rational_full_column_rank_square_is_invertible(W):
    assert W.is_square and W.det() != 0


@given(rational_orthonormal_columns(max_rows=5))
def test_rational_orthonormal_columns_are_exactly_orthonormal(W):
    d, k = W.shape
    assert k <= d <= 5
    assert all(isinstance(entry, sympy.Rational) for entry in W)
    assert W.T * W == sympy.eye(k)


@given(rational_partial_isometries(max_rows=4))
def test_rational_partial_isometries_are_exact_and_rank_deficient(W):
    assert W * W.T * W == W
    assert 1 <= W.rank() < W.shape[1]


@given(rational_matrices(max_rows=4))
def test_rational_matrices_are_small_exact_rationals(W):
    assert W.shape[1] <= W.shape[0] <= 4
    assert all(isinstance(entry, sympy.Rational) and abs(entry) <= 3 for entry in W)
