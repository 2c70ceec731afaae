"""P1: orthonormal columns make the transpose the pseudo-inverse; weaker hypotheses do not."""

import pytest
from sympy import Eq, Identity, MatrixSymbol

from derivations.claims.p1_transpose_is_pseudo_inverse import (
    CLAIM,
    cayley_orthonormal_columns,
    orthonormal_columns,
)
from derivations.engine import DerivationError
from derivations.notation import W, k


def test_p1_checks():
    assert CLAIM.check() >= 10


@pytest.mark.parametrize(
    "weaker",
    [
        Eq(W.T * W, 2 * Identity(k)),  # orthogonal but not normalised columns
        Eq(W.T * W, -Identity(k)),  # a negated identity
        Eq(W.T * W, MatrixSymbol("M", k, k)),  # an arbitrary Gram matrix
    ],
    ids=["scaled-identity", "negated-identity", "arbitrary-gram"],
)
def test_p1_check_fails_under_a_weaker_hypothesis(weaker):
    with pytest.raises(DerivationError, match="claim P1, Proof"):
        orthonormal_columns(hypothesis=weaker).check()


def test_p1_cayley_family_is_exactly_orthonormal_at_a_rational_point():
    Q, (a, b, c) = cayley_orthonormal_columns()
    rational = Q.subs({a: 2, b: 3, c: -5})
    assert rational.T * rational == Identity(2).as_explicit()
    assert rational.pinv() == rational.T
