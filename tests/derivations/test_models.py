"""Exact evaluation of proofs at models of their hypotheses (derivations.engine.models)."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import strategies as st
from sympy import Derivative, Eq, Identity, ImmutableMatrix, Implies, MatrixSymbol, Q, Rational

from derivations.engine import Chain, Cite, Claim, DerivationError, Link, TrustedFact
from derivations.engine.models import (
    Model,
    ModelError,
    NotEvaluated,
    decide,
    evaluate,
    pseudo_inverse,
)
from derivations.mathematics import models
from derivations.notation import PseudoInverse, W, d, k

ORTHONORMAL = Eq(W.T * W, Identity(k))
UNIT = ImmutableMatrix([[Rational(3, 5)], [Rational(4, 5)]])


def test_pseudo_inverse_satisfies_the_four_penrose_conditions():
    # Checked against the defining conditions, not against another pinv.
    for A in (sympy.Matrix([[1, 2], [2, 4], [0, 0]]), sympy.Matrix([[1, 0, 2], [0, 1, 1]]),
              sympy.zeros(2, 3), sympy.Matrix([[Rational(1, 3), -1], [2, 5]])):
        G = pseudo_inverse(A)
        assert G.shape == (A.shape[1], A.shape[0])
        assert A * G * A == A and G * A * G == G
        assert (A * G).T == A * G and (G * A).T == G * A


def test_rank_one_pseudo_inverse_is_a_known_matrix():
    # [[1, 1], [1, 1]] = 2 u u^T with u = (1, 1)/sqrt(2): its pinv is (1/2) u u^T = J / 4.
    assert pseudo_inverse(sympy.Matrix([[1, 1], [1, 1]])) == sympy.ones(2, 2) / 4


def test_decide_is_exact_and_a_singular_inverse_is_an_error():
    model = Model({d: 2, k: 1}, {W: UNIT})
    assert decide(ORTHONORMAL, model) is True
    assert decide(Eq(W * W.T, Identity(d)), model) is False
    assert decide(Q.positive_definite(W.T * W), model) is True
    assert decide(Q.invertible(W * W.T), model) is False
    with pytest.raises(ModelError, match="singular"):
        evaluate((W * W.T).I, model)
    # 1 + 10^-30 != 1: no tolerance.
    x = sympy.Symbol("x")
    assert decide(Eq(x, 1), Model({}, {x: 1 + Rational(1, 10**30)})) is False


def test_what_cannot_be_evaluated_says_why():
    x = sympy.Symbol("x")
    with pytest.raises(NotEvaluated, match="Derivative"):
        decide(Eq(Derivative(x**2, x), 2 * x), Model({}, {x: Rational(1, 2)}))
    with pytest.raises(NotEvaluated, match="no value for W"):
        decide(ORTHONORMAL, Model({d: 2, k: 1}, {}))


def _claim(links, *, cite=()):
    return Claim(id="X9", title="example", statement=("W W^T W = W",),
                 hypotheses=(ORTHONORMAL,), conclusions=(Eq(W * W.T * W, W, evaluate=False),),
                 proof=(*cite, Chain("collapse", W * W.T * W, links)),
                 models=lambda: models.orthonormal_columns(W, d, k))


def test_a_true_chain_checks_at_the_models():
    claim = _claim((Link(W, "the middle factor", using=(ORTHONORMAL,)),))
    assert claim.check(symbolic=False) == 1
    report = claim.model_report()
    assert report.models == 3 and report.evaluated >= 3 * 3 and not report.not_evaluated


def test_a_false_middle_step_is_refused_by_the_models_alone():
    # W W^T W = 2 W = W ends on the conclusion; with SymPy's algebra off only the models
    # see that the middle expression is wrong.
    claim = _claim((Link(2 * W, "wrong", using=(ORTHONORMAL,)),
                    Link(W, "wrong again", using=(ORTHONORMAL,))))
    with pytest.raises(DerivationError, match=r"step 1: false at an exact model.*left") as error:
        claim.check(symbolic=False)
    assert "model: sizes d = " in str(error.value)


def test_a_wrongly_encoded_trusted_fact_fails_a_citing_claim_by_the_models():
    wrong = TrustedFact(
        name="wrong-orthonormal-pinv", title="A wrong fact",
        statement=("Orthonormal columns give twice the transpose (wrong on purpose).",),
        source="a test", relations=lambda A: (
            Implies(Eq(A.T * A, Identity(A.shape[1])), Eq(PseudoInverse(A), 2 * A.T)),))
    claim = _claim((Link(W, "the middle factor", using=(ORTHONORMAL,)),), cite=(Cite(wrong, W),))
    with pytest.raises(DerivationError, match="wrong-orthonormal-pinv is false at an exact"):
        claim.check()


def test_a_model_that_misses_a_hypothesis_is_refused():
    strategy = st.just(Model({d: 2, k: 2}, {W: ImmutableMatrix([[1, 1], [0, 1]])}))
    claim = Claim(id="X8", title="example", statement=("W W^T W = W",),
                  hypotheses=(ORTHONORMAL,), conclusions=(Eq(W * W.T * W, W, evaluate=False),),
                  proof=(Chain("collapse", W * W.T * W,
                               (Link(W, "the middle factor", using=(ORTHONORMAL,)),)),),
                  models=lambda: strategy)
    with pytest.raises(DerivationError, match="hypothesis 1: the drawn model does not satisfy"):
        claim.check()
