"""A5: tied optima are U_k Q with Q orthogonal; dropping orthogonality breaks every conclusion."""

import pytest
from sympy import Eq, Identity, ImmutableMatrix, MatrixSymbol, Rational, Symbol

from derivations.claims.a5_tied_optimum import (
    CLAIM,
    NON_ORTHOGONAL,
    cayley_rotation,
    tied_optimum,
)
from derivations.claims.a5_tied_optimum import Q_ as Q
from derivations.engine import DerivationError
from derivations.mathematics.facts import BALDI_HORNIK, ECKART_YOUNG
from derivations.mathematics.losses import S, U_k
from derivations.notation import d, k


def test_a5_checks_and_cites_eckart_young_and_baldi_hornik():
    assert CLAIM.check() >= 18
    assert {ECKART_YOUNG, BALDI_HORNIK} <= set(CLAIM.citations())


def test_a5_needs_eigenvectors():
    with pytest.raises(DerivationError, match="claim A5, Proof, part 1"):
        tied_optimum(eigenvectors=Eq(S * U_k, MatrixSymbol("V", d, k))).check()


@pytest.mark.parametrize(
    "weaker",
    [
        (Eq(Q.T * Q, 2 * Identity(k)), Eq(Q * Q.T, 2 * Identity(k))),  # orthogonal, not normalised
        (Eq(Q.T * Q, Identity(k)), Eq(Q * Q.T, 2 * Identity(k))),  # inconsistent
    ],
    ids=["scaled", "inconsistent"],
)
def test_a5_check_fails_when_q_is_not_orthogonal(weaker):
    with pytest.raises(DerivationError, match="claim A5, Proof, part [12]"):
        tied_optimum(orthogonal=weaker).check()


@pytest.mark.parametrize("mixing", [NON_ORTHOGONAL, 2 * cayley_rotation(Rational(1, 3))],
                         ids=["shear", "scaled-rotation"])
def test_a5_instance_fails_for_a_non_orthogonal_mixing(mixing):
    with pytest.raises(DerivationError, match="claim A5, Exact instances, part 1"):
        tied_optimum(mixing=mixing).check()


def test_a5_cayley_rotation_is_orthogonal_at_rational_parameters():
    for value in (Rational(1, 2), Rational(-3, 7), 5):
        rotation = cayley_rotation(value)
        assert rotation * rotation.T == ImmutableMatrix.eye(2)
        assert rotation.det() == 1
    assert NON_ORTHOGONAL * NON_ORTHOGONAL.T != ImmutableMatrix.eye(2)
    assert cayley_rotation(Symbol("t")).shape == (2, 2)
