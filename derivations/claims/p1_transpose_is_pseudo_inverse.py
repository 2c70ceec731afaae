"""P1: if ``W^T W = I_k`` then ``W^+ = W^T``.

Dimension-generic: with ``G = W^T`` each Penrose condition reduces to an
identity under the single rewrite ``W^T W -> I_k``; uniqueness (P2) makes ``G``
the pseudo-inverse. Beside it, an exact two-parameter family of orthonormal
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
    Transpose,
    eye,
    sqrt,
    symbols,
)

from derivations.engine import Claim, Part, Step, prose
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
    candidate = Eq(G, W.T)
    rules = (candidate, hypothesis)
    penrose = Part(
        heading=prose("The four Penrose conditions for ", candidate),
        text=prose("Each condition is checked with two rewrite rules and nothing else: ",
                   candidate, " (the candidate) and ", hypothesis, " (the hypothesis)."),
        steps=(
            Step(W * G * W, W, prose("Penrose condition 1: the middle factor ", W.T * W,
                                     " is the identity"), using=rules),
            Step(G * W * G, G, prose("Penrose condition 2: the leading factor ", W.T * W,
                                     " is the identity"), using=rules),
            Step(Transpose(W * G), W * G, prose("Penrose condition 3: ", W * W.T,
                                         " is symmetric"), using=rules),
            Step(Transpose(G * W), G * W, prose("Penrose condition 4: ", W.T * W,
                                         " is symmetric"), using=rules),
            Step(W * G * W * G, W * G, prose(W * G, " is idempotent: the orthogonal "
                                             "projector onto the column space of ", W),
                 using=rules),
            Step(G * W, Identity(k), prose(G, " is a left inverse of ", W), using=rules),
        ),
        conclusion=prose("By uniqueness of the Moore-Penrose inverse (P2), ",
                         Eq(PseudoInverse(W), W.T, evaluate=False), "."),
    )

    family, (a, b, c) = cayley_orthonormal_columns()
    Q = MatrixSymbol("Q", 3, 2)
    definition = Eq(Q, family)
    concrete = Part(
        heading="A two-parameter orthonormal family, checked by SymPy's pinv",
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
        hypotheses=(prose(hypothesis, ", for symbolic dimensions ", d, " and ", k, "."),),
        proof=(penrose,),
        instances=(concrete, rational_instance),
        failures=(rank_deficient,),
        sources=("Penrose 1955",),
    )


CLAIM = orthonormal_columns()
