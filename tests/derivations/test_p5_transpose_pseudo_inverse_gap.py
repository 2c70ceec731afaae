"""P5: the gap between W^T and W^+ and its bound by delta; wrong bounds and delta >= 1 fail."""

import pytest
from sympy import Abs, Eq, ImmutableMatrix, Rational, Symbol, sqrt

from derivations.claims.p3_characterisation import explicit_sigma, rational_orthogonal
from derivations.claims.p5_transpose_pseudo_inverse_gap import (
    BOUND,
    CLAIM,
    delta,
    rho,
    transpose_pseudo_inverse_gap,
)
from derivations.engine import DerivationError


def test_p5_checks():
    assert CLAIM.check() == 20


@pytest.mark.parametrize(
    "wrong_bound",
    [delta, Rational(9, 10) * BOUND, delta / (1 - delta) ** Rational(1, 4)],
    ids=["delta-alone", "ten-percent-tighter", "quarter-root"],
)
def test_p5_fails_with_a_bound_below_the_true_one(wrong_bound):
    with pytest.raises(DerivationError, match=r"claim P5, Proof, part [34] \(The bound where"):
        transpose_pseudo_inverse_gap(bound=wrong_bound).check()


def test_p5_fails_when_delta_exceeds_one():
    above_one = Eq(delta, 1 + rho**2)
    with pytest.raises(DerivationError, match="claim P5, Proof, part 3"):
        transpose_pseudo_inverse_gap(below_one=above_one).check()


def test_p5_fails_when_delta_may_equal_one():
    # rho >= 0 instead of rho > 0 allows delta = 1, where the bound is infinite.
    r = Symbol("r", nonnegative=True)
    with pytest.raises(DerivationError, match="claim P5, Proof"):
        transpose_pseudo_inverse_gap(below_one=Eq(delta, 1 - r**2)).check()


@pytest.mark.parametrize("value", [Rational(1, 2), Rational(9, 10), 1, Rational(11, 10),
                                   Rational(6, 5), Rational(7, 5)])
def test_p5_bound_holds_exactly_for_rational_singular_values(value):
    spread = Abs(value**2 - 1)
    assert spread < 1
    assert Abs(value - 1 / value) <= BOUND.subs(delta, spread)


def test_p5_bound_is_attained_exactly_at_sigma_squared_one_minus_delta():
    spread = Rational(3, 4)
    value = sqrt(1 - spread)
    assert Abs(value - 1 / value) == BOUND.subs(delta, spread)


def test_p5_gap_of_the_rational_instance_has_singular_values_zero_and_three_halves():
    left, right = rational_orthogonal()
    w = ImmutableMatrix(left * explicit_sigma([1, Rational(1, 2)])[0] * right.T)
    gap = w.T - w.pinv()
    assert (gap * gap.T).eigenvals() == {0: 1, Rational(9, 4): 1}
