"""The opening sections: the question as asked, and the answer to it.

:func:`the_question` states the question in the asker's notation (an
``N``-layer network whose decoding layers are the transposes of its encoding
layers); :func:`the_answer` answers it.

It ties the checked claims together, in the order of the argument, and links
each to its section: the inverse becomes the pseudo-inverse (P4); for
orthonormal columns the pseudo-inverse is the transpose (P1, P3, P5); the
untied optimum pairs each map with the other's pseudo-inverse (A1, A2); tying
selects the optimum where that pseudo-inverse is the transpose, at no cost
(A3, A4, A5); where this stops being true (F1-F7); and why the transpose is
what one uses in practice (F7). Like every section, its formulas are SymPy
objects printed by the renderers.

>>> the_question().anchor
'the-question'
>>> essay = the_answer()
>>> essay.anchor, essay.title
('the-answer', 'The answer')
>>> all(f"[{claim}](#{claim.lower()})" in "".join(
...     part for paragraph in essay.paragraphs for part in paragraph if isinstance(part, str))
...     for claim in ("P1", "P3", "P4", "P5", "A2", "A4", "A5", "F1", "F7"))
True
"""

from __future__ import annotations

from sympy import (
    Eq,
    Function,
    IndexedBase,
    MatrixSymbol,
    Symbol,
    symbols,
)

from derivations.engine import prose
from derivations.notation import PseudoInverse, d, k
from derivations.sections import Essay

__all__ = ["the_answer", "the_question"]


def _link(claim_id: str) -> str:
    """A Markdown link to a claim's section (anchors are the lowercase ids)."""
    return f"[{claim_id}](#{claim_id.lower()})"


def the_question() -> Essay:
    """The question, as the asker put it, with anchor ``the-question``."""
    # Layer N - L + 1 as an indexed W, so its subscript prints as a formula.
    layers, depth = IndexedBase("W"), Symbol("N") - Symbol("L") + 1
    layer, mirrored = MatrixSymbol("W_L", d, k), layers[depth]
    return Essay(
        anchor="the-question",
        title="The question",
        paragraphs=(
            prose("A tied autoencoder with ", Symbol("N"), " layers decodes with the "
                  "transposes of its encoding weights: layer ", Symbol("N") - Symbol("L") + 1,
                  " uses ", Eq(mirrored, layer.T, evaluate=False), ". If the decoder is to undo "
                  "the encoder, why the transpose ", layer.T, ", and not the inverse, or at "
                  "least the pseudo-inverse ", PseudoInverse(layer), "?"),
            prose("The answer comes first; the setup, the notation and the checked claims it "
                  "cites follow. Every formula in this document is printed by SymPy from the "
                  "object that `python -m derivations` checked."),
        ),
    )


def the_answer() -> Essay:
    """The answer in the asker's notation, with anchor ``the-answer``, linking every claim."""
    N, L = Symbol("N"), Symbol("L")
    widths = IndexedBase("h")
    h, h_before = widths[L], widths[L - 1]
    layer = MatrixSymbol("W_L", h, h_before)
    E = MatrixSymbol("E", k, d)
    mu, lam = symbols("mu lambda_i", positive=True)
    sigma_min = Symbol("sigma_min", positive=True)
    return Essay(
        anchor="the-answer",
        title="The answer",
        paragraphs=(
            prose("**There is no inverse to take.** An encoding layer ", layer, " maps ",
                  h_before, " units to fewer, ", h, ": a wide matrix has no inverse, "
                  "and the matrix that plays its role is the pseudo-inverse ",
                  PseudoInverse(layer), " (", _link("P4"), ")."),
            prose("**The transpose is the pseudo-inverse exactly for partial isometries.** ",
                  Eq(layer.T, PseudoInverse(layer), evaluate=False), " if and only if every "
                  "nonzero singular value of ", layer, " is 1, for example when its rows are "
                  "orthonormal (", _link("P1"), ", ", _link("P2"), ", ", _link("P3"), "); "
                  "nearly orthonormal means nearly the pseudo-inverse, with a bound (",
                  _link("P5"), ")."),
            prose("**Training puts the network there.** With ",
                  Eq(IndexedBase("W")[N - L + 1], layer.T, evaluate=False), " the whole "
                  "network is a one-layer tied autoencoder in the end-to-end encoder ",
                  E, " (", _link("D1"), "). With positive definite data, every critical "
                  "point of that loss has ",
                  Eq(E.T, PseudoInverse(E), evaluate=False), " (", _link("A3"), ", ",
                  _link("A4"), "), and the optimum is principal component analysis, with "
                  "the same loss as the best untied network (", _link("A1"), ", ",
                  _link("A2"), ", ", _link("A5"), "): tying costs nothing and picks, among "
                  "the untied optima, those whose decoder is both the transpose and the "
                  "pseudo-inverse. Layer by layer this holds when the layers are balanced (",
                  _link("D3"), "), which gradient flow preserves from a balanced or small "
                  "start and weight decay enforces (", _link("D4"), "); from an unbalanced "
                  "start the optimum is reached with layers that are not partial isometries ("
                  , _link("D2"), ")."),
            prose("**The asker's decoder** ", PseudoInverse(E), " **would work but costs "
                  "more.** Its loss depends only on the row space of ", E, " and has the same "
                  "minimum, but each step needs a pseudo-inverse, its gradient grows like 1/",
                  sigma_min, " and jumps where the rank drops, and nothing controls the scale "
                  "of ", E, " (", _link("A7"), ", ", _link("F7"), "); the transpose is linear, "
                  "exact and free."),
            prose("**Where the transpose comes from.** In a restricted Boltzmann machine the "
                  "two conditionals of one joint distribution use one matrix, one way as ",
                  MatrixSymbol("W", d, k).T, " and the other as ", MatrixSymbol("W", d, k),
                  " (", _link("R1"), "); deep autoencoders were first built by unrolling "
                  "stacked RBMs, with decoder weights ", layer.T, ". Weight decay makes an "
                  "untied network choose ", Eq(E, MatrixSymbol("D", d, k).T, evaluate=False),
                  " by itself (", _link("A6"), "), but shrinks the singular values below 1, to ",
                  Eq(Symbol("sigma_i") ** 2, 1 - mu / (2 * lam), evaluate=False),
                  ", so then ", layer.T, " is not exactly ", PseudoInverse(layer), " (",
                  _link("F4"), ")."),
            prose("**What fails, and the nonlinear case.** Singular data, rank-deficient "
                  "weights, unfinished training and other penalties break the equality (",
                  _link("F1"), ", ", _link("F2"), ", ", _link("F3"), ", ", _link("F5"), ", ",
                  _link("F6"), "). A nonlinear layer ",
                  Function("f")(layer * MatrixSymbol("x", h_before, 1)
                                + MatrixSymbol("b", h, 1)),
                  " has no inverse at all: tying is weight sharing, and in the experiment "
                  "below tanh and sigmoid layers end far from orthonormal ([N1](#nonlinear))."),
        ),
    )
