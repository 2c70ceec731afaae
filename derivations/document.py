"""The document in the order a reader meets it.

The question and the answer first, then the setup and notation (the data, the
losses, which map is ``W``, one table of every symbol), then the claims, then
what the document assumes without proof, then the references. Format-neutral:
the renderers (:mod:`derivations.render.markdown`, :mod:`derivations.render.html`)
walk the same sections, so every format shows the same checked objects.

To extend it: add a row to :data:`SYMBOLS`, a :class:`TrustedFact` to the list
passed to :func:`assumptions`, a :class:`Figure` to :data:`FIGURES` (beside the
claim it illustrates) and a source to :data:`REFERENCES`.

>>> [getattr(s, "anchor", None) or s.id for s in document()][:4]
['the-question', 'the-answer', 'setup', 'P2']
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy
from sympy import Eq, Identity, IndexedBase, MatrixSymbol, Symbol, Trace, sqrt, symbols

from derivations.answer import the_answer, the_question
from derivations.claims import all_claims
from derivations.engine import Claim, Prose, prose
from derivations.notation import FrobeniusNorm, PseudoInverse, SpectralNorm, W, d, k, n
from derivations.sections import Essay, Figure, TrustedFact

__all__ = [
    "ALSO_ILLUSTRATES",
    "FIGURES",
    "REFERENCES",
    "SYMBOLS",
    "TITLE",
    "cited_facts",
    "assumptions",
    "document",
    "figure_numbers",
    "references",
    "setup",
]

TITLE = "Why tied autoencoders decode with the transpose: checked derivations"

_sigma_min, _sigma_max = Symbol("sigma_min", positive=True), Symbol("sigma_max", positive=True)
_decay, _eigenvalue = Symbol("mu", positive=True), Symbol("lambda_i", positive=True)

#: Figures by the id of the claim they illustrate, drawn after that claim's steps.
FIGURES: dict[str, tuple[Figure, ...]] = {
    "F3": (Figure(
        file="figures/f3_gradient_descent.svg",
        alt="Gradient descent on a tied linear autoencoder: the orthonormality defect and the "
            "gap between transpose and pseudo-inverse fall to zero.",
        caption=prose("Gradient descent on the tied loss from a small random start, with "
                      "positive definite data covariance: the gap ",
                      SpectralNorm(W.T - PseudoInverse(W)), " (solid) and the defect ",
                      SpectralNorm(W.T * W - Identity(k)), " (dashed) fall to zero (F3). "
                      "Near orthonormality both are about twice the largest ",
                      abs(Symbol("sigma_i") - 1), ", so the curves meet. The notch near step 35 "
                      "is where the last singular value reaches 1; the largest, already at 1, "
                      "is nudged away from it (by about 1e-5) and returns at a geometric rate. "
                      "The limit is a critical point, hence a partial isometry (A4)."),
    ),),
    "F4": (Figure(
        file="figures/f4_weight_decay.svg",
        alt="Singular values of W during tied training: they converge to 1 without weight "
            "decay and to the weight-decay closed form below 1 with it.",
        caption=prose("Singular values of ", W, " along gradient descent on the tied loss. "
                      "Without weight decay they converge to 1; with weight decay ", _decay,
                      " they converge to ", sqrt(1 - _decay / (2 * _eigenvalue)),
                      " (dashed), below 1, so ", W.T, " is not ", PseudoInverse(W), " (F4)."),
    ),),
    "F7": (Figure(
        file="figures/f7_conditioning.svg",
        alt="Norms of the transpose and of the pseudo-inverse as the smallest singular value "
            "goes to zero: the pseudo-inverse blows up, the transpose stays bounded.",
        caption=prose("As the smallest singular value ", _sigma_min, " of ", W, " goes to 0, ",
                      Eq(SpectralNorm(PseudoInverse(W)), 1 / _sigma_min, evaluate=False),
                      " blows up while ", Eq(SpectralNorm(W.T), _sigma_max, evaluate=False),
                      " stays put (F7)."),
    ),),
}

_sigma_e = Symbol("sigma_min(E)", positive=True)
FIGURES["A7"] = (Figure(
    file="figures/a7_digits_training.svg",
    alt="Loss against gradient-descent steps on the 8 by 8 digits for untied, tied and "
        "pseudo-inverse-decoded linear autoencoders, from the same start.",
    caption=prose("The asker's decoder on real data: untied, tied and ", PseudoInverse(
        MatrixSymbol("E", k, d)), "-decoded linear autoencoders trained by gradient descent "
        "from one start on the 8 by 8 handwritten digits (d = 64, k = 8), loss above the PCA "
        "optimum against steps. The pseudo-inverse decoder needs fewer steps here, mostly "
        "because its loss ignores the scale of E and allows a longer step; each of its steps "
        "costs a singular value decomposition. One data set, one start, one step rule: the "
        "numbers (with the measured time per step) are in a7_digits_training.json beside the "
        "figure."),
),)
FIGURES["nonlinear"] = (Figure(
    file="figures/n1_nonlinear.svg",
    alt="Orthonormality defect and transpose-pseudo-inverse gap of tied linear, tanh and "
        "sigmoid autoencoders trained on the digits, with and without weight decay.",
    caption=prose(SpectralNorm(W.T * W - Identity(k)), " and ",
                  SpectralNorm(W.T - PseudoInverse(W)), " at the end of training, for the "
                  "six runs listed above (numbers in n1_nonlinear.json)."),
),)

#: Claims that a figure drawn beside another claim illustrates too: a link, not a copy.
ALSO_ILLUSTRATES: dict[str, tuple[str, ...]] = {"A4": ("figures/f3_gradient_descent.svg",)}


def figure_numbers(sections) -> dict[str, tuple[int, str]]:
    """Each figure file's number and the claim it is drawn beside, for every renderer.

    Figures are numbered in reading order of the claims they are drawn beside.
    """
    placed: dict[str, tuple[int, str]] = {}
    for section in sections:
        key = section.id if isinstance(section, Claim) else section.anchor
        for figure in FIGURES.get(key, ()):
            placed.setdefault(figure.file, (len(placed) + 1, key))
    return placed


#: Sources of the results, cited by short name in the claims' ``sources``.
REFERENCES = {
    "Penrose 1955": "R. Penrose, A generalized inverse for matrices, Mathematical "
    "Proceedings of the Cambridge Philosophical Society 51(3), 406-413, 1955.",
    "Eckart and Young 1936": "C. Eckart and G. Young, The approximation of one matrix by "
    "another of lower rank, Psychometrika 1(3), 211-218, 1936.",
    "Baldi and Hornik 1989": "P. Baldi and K. Hornik, Neural networks and principal "
    "component analysis: learning from examples without local minima, Neural Networks "
    "2(1), 53-58, 1989.",
    "Baldi 1988": "P. Baldi, Linear learning: landscapes and algorithms, Advances in "
    "Neural Information Processing Systems 1 (NIPS 1988), 65-72, 1989.",
    "Oja 1989": "E. Oja, Neural networks, principal components, and subspaces, "
    "International Journal of Neural Systems 1(1), 61-68, 1989.",
    "Xu 1993": "L. Xu, Least mean square error reconstruction principle for self-organizing "
    "neural-nets, Neural Networks 6(5), 627-648, 1993.",
    "Kunin, Bloom, Goeva and Seed 2019": "D. Kunin, J. Bloom, A. Goeva and C. Seed, Loss "
    "landscapes of regularized linear autoencoders, ICML 2019, PMLR 97, 3560-3569.",
    "Zhou and Liang 2018": "Y. Zhou and Y. Liang, Critical points of linear neural "
    "networks: analytical forms and landscape properties, International Conference on "
    "Learning Representations (ICLR), 2018 (preprint arXiv:1710.11205).",
    # Deep networks, weight decay, the pseudo-inverse decoder and RBMs (D1-D4, A6, A7, R1).
    "Arora, Cohen and Hazan 2018": "S. Arora, N. Cohen and E. Hazan, On the optimization of "
    "deep networks: implicit acceleration by overparameterization, ICML 2018, PMLR 80 "
    "(arXiv:1802.06509).",
    "Du, Hu and Lee 2018": "S. S. Du, W. Hu and J. D. Lee, Algorithmic regularization in "
    "learning deep homogeneous models: layers are automatically balanced, NeurIPS 2018, "
    "384-395.",
    "Hinton 2002": "G. E. Hinton, Training products of experts by minimizing contrastive "
    "divergence, Neural Computation 14(8), 1771-1800, 2002.",
    "Hinton and Salakhutdinov 2006": "G. E. Hinton and R. R. Salakhutdinov, Reducing the "
    "dimensionality of data with neural networks, Science 313(5786), 504-507, 2006.",
    "Smolensky 1986": "P. Smolensky, Information processing in dynamical systems: "
    "foundations of harmony theory, in D. E. Rumelhart, J. L. McClelland and the PDP "
    "Research Group, Parallel Distributed Processing: Explorations in the Microstructure of "
    "Cognition, Volume 1: Foundations, chapter 6, 194-281, MIT Press, 1986.",
    "Kramer 1991": "M. A. Kramer, Nonlinear principal component analysis using "
    "autoassociative neural networks, AIChE Journal 37(2), 233-243, 1991.",
    "Horn and Johnson 2013": "R. A. Horn and C. R. Johnson, Matrix Analysis, 2nd ed., "
    "Cambridge University Press, 2013.",
}


def reference_anchor(name: str) -> str:
    """The anchor of a reference entry: ``ref-`` and its words.

    >>> reference_anchor("Kunin, Bloom, Goeva and Seed 2019")
    'ref-kunin-bloom-goeva-and-seed-2019'
    """
    return "ref-" + "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


# The setup's symbols, each with one meaning in the whole document.
_X, _S = MatrixSymbol("X", d, n), MatrixSymbol("S", d, d)
_U, _Lambda = MatrixSymbol("U", d, d), MatrixSymbol("Lambda", d, d)
_U_k, _Lambda_k = MatrixSymbol("U_k", d, k), MatrixSymbol("Lambda_k", k, k)
_D, _E = MatrixSymbol("D", d, k), MatrixSymbol("E", k, d)
_i, _N, _L = symbols("i N L", integer=True, positive=True)
_sigma_i, _eta = symbols("sigma_i eta", positive=True)
_untied_loss = Trace((Identity(d) - _D * _E) * _S * (Identity(d) - _D * _E).T)
_tied_loss = Trace((Identity(d) - W * W.T) * _S * (Identity(d) - W * W.T))

#: One row per symbol: its notation and its one meaning. Letters such as a, b, c
#: or t inside a claim are parameters of that claim's instances, defined there.
SYMBOLS: tuple[tuple[Prose, Prose], ...] = (
    (prose(d, ", ", n), prose("dimension of the data, number of samples")),
    (prose(_X), prose("the data, ", d, " by ", n, ", one centred sample per column")),
    (prose(_S), prose(Eq(_S, _X * _X.T, evaluate=False), ", the (unnormalised) covariance, "
                      "symmetric positive semidefinite")),
    (prose(Symbol("lambda_i"), ", ", Symbol("u_i")),
     prose("the ", _i, "-th largest eigenvalue of ", _S, " and its unit eigenvector")),
    (prose(_U, ", ", _Lambda), prose(Eq(_S, _U * _Lambda * _U.T, evaluate=False),
                                     ", the eigen-decomposition of ", _S)),
    (prose(_U_k, ", ", _Lambda_k), prose("the top ", k, " eigenvectors of ", _S,
                                         " (columns) and their eigenvalues (diagonal)")),
    (prose(k), prose("code size: the number of hidden units")),
    (prose(_D, ", ", _E), prose("untied decoder (", d, " by ", k, ") and encoder (", k, " by ",
                                d, ")")),
    (prose(W), prose("tied weights, ", d, " by ", k, ": the decoder; the encoder is ", W.T)),
    (prose(PseudoInverse(W)), prose("the Moore-Penrose pseudo-inverse of ", W)),
    (prose(Identity(k)), prose("the ", k, " by ", k, " identity matrix")),
    (prose(_sigma_i, ", ", _sigma_min, ", ", _sigma_max),
     prose("singular values of ", W, ": the ", _i, "-th, the smallest, the largest")),
    (prose(SpectralNorm(MatrixSymbol("A", d, k))),
     prose("spectral norm: the largest singular value of ", MatrixSymbol("A", d, k))),
    (prose(FrobeniusNorm(MatrixSymbol("A", d, k))),
     prose("Frobenius norm: the root of the sum of squared entries")),
    (prose(_eta), prose("learning rate of gradient descent")),
    (prose(_decay), prose("weight decay: the penalty ", _decay * FrobeniusNorm(W) ** 2,
                          " added to the loss")),
)


def setup(symbols_table: tuple[tuple[Prose, Prose], ...] = SYMBOLS) -> Essay:
    """"Setup and notation": the data, the losses, which map is ``W``, the symbol table."""
    W_layer = MatrixSymbol("W_L", d, k)
    # Layer N - L + 1 as an indexed W, so its subscript prints as a formula.
    mirrored = IndexedBase("W")[_N - _L + 1]
    return Essay(
        anchor="setup",
        title="Setup and notation",
        paragraphs=(
            prose("The data are ", n, " samples in ", d, " dimensions, the columns of ", _X,
                  " (", d, " by ", n, "), centred so that every row sums to zero. Their "
                  "covariance (without the factor ", 1 / n, ") is ",
                  Eq(_S, _X * _X.T, evaluate=False), ", symmetric and positive semidefinite, "
                  "with eigen-decomposition ", Eq(_S, _U * _Lambda * _U.T, evaluate=False),
                  " and eigenvalues ", Symbol("lambda_1"), " at least ", Symbol("lambda_2"),
                  " and so on down to ", Symbol("lambda_d"), "."),
            prose("A linear autoencoder with ", k, " hidden units encodes a sample ",
                  MatrixSymbol("x", d, 1), " as ", _E * MatrixSymbol("x", d, 1),
                  " and decodes a code back with ", _D, ". It is trained on the squared "
                  "reconstruction error, the untied loss ", _untied_loss, ". Tying the "
                  "weights sets ", Eq(_D, W, evaluate=False), " and ",
                  Eq(_E, W.T, evaluate=False), ": ", W, " (", d, " by ", k, ") is the "
                  "decoder and its transpose ", W.T, " the encoder. The tied loss is ",
                  _tied_loss, "."),
            prose("In the question's notation an ", _N, "-layer network has weight matrices ",
                  MatrixSymbol("W_1", 1, 1), " to ", MatrixSymbol("W_N", 1, 1),
                  ", and tying sets ", Eq(mirrored, W_layer.T, evaluate=False),
                  ": the decoding layers are the transposes of the encoding ones, in reverse "
                  "order. With one hidden layer (", Eq(_N, 2, evaluate=False), ") the "
                  "encoder ", MatrixSymbol("W_1", k, d), " is this document's ", W.T,
                  " and the decoder ", MatrixSymbol("W_2", d, k), " is ", W, "."),
            prose("Every symbol below keeps one meaning throughout the document."),
        ),
        table=symbols_table,
    )



#: What the document cites without proof, until the engine lists its trusted facts
#: (then :func:`document` renders the engine's list through :func:`assumptions`).
def cited_facts(claims) -> tuple[TrustedFact, ...]:
    """The trusted facts the claims' proofs cite, each with the claims that cite it.

    In the order of first citation; a fact no proof cites is not listed.
    """
    users: dict = {}
    for claim in claims:
        for fact in claim.citations():
            users.setdefault(fact, []).append(claim.id)
    return tuple(TrustedFact(fact.title, fact.statement, fact.source, tuple(ids))
                 for fact, ids in users.items())


def assumptions(facts: Iterable[TrustedFact | tuple]) -> Essay:
    """"What this document assumes": each trusted fact, its source and the claims using it.

    ``facts`` holds :class:`TrustedFact` objects or tuples ``(name, statement,
    source, claim ids)``; a statement may be a string or prose.

    >>> essay = assumptions([("Fact", "it holds", "Penrose 1955", ["P1"])])
    >>> essay.items[0][0]
    'fact-fact'
    """
    items = []
    for fact in facts:
        if not isinstance(fact, TrustedFact):
            name, statement, source, used_in = fact
            statement = prose(statement) if isinstance(statement, str) else prose(*statement)
            fact = TrustedFact(name, statement, source, tuple(used_in))
        used = ", ".join(f"[{claim_id}](#{claim_id.lower()})" for claim_id in fact.used_in)
        # A source with a reference entry links to it; any other is named in full.
        source = (f"[{fact.source}](#{reference_anchor(fact.source)})"
                  if fact.source in REFERENCES else fact.source)
        items.append((fact.anchor, prose(f"**{fact.name}.** ", *fact.statement,
                                         f". Source: {source}"
                                         + (f"; used in {used}." if used else "."))))
    return Essay(
        anchor="assumptions",
        title="What this document assumes",
        paragraphs=(prose("Every step above is checked by SymPy. These classical facts are "
                          "cited without a checked proof; each names its source and the "
                          "claims that use it."),),
        items=tuple(items),
    )


def references(claims: tuple[Claim, ...]) -> Essay:
    """The references, each with its own anchor; every source a claim cites must have one."""
    cited = {source for claim in claims for source in claim.sources}
    unknown = sorted(source for source in cited if source not in REFERENCES)
    if unknown:
        raise KeyError(f"claims cite sources with no reference entry: {unknown}")
    return Essay(
        anchor="references",
        title="References",
        paragraphs=(),
        items=tuple((reference_anchor(name), prose(f"{name}: {REFERENCES[name]}"))
                    for name in sorted(REFERENCES)),
    )


def nonlinear_experiment() -> Essay:
    """N1, an experiment and not a claim: tied nonlinear autoencoders on the digits.

    The numbers are read from the committed ``docs/figures/n1_nonlinear.json``,
    which the tests recompute (``derivations.experiments``).
    """
    import json

    from derivations.experiments import FIGURE_DIRECTORY, N1_FILE

    data = json.loads((FIGURE_DIRECTORY / f"{N1_FILE}.json").read_text(encoding="utf-8"))
    runs = []
    for run in data["runs"]:
        decay = run["weight_decay"]
        runs.append(prose(
            f"{run['activation']}, " + ("no weight decay" if not decay
                                       else f"weight decay {decay:g}") + ": ",
            Eq(SpectralNorm(W.T * W - Identity(k)),
               sympy.Float(run["orthonormality_defect"], 2), evaluate=False), ", ",
            Eq(SpectralNorm(W.T - PseudoInverse(W)),
               sympy.Float(run["transpose_pseudo_inverse_gap"], 2), evaluate=False),
            f", singular values from {run['sigma_min']:.3f} to {run['sigma_max']:.3f}."))
    return Essay(
        anchor="nonlinear",
        title="N1. The nonlinear case: an experiment, not a claim",
        paragraphs=(
            prose("A layer ", sympy.Function("f")(W.T * MatrixSymbol("x", d, 1)
                                                  + MatrixSymbol("b", k, 1)),
                  " with a nonlinear f has no layer inverse, so nothing here is about "
                  "inverses: tying is weight sharing, and nothing forces ",
                  Eq(W.T * W, Identity(k), evaluate=False), ". Tied autoencoders x -> W f(",
                  W.T, " x + b) + c with f = tanh, f = sigmoid, and the linear map as a "
                  "control were trained by gradient descent on the 8 by 8 digits (k = "
                  f"{data['k']}), from one seeded start, with and without weight decay:"),
            *runs,
            ("What this shows: in these six runs the linear control ends at the "
             "orthonormal optimum (with weight decay, just below it, as F4 says), while the "
             "tanh and sigmoid layers end elsewhere, sigmoid (slope 1/4 at 0) with singular "
             "values near 2. What it does not show: anything about other data, sizes, "
             "optimisers, starts or training lengths; the nonlinear losses were still "
             "falling slowly at the end.",),
        ),
    )


def document(facts: Iterable[TrustedFact | tuple] | None = None) -> tuple[Essay | Claim, ...]:
    """The sections in reading order; ``facts`` defaults to those the proofs cite."""
    claims = all_claims()
    if facts is None:
        facts = cited_facts(claims)
    return (the_question(), the_answer(), setup(), *claims, nonlinear_experiment(),
            assumptions(facts), references(claims))
