"""P2: two matrices that both satisfy the four Penrose conditions for ``W`` are equal.

Penrose's chain of equalities, for symbolic ``d`` and ``k``: one chain from
``G`` through ``G W H`` to ``H``, every link justified by exactly one Penrose
condition for exactly one of ``G`` and ``H``, given to the engine as the single
rewrite rule of that link. Two links need condition 1 read through the
transpose, ``W^T G^T W^T = W^T``; a short chain derives it first, by naming
the product ``W G W`` and transposing the equation ``W G W = W``. Leave a
condition out and the links that need it no longer check.

>>> uniqueness().check()
20
>>> from derivations.engine import DerivationError
>>> try:
...     uniqueness(conditions={1, 2, 4}).check()
... except DerivationError as error:
...     print(error.claim_id, error.where)
P2 Proof, part 7 (From G to H), step 2
"""

from __future__ import annotations

from collections.abc import Iterable

from sympy import Eq, MatrixSymbol, Transpose

from derivations.engine import Chain, Cite, Claim, Link, Use, prose
from derivations.mathematics.facts import PSEUDO_INVERSE_EXISTS
from derivations.mathematics.penrose import penrose_conditions, transpose_both_sides
from derivations.notation import PseudoInverse, W, d, k

__all__ = ["CLAIM", "G", "H", "PENROSE_CONDITIONS", "by_uniqueness", "uniqueness"]

#: The two candidate pseudo-inverses of ``W``.
G = MatrixSymbol("G", k, d)
H = MatrixSymbol("H", k, d)

#: The numbers of the four Penrose conditions.
PENROSE_CONDITIONS = frozenset({1, 2, 3, 4})


def _because(number: int, X, *, transposed: bool = False):
    condition = penrose_conditions(W, X)[number - 1]
    reading = " (transposed)" if transposed else ""
    return prose(f"Penrose condition {number} for ", X, reading, ": ", condition)


def _transposed_condition_1(X, product_name: str) -> tuple:
    """``W^T X^T W^T = W^T`` from condition 1, ``W X W = W``, through the named product."""
    return transpose_both_sides(penrose_conditions(W, X)[0], MatrixSymbol(product_name, d, k),
                                because=_because(1, X))


def uniqueness(*, conditions: Iterable[int] = PENROSE_CONDITIONS) -> Claim:
    """Build P2 assuming the Penrose conditions numbered ``conditions`` of both ``G`` and ``H``."""
    assumed = frozenset(conditions)
    unknown = assumed - PENROSE_CONDITIONS
    if unknown:
        raise ValueError(f"conditions={sorted(assumed)!r}: {sorted(unknown)} are not among "
                         "the Penrose conditions 1, 2, 3, 4")
    of_G, of_H = penrose_conditions(W, G), penrose_conditions(W, H)
    hypotheses = tuple(c for number in sorted(assumed)
                       for c in (of_G[number - 1], of_H[number - 1]))

    transpose_G = _transposed_condition_1(G, "M_G")
    transpose_H = _transposed_condition_1(H, "M_H")
    condition_1_G_transposed = transpose_G[-1].derives
    condition_1_H_transposed = transpose_H[-1].derives

    def link(expr, number, X, *, transposed=False):
        if transposed:
            rule = condition_1_G_transposed if X == G else condition_1_H_transposed
        else:
            rule = (of_G if X == G else of_H)[number - 1]
            if number in (3, 4):
                # Read right to left: the product is replaced by its transpose, which
                # the engine multiplies out; the rule is the hypothesis itself.
                rule = Eq(rule.rhs, rule.lhs, evaluate=False)
        return Link(expr, _because(number, X, transposed=transposed), using=(rule,))

    chain = Chain(prose("From ", G, " to ", H), G, (
        link(G * W * G, 2, G),
        link(G * Transpose(W * G), 3, G),
        link(G * Transpose(W * G) * Transpose(W * H), 1, H, transposed=True),
        link(G * W * G * Transpose(W * H), 3, G),
        link(G * W * G * W * H, 3, H),
        link(G * W * H, 2, G),
        link(G * W * H * W * H, 2, H),
        link(G * W * Transpose(H * W) * H, 4, H),
        link(Transpose(G * W) * Transpose(H * W) * H, 4, G),
        link(Transpose(H * W) * H, 1, G, transposed=True),
        link(H * W * H, 4, H),
        link(H, 2, H),
    ), text=prose("Each link rewrites with one Penrose condition for one of the two "
                  "candidates, and nothing else. The chain passes through ", G * W * H,
                  ": conditions 2 and 3 lead there from ", G, ", conditions 2 and 4 on "
                  "to ", H, "."))
    conclusion = Eq(G, H, evaluate=False)
    return Claim(
        id="P2",
        title="The pseudo-inverse is unique",
        statement=prose("If ", G, " and ", H, " (", k, " by ", d, ") both satisfy the four "
                        "Penrose conditions for ", W, ", then ", conclusion,
                        ". The common value is written ", PseudoInverse(W), "."),
        hypotheses=hypotheses,
        conclusions=(conclusion,),
        idea=prose("Insert ", W, " between the factors using condition 2, and move it "
                   "through transposes using the symmetry conditions 3 and 4, until the "
                   "expression for ", G, " has become ", G * W * H, "; the mirror-image "
                   "steps turn ", G * W * H, " into ", H, ". Condition 1 is what lets a "
                   "transposed ", W, " absorb the other candidate."),
        generality=prose("The proof is for symbolic sizes ", d, " and ", k, ": every link "
                         "is an identity of matrix products under one rewrite rule. There "
                         "are no exact instances; the property tests check uniqueness on "
                         "random matrices."),
        proof=(*transpose_G, *transpose_H, chain),
        remarks=(prose("Every condition is used: dropping any one of the four leaves links "
                       "that no longer check, so the chain needs all of them."),),
        sources=("Penrose 1955",),
    )


CLAIM = uniqueness()


def by_uniqueness(matrix, candidate, *, text=()) -> tuple[tuple, Eq]:
    """Proof items deriving ``matrix^+ = candidate``, and that equation.

    The four Penrose conditions for ``candidate`` must be known where the items stand.
    The pseudo-inverse satisfies them too (the existence half of Penrose's theorem, a
    trusted fact), and P2, used with ``W := matrix``, ``G := matrix^+`` and
    ``H := candidate``, makes the two equal. A claim after P2 in the table uses it.

    >>> from derivations.notation import W
    >>> by_uniqueness(W, W.T)[1]
    Eq(pinv(W), W.T)
    """
    rows, columns = matrix.shape
    existence = Cite(PSEUDO_INVERSE_EXISTS, matrix)
    use = Use(CLAIM, {W: matrix, d: rows, k: columns, G: PseudoInverse(matrix), H: candidate},
              name="uniqueness", text=text)
    return (existence, use), use.relations[0]
