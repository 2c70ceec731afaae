"""F7: the pseudo-inverse is badly conditioned where the rank drops; the transpose is not.

For ``W = U Sigma V^T`` (compact SVD: ``U``, ``V`` with orthonormal columns,
``Sigma`` positive diagonal) the transpose is ``V Sigma U^T`` and the
pseudo-inverse ``V Sigma^{-1} U^T`` (Penrose conditions and uniqueness), so
``||W^T||_2 = sigma_max`` but ``||W^+||_2 = 1 / sigma_min``, which blows up as
``W`` nears rank deficiency. ``W -> W^+`` is discontinuous where the rank drops:
on ``W_t = [[1 + t, 0], [0, t], [0, 0]]`` the limit of the (2, 2) entry of
``W_t^+`` (counted from 1) as ``t`` decreases to 0 is infinite while that entry
of ``W_0^+`` is 0.
``W -> W^T`` is linear, exact and costs nothing. At the orthonormal optimum
both are perfectly conditioned (norm 1): conditioning argues for the transpose
*during training*, where ``W`` is not yet orthonormal.

>>> conditioning().check()
21
"""

from __future__ import annotations

import sympy
from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    Limit,
    MatrixSymbol,
    Q,
    Transpose,
    symbols,
)

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import Chain, Cite, Claim, Conclude, Define, Link, Part, Step, prose
from derivations.mathematics.facts import (
    ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM,
    TWO_NORM_OF_A_DIAGONAL_MATRIX,
)
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import (
    LARGEST,
    SMALLEST,
    Entry,
    PseudoInverse,
    SpectralNorm,
    W,
    d,
    k,
)

__all__ = ["CLAIM", "conditioning", "largest_singular_value", "norm_2"]

#: The rank of ``W``, its compact SVD factors, and the candidate pseudo-inverse.
r = symbols("r", integer=True, positive=True)
U = MatrixSymbol("U", d, r)
V = MatrixSymbol("V", k, r)
Sigma = MatrixSymbol("Sigma", r, r)
G = MatrixSymbol("G", k, d)

SVD = Eq(W, U * Sigma * V.T)
LEFT = Eq(U.T * U, Identity(r))
RIGHT = Eq(V.T * V, Identity(r))
POSITIVE_DIAGONAL = (Q.diagonal(Sigma), Q.positive_definite(Sigma))
SYMMETRIC_SIGMA = Eq(Sigma.T, Sigma)


def largest_singular_value(matrix):
    """The largest singular value of an explicit matrix, or ``None`` if SymPy cannot order them.

    >>> t = symbols("t", positive=True)
    >>> largest_singular_value(ImmutableMatrix([[1 + t, 0], [0, t]]))
    t + 1
    """
    gram = matrix.T * matrix if matrix.shape[0] >= matrix.shape[1] else matrix * matrix.T
    values = [sympy.sqrt(value) for value in gram.eigenvals()]
    for candidate in values:
        if all(sympy.simplify(candidate - other).is_nonnegative for other in values):
            return candidate
    return None


class norm_2(SpectralNorm):  # noqa: N801 - printed exactly like SpectralNorm
    """``||A||_2`` that evaluates on explicit matrices (when SymPy can order the values)."""

    @classmethod
    def eval(cls, arg):
        if isinstance(arg, sympy.MatrixBase):
            return largest_singular_value(arg)
        return None


def _norms(svd, left, right):
    candidate = Define(G, V * Sigma.inverse() * U.T, text=prose(
        "The candidate inverts the singular values; ", Sigma.inverse(), " exists because ",
        Sigma, " is positive definite."))
    rules = (candidate.definition, svd, left, right)
    penrose = tuple(
        Chain(prose("Penrose condition ", number), condition.lhs,
              (Link(condition.rhs, prose("orthonormal columns, and ", Sigma.inverse(), " inverts ",
                                         Sigma), using=rules + (SYMMETRIC_SIGMA,)),))
        for number, condition in enumerate(penrose_conditions(W, G), start=1))
    uniqueness, equal = by_uniqueness(W, G)
    pseudo_inverse = Chain("The pseudo-inverse inverts the singular values", PseudoInverse(W), (
        Link(G, "by uniqueness (P2)", using=(equal,)),
        Link(V * Sigma.inverse() * U.T, "the candidate", using=(candidate.definition,)),
    ))
    transpose = Chain("The transpose keeps them", W.T, (
        Link(V * Sigma * U.T, prose(Sigma, " is diagonal, so symmetric"),
             using=(svd, SYMMETRIC_SIGMA)),))
    invariance_T = Cite(ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM, V, Sigma, U)
    invariance_P = Cite(ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM, V, Sigma.inverse(), U)
    diagonal = Cite(TWO_NORM_OF_A_DIAGONAL_MATRIX, Sigma)
    (keeps_T,), (keeps_P,), (diagonal_norms,) = (invariance_T.relations, invariance_P.relations,
                                                 diagonal.relations)
    largest, smallest = diagonal_norms.args[1].args
    norm_T = Chain(prose("The transpose has norm ", LARGEST(Sigma)), SpectralNorm(W.T), (
        Link(SpectralNorm(V * Sigma * U.T), "the transpose above", using=(transpose.derives,)),
        Link(SpectralNorm(Sigma), "orthogonal invariance", using=(keeps_T.args[1],)),
        Link(LARGEST(Sigma), "the largest entry", using=(largest,)),
    ))
    norm_P = Chain(prose("The pseudo-inverse has norm ", 1 / SMALLEST(Sigma)),
                   SpectralNorm(PseudoInverse(W)), (
        Link(SpectralNorm(V * Sigma.inverse() * U.T), "the pseudo-inverse above",
             using=(pseudo_inverse.derives,)),
        Link(SpectralNorm(Sigma.inverse()), "orthogonal invariance", using=(keeps_P.args[1],)),
        Link(1 / SMALLEST(Sigma), "one over the smallest entry", using=(smallest,)),
    ))
    items = (transpose, candidate, *penrose, *uniqueness, pseudo_inverse,
             invariance_T, invariance_P, diagonal, Conclude(keeps_T), Conclude(keeps_P),
             Conclude(diagonal_norms), norm_T, norm_P)
    return items, (norm_T.derives, norm_P.derives)


def _discontinuity(smallest):
    t = symbols("t", positive=True)
    family = ImmutableMatrix([[1 + t, 0], [0, smallest(t)], [0, 0]])
    limit_point = ImmutableMatrix(family.subs(t, 0))
    # The (2, 2) entry, counted from 1 (SymPy's [1, 1]): Entry prints the indices a reader
    # counts, so the display says (2, 2) and means the entry that blows up.
    entry = Entry(PseudoInverse(family), 2, 2)
    size = Chain(prose("Near the rank drop an entry of the pseudo-inverse is large"), entry, (
        Link(1 / t, prose("the pseudo-inverse inverts the singular value ", t)),))
    value = Entry(PseudoInverse(limit_point), 2, 2)
    jump = Chain(prose("The pseudo-inverse jumps where the rank drops"),
                 Limit(entry, t, 0, "+"), (
        Link(value, prose("as ", t, " decreases to 0 the entry tends to infinity, while at "
                          "the limit point, of rank 1, it is 0"), relation="!="),))
    continuous = Chain(prose("The transpose does not jump"),
                       Limit(Entry(Transpose(family), 2, 2), t, 0, "+"), (
        Link(Entry(Transpose(limit_point), 2, 2),
             "the entries of the transpose are those of the matrix"),))
    return (size, jump, continuous), t


def _instances():
    Q2 = MatrixSymbol("Q", 3, 2)
    optimum = Eq(Q2, ImmutableMatrix([[1, 0], [0, 1], [0, 0]]))
    t = symbols("t", positive=True)
    Wt = MatrixSymbol("W_t", 3, 2)
    family = Eq(Wt, ImmutableMatrix([[1 + t, 0], [0, t], [0, 0]]))
    return (
        Part(heading="The family's norms",
             text=prose("For ", family, ": singular values ", 1 + t, " and ", t, "."),
             steps=(
                 Step(norm_2(Wt.T), 1 + t, "the transpose has norm 1 + t", using=(family,)),
                 Step(norm_2(PseudoInverse(Wt)), 1 / t, "the pseudo-inverse has norm 1/t",
                      using=(family,)),
             )),
        Part(heading="At the orthonormal optimum both are perfectly conditioned",
             text=prose("For ", optimum, ":"),
             steps=(
                 Step(norm_2(Q2.T), 1, "the transpose has norm 1", using=(optimum,)),
                 Step(norm_2(PseudoInverse(Q2)), 1, "so has the pseudo-inverse, its equal",
                      using=(optimum,)),
             )),
    )


def conditioning(*, svd: Eq = SVD, left: Eq = LEFT, right: Eq = RIGHT,
                 smallest=lambda t: t) -> Claim:
    """Build F7 under the compact SVD ``svd`` with ``left``/``right`` orthonormal factors.

    ``smallest`` gives the second singular value of the family ``W_t``; the
    discontinuity needs it to tend to 0 with ``t`` (a value that stays positive
    keeps the pseudo-inverse bounded and the check fails).
    """
    norm_items, norm_conclusions = _norms(svd, left, right)
    jump_items, t = _discontinuity(smallest)
    A, B = MatrixSymbol("A", d, k), MatrixSymbol("B", d, k)
    a, b = symbols("a b", real=True)
    linear = Chain("Transposition is linear", Transpose(a * A + b * B), (
        Link(a * A.T + b * B.T, "it only moves entries"),))
    items = (*norm_items, *jump_items, linear)
    conclusions = (*norm_conclusions, *(item.derives for item in jump_items), linear.derives)
    return Claim(
        id="F7",
        title="Conditioning: why the transpose is used in practice",
        statement=prose(
            "For ", svd, " with ", left, ", ", right, " and ", Sigma, " positive diagonal: ",
            Eq(SpectralNorm(W.T), LARGEST(Sigma), evaluate=False), " but ",
            Eq(SpectralNorm(PseudoInverse(W)), 1 / SMALLEST(Sigma), evaluate=False),
            ", which blows up as ", W, " nears rank deficiency. The map from ", W, " to ",
            PseudoInverse(W), " is discontinuous where the rank drops: along a family ",
            MatrixSymbol("W_t", 3, 2), " whose smallest singular value ", t, " decreases to "
            "0, the (2, 2) entry of the pseudo-inverse (rows and columns counted from 1) "
            "tends to infinity while the same entry of the limit's pseudo-inverse is 0. The transpose is linear, exact and free. At the "
            "orthonormal optimum both have norm 1: conditioning argues for the transpose "
            "during training, while ", W, " is not yet orthonormal. This qualifies P4: the "
            "pseudo-inverse always exists, but near a rank drop it is ill-conditioned."),
        hypotheses=(svd, left, right, SYMMETRIC_SIGMA, *POSITIVE_DIAGONAL),
        conclusions=conclusions,
        idea=prose("In the singular basis the transpose keeps each singular value and the "
                   "pseudo-inverse inverts it; the 2-norm ignores the orthonormal factors, so "
                   "the norms are the largest value and one over the smallest. A singular "
                   "value that tends to 0 makes its reciprocal tend to infinity, yet at 0 the "
                   "pseudo-inverse puts 0 there."),
        generality=prose(
            "The norms are proved for symbolic ", d, ", ", k, " and rank ", r, " from the "
            "compact SVD, citing the orthogonal invariance of the 2-norm and the 2-norm of a "
            "diagonal matrix. Discontinuity is an existence statement: one explicit family "
            "with a symbolic ", t, " > 0 proves it. The norms of that family and of the "
            "orthonormal optimum are exact instances."),
        proof=items,
        instances=_instances(),
        sources=("Penrose 1955",),
    )


CLAIM = conditioning()
