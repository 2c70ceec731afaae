"""F2: a repeated unit column: singular values ``sqrt(2)`` and 0, ``W^+ = W^T / 2``.

``W = [w, w] = w j^T`` with ``||w|| = 1`` and ``j = (1, 1)`` has rank 1, so
``W^T W`` is singular: the full-rank formula ``(W^T W)^{-1} W^T`` of P4 does not
exist, and the nonzero singular value ``sqrt(2)`` is not 1, so by P3 the
transpose is not the pseudo-inverse. Proved for a symbolic unit vector in ``d``
dimensions through the four Penrose conditions and uniqueness; checked on a
stereographic family of unit vectors and for a rational unit vector by SymPy's
exact ``pinv``.

>>> repeated_unit_column().check()
18
>>> from sympy import Identity
>>> from derivations.engine import DerivationError
>>> try:
...     repeated_unit_column(unit=Eq(w.T * w, 2 * Identity(1))).check()
... except DerivationError as error:
...     print(error.where)
Proof, part 3 (j is an eigenvector of W.T*W for the eigenvalue 2), step 1
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
    S,
    Trace,
    ZeroMatrix,
    sqrt,
    symbols,
)

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import Chain, Claim, Define, Link, Part, Step, prose
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import PseudoInverse, d

__all__ = ["CLAIM", "ORTHOGONAL_UNIT", "RATIONAL_UNIT", "repeated_unit_column",
           "stereographic_unit_vector"]

#: A rational unit vector, ``(2, 3, 6) / 7``.
RATIONAL_UNIT = ImmutableMatrix([Rational(2, 7), Rational(3, 7), Rational(6, 7)])
#: A rational unit vector orthogonal to :data:`RATIONAL_UNIT`.
ORTHOGONAL_UNIT = ImmutableMatrix([Rational(3, 7), Rational(-6, 7), Rational(2, 7)])

#: The weights ``W = [w, w]`` (``d x 2``), the unit vector ``w``, the candidate ``G``.
W = MatrixSymbol("W", d, 2)
w = MatrixSymbol("w", d, 1)
G = MatrixSymbol("G", 2, d)
#: ``j = (1, 1)`` repeats a column; ``m = (1, -1)`` is orthogonal to it.
j, m = MatrixSymbol("j", 2, 1), MatrixSymbol("m", 2, 1)

ALL_ONES = Eq(j, ImmutableMatrix([1, 1]))
ALTERNATING = Eq(m, ImmutableMatrix([1, -1]))
REPEATED = Eq(W, w * j.T)
UNIT = Eq(w.T * w, Identity(1))


def stereographic_unit_vector():
    """``(2a, 2b, 1 - a^2 - b^2) / (1 + a^2 + b^2)``: a unit vector for all real ``a, b``.

    >>> v, (a, b) = stereographic_unit_vector()
    >>> (v.T * v).applyfunc(lambda x: x.simplify())
    Matrix([[1]])
    """
    a, b = symbols("a b", real=True)
    norm = 1 + a**2 + b**2
    return ImmutableMatrix([2 * a / norm, 2 * b / norm, (1 - a**2 - b**2) / norm]), (a, b)


def _proof(repeated, unit):
    ones_square = Chain(prose(j, " has squared length 2"), j.T * j, (
        Link(2 * Identity(1), prose("sum of the squared entries of ", j), using=(ALL_ONES,)),))
    across = Chain(prose(j, " and ", m, " are orthogonal"), j.T * m, (
        Link(ZeroMatrix(1, 1), "the two entries cancel", using=(ALL_ONES, ALTERNATING)),))
    spectrum = (
        Chain(prose(j, " is an eigenvector of ", W.T * W, " for the eigenvalue 2"),
              W.T * W * j, (Link(2 * j, prose(Eq(W.T * W, j * w.T * w * j.T, evaluate=False),
                                              " and the unit length of ", w),
                                 using=(repeated, unit, ones_square.derives)),),
              conclusion=prose("so ", W, " has the singular value ", sqrt(2), ".")),
        Chain(prose(m, " is a null vector of ", W.T * W), W.T * W * m, (
            Link(ZeroMatrix(2, 1), prose(j.T * m, " vanishes"),
                 using=(repeated, unit, across.derives)),),
              conclusion=prose("so the other singular value is 0: ", W.T * W,
                               " is singular and the formula ", (W.T * W).inverse() * W.T,
                               " of P4 does not exist.")),
    )
    candidate = Define(G, W.T / 2, text=prose("The candidate is half the transpose."))
    rules = (candidate.definition, repeated, unit, ones_square.derives)
    reasons = (prose("only the factors ", w.T * w, " and ", j.T * j, " appear"),
               "the same two factors in the candidate",
               prose(Eq(W * G, w * w.T, evaluate=False), ", which is symmetric"),
               prose(Eq(G * W, j * j.T / 2, evaluate=False), ", which is symmetric"))
    penrose = tuple(
        Chain(prose("Penrose condition ", number), condition.lhs,
              (Link(condition.rhs, reason, using=rules),))
        for number, (condition, reason) in enumerate(
            zip(penrose_conditions(W, G), reasons, strict=True), start=1))
    uniqueness, equal = by_uniqueness(W, G)
    pseudo_inverse = Chain("The pseudo-inverse is half the transpose", PseudoInverse(W), (
        Link(G, "by uniqueness (P2), since the four conditions hold", using=(equal,)),
        Link(W.T / 2, "the candidate", using=(candidate.definition,)),
    ))
    gap = W.T - PseudoInverse(W)
    distance = Chain("The transpose is not the pseudo-inverse", Trace(gap * gap.T), (
        Link(Trace(W.T * W) / 4, prose("the gap is ", W.T / 2),
             using=(pseudo_inverse.derives,)),
        Link(Rational(1, 2), prose(Eq(Trace(W.T * W), 2 * Trace(w.T * w), evaluate=False),
                                   " for two unit columns"),
             using=(repeated, unit, ALL_ONES)),
    ), conclusion=prose("The squared Frobenius distance between ", W.T, " and ",
                        PseudoInverse(W), " is 1/2, not 0."))
    return (ones_square, across, *spectrum, candidate, *penrose, *uniqueness,
            pseudo_inverse, distance)


def repeated_unit_column(*, repeated: Eq = REPEATED, unit: Eq = UNIT,
                         second_column=RATIONAL_UNIT) -> Claim:
    """Build F2 under the hypotheses ``repeated`` (``W = w j^T``) and ``unit`` (``w^T w = 1``).

    ``second_column`` is the second column of the rational instance; the
    instance needs it to repeat the first column :data:`RATIONAL_UNIT`.
    """
    proof = _proof(repeated, unit)
    gap = W.T - PseudoInverse(W)
    conclusions = (
        Eq(W.T * W * j, 2 * j, evaluate=False),
        Eq(W.T * W * m, ZeroMatrix(2, 1), evaluate=False),
        Eq(PseudoInverse(W), W.T / 2, evaluate=False),
        Eq(Trace(gap * gap.T), Rational(1, 2), evaluate=False),
    )

    v, (a, b) = stereographic_unit_vector()
    family = Eq(MatrixSymbol("w", 3, 1), v)
    sphere = Part(
        heading="Symbolic unit vectors exist in every direction",
        text=prose("For all real ", a, " and ", b, ", ", family,
                   " (the inverse stereographic projection) is a unit vector, so the "
                   "hypothesis holds on the whole two-parameter family ",
                   Eq(MatrixSymbol("W", 3, 2), BlockMatrix([[family.lhs, family.lhs]]),
                      evaluate=False), "."),
        steps=(Step(family.lhs.T * family.lhs, ImmutableMatrix([[1]]),
                    "the unit-length hypothesis holds for the family", using=(family,)),),
    )
    R = MatrixSymbol("R", 3, 2)
    instance_weights = Eq(R, ImmutableMatrix(Matrix.hstack(RATIONAL_UNIT, second_column)))
    instance = Part(
        heading="A rational instance",
        text=prose("With the rational unit vector ", Eq(MatrixSymbol("w", 3, 1), RATIONAL_UNIT),
                   ": ", instance_weights, "."),
        steps=(
            Step((R.T * R).det(), 0, prose(R.T * R, " is singular: ", (R.T * R).inverse(),
                                           " does not exist"), using=(instance_weights,)),
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
        statement=prose(Eq(W, BlockMatrix([[w, w]]), evaluate=False), " with a unit vector ",
                        w, " has singular values ", sqrt(2), " and ", S.Zero, ", ",
                        Eq(PseudoInverse(W), W.T / 2, evaluate=False), ", which is not ",
                        W.T, " (their squared Frobenius distance is 1/2), and ",
                        (W.T * W).inverse(), " does not exist. This breaks P1 and the "
                        "full-rank formula of P4."),
        hypotheses=(ALL_ONES, ALTERNATING, repeated, unit),
        conclusions=conclusions,
        idea=prose("Write ", Eq(W, w * j.T, evaluate=False), " with ", j, " all ones. Then ",
                   Eq(W.T * W, j * j.T, evaluate=False), " has eigenvalues 2 and 0, and half "
                   "the transpose passes the four Penrose conditions because the only "
                   "factors that appear are ", UNIT, " and ",
                   Eq(j.T * j, 2 * Identity(1), evaluate=False), "."),
        generality=prose("The proof is for a symbolic unit vector ", w, " in ", d,
                         " dimensions; ", j, " and ", m, " are the explicit vectors (1, 1) "
                         "and (1, -1). The instances are at ", Eq(d, 3), "."),
        proof=proof,
        instances=(sphere, instance),
        failures=(repair,),
        sources=("Penrose 1955",),
    )


CLAIM = repeated_unit_column()
