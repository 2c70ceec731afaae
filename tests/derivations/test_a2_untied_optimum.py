"""A2: the untied optimum; E is the pseudo-inverse of D, its transpose only for orthogonal C."""

import pytest
from sympy import Eq, ImmutableMatrix, Inverse, MatrixSymbol, Rational

from derivations.claims.a2_untied_optimum import (
    CLAIM,
    ORTHOGONAL_MIXING,
    SHEAR,
    untied_optimum,
)
from derivations.engine import DerivationError
from derivations.mathematics.losses import C, S, U_k
from derivations.notation import d, k


def test_a2_checks():
    assert CLAIM.check() >= 25


@pytest.mark.parametrize("mixing", [SHEAR, ImmutableMatrix([[1, 0], [0, Rational(1, 2)]])],
                         ids=["shear", "diagonal"])
def test_a2_non_orthogonal_mixing_makes_the_transpose_step_fail(mixing):
    with pytest.raises(DerivationError, match="claim A2, Exact instances, part 2"):
        untied_optimum(orthogonal_mixing=mixing).check()


def test_a2_generic_transpose_step_needs_orthogonality():
    with pytest.raises(DerivationError, match="claim A2, Proof, part 4"):
        untied_optimum(orthogonal=Eq(Inverse(C), 2 * C.T)).check()


def test_a2_gradient_needs_eigenvectors():
    # S U_k is an arbitrary matrix V: the columns of U_k need not span an invariant subspace.
    with pytest.raises(DerivationError, match="claim A2, Proof, part 1"):
        untied_optimum(eigenvectors=Eq(S * U_k, MatrixSymbol("V", d, k))).check()


def test_a2_rotation_is_exactly_orthogonal():
    assert ORTHOGONAL_MIXING * ORTHOGONAL_MIXING.T == ImmutableMatrix.eye(2)
    assert SHEAR * SHEAR.T != ImmutableMatrix.eye(2)
