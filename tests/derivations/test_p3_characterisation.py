"""P3: W^T = W^+ exactly for partial isometries; the checks fail off the hypotheses."""

import re

import pytest
from sympy import Eq, Identity, ImmutableMatrix, Interval, S, Symbol, eye, oo

from derivations.claims.p3_characterisation import (
    CLAIM,
    PINV_THROUGH_SVD,
    SVD,
    Sigma,
    SigmaPlus,
    U,
    V,
    characterisation,
    explicit_sigma,
    rational_orthogonal,
)
from derivations.engine import DerivationError, Step
from derivations.notation import PseudoInverse, W


def test_p3_checks():
    assert CLAIM.check() == 36


@pytest.mark.parametrize(
    "domain, extra",
    [(S.Reals, "-1"), (Interval(0, oo), "0")],
    ids=["any-real-singular-value", "zero-counted-as-nonzero"],
)
def test_p3_fails_when_singular_values_are_not_constrained_positive(domain, extra):
    solutions = re.escape(f"{{{extra}, 1}} versus {{1}}")
    with pytest.raises(DerivationError, match=f"(?s)claim P3, Proof, part 3 .*{solutions}"):
        characterisation(singular_value_domain=domain).check()


def test_p3_svd_formula_needs_orthogonal_factors():
    # Without V^T V = I the candidate V Sigma^+ U^T is not shown to be a generalised inverse.
    step = Step(W * V * SigmaPlus * U.T * W, W, "condition 1 without orthogonality",
                using=(SVD,))
    assert not step.holds()


def test_p3_transpose_equals_pinv_iff_sigma_transpose_equals_sigma_plus():
    conjugation = (PINV_THROUGH_SVD, SVD, Eq(U.T * U, Identity(U.shape[0])),
                   Eq(V.T * V, Identity(V.shape[0])), Eq(V * V.T, Identity(V.shape[0])))
    assert Step(W.T, PseudoInverse(W), "converse",
                using=(*conjugation, Eq(Sigma.T, SigmaPlus))).holds()
    assert not Step(W.T, PseudoInverse(W), "no hypothesis on Sigma", using=conjugation).holds()


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
