"""A7: the asker's decoder, ``E^+``: a loss of the row space only, and its price.

For an encoder ``E`` (``k x d``) of full row rank, ``E^+ = E^T (E E^T)^{-1}`` (by
uniqueness of the Moore-Penrose inverse) and decoding with it gives the loss
``tr S - tr(P S)`` with ``P = E^+ E`` the orthogonal projector on the row space
of ``E``. ``P`` is unchanged by ``E -> C E`` for invertible ``C``; the loss is
at least the PCA minimum (Ky Fan); its gradient is ``-2 (E^+)^T S (I - P)``,
which carries ``(E E^T)^{-1}``: it grows like ``1/sigma_min(E)``.

>>> pinv_decoder().check()
24
"""

from __future__ import annotations

from sympy import (
    Eq,
    Ge,
    Identity,
    ImmutableMatrix,
    IndexedBase,
    Inverse,
    MatrixSymbol,
    Q,
    Sum,
    Trace,
    symbols,
)

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import (
    Chain,
    Cite,
    Claim,
    Conclude,
    Define,
    Link,
    Part,
    Step,
    matrix_derivative,
    prose,
)
from derivations.mathematics.facts import KY_FAN
from derivations.mathematics.losses import SYMMETRIC, E, S, untied_loss
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import PseudoInverse, d, k

__all__ = ["CLAIM", "FULL_ROW_RANK", "INVERTIBLE_MIX", "pinv_decoder"]

#: ``E`` has full row rank: ``E E^T`` is positive definite.
FULL_ROW_RANK = Q.positive_definite(E * E.T)
#: The mixing matrix of ``E -> C E`` is invertible.
C = MatrixSymbol("C", k, k)
INVERTIBLE_MIX = Q.invertible(C)


def _by_uniqueness(W, candidate, what):
    """The four Penrose conditions for ``(W, candidate)`` by algebra, then ``W^+ = candidate``."""
    chains = tuple(
        Chain(prose("Penrose condition ", number, " for ", what), condition.lhs,
              (Link(condition.rhs, "cancel the licensed inverses"),))
        for number, condition in enumerate(penrose_conditions(W, candidate), start=1))
    uniqueness, equal = by_uniqueness(W, candidate)
    return (*chains, *uniqueness), equal


def pinv_decoder(*, full_row_rank=FULL_ROW_RANK, invertible_mix=INVERTIBLE_MIX) -> Claim:
    """Build A7 under the full-row-rank and invertible-mix hypotheses."""
    gram_inverse = Inverse(E * E.T)
    formula_parts, formula = _by_uniqueness(E, E.T * gram_inverse, E)
    transposed_parts, transposed = _by_uniqueness(E.T, gram_inverse * E, E.T)
    mixed_parts, mixed = _by_uniqueness(C * E, E.T * gram_inverse * Inverse(C), C * E)

    P = MatrixSymbol("P", d, d)
    projector = Define(P, PseudoInverse(E) * E, text="The decoder's projector.")
    explicit = E.T * gram_inverse * E
    as_product = Chain(prose(P, " in terms of ", E), P, (
        Link(explicit, "the formula for the pseudo-inverse",
             using=(projector.definition, formula)),))
    loss = untied_loss(PseudoInverse(E), E)
    loss_value = Eq(loss, Trace(S) - Trace(PseudoInverse(E) * E * S), evaluate=False)
    loss_chain = Chain("The loss with the decoder E^+", loss, (
        Link(Trace(S) - Trace(explicit * S), "multiply out; cancel (E E^T)^(-1) E E^T",
             using=(formula, transposed)),
        Link(loss_value.rhs, "the formula for the pseudo-inverse", using=(formula,)),
    ))
    mix = Eq(PseudoInverse(C * E) * C * E, PseudoInverse(E) * E, evaluate=False)
    invariance = Chain("The projector does not see an invertible mix", mix.lhs, (
        Link(mix.rhs, "C^(-1) C = I", using=(mixed, formula)),))

    lam = IndexedBase("lambda")
    i = symbols("i", integer=True, positive=True)
    top, every = Sum(lam[i], (i, 1, k)), Sum(lam[i], (i, 1, d))
    ky_fan = Cite(KY_FAN, explicit, S, top, k, text=prose(
        "The eigenvalues of ", S, " are ", lam[1], " >= ... >= ", lam[d], "."))
    (ky_fan_rule,) = ky_fan.relations
    symmetric_P, idempotent_P, trace_P = ky_fan_rule.args[0].args
    projector_facts = tuple(
        Chain(heading, relation.lhs, (Link(relation.rhs, because),))
        for heading, relation, because in (
            ("P is symmetric", symmetric_P, "(E E^T)^(-1) is symmetric"),
            ("P is idempotent", idempotent_P, "(E E^T)^(-1) E E^T = I"),
            ("P has rank k", trace_P, "tr P = tr((E E^T)^(-1) E E^T) = tr I_k"),
        ))
    bound = Ge(loss, Trace(S) - top, evaluate=False)
    pca = Chain("At least the PCA minimum", loss, (
        Link(Trace(S) - Trace(explicit * S), "the loss with the decoder E^+",
             using=(formula, transposed)),
        Link(Trace(S) - top, "Ky Fan", using=(ky_fan_rule.args[1],), relation=">="),
    ))

    gradient = matrix_derivative(Trace(S - explicit * S), E)
    price = Eq(gradient, -2 * PseudoInverse(E).T * S * (Identity(d) - PseudoInverse(E) * E),
               evaluate=False)
    gradient_chain = Chain("The gradient of the loss", gradient, (
        Link(price.rhs, "S is symmetric; the pseudo-inverse formulas",
             using=(SYMMETRIC, formula, transposed)),))

    E2, S2 = MatrixSymbol("E", 1, 2), MatrixSymbol("S", 2, 2)
    a = symbols("a", positive=True)
    row = Eq(E2, ImmutableMatrix([[a, 0]]))
    data = Eq(S2, ImmutableMatrix([[2, 1], [1, 2]]))
    size = Part(
        heading="The gradient grows like 1/sigma_min",
        text=prose("For ", row, " (singular value ", a, ") and ", data,
                   ", the loss does not depend on ", a, " but its gradient is ",
                   "proportional to 1/", a, "."),
        steps=(
            Step(untied_loss(PseudoInverse(E2), E2, S2), 2, "the loss is 2 for every a > 0",
                 using=(row, data)),
            Step(-2 * PseudoInverse(E2).T * S2 * (Identity(2) - PseudoInverse(E2) * E2),
                 ImmutableMatrix([[0, -2 / a]]), "the gradient", using=(row, data)),
        ))
    proof = (*formula_parts, *transposed_parts, projector, as_product, loss_chain,
             *mixed_parts, invariance, *projector_facts, ky_fan, Conclude(ky_fan_rule), pca,
             gradient_chain)
    return Claim(
        id="A7",
        title="The asker's decoder: decode with E^+",
        statement=prose(
            "Let ", E, " (", k, " by ", d, ") have full row rank, ", full_row_rank,
            ", and let ", S, " be symmetric. Decoding with ", PseudoInverse(E), " gives ",
            loss_value, ", where ", Eq(P, PseudoInverse(E) * E, evaluate=False),
            " is the orthogonal projector on the row space of ", E, ". For invertible ", C,
            ", ", mix, ". The loss is at least the PCA minimum: ", bound, " (",
            every - top, " when ", Eq(Trace(S), every, evaluate=False), "). Its gradient "
            "is ", price, ", with ", Eq(PseudoInverse(E), E.T * gram_inverse,
                                        evaluate=False), "."),
        hypotheses=(full_row_rank, invertible_mix, SYMMETRIC),
        conclusions=(formula, loss_value, mix, bound, price),
        idea=prose(
            "With full row rank the pseudo-inverse is ", E.T * gram_inverse,
            " (the four Penrose conditions hold by cancelling the inverse). Then ",
            PseudoInverse(E) * E, " is a symmetric idempotent of trace ", k,
            ": the reconstruction only projects the data on a k-dimensional subspace, so "
            "the loss depends on that subspace alone, and Ky Fan bounds what a projector can "
            "keep. The price is in the gradient: it carries ", gram_inverse, "."),
        generality=prose(
            "For symbolic sizes ", d, " and ", k, ", under full row rank (rank drops are F7's "
            "discontinuity). Ky Fan's maximum principle is cited; equality holds when the "
            "row space is spanned by the top eigenvectors. The instance (d = 2, k = 1) shows "
            "the loss flat in the scale ", a, " of ", E2, " and the gradient growing like 1/",
            a, "."),
        proof=proof,
        instances=(size,),
        remarks=(prose("A pseudo-inverse per evaluation; a gradient that grows like 1/sigma_min(E) "
                       "(the derivative of ", PseudoInverse(E), " itself like 1/sigma_min(E)^2) "
                       "and jumps where the rank drops (F7); and nothing controls the scale or "
                       "conditioning of ", E, ": the loss is flat along ", C * E, "."),),
        sources=(),
    )


CLAIM = pinv_decoder()
