"""P4: why "inverse" becomes "pseudo-inverse" for a tall ``W``.

A ``d x k`` matrix with ``k < d`` has no inverse: ``W B`` has rank at most
``k < d`` for every ``B``, so it is never ``I_d`` (on an explicit ``3 x 2``
with symbolic entries, ``det(W B) = 0`` identically by Cauchy-Binet). With full
column rank the Gram matrix ``W^T W`` is invertible, and
``W^+ = (W^T W)^{-1} W^T`` (dimension-generic, SymPy's ``Inverse``) is a left
inverse whose product ``W W^+`` is the orthogonal projector onto the column
space. For ``d = k``, ``W^+ = W^{-1}``. For ``k > d`` no ``W`` has orthonormal
columns: ``det(W^T W) = 0`` identically.

>>> left_inverse().check()
28
"""

from __future__ import annotations

from sympy import (
    Determinant,
    Eq,
    Gt,
    Identity,
    ImmutableMatrix,
    Inverse,
    Lt,
    MatrixSymbol,
    Symbol,
    Transpose,
)

from derivations.mathematics.penrose import penrose_condition, product
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse, W, d, k

__all__ = ["CLAIM", "FULL_RANK_INSTANCE", "GRAM_INVERSE", "left_inverse", "symbolic_matrix"]

#: A rational ``3 x 2`` matrix of full column rank.
FULL_RANK_INSTANCE = ImmutableMatrix([[1, 2], [0, 1], [1, 0]])
#: ``(W^T W)^{-1}``, the inverse P4 assumes; tests pass other matrices to see the steps fail.
GRAM_INVERSE = Inverse(W.T * W)


def symbolic_matrix(name: str, rows: int, columns: int) -> ImmutableMatrix:
    """A ``rows x columns`` matrix of independent real symbols ``name_ij``.

    >>> symbolic_matrix("w", 2, 1)
    Matrix([
    [w_11],
    [w_21]])
    """
    return ImmutableMatrix(rows, columns, lambda i, j: Symbol(f"{name}_{i + 1}{j + 1}",
                                                               real=True))


def _no_inverse_part() -> Part:
    tall = Eq(MatrixSymbol("W", 3, 2), symbolic_matrix("w", 3, 2))
    right = Eq(MatrixSymbol("B", 2, 3), symbolic_matrix("b", 2, 3))
    Wt, B = tall.lhs, right.lhs
    return Part(
        heading=prose("With ", Lt(k, d), " there is no inverse"),
        text=prose("An inverse would be a right inverse ", Eq(W * MatrixSymbol("B", k, d),
                   Identity(d)), ". But ", W, " times anything has rank at most ", k,
                   ". For three rows and two columns with arbitrary real entries, ",
                   tall, " and ", right, ":"),
        steps=(
            Step(Determinant(Wt * B), 0, "identically zero: by Cauchy-Binet the determinant "
                 "is a sum over three-column minors of a two-column matrix, of which there "
                 "are none", using=(tall, right)),
            Step(Determinant(Wt * B), Determinant(Identity(3)),
                 prose("so ", Eq(Wt * B, Identity(3), evaluate=False),
                       " for no entries at all"), relation="!=", using=(tall, right)),
        ),
        conclusion=prose("The best one can ask of a tall ", W, " is a left inverse."),
    )


def _left_inverse_part(gram_inverse) -> Part:
    candidate = product(gram_inverse, W.T)
    formula = Eq(PseudoInverse(W), candidate, evaluate=False)
    projector = product(W, candidate)
    return Part(
        heading=prose("Full column rank: ", formula),
        text=prose("Full column rank makes the Gram matrix ", W.T * W, " invertible. The "
                   "candidate ", candidate, " satisfies the four Penrose conditions; "
                   "SymPy's ", Inverse(W.T * W), " cancels against ", W.T * W,
                   " with no further rule."),
        steps=tuple(
            Step(*penrose_condition(number, candidate, matrix=W).args,
                 f"Penrose condition {number}")
            for number in (1, 2, 3, 4)
        ) + (
            Step(product(candidate, W), Identity(k), "a left inverse"),
            Step(product(projector, projector), projector,
                 prose(projector, " is idempotent")),
            Step(Transpose(projector), projector, prose(projector, " is symmetric")),
            Step(product(projector, W), W, prose("and fixes every column of ", W,
                                         ": the orthogonal projector onto its column space")),
        ),
        conclusion=prose("By uniqueness (P2), ", formula, "."),
    )


def _square_part() -> Part:
    square = MatrixSymbol("W", k, k)
    return Part(
        heading=prose("Square and invertible: the pseudo-inverse is the inverse"),
        text=prose("For ", Eq(d, k), " and invertible ", square, ", ", Inverse(square),
                   " satisfies the Penrose conditions, and the left-inverse formula "
                   "reduces to it."),
        steps=tuple(
            Step(*penrose_condition(number, Inverse(square), matrix=square).args,
                 f"Penrose condition {number}")
            for number in (1, 2, 3, 4)
        ) + (
            Step(product(Inverse(square.T * square), square.T), Inverse(square),
                 prose("the inverse of the Gram matrix is ", Inverse(square) *
                       Inverse(square.T))),
        ),
    )


def _wide_part() -> Part:
    wide = Eq(MatrixSymbol("W", 2, 3), symbolic_matrix("w", 2, 3))
    Ww = wide.lhs
    return Part(
        heading=prose("With ", Gt(k, d), " orthonormal columns are impossible"),
        text=prose(W.T * W, " is ", k, " by ", k, " with rank at most ", Lt(d, k, evaluate=False),
                   ". Two rows and three columns with arbitrary real entries, ", wide, ":"),
        steps=(
            Step(Determinant(Ww.T * Ww), 0, "identically zero (Cauchy-Binet)",
                 using=(wide,)),
            Step(Determinant(Ww.T * Ww), Determinant(Identity(3)),
                 prose("so ", Eq(Ww.T * Ww, Identity(3), evaluate=False),
                       " for no entries at all"), relation="!=", using=(wide,)),
        ),
    )


def _instances(instance: ImmutableMatrix) -> tuple[Part, ...]:
    rows, columns = instance.shape
    Q = MatrixSymbol("Q", rows, columns)
    definition = Eq(Q, instance)
    projector = Q * PseudoInverse(Q)
    square = Eq(MatrixSymbol("A", 2, 2), ImmutableMatrix([[2, 1], [1, 1]]))
    A = square.lhs
    tall = Part(
        heading="A rational matrix of full column rank",
        text=prose(definition, "; SymPy's own pinv against the formula, exactly."),
        steps=(
            Step(Determinant(Q.T * Q), 0, "the Gram matrix is invertible", relation="!=",
                 using=(definition,)),
            Step(PseudoInverse(Q) * Q, Identity(columns), "a left inverse",
                 using=(definition,)),
            Step(PseudoInverse(Q), Inverse(Q.T * Q) * Q.T, "the left-inverse formula",
                 using=(definition,)),
            Step(projector * projector, projector, "the projector is idempotent",
                 using=(definition,)),
            Step(Transpose(projector), projector, "and symmetric", using=(definition,)),
            Step(projector, Identity(rows), "but not the identity: no right inverse",
                 relation="!=", using=(definition,)),
        ),
    )
    invertible = Part(
        heading="A rational invertible matrix",
        text=prose(square, "."),
        steps=(Step(PseudoInverse(A), Inverse(A), "the pseudo-inverse is the inverse",
                    using=(square,)),),
    )
    return tall, invertible


def _failures() -> tuple[Part, ...]:
    repeated = Eq(MatrixSymbol("R", 3, 2), ImmutableMatrix([[1, 2], [2, 4], [0, 0]]))
    R = repeated.lhs
    projector = R * PseudoInverse(R)
    return (Part(
        heading="Without full column rank there is no left inverse",
        text=prose("The second column is twice the first: ", repeated, "."),
        steps=(
            Step(Determinant(R.T * R), 0, "the Gram matrix is singular",
                 using=(repeated,)),
            Step(PseudoInverse(R) * R, Identity(2), "the pseudo-inverse is no left inverse",
                 relation="!=", using=(repeated,)),
            Step(projector * projector, projector,
                 prose("yet ", projector, " is still the orthogonal projector onto the "
                       "column space"), using=(repeated,)),
            Step(Transpose(projector), projector, "symmetric as well", using=(repeated,)),
        ),
    ),)


def left_inverse(*, gram_inverse=GRAM_INVERSE,
                 instance: ImmutableMatrix = FULL_RANK_INSTANCE) -> Claim:
    """Build P4 with ``gram_inverse`` standing for ``(W^T W)^{-1}`` and a rational ``instance``."""
    instance = ImmutableMatrix(instance)
    if instance.rows <= instance.cols:
        raise ValueError(f"instance has shape {instance.shape}; expected a tall matrix "
                         "(more rows than columns)")
    return Claim(
        id="P4",
        title='Why "inverse" becomes "pseudo-inverse"',
        statement=prose("A ", d, " by ", k, " matrix ", W,
                        " has no inverse when ", Lt(k, d), ". If it has full column rank, ",
                        Eq(PseudoInverse(W), Inverse(W.T * W) * W.T, evaluate=False),
                        " is a left inverse, ", Eq(PseudoInverse(W) * W, Identity(k),
                                                   evaluate=False),
                        ", and ", W * PseudoInverse(W), " is the orthogonal projector onto "
                        "the column space of ", W, ". When ", Eq(d, k), ", ",
                        Eq(PseudoInverse(W), Inverse(MatrixSymbol("W", k, k)),
                           evaluate=False),
                        ". When ", Gt(k, d), ", ", Eq(W.T * W, Identity(k)),
                        " is impossible."),
        hypotheses=(
            prose(W, " has full column rank: ", W.T * W, " is invertible, with inverse ",
                  gram_inverse, "."),
        ),
        proof=(_no_inverse_part(), _left_inverse_part(gram_inverse), _square_part(),
               _wide_part()),
        instances=_instances(instance),
        failures=_failures(),
        sources=("Penrose 1955",),
    )


CLAIM = left_inverse()
