"""F2: a repeated unit column: singular values ``sqrt(2)`` and 0, ``W^+ = W^T / 2``.

``W = [w, w]`` with ``||w|| = 1`` has rank 1, so ``W^T W`` is singular: the
full-rank formula ``(W^T W)^{-1} W^T`` of P4 does not exist, and the nonzero
singular value ``sqrt(2)`` is not 1, so by P3 the transpose is not the
pseudo-inverse. Checked for a symbolic unit vector in ``d`` dimensions by the
four Penrose conditions, on a stereographic family of unit vectors, and for a
rational unit vector by SymPy's exact ``pinv``.

>>> repeated_unit_column().check()
14
>>> from sympy import Rational, Matrix
>>> orthogonal = Matrix([Rational(3, 7), Rational(-6, 7), Rational(2, 7)])
>>> from derivations.engine import DerivationError
>>> try:
...     repeated_unit_column(second_column=orthogonal).check()
... except DerivationError as error:
...     print(error.where)
Exact instances, part 2 (A rational instance), step 1
"""

from __future__ import annotations

from sympy import (
    BlockMatrix,
    Eq,
    Identity,
    ImmutableMatrix,
    Matrix,
    MatrixSymbol,
    Rational,
    Transpose,
    ZeroMatrix,
    sqrt,
    symbols,
)

from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse, d

__all__ = ["CLAIM", "RATIONAL_UNIT", "repeated_unit_column", "stereographic_unit_vector"]

#: A rational unit vector, ``(2, 3, 6) / 7``.
RATIONAL_UNIT = ImmutableMatrix([Rational(2, 7), Rational(3, 7), Rational(6, 7)])
#: A rational unit vector orthogonal to :data:`RATIONAL_UNIT`.
ORTHOGONAL_UNIT = ImmutableMatrix([Rational(3, 7), Rational(-6, 7), Rational(2, 7)])


def stereographic_unit_vector():
    """``(2a, 2b, 1 - a^2 - b^2) / (1 + a^2 + b^2)``: a unit vector for all real ``a, b``.

    >>> w, (a, b) = stereographic_unit_vector()
    >>> (w.T * w).applyfunc(lambda x: x.simplify())
    Matrix([[1]])
    """
    a, b = symbols("a b", real=True)
    norm = 1 + a**2 + b**2
    return ImmutableMatrix([2 * a / norm, 2 * b / norm, (1 - a**2 - b**2) / norm]), (a, b)


def repeated_unit_column(*, second_column=RATIONAL_UNIT) -> Claim:
    """Build F2; ``second_column`` is the second column of the rational instance.

    The hypothesis is that it repeats the first column :data:`RATIONAL_UNIT`;
    an orthogonal unit vector instead gives orthonormal columns and the
    check fails.
    """
    W = MatrixSymbol("W", d, 2)
    G = MatrixSymbol("G", 2, d)
    u = MatrixSymbol("w", d, 1)
    j, m = MatrixSymbol("j", 2, 1), MatrixSymbol("m", 2, 1)
    weights = Eq(W, u * j.T)
    unit = Eq(u.T * u, Identity(1))
    # j = (1, 1) and m = (1, -1), used only through these two facts:
    repeat = Eq(j.T * j, 2 * Identity(1))
    across = Eq(j.T * m, ZeroMatrix(1, 1))
    facts = (weights, unit, repeat, across)
    spectrum = Part(
        heading=prose("A repeated unit column in ", d, " dimensions"),
        text=prose("Write ", Eq(W, BlockMatrix([[u, u]]), evaluate=False), " as ", weights,
                   " with ", unit, ", where ", Eq(j, ImmutableMatrix([1, 1])), " and ",
                   Eq(m, ImmutableMatrix([1, -1])), " satisfy ", repeat, " and ", across,
                   ". Nothing else about ", u, " or ", d, " is used."),
        steps=(
            Step(W.T * W, j * j.T, prose("the Gram matrix ", W.T * W, " is ", j * j.T,
                                         ", all ones"), using=facts),
            Step(W.T * W * j, 2 * j, prose("eigenvalue 2 of ", W.T * W,
                                           ": the singular value ", sqrt(2)),
                 using=facts),
            Step(W.T * W * m, ZeroMatrix(2, 1),
                 prose("eigenvalue 0: the singular value 0; ", W.T * W, " has a null "
                       "vector, so ", (W.T * W).inverse(), " and the formula of P4 do "
                       "not exist"), using=facts),
        ),
    )
    candidate = Eq(G, W.T / 2)
    rules = (candidate, *facts)
    penrose = Part(
        heading=prose("The pseudo-inverse is ", candidate),
        text=prose("The four Penrose conditions hold for ", candidate,
                   "; by uniqueness (P2) ", G, " is the pseudo-inverse."),
        steps=(
            Step(W * G * W, W, "Penrose condition 1", using=rules),
            Step(G * W * G, G, "Penrose condition 2", using=rules),
            Step(Transpose(W * G), W * G, "Penrose condition 3", using=rules),
            Step(Transpose(G * W), G * W, "Penrose condition 4", using=rules),
            Step((W.T - G) * W, j * j.T / 2,
                 prose("the transpose is not ", G, ": it differs from it even on the "
                       "column space, by the all-halves matrix ", j * j.T / 2),
                 using=rules),
        ),
        conclusion=prose("So ", Eq(PseudoInverse(W), W.T / 2, evaluate=False),
                         ", which is not ", W.T, ": the nonzero singular value ", sqrt(2),
                         " is not 1 (P3)."),
    )

    w, (a, b) = stereographic_unit_vector()
    family = Eq(MatrixSymbol("w", 3, 1), w)
    sphere = Part(
        heading="Symbolic unit vectors exist in every direction",
        text=prose("For all real ", a, " and ", b, ", ", family,
                   " (the inverse stereographic projection) is a unit vector, so the "
                   "proof applies to the whole two-parameter family ",
                   Eq(MatrixSymbol("W", 3, 2), BlockMatrix([[family.lhs, family.lhs]]),
                      evaluate=False), "."),
        steps=(
            Step(family.lhs.T * family.lhs, ImmutableMatrix([[1]]),
                 "the hypothesis of the proof holds for the family", using=(family,)),
        ),
    )

    R = MatrixSymbol("R", 3, 2)
    instance_weights = Eq(R, ImmutableMatrix(Matrix.hstack(RATIONAL_UNIT, second_column)))
    instance = Part(
        heading="A rational instance",
        text=prose("With the rational unit vector ",
                   Eq(MatrixSymbol("w", 3, 1), RATIONAL_UNIT), ": ",
                   instance_weights, "."),
        steps=(
            Step((R.T * R).det(), 0, prose(R.T * R, " is singular: ", (R.T * R).inverse(),
                                           " does not exist"),
                 using=(instance_weights,)),
            Step(PseudoInverse(R), R.T / 2, "SymPy's exact pinv is half the transpose",
                 using=(instance_weights,)),
            Step(PseudoInverse(R), R.T, "so the transpose is not the pseudo-inverse",
                 relation="!=", using=(instance_weights,)),
        ),
    )

    Q = MatrixSymbol("Q", 3, 2)
    orthonormal = Eq(Q, ImmutableMatrix(Matrix.hstack(RATIONAL_UNIT, ORTHOGONAL_UNIT)))
    repair = Part(
        heading="The counterexample needs the repeated column",
        text=prose("Replacing the second copy by an orthogonal unit vector, ", orthonormal,
                   ", gives orthonormal columns, and P1 applies again."),
        steps=(
            Step(Q.T * Q, ImmutableMatrix([[1, 0], [0, 1]]), "orthonormal columns",
                 using=(orthonormal,)),
            Step(PseudoInverse(Q), Q.T, "the transpose is the pseudo-inverse",
                 using=(orthonormal,)),
        ),
    )

    return Claim(
        id="F2",
        title="Rank-deficient weights: a repeated unit column",
        statement=prose(Eq(W, BlockMatrix([[u, u]]), evaluate=False), " with a unit vector ",
                        u, " has singular values ", sqrt(2), " and 0, ",
                        Eq(PseudoInverse(W), W.T / 2, evaluate=False),
                        ", which is not ", W.T, ", and ", (W.T * W).inverse(),
                        " does not exist. This breaks P1 and the full-rank formula of P4."),
        hypotheses=(prose("Both columns of ", W, " equal the same unit vector ", u, "."),),
        proof=(spectrum, penrose),
        instances=(sphere, instance),
        failures=(repair,),
        sources=("Penrose 1955",),
    )


CLAIM = repeated_unit_column()
