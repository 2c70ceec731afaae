"""The opening sections: the question as asked, and the answer to it.

:func:`the_question` states the question in the asker's notation (an
``N``-layer network whose decoding layers are the transposes of its encoding
layers); :func:`the_answer` answers it.

It ties the checked claims together, in the order of the argument, and links
each to its section: the inverse becomes the pseudo-inverse (P4); for
partial isometries the pseudo-inverse is the transpose (P1, P3, P5); the
transpose composes over the ``N = 2m`` layers, so the network is a one-layer
tied autoencoder in its end-to-end encoder (D1), while the asker's
layer-wise pseudo-inverse is not the pseudo-inverse of that encoder (D5); as a function of that
encoder every critical point has ``E^T = E^+`` and the optimum (with
``lambda_k > lambda_{k+1}``) is PCA at no cost over the untied network (A1-A5);
that gradient descent gets there is measured, not proved (F3); layer by layer
it needs balance (D2-D4); each weight-decay formula goes with its own penalty
(A6, F4); where the transpose comes from (R1); where this stops being true
(F1-F7). Like every section, its formulas are SymPy
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
    Ne,
    Symbol,
    Transpose,
    symbols,
)

from derivations.engine import prose
from derivations.notation import FrobeniusNorm, PseudoInverse, d, k
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
    N, L, m = Symbol("N"), Symbol("L"), Symbol("m")
    widths = IndexedBase("h")
    h, h_before = widths[L], widths[L - 1]
    layer = MatrixSymbol("W_L", h, h_before)
    E = MatrixSymbol("E", k, d)
    D = MatrixSymbol("D", d, k)
    W = MatrixSymbol("W", d, k)
    # Two encoding layers stand for the composition: W_1 (h_1 x d), then W_2 (k x h_1).
    h_1 = widths[1]
    W_1, W_2 = MatrixSymbol("W_1", h_1, d), MatrixSymbol("W_2", k, h_1)
    mirrored = IndexedBase("W")[N - L + 1]
    mu, lam = symbols("mu lambda_i", positive=True)
    lam_k, lam_next = symbols("lambda_k lambda_k+1", positive=True)
    sigma_i, sigma_min = Symbol("sigma_i", positive=True), Symbol("sigma_min", positive=True)
    eps = Symbol("epsilon", positive=True)
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
            prose("**The transpose composes.** The network has an even number ",
                  Eq(N, 2 * m, evaluate=False), " of layers, ", m, " encoding and ", m,
                  " decoding, with ", Eq(mirrored, layer.T, evaluate=False), ". Because ",
                  Eq(Transpose(W_2 * W_1), W_1.T * W_2.T, evaluate=False), ", at every "
                  "depth the decoder is the transpose of the end-to-end encoder ", E,
                  " (the product of the ", m, " encoding layers), and the whole network is a "
                  "one-layer tied autoencoder in ", E, " (", _link("D1"), "). The "
                  "pseudo-inverse does not compose that way. The asker's layer-wise decoder, "
                  "with ", Eq(mirrored, PseudoInverse(layer), evaluate=False), ", is ",
                  PseudoInverse(W_1) * PseudoInverse(W_2), " for two encoding layers, and "
                  "in general ", Ne(PseudoInverse(W_1) * PseudoInverse(W_2),
                                    PseudoInverse(W_2 * W_1), evaluate=False),
                  ": with full row rank layers its reconstruction is a projector, but an "
                  "oblique one, and it depends on how ", E, " is factored, so the same ",
                  E, " decodes with different losses (", _link("D5"), ")."),
            prose("**Where the tied network ends.** As a function of ", E, ", with positive "
                  "definite data every critical point of the tied loss has ",
                  Eq(E.T, PseudoInverse(E), evaluate=False), " (", _link("A3"), ", ",
                  _link("A4"), "), and, when ", lam_k > lam_next, ", the optimum is "
                  "principal component analysis, with the same loss as the best untied "
                  "network (", _link("A1"), ", ", _link("A2"), ", ", _link("A5"), "): tying "
                  "costs nothing and picks, among the untied optima, those whose decoder is "
                  "both the transpose and the pseudo-inverse. That training gets there is "
                  "measured, not proved: gradient descent reaches it in every run measured "
                  "here (", _link("F3"), ")."),
            prose("**Layer by layer.** At an optimum every layer is a partial isometry, so ",
                  Eq(layer.T, PseudoInverse(layer), evaluate=False), " for each layer, when "
                  "the layers are balanced (", _link("D3"), "). Gradient flow conserves the "
                  "imbalance between neighbouring layers, so a balanced start stays balanced, "
                  "a start of scale ", eps, " is balanced only up to terms of order ",
                  eps**2, ", and weight decay on every layer makes every critical point "
                  "balanced (", _link("D4"), "). An unbalanced optimum need not have partial "
                  "isometries as layers, and may (", _link("D2"), ")."),
            prose("**The asker's decoder for one layer,** ", PseudoInverse(E), ", **would "
                  "work but costs more.** Its loss depends only on the row space of ", E,
                  " and has the same minimum, but each step needs a pseudo-inverse, its "
                  "gradient grows like 1/", sigma_min, " and jumps where the rank drops, and "
                  "nothing controls the scale of ", E, " (", _link("A7"), ", ", _link("F7"),
                  "); the transpose is linear, exact and free."),
            prose("**Weight decay.** Added to an untied network as ",
                  mu * (FrobeniusNorm(D) ** 2 + FrobeniusNorm(E) ** 2), ", it makes every "
                  "critical point have ", Eq(E, D.T, evaluate=False), " (", _link("A6"),
                  "), and the optimum shrinks the singular values to ",
                  Eq(sigma_i ** 2, 1 - mu / lam, evaluate=False), "; added to a tied layer "
                  "as ", mu * FrobeniusNorm(W) ** 2, ", to ",
                  Eq(sigma_i ** 2, 1 - mu / (2 * lam), evaluate=False), " (0 once the "
                  "penalty outweighs the eigenvalue). Either way the transpose is then not "
                  "exactly the pseudo-inverse (", _link("F4"), "). Neither formula is "
                  "claimed here for each layer of a deep network with decay on every layer."),
            prose("**Where the transpose comes from.** In a restricted Boltzmann machine "
                  "(Smolensky's harmonium, 1986) the two conditionals of one joint "
                  "distribution use one matrix, one way as ", W.T, " and the other as ", W,
                  " (", _link("R1"), "). Deep autoassociative networks are older than 2006; "
                  "Hinton and Salakhutdinov (2006) made them trainable by pretraining a "
                  "stack of RBMs and unrolling it, with decoder weights ", layer.T, "."),
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
