"""F3: off the critical set W^T != W^+; a zero column stays zero; one exact step is an instance."""

import pytest
from sympy import ImmutableMatrix, Rational, zeros

from derivations.claims.f3_away_from_critical_points import (
    CLAIM,
    DATA,
    START,
    away_from_critical_points,
)
from derivations.engine import DerivationError
from derivations.mathematics.losses import gradient_step, tied_gradient


def _defect(W):
    return abs(1 - (W.T * W)[0, 0])


def test_f3_checks():
    assert CLAIM.check() >= 12


def test_f3_counterexample_needs_a_non_critical_start():
    with pytest.raises(DerivationError, match="claim F3, Exact instances, part 1"):
        away_from_critical_points(start=ImmutableMatrix([1, 0])).check()


def test_f3_defect_shrinks_only_for_a_small_step():
    with pytest.raises(DerivationError, match="defect"):
        away_from_critical_points(step=Rational(1, 2)).check()


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
        W = ImmutableMatrix(gradient_step(W, Rational(1, 16), DATA))
    assert _defect(W) < _defect(start) / 100
    assert W.pinv() != W.T  # exact arithmetic never reaches the limit in finitely many steps
    assert tied_gradient(W, DATA) != zeros(2, 1)


def test_f3_a_zero_column_stays_zero_for_every_step_size():
    W = ImmutableMatrix([[Rational(1, 2), 0], [Rational(1, 3), 0]])
    for step in (Rational(1, 16), Rational(1, 2), 3):
        after = ImmutableMatrix(gradient_step(W, step, DATA))
        assert after[:, 1] == zeros(2, 1)


def test_f3_the_tied_gradient_is_not_globally_lipschitz():
    # Why no saddle-avoidance theorem with a globally Lipschitz gradient is cited for the
    # convergence: at d = k = 1 with S = [3] the tied gradient (A3's formula) is
    # -12 w + 12 w^3, and |g(w) - g(0)| / |w| = 12 |w^2 - 1| has no finite bound.
    from sympy import ImmutableMatrix, limit, oo, symbols

    from derivations.mathematics.losses import tied_gradient

    w = symbols("w", positive=True)
    gradient = tied_gradient(ImmutableMatrix([[w]]), ImmutableMatrix([[3]])).doit()[0, 0]
    assert (gradient - (-12 * w + 12 * w**3)).expand() == 0
    ratio = (gradient - gradient.subs(w, 0)) / w
    assert limit(ratio, w, oo) == oo


def test_f3_says_convergence_is_measured_and_cites_no_theorem_that_does_not_apply():
    from derivations.engine import plain_text

    text = " ".join(plain_text(p) for p in (CLAIM.statement, CLAIM.generality, *CLAIM.remarks))
    assert "measured, not proved" in text and "Lee et al" not in text
