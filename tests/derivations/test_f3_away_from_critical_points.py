"""F3: off the critical set W^T != W^+; an exact small gradient step shrinks the defect."""

import pytest
from sympy import ImmutableMatrix, Rational, zeros

from derivations.claims.f1_rank_deficient_data import tied_gradient
from derivations.claims.f3_away_from_critical_points import (
    CLAIM,
    DATA,
    START,
    away_from_critical_points,
    gradient_step,
)
from derivations.engine import DerivationError


def _defect(W):
    return abs(1 - (W.T * W)[0, 0])


def test_f3_checks():
    assert CLAIM.check() >= 10


def test_f3_counterexample_needs_a_non_critical_start():
    with pytest.raises(DerivationError, match="claim F3, Proof, part 1"):
        away_from_critical_points(start=ImmutableMatrix([1, 0])).check()


@pytest.mark.parametrize("learning_rate", [Rational(1, 2), 1])
def test_f3_defect_shrinks_only_for_a_small_learning_rate(learning_rate):
    with pytest.raises(DerivationError, match="defect"):
        away_from_critical_points(learning_rate=learning_rate).check()


@pytest.mark.parametrize(
    "start",
    [START, ImmutableMatrix([Rational(1, 3), Rational(-1, 4)]),
     ImmutableMatrix([Rational(6, 5), Rational(1, 5)])],
    ids=["start", "small", "too-long"],
)
def test_f3_exact_small_steps_drive_the_defect_down(start):
    # Not monotone (the norm can overshoot 1 while W turns towards u_1), but a few
    # exact steps cut the defect by more than a factor of 100.
    W = start
    for _ in range(5):
        W = gradient_step(DATA, W, Rational(1, 16))
    assert _defect(W) < _defect(start) / 100
    assert W.pinv() != W.T  # exact arithmetic never reaches the limit in finitely many steps
    assert tied_gradient(DATA, W) != zeros(2, 1)
