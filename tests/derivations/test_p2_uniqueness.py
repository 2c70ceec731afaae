"""P2: the uniqueness chain checks, needs every Penrose condition, and each link needs its own."""

import dataclasses

import pytest
from sympy import Eq

from derivations.claims.p2_uniqueness import CLAIM, PENROSE_CONDITIONS, G, H, uniqueness
from derivations.engine import Chain, DerivationError, Step
from derivations.notation import W


def test_p2_checks():
    assert CLAIM.check() == 20


def test_p2_states_g_equals_h_from_the_eight_conditions():
    assert CLAIM.conclusions == (Eq(G, H, evaluate=False),)
    assert len(CLAIM.hypotheses) == 8


def test_p2_every_link_of_the_main_chain_uses_exactly_one_rule():
    chain = CLAIM.proof[-1]
    assert isinstance(chain, Chain) and chain.derives == Eq(G, H, evaluate=False)
    for step in chain.steps:
        assert len(step.using) == 1, step.because


@pytest.mark.parametrize("dropped", sorted(PENROSE_CONDITIONS))
def test_p2_chain_fails_without_any_one_condition(dropped):
    weaker = uniqueness(conditions=PENROSE_CONDITIONS - {dropped})
    with pytest.raises(DerivationError, match=f"claim P2, .*not a hypothesis(?s:.*)"
                                              f"Penrose condition {dropped} for"):
        weaker.check()


def test_p2_no_step_holds_by_algebra_alone():
    for where, step in CLAIM.steps():
        bare = Step(step.lhs, step.rhs, step.because)
        assert not bare.holds(), where


def test_p2_no_step_holds_with_the_other_candidates_rules():
    # The rules for G do not prove steps about H and vice versa: the candidates stay distinct.
    for step in CLAIM.proof[-1].steps:
        swapped = tuple(rule.xreplace({G: H, H: G}) for rule in step.using)
        assert not Step(step.lhs, step.rhs, step.because, using=swapped).holds(), step.because


def test_p2_a_changed_conclusion_fails():
    with pytest.raises(DerivationError, match="does not derive its statement"):
        dataclasses.replace(CLAIM, conclusions=(Eq(G, W.T, evaluate=False),)).check()


def test_p2_unknown_condition_number_is_named():
    with pytest.raises(ValueError, match=r"conditions=\[1, 5\]"):
        uniqueness(conditions={1, 5})
