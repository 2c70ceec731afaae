"""Mutations of the linear-autoencoder claims A1-A5: each one must make ``check()`` fail.

A mutation changes one thing: a statement (a conclusion), a hypothesis, a step's
formula, or a rewrite rule. Each is built through the claim's builder, by
``dataclasses.replace`` on the claim, or by replacing one proof item (also inside
an ``Assume`` or a case), and none needs the docs regenerated to be caught.
"""

from __future__ import annotations

import dataclasses

import pytest
from sympy import Eq, Identity, MatrixSymbol, Q, Rational, Trace

from derivations.claims import (
    a1_best_encoder,
    a2_untied_optimum,
    a3_tied_gradient,
    a4_tied_critical_points,
    a5_tied_optimum,
)
from derivations.engine import Assume, Cases, Chain, DerivationError, Iff, Link, plain_text
from derivations.mathematics.losses import C, D, E, S, U_k, gradient, tied_gradient, tied_loss
from derivations.notation import PseudoInverse, W, d, k

A1, A2, A3, A4, A5 = (a1_best_encoder.CLAIM, a2_untied_optimum.CLAIM, a3_tied_gradient.CLAIM,
                      a4_tied_critical_points.CLAIM, a5_tied_optimum.CLAIM)
OPTIMUM = U_k * a5_tied_optimum.Q_


def _conclusions(claim, *conclusions):
    return dataclasses.replace(claim, conclusions=conclusions)


def _replace(parts, heading, make, found):
    """``parts`` with the item titled ``heading`` (also inside Assume, Iff, Cases) remade."""
    out = []
    for part in parts:
        if plain_text(part.heading) == heading:
            found.append(part)
            out.append(make(part))
        elif isinstance(part, Cases):
            out.append(Cases(tuple((condition, _replace(inner, heading, make, found))
                                   for condition, inner in part.cases), part.concludes,
                             heading=part.heading))
        elif isinstance(part, Iff):
            forward, backward = _replace((part.forward, part.backward), heading, make, found)
            out.append(Iff(forward, backward, heading=part.heading))
        elif isinstance(part, Assume):
            out.append(Assume(part.assumption, _replace(part.parts, heading, make, found),
                              part.concludes, heading=part.heading))
        else:
            out.append(part)
    return tuple(out)


def _with_step(claim, heading, make):
    found = []
    proof = _replace(claim.proof, heading, make, found)
    assert len(found) == 1, f"{len(found)} proof items titled {heading!r}"
    return dataclasses.replace(claim, proof=proof)


def _relink(chain, position, link):
    """The chain with its ``position``-th link replaced (links rebuilt from its steps)."""
    links = [Link(step.rhs, step.because, using=step.using, relation=step.relation)
             for step in chain.steps]
    links[position] = link
    return Chain(chain.heading, chain.steps[0].lhs, tuple(links))


def _sylvester_scaled(chain):
    # A4's key step with the wrong factor: W^T grad(W) / 4 in place of / 2.
    step = chain.steps[1]
    return _relink(chain, 1, Link(step.rhs / 2, step.because, using=step.using))


def _square_is_four(chain):
    # The analogue of "sigma^2 = 4": Sigma_r^2 = 4 I in place of I.
    r = a4_tied_critical_points.r
    return _relink(chain, 1, Link(4 * Identity(r), chain.steps[1].because,
                                  using=chain.steps[1].using))


def _undo_with_unknown_rule(chain):
    # A1: the normal equations with a factor 2 that no hypothesis states.
    wrong = Eq(D.T * D * E * S, 2 * D.T * S, evaluate=False)
    return _relink(chain, 1, Link(chain.steps[1].rhs, chain.steps[1].because, using=(wrong,)))


def _gradient_without_eigenvectors(chain):
    # A5: the critical-point step with the eigen-relations dropped from its rules.
    step = chain.steps[0]
    rules = tuple(rule for rule in step.using if rule != a5_tied_optimum.EIGENVECTORS)
    return _relink(chain, 0, Link(step.rhs, step.because, using=rules))


def _forward_to_c(chain):
    # A2: "so C^{-1} = C" in place of C^T in the transpose-iff-orthogonal chain.
    return _relink(chain, 2, Link(C, chain.steps[2].because, using=chain.steps[2].using))


MUTATIONS = {
    # Statements and hypotheses.
    "A5 conclusion W^+ = W": lambda: _conclusions(
        A5, Eq(PseudoInverse(OPTIMUM), OPTIMUM, evaluate=False)),
    "A5 value tr S": lambda: _conclusions(
        A5, Eq(tied_loss(OPTIMUM), Trace(S), evaluate=False)),
    "A4 W^T W = I without full column rank": lambda: _conclusions(
        A4, Eq(W.T * W, Identity(k), evaluate=False)),
    "A4 hypothesis S only symmetric": lambda: a4_tied_critical_points.tied_critical_points(
        positive_definite=Q.symmetric(S)),
    "A4 hypothesis gradient = W": lambda: a4_tied_critical_points.tied_critical_points(
        critical=Eq(tied_gradient(W), W, evaluate=False)),
    "A3 conclusion -2 S W": lambda: _conclusions(A3, Eq(
        gradient(tied_loss(W), W), tied_gradient(W) + 2 * S * W, evaluate=False)),
    "A3 hypothesis S^T = 2 S": lambda: a3_tied_gradient.tied_gradient(
        symmetry=Eq(S.T, 2 * S, evaluate=False)),
    "A2 conclusion E = D^T always": lambda: _conclusions(A2, Eq(E, D.T, evaluate=False)),
    "A2 hypothesis C not invertible": lambda: a2_untied_optimum.untied_optimum(
        invertible_mixing=Q.symmetric(C)),
    "A2 hypothesis S U_k arbitrary": lambda: a2_untied_optimum.untied_optimum(
        eigenvectors=Eq(S * U_k, MatrixSymbol("V", d, k), evaluate=False)),
    "A1 conclusion E = D^T": lambda: _conclusions(A1, Eq(E, D.T, evaluate=False)),
    "A1 minimum without the congruence fact": lambda: dataclasses.replace(
        A1, proof=tuple(part for part in A1.proof if not plain_text(part.heading).startswith(
            ("A congruence", "Hence Q.nonnegative")))),
    "A1 hypothesis D D^T positive definite": lambda: a1_best_encoder.best_encoder(
        full_column_rank=Q.positive_definite(D * D.T)),
    "A5 hypothesis Q^T Q = 2 I": lambda: a5_tied_optimum.tied_optimum(
        orthogonal=(Eq(a5_tied_optimum.Q_.T * a5_tied_optimum.Q_, 2 * Identity(k)),
                    Eq(a5_tied_optimum.Q_ * a5_tied_optimum.Q_.T, 2 * Identity(k)))),
    # Steps, formulas and rewrite rules.
    "A4 Sylvester step scaled": lambda: _with_step(
        A4, "The Sylvester equation in the eigenbasis of W.T*S*W", _sylvester_scaled),
    "A4 Sigma_r^2 = 4 I": lambda: _with_step(
        A4, "Back from the eigenbasis of U_r.T*S*U_r", _square_is_four),
    "A1 normal equations rule not known": lambda: _with_step(
        A1, "Undo both factors of the normal equations", _undo_with_unknown_rule),
    "A5 critical step without eigenvectors": lambda: _with_step(
        A5, "The tied gradient (A3) vanishes at U_k*Q", _gradient_without_eigenvectors),
    "A2 C^{-1} = C": lambda: _with_step(A2, "Multiply by U_k on the right", _forward_to_c),
    "A3 step formula": lambda: dataclasses.replace(A3, proof=(_relink(
        A3.proof[0], 1, Link(tied_gradient(W) * Rational(1, 2), "halved")),)),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_caught(name):
    claim = MUTATIONS[name]()
    with pytest.raises(DerivationError, match=f"claim {name[:2]}"):
        claim.check()
