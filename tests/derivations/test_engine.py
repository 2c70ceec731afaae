"""The engine refuses a proof of another statement, unknown rules and unlicensed inverses."""

import pytest
from sympy import (
    Eq,
    Identity,
    Implies,
    Inverse,
    Matrix,
    MatrixSymbol,
    Q,
    Rational,
    Symbol,
    Trace,
    symbols,
)

from derivations.engine import (
    Assume,
    Cases,
    Chain,
    Cite,
    Claim,
    Conclude,
    Define,
    DerivationError,
    ForEvery,
    Iff,
    Link,
    Part,
    Step,
    TrustedFact,
    matrix_derivative,
    prose,
)

d, k = symbols("d k", integer=True, positive=True)
W = MatrixSymbol("W", d, k)
S = MatrixSymbol("S", d, d)
ORTHONORMAL = Eq(W.T * W, Identity(k))
COLLAPSED = (Eq(W * W.T * W, W),)
COLLAPSE = Chain("collapse", W * W.T * W, (Link(W, "the middle factor", using=(ORTHONORMAL,)),))


def claim(*proof, hypotheses=(ORTHONORMAL,), conclusions=COLLAPSED):
    return Claim(id="X9", title="test claim", statement=prose("test"), hypotheses=hypotheses,
                 conclusions=conclusions, proof=proof)


def test_a_proof_that_derives_its_statement_checks():
    assert claim(COLLAPSE).check() == 1


def test_a_changed_statement_is_refused():
    with pytest.raises(DerivationError, match="does not derive its statement"):
        claim(COLLAPSE, conclusions=(Eq(W * W.T * W, 2 * W),)).check()


def test_a_changed_hypothesis_is_refused_even_where_the_steps_would_hold():
    # The rule is still true algebra under itself, but it is no longer a hypothesis.
    with pytest.raises(DerivationError, match="not a hypothesis"):
        claim(COLLAPSE, hypotheses=(Eq(W * W.T, Identity(d)),)).check()


def test_false_step_names_claim_step_and_both_sides():
    false = Chain("false", W.T * W * W.T, (Link(W, "a deliberately false step",
                                                 using=(ORTHONORMAL,)),))
    with pytest.raises(DerivationError) as error:
        claim(COLLAPSE, false).check()
    message = str(error.value)
    assert error.value.claim_id == "X9"
    assert "claim X9" in message and "part 2" in message and "step 1" in message
    assert "a deliberately false step" in message and "left W.T" in message


def test_a_chain_derives_the_relation_between_its_ends():
    x = Symbol("x", positive=True)
    chain = Chain("c", (x + 1) ** 2, (Link(x**2 + 2 * x + 1, "multiply out"),
                                      Link(x**2 + 1, "2x > 0", relation=">")))
    assert claim(chain, hypotheses=(), conclusions=(chain.derives,)).check() == 2
    with pytest.raises(ValueError, match="cannot mix"):
        Chain("mixed", x, (Link(x + 1, "up", relation="<"), Link(x, "down", relation=">")))


def test_an_unlicensed_inverse_fails_and_is_named():
    # W^T (W W^T)^{-1} is a "left inverse" only if W W^T is invertible, false for tall W.
    candidate = W.T * Inverse(W * W.T)
    chain = Chain("left inverse", candidate * W, (Link(Identity(k), "cancel"),))
    with pytest.raises(DerivationError, match=r"unjustified inverse: \(W\*W.T\)\*\*\(-1\)"):
        claim(chain, hypotheses=(Q.positive_definite(W.T * W),),
              conclusions=(chain.derives,)).check()


def test_a_licensed_inverse_is_accepted():
    chain = Chain("left inverse", Inverse(W.T * W) * W.T * W, (Link(Identity(k), "cancel"),))
    assert claim(chain, hypotheses=(Q.positive_definite(W.T * W),),
                 conclusions=(chain.derives,)).check() == 1


def test_division_by_a_symbol_that_may_be_zero_fails():
    x = Symbol("x", real=True)
    chain = Chain("cancel", (x**2 + x) / x, (Link(x + 1, "cancel"),))
    with pytest.raises(DerivationError, match="unjustified inverse"):
        claim(chain, hypotheses=(), conclusions=(chain.derives,)).check()
    y = Symbol("y", positive=True)
    ok = Chain("cancel", (y**2 + y) / y, (Link(y + 1, "cancel"),))
    assert claim(ok, hypotheses=(), conclusions=(ok.derives,)).check() == 1


def test_fullrank_is_refused_as_a_hypothesis():
    with pytest.raises(ValueError, match="Q.fullrank"):
        claim(COLLAPSE, hypotheses=(Q.fullrank(W),))


def test_chain_steps_connect():
    chain = Chain("c", W * W.T * W, (Link(W, "first", using=(ORTHONORMAL,)),
                                     Link(W * W.T * W, "back", using=(ORTHONORMAL,))))
    assert [s.lhs for s in chain.steps] == [W * W.T * W, W]


def test_a_definition_must_name_something_fresh():
    with pytest.raises(DerivationError, match="not a fresh name"):
        claim(Define(W, Identity(d) * W), COLLAPSE).check()


def test_trusted_facts_are_cited_and_used_through_modus_ponens():
    fact = TrustedFact(name="t", title="a test fact", statement=("t",), source="a book",
                       relations=lambda A: (Implies(Q.positive_definite(A),
                                                    Eq(A.T, A, evaluate=False)),))
    cite = Cite(fact, S)
    conclusion = Eq(S.T, S, evaluate=False)
    checked = claim(cite, Conclude(cite.relations[0]),
                    hypotheses=(Q.positive_definite(S),), conclusions=(conclusion,))
    checked.check()
    assert checked.citations() == (fact,)
    # Read off the proof without a check: the same fact lists before checking.
    assert claim(cite, Conclude(cite.relations[0]), hypotheses=(Q.positive_definite(S),),
                 conclusions=(conclusion,)).citations() == (fact,)
    with pytest.raises(DerivationError, match="premise"):
        claim(cite, Conclude(cite.relations[0]), hypotheses=(),
              conclusions=(conclusion,)).check()


def test_iff_needs_both_directions():
    x = Symbol("x", positive=True)
    forward = Assume(Eq(x**2, 1), (Chain("root", x, (Link(1, "x > 0 and x^2 = 1",
                                                          using=(Eq(x, 1),)),)),), Eq(x, 1))
    backward = Assume(Eq(x, 1), (Chain("square", x**2, (Link(1, "x = 1", using=(Eq(x, 1),)),)),),
                      Eq(x**2, 1))
    with pytest.raises(ValueError, match="backward direction"):
        Iff(forward, forward)
    # The forward direction uses x = 1 as a rule before deriving it: refused.
    with pytest.raises(DerivationError, match="not a hypothesis"):
        claim(Iff(forward, backward), hypotheses=(),
              conclusions=(Iff(forward, backward).derives,)).check()


def test_for_every_turns_an_entrywise_step_into_a_matrix_equality():
    i, j = symbols("i j", integer=True)
    A = MatrixSymbol("A", d, d)
    entry = Chain("entry", (A + A)[i, j], (Link(2 * A[i, j], "add"),))
    proof = ForEvery((i, j), (entry,), Eq(A + A, 2 * A, evaluate=False))
    assert claim(proof, hypotheses=(), conclusions=(Eq(A + A, 2 * A, evaluate=False),)).check()
    wrong = ForEvery((i, j), (entry,), Eq(A + A, 3 * A, evaluate=False))
    with pytest.raises(DerivationError, match="no entrywise step"):
        claim(wrong, hypotheses=(), conclusions=(Eq(A + A, 3 * A, evaluate=False),)).check()


def test_cases_must_cover():
    x = Symbol("x", real=True)
    goal = Eq(abs(x) ** 2, x**2, evaluate=False)
    body = (Chain("square", abs(x) ** 2, (Link(x**2, "a real square"),)),)
    covering = Cases(((x >= 0, body), (x < 0, body)), goal)
    assert claim(covering, hypotheses=(), conclusions=(goal,)).check() == 2
    gap = Cases(((x > 0, body), (x < 0, body)), goal)
    with pytest.raises(DerivationError, match="do not cover"):
        claim(gap, hypotheses=(), conclusions=(goal,)).check()


def test_instances_may_only_define_names():
    R = MatrixSymbol("R", 2, 2)
    good = Part("instance", steps=(Step(R.T, R, "symmetric",
                                        using=(Eq(R, Matrix([[1, 2], [2, 1]])),)),))
    assert Claim(id="X9", title="t", statement=("t",), hypotheses=(ORTHONORMAL,),
                 conclusions=(Eq(W * W.T * W, W),), proof=(COLLAPSE,),
                 instances=(good,)).check() == 2
    sneaky = Part("instance", steps=(Step(W * W.T * W, W, "assumes", using=(ORTHONORMAL,)),))
    with pytest.raises(DerivationError, match="definitions of names"):
        Claim(id="X9", title="t", statement=("t",), hypotheses=(ORTHONORMAL,),
              conclusions=(Eq(W * W.T * W, W),), proof=(COLLAPSE,),
              instances=(sneaky,)).check()


def test_sets_are_not_ordered():
    from sympy import FiniteSet
    step = Step(FiniteSet(1), FiniteSet(1, 2), "subset?", relation="<")
    assert not step.holds()


def test_an_exception_inside_a_check_names_the_claim():
    bad = Chain("bad", Matrix([[1, 2]]), (Link(Matrix([[1], [2]]) * Matrix([[1, 2]]) *
                                               Matrix([[1, 2]]).T * Matrix([[1, 2]]), "shapes"),))
    with pytest.raises(DerivationError, match="claim X9"):
        claim(bad, hypotheses=(), conclusions=(bad.derives,)).check()


def test_a_sum_of_traces_is_not_differentiated_to_a_silent_zero():
    with pytest.raises(ValueError, match="one Trace"):
        matrix_derivative(Trace(W.T * S * W) + Trace(W.T * W), W)


def test_traces_are_cyclic_in_the_rewriter():
    chain = Chain("cyclic", Trace(W.T * S * W), (Link(Trace(S * W * W.T), "cyclic"),))
    assert claim(chain, hypotheses=(), conclusions=(chain.derives,)).check() == 1


def test_not_equal_needs_a_proof_of_difference():
    x = Symbol("x")
    assert Step(Matrix([[1, 0]]), Matrix([[1, 1]]), "differ", relation="!=").holds()
    assert not Step(x, 1, "unknown sign", relation="!=").holds()


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


def test_claim_without_proof_or_conclusion_is_refused():
    with pytest.raises(ValueError, match="no proof"):
        Claim(id="X1", title="t", statement=prose("s"), conclusions=(ORTHONORMAL,))
    with pytest.raises(ValueError, match="no conclusion"):
        Claim(id="X1", title="t", statement=prose("s"), proof=(COLLAPSE,))


def test_prose_refuses_a_formula_that_evaluated_to_a_boolean():
    mu = Symbol("mu", positive=True)
    with pytest.raises(TypeError, match="evaluate=False"):
        prose("At ", Eq(mu, 0), " nothing")


def test_the_facts_read_off_each_proof_are_the_facts_its_check_cites():
    from derivations.claims import all_claims
    from derivations.engine.claim import _checked

    for each in all_claims():
        assert each.citations() == _checked(each)[1], each.id
