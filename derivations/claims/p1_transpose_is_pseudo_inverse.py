"""P1: if ``W^T W = I_k`` then ``W^+ = W^T``.

Dimension-generic: with ``G = W^T`` each Penrose condition reduces to an
identity under the single rewrite ``W^T W -> I_k``; uniqueness (P2) makes ``G``
the pseudo-inverse. Beside it, an exact three-parameter family of orthonormal
``3 x 2`` matrices (a Cayley transform) on which SymPy's own ``pinv`` returns
the transpose identically, and a rank-deficient matrix where it does not.

>>> orthonormal_columns().check()
12
"""

from __future__ import annotations

from sympy import (
    Eq,
    Identity,
    ImmutableMatrix,
    Matrix,
    MatrixSymbol,
    Rational,
    S,
    eye,
    sqrt,
    symbols,
)

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import Chain, Claim, Define, Link, Part, Step, prose
from derivations.mathematics import models
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import PseudoInverse, W, d, k

__all__ = ["CLAIM", "cayley_orthonormal_columns", "orthonormal_columns"]

#: The candidate pseudo-inverse, named so the steps read as the Penrose conditions.
G = MatrixSymbol("G", k, d)
#: The hypothesis: ``W`` has orthonormal columns.
ORTHONORMAL = Eq(W.T * W, Identity(k))


def cayley_orthonormal_columns():
    """First two columns of the Cayley transform ``(I - K)(I + K)^{-1}`` of a skew ``K``.

    Exactly orthonormal for all real ``a, b, c`` (``I + K`` is invertible
    because ``K`` is skew-symmetric), with rational-function entries.

    >>> Q, params = cayley_orthonormal_columns()
    >>> Q.shape, params
    ((3, 2), (a, b, c))
    """
    a, b, c = symbols("a b c", real=True)
    skew = Matrix([[0, -a, -b], [a, 0, -c], [b, c, 0]])
    rotation = ((eye(3) - skew) * (eye(3) + skew).inv()).applyfunc(lambda x: x.factor())
    return ImmutableMatrix(rotation[:, :2]), (a, b, c)


def orthonormal_columns(*, hypothesis: Eq = ORTHONORMAL) -> Claim:
    """Build P1 under ``hypothesis`` (a rewrite rule for ``W^T W``)."""
    candidate = Define(G, W.T, text=prose("The candidate is the transpose."))
    definition = candidate.definition
    rules = (definition, hypothesis)
    conditions = penrose_conditions(W, G)
    reasons = (
        prose("the middle factor ", W.T * W, " is the identity"),
        prose("the leading factor ", W.T * W, " is the identity"),
        prose(W * W.T, " is symmetric"),
        prose(W.T * W, " is symmetric"),
    )
    penrose = tuple(
        Chain(prose("Penrose condition ", number), condition.lhs,
              (Link(condition.rhs, reason, using=rules),))
        for number, (condition, reason) in enumerate(zip(conditions, reasons, strict=True),
                                                     start=1)
    )
    uniqueness, equal = by_uniqueness(W, G)
    conclusion = Chain("The pseudo-inverse is the transpose", PseudoInverse(W), (
        Link(G, "by uniqueness (P2), since the four conditions hold", using=(equal,)),
        Link(W.T, "the candidate", using=(definition,)),
    ))
    proof = (candidate, *penrose, *uniqueness, conclusion)

    family, (a, b, c) = cayley_orthonormal_columns()
    Q = MatrixSymbol("Q", 3, 2)
    definition = Eq(Q, family)
    concrete = Part(
        heading="A three-parameter orthonormal family, checked by SymPy's pinv",
        text=prose("For all real ", a, ", ", b, ", ", c,
                   " the Cayley transform of a skew-symmetric matrix gives ", definition, "."),
        steps=(
            Step(Q.T * Q, Identity(2), "the columns are orthonormal for all parameters",
                 using=(definition,)),
            Step(PseudoInverse(Q), Q.T, "SymPy's pinv of the family equals its transpose "
                 "identically", using=(definition,)),
        ),
    )
    rational = family.subs({a: Rational(1, 2), b: Rational(-1, 3), c: 2})
    rational_instance = Part(
        heading="A rational instance",
        text=prose("At ", Eq(a, Rational(1, 2)), ", ", Eq(b, Rational(-1, 3)), ", ",
                   Eq(c, 2), ": ", Eq(Q, rational), "."),
        steps=(
            Step(PseudoInverse(Q), Q.T, "exact rational arithmetic, no tolerance",
                 using=(Eq(Q, rational),)),
        ),
    )

    unit = Matrix([Rational(3, 5), Rational(4, 5), 0])
    repeated = Eq(MatrixSymbol("R", 3, 2), ImmutableMatrix(Matrix.hstack(unit, unit)))
    R = repeated.lhs
    rank_deficient = Part(
        heading="Without orthonormal columns the conclusion fails",
        text=prose("Two copies of one unit vector, ", repeated, ", have rank 1 and "
                   "singular values ", sqrt(2), " and ", S.Zero, " (F2)."),
        steps=(
            Step(R.T * R, Identity(2), prose(R.T * R, " is not the identity"),
                 relation="!=", using=(repeated,)),
            Step(PseudoInverse(R), R.T / 2, "the pseudo-inverse is half the transpose",
                 using=(repeated,)),
            Step(PseudoInverse(R), R.T, "so the transpose is not the pseudo-inverse",
                 relation="!=", using=(repeated,)),
        ),
    )

    return Claim(
        id="P1",
        title="The transpose is the pseudo-inverse",
        statement=prose("If ", W, " (", d, " by ", k, ") has orthonormal columns, ",
                        hypothesis, ", then ", Eq(PseudoInverse(W), W.T, evaluate=False), "."),
        hypotheses=(hypothesis,),
        conclusions=(Eq(PseudoInverse(W), W.T, evaluate=False),),
        idea=prose("Try the transpose as the candidate ", G, ". Each of the four Penrose "
                   "conditions then contains the factor ", W.T * W, ", which the hypothesis "
                   "replaces by the identity, so all four hold; the Moore-Penrose inverse is "
                   "the only matrix satisfying them."),
        generality=prose("The proof is for symbolic sizes ", d, " and ", k, "; the exact "
                         "instances are at 3 by 2."),
        proof=proof,
        instances=(concrete, rational_instance),
        failures=(rank_deficient,),
        sources=("Penrose 1955",),
        models=lambda: models.orthonormal_columns(W, d, k),
    )


CLAIM = orthonormal_columns()
