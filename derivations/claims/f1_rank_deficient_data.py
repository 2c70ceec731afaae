"""F1: with rank-deficient data a tied critical point need not be a partial isometry.

This breaks A4, whose proof needs ``S`` positive definite. With ``S`` of rank
``r < k`` and ``v`` in the null space of ``S``, ``W = [u_1, ..., u_r, c v]`` has
zero tied gradient and zero loss, yet ``W^T W = diag(1, ..., 1, c^2)``: for
``c`` outside ``{0, 1, -1}`` the transpose is not the pseudo-inverse. The
Sylvester step of A4 fails because ``W^T S W`` is singular, so ``G - I`` is a
nonzero solution. Checked exactly for ``d = 3``, ``k = 2``, ``r = 1``, with a
symbolic eigenvalue and a symbolic scale ``c``, and at ``c = 2``.

>>> rank_deficient_data().check()
14
>>> from derivations.engine import DerivationError
>>> try:
...     rank_deficient_data(scale=1).check()
... except DerivationError as error:
...     print(error.claim_id)
F1
"""

from __future__ import annotations

from sympy import (
    Eq,
    Gt,
    Identity,
    ImmutableMatrix,
    Matrix,
    MatrixSymbol,
    Rational,
    Trace,
    ZeroMatrix,
    diag,
    symbols,
)

from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse

__all__ = ["CLAIM", "rank_deficient_data", "tied_gradient"]

#: The top eigenvector ``u_1`` of ``S`` and a null vector ``v``: orthonormal, rational.
TOP_EIGENVECTOR = ImmutableMatrix([Rational(1, 3), Rational(2, 3), Rational(2, 3)])
NULL_VECTOR = ImmutableMatrix([Rational(2, 3), Rational(1, 3), Rational(-2, 3)])


def tied_gradient(S, W):
    """The gradient of the tied loss (A3): ``-4 S W + 2 S W W^T W + 2 W W^T S W``.

    >>> from sympy import MatrixSymbol
    >>> tied_gradient(MatrixSymbol("S", 3, 3), MatrixSymbol("W", 3, 2))
    -4*S*W + 2*S*W*W.T*W + 2*W*W.T*S*W
    """
    return -4 * S * W + 2 * S * W * W.T * W + 2 * W * W.T * S * W


#: The scale ``c`` of the null-space column in the exact instance.
DEFAULT_SCALE = Rational(2)


def rank_deficient_data(*, scale=DEFAULT_SCALE) -> Claim:
    """Build F1 with the null-space column scaled by ``scale`` in the exact instance.

    ``scale`` outside ``{0, 1, -1}`` is the hypothesis; with ``scale`` equal
    to 1 or -1 the instance is a partial isometry and the check fails.
    """
    top = symbols("lambda_1", positive=True)
    c = symbols("c", real=True)
    S, W = MatrixSymbol("S", 3, 3), MatrixSymbol("W", 3, 2)
    v = MatrixSymbol("v", 3, 1)
    A, G = MatrixSymbol("A", 2, 2), MatrixSymbol("G", 2, 2)
    data = Eq(S, ImmutableMatrix(top * TOP_EIGENVECTOR * TOP_EIGENVECTOR.T))
    null = Eq(v, NULL_VECTOR)
    columns = Matrix.hstack(TOP_EIGENVECTOR, c * NULL_VECTOR)
    weights = Eq(W, ImmutableMatrix(columns))
    loss_matrix = (Identity(3) - W * W.T) * S * (Identity(3) - W * W.T)
    family = Part(
        heading="A family of tied critical points with zero loss",
        text=prose("Rank-one data ", data, " (", Gt(top, 0, evaluate=False),
                   "), the null vector ", null,
                   ", and for every real ", c, " the weights ", weights, "."),
        steps=(
            Step(S * v, ZeroMatrix(3, 1), prose(v, " spans the null space of ", S),
                 using=(data, null)),
            Step(tied_gradient(S, W), ZeroMatrix(3, 2),
                 prose("the tied gradient (A3) vanishes for every ", c,
                       ": a critical point"), using=(data, weights)),
            Step(W * W.T * S, S,
                 prose(W * W.T, " reproduces the data, so ", (Identity(3) - W * W.T) * S,
                       " vanishes and with it the tied loss ", Trace(loss_matrix),
                       ": the least possible value, a global minimum"),
                 using=(data, weights)),
            Step(W.T * W, ImmutableMatrix(diag(1, c**2)),
                 prose("the columns are orthogonal, the second of length ", abs(c)),
                 using=(weights,)),
            Step(PseudoInverse(W), ImmutableMatrix(Matrix.vstack(
                TOP_EIGENVECTOR.T, NULL_VECTOR.T / c)),
                prose("for ", c, " not zero the rank is 2, so SymPy's generic "
                      "pseudo-inverse is right here: the second row is scaled by ", 1 / c,
                      " where the transpose has ", c), using=(weights,)),
        ),
        conclusion=prose("So ", Eq(PseudoInverse(W), W.T, evaluate=False),
                         " only where ", Eq(1 / c, c), ", that is ", Eq(c**2, 1),
                         ": every other nonzero ", c, " gives a global minimum that "
                         "is not a partial isometry (this breaks A4)."),
    )

    at_scale = {c: scale}
    instance_weights = Eq(W, weights.rhs.subs(at_scale))
    instance = Part(
        heading=prose("The exact instance ", Eq(c, scale)),
        text=prose("With ", instance_weights, ", ", Eq(top, 1), ":"),
        steps=(
            Step(tied_gradient(S, W), ZeroMatrix(3, 2), "still a critical point",
                 using=(Eq(S, data.rhs.subs(top, 1)), instance_weights)),
            Step(W.T * W, Identity(2), prose(W.T * W, " is not the identity"),
                 relation="!=", using=(instance_weights,)),
            Step(PseudoInverse(W), W.T, "SymPy's exact pinv differs from the transpose: "
                 "the transpose is not the pseudo-inverse", relation="!=",
                 using=(instance_weights,)),
        ),
    )

    sylvester_rules = (Eq(A, W.T * S * W), Eq(G, W.T * W), data, weights)
    sylvester = Part(
        heading="Where the proof of A4 breaks",
        text=prose("A4 multiplies the gradient by ", W.T, " and gets the Sylvester "
                   "equation in ", G - Identity(2), " with ", Eq(A, W.T * S * W), " and ",
                   Eq(G, W.T * W), "; it concludes ", Eq(G, Identity(2)),
                   " because ", A, " is positive definite. Here it is not."),
        steps=(
            Step(A, ImmutableMatrix(diag(top, 0)), prose(A, " has a zero eigenvalue"),
                 using=sylvester_rules),
            Step(A.det(), 0, prose(A, " is singular"), using=sylvester_rules),
            Step(A * G + G * A - 2 * A, ZeroMatrix(2, 2),
                 prose("the Sylvester equation ", Eq(A * (G - Identity(2)) +
                       (G - Identity(2)) * A, ZeroMatrix(2, 2), evaluate=False),
                       " holds (expanded)"),
                 using=sylvester_rules),
            Step(G - Identity(2), ImmutableMatrix(diag(0, c**2 - 1)),
                 prose("with a solution that is nonzero for ", c**2, " not 1"),
                 using=sylvester_rules),
        ),
        conclusion=prose("The spectra of ", A, " and ", -A, " share the eigenvalue 0, "
                         "so the Sylvester equation no longer forces ",
                         Eq(G, Identity(2)), "."),
    )

    unit = Eq(W, weights.rhs.subs(c, 1))
    partial_isometry = Part(
        heading=prose("The counterexample needs ", c, " outside {0, 1, -1}"),
        text=prose("At ", Eq(c, 1), " (and likewise at ", Eq(c, -1),
                   ") the columns are orthonormal and P1 applies; at ", Eq(c, 0),
                   " the rank drops and SymPy's generic formula with ", 1 / c,
                   " must not be used."),
        steps=(
            Step(PseudoInverse(W), W.T, prose("at ", Eq(c, 1), " the transpose is the "
                                               "pseudo-inverse"), using=(unit,)),
            Step(PseudoInverse(W), W.T, prose("at ", Eq(c, 0), " as well: every nonzero "
                                               "singular value is 1 (P3)"),
                 using=(Eq(W, weights.rhs.subs(c, 0)),)),
        ),
    )

    return Claim(
        id="F1",
        title="Rank-deficient data: critical points that are not partial isometries",
        statement=prose("If ", S, " has rank below ", symbols("k"), ", a global minimum "
                        "of the tied loss need not be a partial isometry: ",
                        Eq(PseudoInverse(W), W.T, evaluate=False),
                        " can fail at a critical point. This breaks A4, which assumes ", S,
                        " positive definite."),
        hypotheses=(prose(S, " of rank ", symbols("r"), " below the code size ",
                          symbols("k"), "; here ", Eq(symbols("r"), 1), ", ",
                          Eq(symbols("k"), 2), ", ", Eq(symbols("d"), 3), "."),
                    prose("The scale ", c, " of the null-space column is not in {0, 1, -1}; "
                          "the exact instance uses ", Eq(c, scale), ".")),
        proof=(family, sylvester),
        instances=(instance,),
        failures=(partial_isometry,),
    )


CLAIM = rank_deficient_data()
