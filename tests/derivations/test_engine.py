"""The engine: a step that does not hold is reported with its claim id, place and both sides."""

import pytest
from sympy import Eq, Identity, Matrix, MatrixSymbol, Rational, Symbol, symbols

from derivations.engine import Claim, DerivationError, Part, Step, prose

d, k = symbols("d k", integer=True, positive=True)
W = MatrixSymbol("W", d, k)
ORTHONORMAL = Eq(W.T * W, Identity(k))


def claim_with(*steps):
    return Claim(id="X9", title="test claim", statement=prose("test"),
                 proof=(Part(heading="part", steps=steps),))


def test_true_steps_are_counted():
    claim = claim_with(Step(W * W.T * W, W, "collapse", using=(ORTHONORMAL,)),
                       Step(Symbol("x") ** 2 - 1, (Symbol("x") - 1) * (Symbol("x") + 1), "expand"))
    assert claim.check() == 2


def test_false_step_names_claim_step_and_both_sides():
    false = Step(W.T * W * W.T, W, "a deliberately false step", using=(ORTHONORMAL,))
    claim = claim_with(Step(W * W.T * W, W, "true", using=(ORTHONORMAL,)), false)
    with pytest.raises(DerivationError) as error:
        claim.check()
    message = str(error.value)
    assert error.value.claim_id == "X9"
    assert "claim X9" in message and "step 2" in message
    assert "a deliberately false step" in message
    assert "W.T*W*W.T = W" in message and "left W.T" in message


def test_a_rule_that_is_not_given_is_not_used():
    assert not Step(W * W.T * W, W, "needs the hypothesis").holds()


def test_not_equal_needs_a_proof_of_difference():
    x = Symbol("x")
    assert Step(Matrix([[1, 0]]), Matrix([[1, 1]]), "differ", relation="!=").holds()
    # x - 1 may be zero: SymPy cannot prove the difference, so the step fails.
    assert not Step(x, 1, "unknown sign", relation="!=").holds()
    assert not Step(Matrix([[2]]), Matrix([[2]]), "equal", relation="!=").holds()


def test_order_relations_use_symbol_assumptions():
    positive = Symbol("s", positive=True)
    assert Step(positive + 1, 1, "s > 0", relation=">").holds()
    assert not Step(Symbol("t", real=True) + 1, 1, "sign unknown", relation=">").holds()
    assert Step(Rational(1, 3), Rational(1, 2), "fractions", relation="<=").holds()


@pytest.mark.parametrize("bad", [{"relation": "~"}, {"because": "  "}, {"using": (W,)}])
def test_malformed_steps_are_refused(bad):
    arguments = {"lhs": W, "rhs": W, "because": "why"} | bad
    with pytest.raises((ValueError, TypeError)):
        Step(**arguments)


def test_prose_refuses_other_objects():
    with pytest.raises(TypeError, match="prose parts"):
        prose("text", 1.5)


def test_claim_without_proof_is_refused():
    with pytest.raises(ValueError, match="no proof"):
        Claim(id="X1", title="t", statement=prose("s"))
