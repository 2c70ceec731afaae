"""P3: W^T = W^+ exactly for partial isometries, for every size and rank; the checks fail off it."""

import dataclasses

import pytest
from sympy import Eq, Identity, ImmutableMatrix, IndexedBase, S, Symbol, eye
from sympy.logic.boolalg import Equivalent

from derivations.claims.p3_characterisation import (
    CLAIM,
    IS_PARTIAL_ISOMETRY,
    SINGULAR_VALUES_ONE,
    TRANSPOSE_IS_PSEUDO_INVERSE,
    characterisation,
)
from derivations.engine import DerivationError, ForEvery, Iff
from derivations.mathematics.facts import COMPACT_SVD, PSEUDO_INVERSE_EXISTS
from derivations.mathematics.svd import Sigma, explicit_sigma, r, rational_orthogonal
from derivations.notation import W, d, k


def test_p3_checks():
    assert CLAIM.check() == 55


def test_p3_states_both_equivalences_for_symbolic_sizes_and_rank():
    assert CLAIM.conclusions == (
        Equivalent(TRANSPOSE_IS_PSEUDO_INVERSE, IS_PARTIAL_ISOMETRY, evaluate=False),
        Equivalent(IS_PARTIAL_ISOMETRY, SINGULAR_VALUES_ONE, evaluate=False),
    )
    assert W.shape == (d, k) and Sigma.shape == (r, r)


def test_p3_proves_each_direction_and_the_entrywise_step_for_a_symbolic_index():
    iffs = [item for item in CLAIM.proof if isinstance(item, Iff)]
    assert len(iffs) == 3
    entrywise = [part for iff in iffs[:2] for part in iff.forward.parts
                 if isinstance(part, ForEvery)]
    assert [part.concludes for part in entrywise] == [SINGULAR_VALUES_ONE] * 2


def test_p3_cites_the_svd_and_uniqueness():
    assert set(CLAIM.citations()) == {COMPACT_SVD, PSEUDO_INVERSE_EXISTS}


@pytest.mark.parametrize("assumption", [{"real": True}, {"nonnegative": True}],
                         ids=["real-singular-values", "zero-allowed"])
def test_p3_fails_when_singular_values_may_vanish(assumption):
    with pytest.raises(DerivationError, match=r"claim P3, Proof.*unjustified inverse: 1/sigma"):
        characterisation(singular_values=IndexedBase("sigma", **assumption)).check()


@pytest.mark.parametrize("conclusion", [
    Equivalent(TRANSPOSE_IS_PSEUDO_INVERSE, Eq(W.T * W, Identity(k), evaluate=False),
               evaluate=False),
    Equivalent(IS_PARTIAL_ISOMETRY, Eq(Sigma, 2 * Identity(r), evaluate=False), evaluate=False),
], ids=["orthonormal-columns-for-every-rank", "singular-values-two"])
def test_p3_a_changed_statement_fails(conclusion):
    with pytest.raises(DerivationError, match="does not derive its statement"):
        dataclasses.replace(CLAIM, conclusions=(conclusion,)).check()


def test_p3_explicit_sigma_plus_is_sympys_pinv_for_rational_values():
    for values in ([2, S(1) / 3], [5, 0], [0, 0]):
        sigma, plus = explicit_sigma(values)
        assert sigma.pinv() == plus


def test_p3_rational_factors_are_exactly_orthogonal():
    left, right = rational_orthogonal()
    assert left.T * left == eye(3) and left * left.T == eye(3)
    assert right.T * right == eye(2)


@pytest.mark.parametrize("values, partial_isometry", [
    ([1, 1], True), ([1, 0], True), ([0, 0], True), ([2, 1], False), ([1, S(1) / 2], False),
])
def test_p3_transpose_is_pinv_exactly_when_nonzero_singular_values_are_one(
        values, partial_isometry):
    left, right = rational_orthogonal()
    w = ImmutableMatrix(left * explicit_sigma(values)[0] * right.T)
    assert (w * w.T * w == w) is partial_isometry
    assert (w.pinv() == w.T) is partial_isometry


def test_p3_symbolic_singular_value_one_is_the_only_positive_fixed_point():
    sigma = Symbol("sigma", positive=True)
    s, plus = explicit_sigma([sigma, 1])
    assert (s.T - plus).subs(sigma, 1) == ImmutableMatrix.zeros(2, 3)
    assert (s.T - plus).subs(sigma, 2) != ImmutableMatrix.zeros(2, 3)
