"""A2: the untied optimum; E is the pseudo-inverse of D, its transpose only for orthogonal C."""

import pytest
from sympy import ImmutableMatrix, MatrixSymbol, Q, Rational

from derivations.claims.a2_untied_optimum import (
    CLAIM,
    ORTHOGONAL_MIXING,
    SHEAR,
    untied_optimum,
)
from derivations.engine import DerivationError
from derivations.mathematics.facts import BALDI_HORNIK, ECKART_YOUNG
from derivations.mathematics.losses import C, S, U_k
from derivations.notation import d, k


def test_a2_checks_and_cites_eckart_young_and_baldi_hornik():
    assert CLAIM.check() >= 25
    assert {ECKART_YOUNG, BALDI_HORNIK} <= set(CLAIM.citations())


@pytest.mark.parametrize("mixing", [SHEAR, ImmutableMatrix([[1, 0], [0, Rational(1, 2)]])],
                         ids=["shear", "diagonal"])
def test_a2_non_orthogonal_mixing_makes_the_transpose_instance_fail(mixing):
    with pytest.raises(DerivationError, match="claim A2, Exact instances, part 1"):
        untied_optimum(orthogonal_mixing=mixing).check()


def test_a2_gradient_needs_eigenvectors():
    # S U_k is an arbitrary matrix V: the columns of U_k need not span an invariant subspace.
    from sympy import Eq

    with pytest.raises(DerivationError, match="claim A2, Proof"):
        untied_optimum(eigenvectors=Eq(S * U_k, MatrixSymbol("V", d, k))).check()


def test_a2_the_mixing_matrix_must_be_invertible():
    with pytest.raises(DerivationError, match=r"unjustified inverse: C\*\*\(-1\)"):
        untied_optimum(invertible_mixing=Q.symmetric(C)).check()


def test_a2_the_cited_theorems_need_a_positive_definite_covariance():
    with pytest.raises(DerivationError, match="the premise .* is not known"):
        untied_optimum(positive_definite=Q.symmetric(S)).check()


def test_a2_rotation_is_exactly_orthogonal():
    assert ORTHOGONAL_MIXING * ORTHOGONAL_MIXING.T == ImmutableMatrix.eye(2)
    assert SHEAR * SHEAR.T != ImmutableMatrix.eye(2)
