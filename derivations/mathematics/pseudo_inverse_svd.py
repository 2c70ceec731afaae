"""``W^+ = V Sigma^+ U^T``: the pseudo-inverse through the compact SVD, as proof items.

P3 and P5 both start from this derivation, for symbolic ``d``, ``k`` and rank
``r``: cite the compact SVD ``W = U Sigma V^T``; define ``Sigma^+`` as the
diagonal matrix of the ``1/sigma_i``; show ``Sigma Sigma^+ = Sigma^+ Sigma = I_r``
entry by entry (and their transposes); then ``V Sigma^+ U^T`` satisfies the four
Penrose conditions, and uniqueness makes it ``W^+``.

>>> derivation = pseudo_inverse_through_svd()
>>> derivation.formula
Eq(pinv(W), V*Sigma^+*U.T)
>>> derivation.sigma_sigma_plus
Eq(Sigma*Sigma^+, I)
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Basic, Eq, Identity, MatrixSymbol

from derivations.engine import Chain, Cite, Define, ForEvery, Link, prose
from derivations.mathematics.facts import COMPACT_SVD
from derivations.mathematics.penrose import penrose_conditions
from derivations.mathematics.svd import Sigma, SigmaPlus, U, V, diagonal, i, j, r, sigma
from derivations.notation import PseudoInverse, W

__all__ = ["SvdDerivation", "pseudo_inverse_through_svd"]


@dataclass(frozen=True)
class SvdDerivation:
    """The proof items, and the relations they make known, for a claim to build on."""

    items: tuple
    formula: Basic
    factored: Basic
    left_orthonormal: Basic
    right_orthonormal: Basic
    diagonal: Basic
    symmetric: Basic
    plus_definition: Basic
    sigma_sigma_plus: Basic
    sigma_plus_sigma: Basic

_REASONS = (
    prose(V.T * V, ", ", U.T * U, " and ", Sigma * SigmaPlus, " are identities"),
    prose(V.T * V, ", ", U.T * U, " and ", SigmaPlus * Sigma, " are identities"),
    prose("both sides are ", U * U.T, ", which is symmetric"),
    prose("both sides are ", V * V.T, ", which is symmetric"),
)


def _diagonal_product_is_identity(product, name, factor_definitions):
    """``product = I_r`` and its transpose, entry by entry through the named product.

    The entry of a named matrix, ``N[i, j]``, is one symbol; the entry of a
    product is a sum over a fresh dummy index, which two separate evaluations
    would not recognise as equal. Naming the product keeps the entrywise
    statement about ``N``.
    """
    definition = Define(name, product, text=prose("Name the product ", product, "."))
    entry = Chain(prose("Entry ", i, ", ", j, " of ", name), name[i, j], (
        Link(Identity(r)[i, j], prose("both factors are diagonal, and the product of their "
                                      "entries ", sigma[i], " and ", 1 / sigma[i], " is 1"),
             using=(definition.definition, *factor_definitions)),
    ))
    entrywise = ForEvery((i, j), (entry,), Eq(name, Identity(r), evaluate=False))
    identity = Chain(prose(Eq(product, Identity(r))), product, (
        Link(name, "the name", using=(definition.definition,)),
        Link(Identity(r), "entry by entry", using=(entrywise.concludes,)),
    ))
    transposed = Chain(prose("The transpose: ", Eq(product.T, Identity(r))), product.T, (
        Link(name.T, "the transpose of the name", using=(definition.definition,)),
        Link(Identity(r), "entry by entry", using=(entrywise.concludes,)),
    ))
    return (definition, entrywise, identity, transposed), identity.derives, transposed.derives


def pseudo_inverse_through_svd(*, singular_values=sigma) -> SvdDerivation:
    """The items deriving ``W^+ = V Sigma^+ U^T``, and the relations they derive.

    ``singular_values`` is the ``IndexedBase`` of the nonzero singular values
    cited from the SVD; it must be positive for ``1/sigma_i`` to be licensed.
    """
    svd = Cite(COMPACT_SVD, W, U, Sigma, V, singular_values,
               text=prose("Write ", W, " through its compact SVD; ", r, " is its rank."))
    factored, left_orthonormal, right_orthonormal, svd_diagonal, symmetric = svd.relations
    plus = Define(SigmaPlus, diagonal(lambda a: 1 / singular_values[a]),
                  text=prose("The candidate for ", Sigma, " inverts each singular value."))
    right_items, right, right_transposed = _diagonal_product_is_identity(
        Sigma * SigmaPlus, MatrixSymbol("N_1", r, r), (svd_diagonal, plus.definition))
    left_items, left, left_transposed = _diagonal_product_is_identity(
        SigmaPlus * Sigma, MatrixSymbol("N_2", r, r), (plus.definition, svd_diagonal))
    rules = (factored, left_orthonormal, right_orthonormal, right, left, right_transposed,
             left_transposed)
    candidate = V * SigmaPlus * U.T
    conditions = tuple(
        Chain(prose("Penrose condition ", number, " for ", candidate), condition.lhs,
              (Link(condition.rhs, reason, using=rules),))
        for number, (condition, reason) in enumerate(
            zip(penrose_conditions(W, candidate), _REASONS, strict=True), start=1)
    )
    from derivations.claims.p2_uniqueness import by_uniqueness  # P3 and P5 come after P2

    uniqueness, _ = by_uniqueness(W, candidate)
    items = (svd, plus, *right_items, *left_items, *conditions, *uniqueness)
    return SvdDerivation(
        items=items, formula=Eq(PseudoInverse(W), candidate, evaluate=False),
        factored=factored, left_orthonormal=left_orthonormal,
        right_orthonormal=right_orthonormal, diagonal=svd_diagonal, symmetric=symmetric,
        plus_definition=plus.definition, sigma_sigma_plus=right, sigma_plus_sigma=left)
