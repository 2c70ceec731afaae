"""P5: the gap between W^T and W^+ and its bound by delta; wrong bounds and delta >= 1 fail."""

import dataclasses

import pytest
from sympy import Abs, Eq, ImmutableMatrix, Rational, Symbol, sqrt

from derivations.claims.p5_transpose_pseudo_inverse_gap import (
    BOUND,
    CLAIM,
    GAP_FORMULA,
    delta,
    rho,
    transpose_pseudo_inverse_gap,
)
from derivations.engine import DerivationError
from derivations.mathematics.facts import (
    COMPACT_SVD,
    DIAGONAL_2_NORM,
    PSEUDO_INVERSE_EXISTS,
    ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM,
)
from derivations.mathematics.svd import explicit_sigma, i, r, rational_orthogonal, sigma
from derivations.notation import LargestOver


def test_p5_checks():
    assert CLAIM.check() == 42


def test_p5_states_the_gap_as_a_maximum_over_a_symbolic_rank():
    assert CLAIM.conclusions[0] == GAP_FORMULA
    assert GAP_FORMULA.rhs == LargestOver(Abs(sigma[i] - 1 / sigma[i]), i, r)


def test_p5_cites_the_svd_and_the_two_norm_facts():
    assert set(CLAIM.citations()) == {COMPACT_SVD, PSEUDO_INVERSE_EXISTS,
                                      ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM, DIAGONAL_2_NORM}


@pytest.mark.parametrize(
    "wrong_bound",
    [delta, Rational(9, 10) * BOUND, delta / sqrt(rho)],
    ids=["delta-alone", "ten-percent-tighter", "root-of-rho"],
)
def test_p5_fails_with_a_bound_below_the_true_one(wrong_bound):
    with pytest.raises(DerivationError, match=r"claim P5, Proof, .*A singular value below 1"):
        transpose_pseudo_inverse_gap(bound=wrong_bound).check()


def test_p5_fails_when_delta_exceeds_one():
    with pytest.raises(DerivationError, match="claim P5, Proof"):
        transpose_pseudo_inverse_gap(below_one=Eq(delta, 1 + rho**2)).check()


def test_p5_fails_when_delta_may_equal_one():
    # A nonnegative root instead of a positive one allows delta = 1, where the bound is infinite.
    root = Symbol("rho_0", nonnegative=True)
    with pytest.raises(DerivationError, match="claim P5, Proof"):
        transpose_pseudo_inverse_gap(below_one=Eq(delta, 1 - root**2)).check()


def test_p5_a_changed_gap_formula_fails():
    wrong = Eq(GAP_FORMULA.lhs, LargestOver(Abs(sigma[i] ** 2 - 1), i, r), evaluate=False)
    with pytest.raises(DerivationError, match="does not derive its statement"):
        dataclasses.replace(CLAIM, conclusions=(wrong,)).check()


@pytest.mark.parametrize("value", [Rational(1, 2), Rational(9, 10), 1, Rational(11, 10),
                                   Rational(6, 5), Rational(7, 5)])
def test_p5_bound_holds_exactly_for_rational_singular_values(value):
    spread = Abs(value**2 - 1)
    assert spread < 1
    assert Abs(value - 1 / value) <= BOUND.subs({delta: spread, rho: sqrt(1 - spread)})


def test_p5_bound_is_attained_exactly_at_sigma_squared_one_minus_delta():
    spread = Rational(3, 4)
    value = sqrt(1 - spread)
    assert Abs(value - 1 / value) == BOUND.subs({delta: spread, rho: value})


def test_p5_gap_of_the_rational_instance_has_singular_values_zero_and_three_halves():
    left, right = rational_orthogonal()
    w = ImmutableMatrix(left * explicit_sigma([1, Rational(1, 2)])[0] * right.T)
    gap = w.T - w.pinv()
    assert (gap * gap.T).eigenvals() == {0: 1, Rational(9, 4): 1}


def test_p5_proves_which_singular_values_the_bound_covers():
    from sympy import Ge, Implies, Le
    from sympy.logic.boolalg import And

    from derivations.claims.p5_transpose_pseudo_inverse_gap import NEAR_ONE, rho

    covered = Implies(NEAR_ONE, And(Ge(sigma[i], rho, evaluate=False),
                                    Le(sigma[i], 1 / rho, evaluate=False)), evaluate=False)
    assert covered in CLAIM.conclusions
