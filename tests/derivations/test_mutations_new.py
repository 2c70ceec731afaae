"""Mutations of the new claims (A6, A7, D1-D4, R1): each must make ``check()`` fail.

Statements and hypotheses are changed through ``dataclasses.replace`` or the claims'
builders; steps, formulas and rewrite rules by rebuilding one proof item with one
link changed. A mutation that still checked would mean the proof does not depend on
what it claims to use.
"""

import dataclasses

import pytest
from sympy import Eq, ImmutableMatrix, Q, Rational, Transpose

from derivations.claims import (
    a6_weight_decay_picks_transpose as a6,
)
from derivations.claims import (
    a7_pinv_decoder as a7,
)
from derivations.claims import (
    d1_end_to_end_tied as d1,
)
from derivations.claims import (
    d2_not_layer_by_layer as d2,
)
from derivations.claims import (
    d3_balanced_layers as d3,
)
from derivations.claims import (
    d4_imbalance_conserved as d4,
)
from derivations.claims import (
    r1_rbm_conditionals as r1,
)
from derivations.engine import Chain, DerivationError, Induction, Link, Part, Step, plain_text
from derivations.mathematics.deep import W_1, W_2
from derivations.mathematics.losses import D, E
from derivations.notation import mu


def _index(claim, heading):
    for number, item in enumerate(claim.proof):
        if plain_text(item.heading) == heading:
            return number
    raise KeyError(heading)


def _with_link(claim, heading, number, **changes):
    """The claim with link ``number`` of the top-level chain ``heading`` changed."""
    where = _index(claim, heading)
    chain = claim.proof[where]
    links = [Link(s.rhs, s.because, using=s.using, relation=s.relation) for s in chain.steps]
    links[number] = dataclasses.replace(links[number], **changes)
    rebuilt = Chain(chain.heading, chain.steps[0].lhs, links)
    proof = claim.proof[:where] + (rebuilt,) + claim.proof[where + 1:]
    return dataclasses.replace(claim, proof=proof)


def _with_conclusion(claim, number, conclusion):
    conclusions = list(claim.conclusions)
    conclusions[number] = conclusion
    return dataclasses.replace(claim, conclusions=tuple(conclusions))


def _d3_push_through(*, base=None, start=1):
    """D3 with its push-through induction rebuilt: without a base case, or from ``start``."""
    where = _index(d3.CLAIM, "Push-through, by induction")
    induction = d3.CLAIM.proof[where]
    rebuilt = Induction(induction.variable, induction.statement,
                        induction.base if base is None else base, induction.step, start=start,
                        heading=induction.heading)
    proof = d3.CLAIM.proof[:where] + (rebuilt,) + d3.CLAIM.proof[where + 1:]
    return dataclasses.replace(d3.CLAIM, proof=proof)


def _d2_with_loss(value):
    part = d2.CLAIM.proof[0]
    steps = list(part.steps)
    steps[2] = Step(steps[2].lhs, value, steps[2].because, using=steps[2].using)
    return dataclasses.replace(d2.CLAIM, proof=(Part(part.heading, steps=tuple(steps)),
                                                *d2.CLAIM.proof[1:]))


MUTATIONS = {
    # Statements and hypotheses.
    "D1 statement: the decoder is twice the transpose": lambda: _with_conclusion(
        d1.CLAIM, 0, d1.CLAIM.conclusions[0].func(
            d1.CLAIM.conclusions[0].args[0],
            Eq(d1.D_m * d1.W_step.T, 2 * Transpose(d1.W_step * d1.E_m), evaluate=False))),
    "D2 hypothesis: a second layer that stretches E": lambda: d2.not_layer_by_layer(
        layer_2=ImmutableMatrix([[1, 0]])),
    "D3 hypothesis: layers balanced up to a factor 2": lambda: d3.balanced_layers(
        balanced=Eq(W_2.T * W_2, 2 * W_1 * W_1.T)),
    "A6 statement: E = 2 D^T": lambda: _with_conclusion(
        a6.CLAIM, 0, Eq(E, 2 * D.T, evaluate=False)),
    "A6 hypothesis: no weight decay": lambda: a6.weight_decay_picks_transpose(decay=0),
    "A7 hypothesis: full column rank instead of full row rank": lambda: a7.pinv_decoder(
        full_row_rank=Q.positive_definite(E.T * E)),
    "R1 statement: the sigmoid of minus the drive": lambda: _with_conclusion(
        r1.CLAIM, 4, Eq(r1.CLAIM.conclusions[4].lhs, r1.logistic(-r1.a_j), evaluate=False)),
    # Steps, formulas and rewrite rules.
    "D2 formula: the optimal loss is 2": lambda: _d2_with_loss(2),
    "D3 rule: a balance that is not the hypothesis": lambda: _with_link(
        d3.CLAIM, "E E^T for balanced layers", 0, using=(Eq(W_1 * W_1.T, 2 * W_2.T * W_2),)),
    "D3 induction: push-through without its base case": lambda: _d3_push_through(base=()),
    "D3 induction: push-through from j = 0, its base case at 1": lambda: _d3_push_through(
        start=0),
    "D4 rule: the identity without the upper layer's chain rule": lambda: _with_link(
        d4.CLAIM, "The identity between neighbouring layer gradients", 0,
        using=(d4.CLAIM.proof[0].relations[0],)),
    "A6 formula: the decoder equation with +mu": lambda: _with_link(
        a6.CLAIM, "The decoder equation, transposed", 1, expr=E * a6.S + mu * D.T),
    "A6 step: balance without the vanishing gradients": lambda: _with_link(
        a6.CLAIM, "Critical points are balanced", 1, using=()),
    "A7 formula: the gradient with the wrong sign": lambda: _with_link(
        a7.CLAIM, "The gradient of the loss", 0, expr=-a7.CLAIM.proof[
            _index(a7.CLAIM, "The gradient of the loss")].steps[0].rhs),
    "R1 rule: the visible reading without b^T v = v^T b": lambda: _with_link(
        r1.CLAIM, "The energy, read as a function of v", 0, using=()),
    "A7 rule: the mixed pseudo-inverse not derived": lambda: _with_link(
        a7.CLAIM, "The projector does not see an invertible mix", 0,
        using=a7.CLAIM.proof[_index(a7.CLAIM, "The projector does not see an invertible mix")]
        .steps[0].using[1:]),
    "R1 step: one hidden unit with half the drive": lambda: _with_link(
        r1.CLAIM, "One hidden unit, given v and the other hidden units", 0,
        expr=r1.logistic(r1.a_j * Rational(1, 2))),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_refused(name):
    with pytest.raises(DerivationError):
        MUTATIONS[name]().check()
