"""P2: the uniqueness chain checks, needs every Penrose condition, and each step needs its own."""

import pytest
from sympy import Eq

from derivations.claims.p2_uniqueness import (
    CLAIM,
    PENROSE_CONDITIONS,
    G,
    H,
    penrose_rule,
    uniqueness,
)
from derivations.engine import DerivationError, Step
from derivations.notation import W


def test_p2_checks():
    assert CLAIM.check() == 12


def test_p2_every_step_uses_exactly_one_penrose_condition():
    for where, step in CLAIM.steps():
        assert len(step.using) == 1, where


@pytest.mark.parametrize("dropped", sorted(PENROSE_CONDITIONS))
def test_p2_chain_fails_without_any_one_condition(dropped):
    weaker = uniqueness(conditions=PENROSE_CONDITIONS - {dropped})
    with pytest.raises(DerivationError, match=f"claim P2, .*Penrose condition {dropped} for"):
        weaker.check()


def test_p2_no_step_holds_by_algebra_alone():
    for where, step in CLAIM.steps():
        bare = Step(step.lhs, step.rhs, step.because)
        assert not bare.holds(), where


def test_p2_no_step_holds_with_the_other_candidates_condition():
    # The rules for G do not prove steps about H and vice versa: the candidates stay distinct.
    for where, step in CLAIM.steps():
        (rule,) = step.using
        swapped = rule.xreplace({G: H, H: G})
        assert not Step(step.lhs, step.rhs, step.because, using=(swapped,)).holds(), where


def test_p2_transposed_rule_reads_the_condition_through_the_transpose():
    assert penrose_rule(1, H, transposed=True) == Eq(W.T * H.T * W.T, W.T, evaluate=False)
    assert penrose_rule(3, G) == Eq(G.T * W.T, W * G, evaluate=False)


def test_p2_unknown_condition_number_is_named():
    with pytest.raises(ValueError, match=r"conditions=\[1, 5\]"):
        uniqueness(conditions={1, 5})
