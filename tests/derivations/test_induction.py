"""Induction in the engine: a checked base case and step give P(n) for every n >= start.

The toy statement is the push-through identity ``B (B^T B)^n = (B B^T)^n B`` of D3,
whose step cites the definition of the matrix power.
"""

import pytest
from sympy import Eq, MatPow, MatrixSymbol, symbols

from derivations.engine import (
    Assume,
    Chain,
    Cite,
    Claim,
    DerivationError,
    Induction,
    Link,
    Specialise,
    prose,
)
from derivations.mathematics.facts import MATRIX_POWER

p, q = symbols("p q", integer=True, positive=True)
# The induction variable is an integer and nothing more; the step uses only n >= 1.
n = symbols("n", integer=True)
m = symbols("m", integer=True, positive=True)
B = MatrixSymbol("B", p, q)
PUSH = Eq(B * MatPow(B.T * B, n), MatPow(B * B.T, n) * B, evaluate=False)
NEXT = Eq(B * MatPow(B.T * B, n + 1), MatPow(B * B.T, n + 1) * B, evaluate=False)


def base(at=1):
    lhs, rhs = PUSH.lhs.subs(n, at), PUSH.rhs.subs(n, at)
    return Chain(prose("The case ", Eq(n, at)), lhs, (Link(rhs, "multiply out"),))


def step(hypothesis=PUSH):
    right, left = Cite(MATRIX_POWER, B.T * B, n), Cite(MATRIX_POWER, B * B.T, n)
    return (right, left, Chain("one more factor", NEXT.lhs, (
        Link(B * MatPow(B.T * B, n) * B.T * B, "a factor out", using=right.relations),
        Link(MatPow(B * B.T, n) * B * B.T * B, "the case n", using=(hypothesis,)),
        Link(NEXT.rhs, "a factor in", using=left.relations),
    )))


def claim(*proof, conclusions=(PUSH,), hypotheses=()):
    return Claim(id="X8", title="induction", statement=prose("push-through"),
                 hypotheses=hypotheses, conclusions=conclusions, proof=proof)


def test_a_checked_base_and_step_derive_the_statement_for_every_n():
    assert claim(Induction(n, PUSH, (base(),), step())).check() == 4


def test_the_statement_is_specialised_at_an_integer_from_the_start_on():
    specialised = Specialise(PUSH, n, m + 1)
    assert claim(Induction(n, PUSH, (base(),), step()), specialised,
                 conclusions=(specialised.concludes,)).check() == 4


def test_without_its_base_case_induction_is_refused():
    with pytest.raises(DerivationError, match="base case: does not reach"):
        claim(Induction(n, PUSH, (), step())).check()


def test_a_base_case_at_another_start_is_refused():
    # The case n = 1 does not start an induction from n = 2 (nor the other way round).
    with pytest.raises(DerivationError, match="base case: does not reach"):
        claim(Induction(n, PUSH, (base(at=1),), step(), start=2)).check()


def test_a_step_that_does_not_reach_n_plus_1_is_refused():
    with pytest.raises(DerivationError, match="step: assuming .* do not reach"):
        claim(Induction(n, PUSH, (base(),), step()[:2])).check()


def test_the_step_may_not_use_more_than_the_induction_hypothesis():
    # A hypothesis about n would let the step prove anything about "every n".
    with pytest.raises(DerivationError, match="induction variable n occurs in what is known"):
        claim(Induction(n, PUSH, (base(),), step()), hypotheses=(Eq(n, 1),)).check()


def test_the_variable_must_be_an_integer():
    x = symbols("x", positive=True)
    with pytest.raises(DerivationError, match="needs an integer symbol"):
        claim(Induction(x, PUSH.subs(n, x), (), ()), conclusions=(PUSH.subs(n, x),)).check()


@pytest.mark.parametrize(("value", "words"), [
    (0, "0 is not known to be an integer at least 1"),
    (symbols("t", real=True), "t is not known to be an integer"),
])
def test_specialising_outside_the_induction_is_refused(value, words):
    specialised = Specialise(PUSH, n, value)
    with pytest.raises(DerivationError, match=words):
        claim(Induction(n, PUSH, (base(),), step()), specialised,
              conclusions=(specialised.concludes,)).check()


def test_only_a_statement_derived_by_induction_is_specialised():
    specialised = Specialise(PUSH, n, m)
    with pytest.raises(DerivationError, match="was not derived by induction on n from 1"):
        claim(specialised, conclusions=(specialised.concludes,), hypotheses=(PUSH,)).check()


def test_an_induction_under_an_assumption_is_not_specialised_outside_it():
    assumption = Eq(p, q, evaluate=False)
    inside = Assume(assumption, (Induction(n, PUSH, (base(),), step()),), PUSH)
    specialised = Specialise(PUSH, n, m)
    assert claim(inside, conclusions=(inside.derives,)).check() == 4
    with pytest.raises(DerivationError, match="was not derived by induction"):
        claim(inside, specialised, conclusions=(specialised.concludes,)).check()
