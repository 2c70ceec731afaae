"""A4: tied critical points are partial isometries; the Sylvester step needs A positive definite."""

import pytest
from sympy import ImmutableMatrix, Matrix, kronecker_product, symbols

from derivations.claims.a4_tied_critical_points import (
    CLAIM,
    POSITIVE_FACTOR,
    tied_critical_points,
)
from derivations.engine import DerivationError

a, b, c = symbols("a b c", real=True)
p = symbols("p", positive=True)


def test_a4_checks():
    assert CLAIM.check() >= 12


@pytest.mark.parametrize(
    "factor",
    [
        ImmutableMatrix([[a, 0], [b, c]]),  # real diagonal: L L^T may be singular
        ImmutableMatrix([[p, 0], [b, 0]]),  # rank one: L L^T is singular
    ],
    ids=["real-diagonal", "rank-one-factor"],
)
def test_a4_check_fails_without_a_positive_definite_coefficient(factor):
    with pytest.raises(DerivationError, match="claim A4, Proof, part 3"):
        tied_critical_points(positive_factor=factor).check()


def test_a4_kronecker_operator_is_singular_for_an_indefinite_coefficient():
    indefinite = Matrix([[1, 0], [0, -1]])
    operator = kronecker_product(Matrix.eye(2), indefinite) + kronecker_product(
        indefinite.T, Matrix.eye(2))
    assert operator.det() == 0


def test_a4_default_factor_has_positive_diagonal():
    assert all(POSITIVE_FACTOR[i, i].is_positive for i in range(2))
