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
    Identity,
    IndexedBase,
    Inverse,
    Lt,
    MatrixSymbol,
    Sum,
    Symbol,
    Transpose,
    symbols,
)

from derivations.engine import prose
from derivations.notation import PseudoInverse, SpectralNorm, W, d, k
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
                  "the encoder, why the transpose ", layer.T, ", and not the inverse?"),
            prose("The answer comes first; the setup, the notation and the checked claims it "
                  "cites follow. Every formula in this document is printed by SymPy from the "
                  "object that `python -m derivations` checked."),
        ),
    )


def the_answer() -> Essay:
    """The answer, with anchor ``the-answer``, linking each claim it rests on."""
    D, E = MatrixSymbol("D", d, k), MatrixSymbol("E", k, d)
    U_k, C, Q = (MatrixSymbol("U_k", d, k), MatrixSymbol("C", k, k),
                 MatrixSymbol("Q", k, k))
    i = symbols("i", integer=True, positive=True)
    sigma, sigma_min, sigma_max = symbols("sigma_i sigma_min sigma_max", positive=True)
    # The untied (and tied) minimum: the discarded eigenvalues of S.
    untied_minimum = Sum(IndexedBase("lambda")[i], (i, k + 1, d))
    return Essay(
        anchor="the-answer",
        title="The answer",
        paragraphs=(
            prose("**The inverse becomes the pseudo-inverse.** The decoder ", W, " is ", d,
                  " by ", k, " with ", Lt(k, d, evaluate=False), ": it has no inverse. "
                  "With full column "
                  "rank its Moore-Penrose pseudo-inverse ",
                  Eq(PseudoInverse(W), Inverse(W.T * W) * W.T, evaluate=False),
                  " is a left inverse, ", Eq(PseudoInverse(W) * W, Identity(k)),
                  ", and ", W * PseudoInverse(W), " is the orthogonal projector onto the "
                  "column space of ", W, " (", _link("P4"), "). So the question is why the "
                  "encoder is ", W.T, " and not ", PseudoInverse(W), "."),
            prose("**For orthonormal columns they are the same matrix.** If ",
                  Eq(W.T * W, Identity(k)), " then ",
                  Eq(PseudoInverse(W), W.T, evaluate=False), " (", _link("P1"),
                  "; the pseudo-inverse is unique, ", _link("P2"), "). Exactly: ",
                  Eq(W.T, PseudoInverse(W), evaluate=False), " if and only if every "
                  "nonzero singular value ", sigma, " of ", W, " is 1 (", _link("P3"),
                  "), and the distance between the two is ",
                  SpectralNorm(W.T - PseudoInverse(W)), ", the largest ",
                  abs(sigma - 1 / sigma), " (", _link("P5"), "): nearly orthonormal means "
                  "nearly the pseudo-inverse."),
            prose("**The untied optimum pairs each map with the other's pseudo-inverse.** "
                  "For a decoder ", D, " of full column rank the best encoder is ",
                  Eq(E, PseudoInverse(D), evaluate=False), " (", _link("A1"), "). The "
                  "global minima of the untied loss are ", Eq(D, U_k * C), ", ",
                  Eq(E, Inverse(C) * U_k.T), " for any invertible ", C,
                  ", with loss ", untied_minimum, " (", _link("A2"), "): at every one, ",
                  Eq(E, PseudoInverse(D), evaluate=False), " and ",
                  Eq(D, PseudoInverse(E), evaluate=False), ", but ",
                  Eq(E, D.T, evaluate=False), " only when ", C, " is orthogonal."),
            prose("**Tying selects the optimum where the pseudo-inverse is the transpose, "
                  "at no cost.** With ", Eq(D, W), " and ", Eq(E, W.T), " the gradient of "
                  "the tied loss is known in closed form (", _link("A3"), "); with positive "
                  "definite data every critical point satisfies ",
                  Eq(W * W.T * W, W), ", so ", Eq(W.T, PseudoInverse(W), evaluate=False),
                  " there (", _link("A4"), "). The global minima are ", Eq(W, U_k * Q),
                  " with ", Q, " orthogonal, and the minimum is the untied one, ",
                  untied_minimum, " (", _link("A5"), "). Tying keeps exactly the untied "
                  "optima with orthogonal ", C, ". The transpose in a tied autoencoder is "
                  "therefore not an approximation of the inverse: at the optimum it is "
                  "the pseudo-inverse."),
            prose("**Where this fails.** The equality needs every hypothesis. With "
                  "rank-deficient data a global minimum need not be a partial isometry (",
                  _link("F1"), "); a rank-deficient ", W, " such as a repeated unit column "
                  "has ", Eq(PseudoInverse(W), W.T / 2, evaluate=False), " (", _link("F2"),
                  "); away from critical points, at initialisation and during training, ",
                  W.T, " is not ", PseudoInverse(W), " and only approaches it (", _link("F3"),
                  "); weight decay shrinks the singular values below 1 (", _link("F4"),
                  "); untied critical points with a rank-deficient decoder admit encoders "
                  "other than ", PseudoInverse(D), " (", _link("F5"), "); and penalising ",
                  D * E, " gives an encoder that is neither ", PseudoInverse(D), " nor ",
                  D.T, " (", _link("F6"), ")."),
            prose("**Why the transpose is used in practice.** Where the two agree, the "
                  "transpose is the one to compute: ", Eq(SpectralNorm(W.T), sigma_max),
                  " but ", Eq(SpectralNorm(PseudoInverse(W)), 1 / sigma_min),
                  ", which blows up as ", W, " nears rank deficiency, and ", W,
                  " to ", PseudoInverse(W), " is discontinuous where the rank drops, while ",
                  W, " to ", Transpose(W), " is linear, exact and free (", _link("F7"),
                  "). In short: a tall ", W, " has no inverse; its pseudo-inverse is the "
                  "right generalisation; at the optimum of a tied linear autoencoder that "
                  "pseudo-inverse equals ", W.T, "; so the transpose is the inverse one "
                  "can actually use."),
        ),
    )
