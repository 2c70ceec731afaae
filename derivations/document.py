"""The rendered document: an introduction, the claims in reading order, references.

Format-neutral: the renderers (:mod:`derivations.render_markdown`, ...) walk
the same sections, so every format shows the same checked objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Eq, Identity, Symbol, sqrt

from derivations.claims import all_claims
from derivations.engine import Claim, Prose, prose
from derivations.notation import PseudoInverse, SpectralNorm, W, k

__all__ = ["Essay", "FIGURES", "Figure", "REFERENCES", "document", "figure_numbers"]


@dataclass(frozen=True)
class Essay:
    """A section of reading text (no checked steps), with an anchor."""

    anchor: str
    title: str
    paragraphs: tuple[Prose, ...]


@dataclass(frozen=True)
class Figure:
    """A figure shown beside a claim: an SVG under ``docs/`` and its caption.

    ``file`` is relative to the rendered documents (``figures/....svg``);
    ``python -m derivations.figures`` regenerates every file from fixed seeds.
    """

    file: str
    alt: str
    caption: Prose


_sigma_min, _sigma_max = Symbol("sigma_min", positive=True), Symbol("sigma_max", positive=True)
_decay, _eigenvalue = Symbol("lambda", positive=True), Symbol("lambda_i", positive=True)
_CONVERGENCE = Figure(
    file="figures/f3_gradient_descent.svg",
    alt="Gradient descent on a tied linear autoencoder: the orthonormality defect and the "
        "gap between transpose and pseudo-inverse fall to zero.",
    caption=prose("Gradient descent on the tied loss from a random start, with positive "
                  "definite data covariance: ", SpectralNorm(W.T * W - Identity(k)), " and ",
                  SpectralNorm(W.T - PseudoInverse(W)), " fall to zero (F3). The limit is a "
                  "critical point, hence a partial isometry (A4)."),
)
#: Figures by the id of the claim they illustrate, shown after the claim's steps.
FIGURES: dict[str, tuple[Figure, ...]] = {
    "A4": (_CONVERGENCE,),
    "F3": (_CONVERGENCE,),
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


def figure_numbers(sections) -> dict[str, tuple[int, str]]:
    """Each figure file's number and the claim it is drawn beside, for every renderer.

    Figures are numbered in reading order and drawn beside the first claim that
    shows them; a later claim that shows the same file refers back to it.
    """
    placed: dict[str, tuple[int, str]] = {}
    for section in sections:
        if isinstance(section, Claim):
            for figure in FIGURES.get(section.id, ()):
                placed.setdefault(figure.file, (len(placed) + 1, section.id))
    return placed


TITLE = "Why tied autoencoders decode with the transpose: checked derivations"

#: Sources of the results, cited by short name in the claims' ``sources``.
REFERENCES = {
    "Penrose 1955": "R. Penrose, A generalized inverse for matrices, Mathematical "
    "Proceedings of the Cambridge Philosophical Society 51(3), 406-413, 1955.",
    "Eckart and Young 1936": "C. Eckart and G. Young, The approximation of one matrix by "
    "another of lower rank, Psychometrika 1(3), 211-218, 1936.",
    "Baldi and Hornik 1989": "P. Baldi and K. Hornik, Neural networks and principal "
    "component analysis: learning from examples without local minima, Neural Networks "
    "2(1), 53-58, 1989.",
    "Kunin, Bloom, Goeva and Seed 2019": "D. Kunin, J. Bloom, A. Goeva and C. Seed, Loss "
    "landscapes of regularized linear autoencoders, ICML 2019, PMLR 97, 3560-3569.",
    "Zhou and Liang 2017": "Y. Zhou and Y. Liang, Critical points of linear neural "
    "networks: analytical forms and landscape properties, ICLR 2018 (arXiv:1710.11205, "
    "2017).",
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
    "Horn and Johnson 2013": "R. A. Horn and C. R. Johnson, Matrix Analysis, 2nd ed., "
    "Cambridge University Press, 2013.",
}


def introduction() -> Essay:
    return Essay(
        anchor="introduction",
        title="How to read this document",
        paragraphs=(
            prose("A tied autoencoder encodes with ", W.T, " and decodes with ", W,
                  ". This document answers why the decoder uses the transpose and not "
                  "the inverse: a ", W, " with more rows than columns has no inverse, its "
                  "Moore-Penrose pseudo-inverse ", PseudoInverse(W), " takes that role, "
                  "and at the optimum of a linear autoencoder ",
                  Eq(W.T * W, Identity(k)), ", where ",
                  Eq(PseudoInverse(W), W.T, evaluate=False), "."),
            prose("Every claim has an id (P for the pseudo-inverse, A for the "
                  "autoencoder, F for where it fails). Each is a sequence of steps; "
                  "each step is a SymPy statement with its justification, and the "
                  "rewrite rules it may use. `python -m derivations` checks every step "
                  "and then writes this file: every formula here is printed by SymPy from "
                  "the object that was checked. The property tests in `tests/` carry the "
                  "same ids."),
        ),
    )


def references(claims: tuple[Claim, ...]) -> Essay:
    cited = sorted({source for claim in claims for source in claim.sources})
    unknown = [source for source in cited if source not in REFERENCES]
    if unknown:
        raise KeyError(f"claims cite sources with no reference entry: {unknown}")
    return Essay(
        anchor="references",
        title="References",
        paragraphs=tuple(prose(f"{name}: {REFERENCES[name]}") for name in sorted(REFERENCES)),
    )


def document() -> tuple[Essay | Claim, ...]:
    """The sections in reading order."""
    # Imported here: the answer builds an Essay, defined in this module.
    from derivations.answer import the_answer

    claims = all_claims()
    return (introduction(), *claims, the_answer(), references(claims))
