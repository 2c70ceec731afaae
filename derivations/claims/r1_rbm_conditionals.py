"""R1: in a restricted Boltzmann machine one matrix serves both directions, transposed.

Energy ``E(v, h) = -v^T W h - b^T v - c^T h`` over binary ``v`` (``d`` units) and
``h`` (``k`` units), joint ``p(v, h)`` proportional to ``exp(-E(v, h))``. The
energy is affine in each unit with no products of two hidden (or two
visible) units, so the conditionals factorise:
``p(h_j = 1 | v) = sigmoid(c_j + (W^T v)_j)`` and
``p(v_i = 1 | h) = sigmoid(b_i + (W h)_i)``: ``W^T`` encodes, ``W`` decodes.

>>> rbm_conditionals().check()
10
"""

from __future__ import annotations

import functools
import itertools

from sympy import (
    Eq,
    IndexedBase,
    Matrix,
    MatrixSymbol,
    Sum,
    Symbol,
    Transpose,
    exp,
    symbols,
)

from derivations.engine import Assume, Chain, Cite, Claim, Link, Part, Step, prose
from derivations.mathematics.facts import SCALAR_TRANSPOSE
from derivations.notation import Entry, d, k

__all__ = ["CLAIM", "DRIVES", "energy", "logistic", "rbm_conditionals"]

#: Visible and hidden states, weights and biases, with symbolic sizes.
v, h = MatrixSymbol("v", d, 1), MatrixSymbol("h", k, 1)
W = MatrixSymbol("W", d, k)
b, c = MatrixSymbol("b", d, 1), MatrixSymbol("c", k, 1)
#: A hidden index ``j`` and a visible index ``i`` (symbolic, counted from 1 as a reader
#: counts: ``1 <= j <= k``, ``1 <= i <= d``; :class:`Entry` holds them 1-based).
j, i = symbols("j i", integer=True, positive=True)


def logistic(x):
    """The logistic sigmoid ``1 / (1 + exp(-x))``."""
    return 1 / (1 + exp(-x))


def energy(visible, hidden, weights, visible_bias, hidden_bias):
    """``-v^T W h - b^T v - c^T h`` (a 1 x 1 matrix expression)."""
    return (-visible.T * weights * hidden - visible_bias.T * visible
            - hidden_bias.T * hidden)


def _unit_conditional(rest, drive):
    """``p(x = 1)`` for a binary unit ``x`` whose energy is ``rest - x * drive``."""
    return exp(-(rest - drive)) / (exp(-rest) + exp(-(rest - drive)))


@functools.cache
def _entry(vector, row):
    # Entry ``row`` counted from 1, kept unevaluated: SymPy's own ``vector[row, 0]`` counts
    # from 0 and prints that index, and writes a symbolic entry of a product as a sum over a
    # fresh 0-based dummy index (two such sums with different dummies do not compare equal).
    return Entry(vector, row)


#: The drives of hidden unit ``j`` and visible unit ``i``: real (W, v, h, b, c are real), so
#: the denominators below are sums of positive exponentials, licensed as nonzero.
a_j, a_i = symbols("a_j a_i", real=True)
DRIVES = (Eq(a_j, _entry(c + W.T * v, j), evaluate=False),
          Eq(a_i, _entry(b + W * h, i), evaluate=False))


def rbm_conditionals(*, weights_up=W.T, weights_down=W, drives=DRIVES) -> Claim:
    """Build R1; ``weights_up`` / ``weights_down`` are the matrices the energy's two readings
    use, ``drives`` the definitions of the two drives."""
    minus_energy = -energy(v, h, W, b, c)
    hidden_form = Chain("The energy, read as a function of h", minus_energy, (
        Link(Transpose(c + weights_up * v) * h + b.T * v, "the transpose of a sum"),))
    scalar = Cite(SCALAR_TRANSPOSE, b.T * v)
    visible_form = Chain("The energy, read as a function of v", minus_energy, (
        Link(v.T * (b + weights_down * h) + c.T * h, "b^T v is a scalar, so it is v^T b",
             using=scalar.relations),))

    drive_up = Chain("The drive of hidden unit j is entry j of that vector", a_j, (
        Link(_entry(c + weights_up * v, j), "the definition of the drive", using=(drives[0],)),))
    drive_down = Chain("The drive of visible unit i is entry i of that vector", a_i, (
        Link(_entry(b + weights_down * h, i), "the definition of the drive",
             using=(drives[1],)),))
    rest = Symbol("E_rest", real=True)
    hidden_unit = Chain(prose("One hidden unit, given v and the other hidden units"),
                        _unit_conditional(rest, a_j), (
        Link(logistic(a_j), "the energy of the others cancels"),),
        text=prose("By the hidden form, ", -minus_energy, " is ", rest, " minus ", _entry(h, j),
                   " times ", drives[0], ", where ", rest, " collects every term without ",
                   _entry(h, j), " (no term multiplies two hidden units)."))
    visible_unit = Chain(prose("One visible unit, given h and the other visible units"),
                         _unit_conditional(rest, a_i), (
        Link(logistic(a_i), "the energy of the others cancels"),),
        text=prose("By the visible form, with drive ", drives[1], "."))

    q = IndexedBase("q")
    s, N = symbols("s N", integer=True, positive=True)
    normalised = Eq(Sum(q[s], (s, 1, N)), 1, evaluate=False)
    sigma_j = logistic(a_j)
    marginal = Assume(normalised, (Chain("Sum over the other hidden units", Sum(
        sigma_j * q[s], (s, 1, N)), (
            Link(sigma_j * Sum(q[s], (s, 1, N)), "the factor does not depend on s"),
            Link(sigma_j, "the probabilities of the other units sum to 1",
                 using=(normalised,)),
        )),), Eq(Sum(sigma_j * q[s], (s, 1, N)), sigma_j, evaluate=False),
        heading="The conditional does not depend on the other hidden units")

    weights = Matrix(2, 2, symbols("w_11 w_12 w_21 w_22", real=True))
    vb, hb = Matrix(symbols("b_1 b_2", real=True)), Matrix(symbols("c_1 c_2", real=True))
    v2 = Matrix(symbols("v_1 v_2", real=True))
    h2 = Matrix(symbols("h_1 h_2", real=True))

    def joint(x, y):
        return exp(-energy(x, y, weights, vb, hb)[0, 0])

    states = [Matrix(state) for state in itertools.product((0, 1), repeat=2)]
    hidden_1 = (sum(joint(v2, y) for y in states if y[0] == 1)
                / sum(joint(v2, y) for y in states))
    visible_2 = (sum(joint(x, h2) for x in states if x[1] == 1)
                 / sum(joint(x, h2) for x in states))
    enumerated = Part(
        heading="Two visible and two hidden units, every state enumerated",
        text=prose("With symbolic ", Eq(MatrixSymbol("W", 2, 2), weights), ", biases and "
                   "states, the conditionals computed from the joint distribution by "
                   "summing over all four states of the other layer."),
        steps=(
            Step(hidden_1, logistic(hb[0] + (weights.T * v2)[0]),
                 "p(h_1 = 1 | v) uses the first column of W, i.e. the first row of W^T"),
            Step(visible_2, logistic(vb[1] + (weights * h2)[1]),
                 "p(v_2 = 1 | h) uses the second row of W"),
        ))
    up = hidden_unit.derives
    down = visible_unit.derives
    return Claim(
        id="R1",
        title="Restricted Boltzmann machines: one matrix, both directions",
        statement=prose(
            "For binary ", v, " and ", h, " with joint distribution proportional to ",
            exp(-energy(v, h, W, b, c)), ": the conditionals factorise over the units, with ",
            "p(h_j = 1 | v) = ", logistic(a_j), " and p(v_i = 1 | h) = ", logistic(a_i),
            " with ", drives[0], " and ", drives[1], ". The same ", W,
            " serves both directions, as ", W.T, " up and ", W, " down."),
        hypotheses=drives,
        conclusions=(hidden_form.derives, visible_form.derives, drive_up.derives,
                     drive_down.derives, up, down, marginal.derives),
        idea=prose(
            "The energy has no term with two hidden units (or two visible units), so it is "
            "affine in each unit. For one binary unit, the ratio of the two Boltzmann weights "
            "is the exponential of its drive, and the rest of the energy cancels: the "
            "probability is the sigmoid of the drive. Written as a function of ", h,
            ", the drive is ", c + W.T * v, "; as a function of ", v, ", it is ",
            b + W * h, ": one joint distribution, one matrix, used both ways."),
        generality=prose(
            "For symbolic sizes ", d, " and ", k, " and symbolic indices ", i, " and ", j,
            ": the two forms of the energy are matrix identities, each unit's conditional "
            "is derived with the rest of the energy ", rest, " left symbolic, and the sum "
            "over the other units' ", N, " configurations with their probabilities ", q[s],
            " left symbolic. Exhaustive sums over every state check it at 2 by 2."),
        proof=(hidden_form, scalar, visible_form, drive_up, drive_down, hidden_unit,
               visible_unit, marginal),
        instances=(enumerated,),
        remarks=(prose("Where the transpose comes from. The restricted Boltzmann machine is "
                       "Smolensky's harmonium (1986). Deep autoassociative networks are older "
                       "than 2006 (Kramer 1991 trained one with nonlinear hidden layers by "
                       "backpropagation); Hinton and Salakhutdinov (2006) made deep ones "
                       "trainable by pretraining a stack of RBMs, each with contrastive "
                       "divergence (Hinton 2002), and unrolling the stack into an autoencoder "
                       "whose decoder starts with the transposed weights ", W.T, " of each "
                       "layer, the asker's tied decoder; fine-tuning by backpropagation then "
                       "adjusted encoder and decoder weights separately."),),
        sources=("Smolensky 1986", "Kramer 1991", "Hinton 2002", "Hinton and Salakhutdinov 2006"),
    )


CLAIM = rbm_conditionals()
