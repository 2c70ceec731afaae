"""P3: ``W^T = W^+`` iff ``W`` is a partial isometry iff every nonzero singular value is 1.

Through the SVD ``W = U Sigma V^T`` (``U``, ``V`` orthogonal, symbolic ``d``,
``k``): ``V Sigma^+ U^T`` satisfies the four Penrose conditions, so it is
``W^+`` (P2), while ``W^T = V Sigma^T U^T``. Conjugating by the orthogonal
factors, ``W^T = W^+`` iff ``Sigma^T = Sigma^+`` and ``W W^T W = W`` iff
``Sigma Sigma^T Sigma = Sigma``. On an explicit ``3 x 2`` ``Sigma`` with
positive symbolic singular values these read ``1/sigma = sigma`` and
``sigma^3 = sigma``, whose only positive solution is ``sigma = 1``.

>>> characterisation().check()
36
"""

from __future__ import annotations

from sympy import (
    Eq,
    FiniteSet,
    Identity,
    ImmutableMatrix,
    Interval,
    Matrix,
    MatrixSymbol,
    Rational,
    S,
    Set,
    Symbol,
    diag,
    eye,
    oo,
)

from derivations.mathematics.penrose import penrose_condition as _penrose_condition
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse, SolutionSet, W, d, k

__all__ = [
    "CLAIM",
    "ORTHOGONALITY",
    "PINV_THROUGH_SVD",
    "SIGMA_PENROSE",
    "SVD",
    "Sigma",
    "SigmaPlus",
    "U",
    "V",
    "characterisation",
    "explicit_sigma",
    "rational_orthogonal",
]

#: The factors of the singular value decomposition ``W = U Sigma V^T``.
U = MatrixSymbol("U", d, d)
V = MatrixSymbol("V", k, k)
Sigma = MatrixSymbol("Sigma", d, k)
#: The pseudo-inverse of ``Sigma`` as a symbol of its own, so transposes stay readable.
SigmaPlus = MatrixSymbol("Sigma^+", k, d)

SVD = Eq(W, U * Sigma * V.T)
#: ``U`` and ``V`` are orthogonal, written as the rewrites that shorten products.
ORTHOGONALITY = (
    Eq(U.T * U, Identity(d)),
    Eq(U * U.T, Identity(d)),
    Eq(V.T * V, Identity(k)),
    Eq(V * V.T, Identity(k)),
)
#: ``Sigma^+`` satisfies the Penrose conditions for ``Sigma``, as rewrite rules.
SIGMA_PENROSE = tuple(Eq(*(side.doit() for side in _penrose_condition(number, SigmaPlus, matrix=Sigma).args), evaluate=False) for number in (1, 2, 3, 4))
#: The result of the first proof part (with P2), reused by P5.
PINV_THROUGH_SVD = Eq(PseudoInverse(W), V * SigmaPlus * U.T)

#: The nonzero singular values: positive reals.
POSITIVE = Interval.open(0, oo)


def explicit_sigma(values, *, rows: int = 3):
    """``Sigma`` with ``values`` on the diagonal (zeros allowed) and its pseudo-inverse.

    The pseudo-inverse is written out, transposed with each nonzero value
    inverted, not computed by ``pinv``: a checked step confirms the Penrose
    conditions.

    >>> explicit_sigma([2, 0], rows=3)[1]
    Matrix([
    [1/2, 0, 0],
    [  0, 0, 0]])
    """
    columns = len(values)
    sigma = Matrix.zeros(rows, columns)
    plus = Matrix.zeros(columns, rows)
    for i, value in enumerate(values):
        sigma[i, i] = value
        plus[i, i] = 0 if value == 0 else S.One / value
    return ImmutableMatrix(sigma), ImmutableMatrix(plus)


def rational_orthogonal():
    """A ``3 x 3`` and a ``2 x 2`` exactly orthogonal rational matrix.

    The ``3 x 3`` one is the Cayley transform ``(I - K)(I + K)^{-1}`` of a
    rational skew-symmetric ``K``; the ``2 x 2`` one is a rotation by the
    angle of the 3-4-5 triangle.

    >>> left, right = rational_orthogonal()
    >>> left.T * left == eye(3), right.T * right == eye(2)
    (True, True)
    """
    skew = Matrix([[0, -Rational(1, 2), Rational(1, 3)],
                   [Rational(1, 2), 0, -2],
                   [-Rational(1, 3), 2, 0]])
    left = (eye(3) - skew) * (eye(3) + skew).inv()
    right = Matrix([[Rational(3, 5), -Rational(4, 5)], [Rational(4, 5), Rational(3, 5)]])
    return ImmutableMatrix(left), ImmutableMatrix(right)


def _penrose_steps(matrix, candidate, rules, name, *, per_condition=((), (), (), ())):
    """The four Penrose conditions as steps; condition ``n`` also uses ``per_condition[n-1]``."""
    return tuple(
        Step(*_penrose_condition(number, candidate, matrix=matrix).args,
             prose(f"Penrose condition {number} for ", name),
             using=(*rules, *per_condition[number - 1]))
        for number in (1, 2, 3, 4)
    )


def _svd_part() -> Part:
    rules = (SVD, ORTHOGONALITY[0], ORTHOGONALITY[2])
    candidate = V * SigmaPlus * U.T
    return Part(
        heading=prose("The pseudo-inverse through the SVD: ", PINV_THROUGH_SVD),
        text=prose("Write ", SVD, " with ", U, " and ", V, " orthogonal and ", SigmaPlus,
                   " the pseudo-inverse of ", Sigma, ". The candidate ", candidate,
                   " satisfies the four Penrose conditions for ", W,
                   "; the rewrites are the SVD, the orthogonality of ", U, " and ", V,
                   ", and the Penrose conditions for ", SigmaPlus, "."),
        steps=_penrose_steps(W, candidate, rules, candidate,
                             per_condition=tuple((rule,) for rule in SIGMA_PENROSE)) + (
            Step(W.T, V * Sigma.T * U.T, "the transpose has the same singular vectors",
                 using=(SVD,)),
        ),
        conclusion=prose("By uniqueness (P2), ", PINV_THROUGH_SVD, "."),
    )


def _equivalence_part() -> Part:
    # The pseudo-inverse is rewritten before W inside it is.
    conjugation = (PINV_THROUGH_SVD, SVD, *ORTHOGONALITY)
    tied = Eq(W.T, PseudoInverse(W), evaluate=False)
    diagonal = Eq(Sigma.T, SigmaPlus, evaluate=False)
    return Part(
        heading=prose("Conjugating by the orthogonal factors"),
        text=prose("Multiplying by ", V.T, " on the left and ", U, " on the right is "
                   "invertible, so each identity for ", W, " is equivalent to one for ",
                   Sigma, "."),
        steps=(
            Step(Sigma.T, V.T * W.T * U, prose("undo the factors of ", W.T),
                 using=conjugation),
            Step(V.T * W.T * U, V.T * PseudoInverse(W) * U,
                 prose("if ", tied, ", by hypothesis"), using=(tied,)),
            Step(V.T * PseudoInverse(W) * U, SigmaPlus, prose("undo the factors of ",
                 PseudoInverse(W)), using=conjugation),
            Step(W.T, PseudoInverse(W), prose("conversely, if ", diagonal),
                 using=(*conjugation, diagonal)),
            Step(U.T * W * W.T * W * V, Sigma * Sigma.T * Sigma,
                 prose("so ", Eq(W * W.T * W, W, evaluate=False), " if and only if ",
                       Eq(Sigma * Sigma.T * Sigma, Sigma, evaluate=False)),
                 using=conjugation),
            Step(W.T * W, V * Sigma.T * Sigma * V.T,
                 prose("and ", W.T * W, " is similar to ", Sigma.T * Sigma),
                 using=conjugation),
            Step(W.T * W, Identity(k), prose("so for full column rank with ",
                 Eq(Sigma.T * Sigma, Identity(k)), " the columns are orthonormal (P1)"),
                 using=(*conjugation, Eq(Sigma.T * Sigma, Identity(k)))),
        ),
        conclusion=prose(tied, " if and only if ", diagonal, ", and ", W,
                         " is a partial isometry if and only if ",
                         Eq(Sigma * Sigma.T * Sigma, Sigma, evaluate=False), "."),
    )


def _singular_value_part(sigma_1: Symbol, sigma_2: Symbol, domain: Set) -> Part:
    sigma, plus = explicit_sigma([sigma_1, sigma_2])
    S, P = MatrixSymbol("Sigma", 3, 2), MatrixSymbol("Sigma^+", 2, 3)
    definitions = (Eq(S, sigma), Eq(P, plus))
    s = Symbol("sigma", real=True)
    return Part(
        heading="Two nonzero singular values",
        text=prose("With positive singular values ", sigma_1, " and ", sigma_2, ": ",
                   definitions[0], " and ", definitions[1], "."),
        steps=_penrose_steps(S, P, definitions, P) + (
            Step(S.T - P, diag(sigma_1 - 1 / sigma_1, sigma_2 - 1 / sigma_2).row_join(
                 Matrix.zeros(2, 1)), prose("the transpose minus the pseudo-inverse"),
                 using=definitions),
            Step(SolutionSet(s, Eq(1 / s, s), domain), FiniteSet(1),
                 prose("so ", Eq(S.T, P, evaluate=False), " if and only if each ",
                       Eq(1 / s, s), ", whose only positive solution is ", Eq(s, 1))),
            Step(S * S.T * S - S, diag(sigma_1**3 - sigma_1, sigma_2**3 - sigma_2).col_join(
                 Matrix.zeros(1, 2)), "the partial-isometry defect", using=definitions),
            Step(SolutionSet(s, Eq(s**3, s), domain), FiniteSet(1),
                 prose(Eq(s**3, s), " has the same single positive solution")),
            Step(S.T * S, diag(sigma_1**2, sigma_2**2), "full column rank: the Gram matrix",
                 using=definitions),
            Step(SolutionSet(s, Eq(s**2, 1), domain), FiniteSet(1),
                 prose("so ", Eq(S.T * S, Identity(2)), " exactly when every ",
                       Eq(s, 1))),
        ),
    )


def _rank_one_part(sigma_1: Symbol) -> Part:
    sigma, plus = explicit_sigma([sigma_1, 0])
    S, P = MatrixSymbol("Sigma", 3, 2), MatrixSymbol("Sigma^+", 2, 3)
    definitions = (Eq(S, sigma), Eq(P, plus))
    return Part(
        heading="One nonzero singular value (rank 1)",
        text=prose("A zero singular value stays zero in ", P, ": ", definitions[0], " and ",
                   definitions[1], ". Only ", sigma_1, " is constrained."),
        steps=_penrose_steps(S, P, definitions, P) + (
            Step(S.T - P, ImmutableMatrix([[sigma_1 - 1 / sigma_1, 0, 0], [0, 0, 0]]),
                 "the zero singular value contributes nothing", using=definitions),
        ),
    )


def _instances() -> tuple[Part, ...]:
    left, right = rational_orthogonal()
    orthogonal = (Eq(MatrixSymbol("U", 3, 3), left), Eq(MatrixSymbol("V", 2, 2), right))
    isometry = ImmutableMatrix(left * explicit_sigma([1, 1])[0] * right.T)
    rank_one = ImmutableMatrix(left * explicit_sigma([1, 0])[0] * right.T)
    W1, W2 = MatrixSymbol("W_1", 3, 2), MatrixSymbol("W_2", 3, 2)
    U3, V2 = (rule.lhs for rule in orthogonal)
    first = Part(
        heading="Rational partial isometries, exactly",
        text=prose("Rational orthogonal factors ", orthogonal[0], " and ", orthogonal[1],
                   " give ", Eq(W1, isometry), " (singular values 1, 1) and ",
                   Eq(W2, rank_one), " (singular values 1, 0)."),
        steps=(
            Step(U3.T * U3, Identity(3), prose(U3, " is orthogonal"), using=orthogonal),
            Step(V2.T * V2, Identity(2), prose(V2, " is orthogonal"), using=orthogonal),
            Step(PseudoInverse(W1), W1.T, "full column rank, singular values 1",
                 using=(Eq(W1, isometry),)),
            Step(W2 * W2.T * W2, W2, prose(W2, " is a partial isometry"),
                 using=(Eq(W2, rank_one),)),
            Step(PseudoInverse(W2), W2.T, "so its transpose is its pseudo-inverse",
                 using=(Eq(W2, rank_one),)),
            Step(W2.T * W2, Identity(2), "although its columns are not orthonormal",
                 relation="!=", using=(Eq(W2, rank_one),)),
        ),
        conclusion=prose("Partial isometries are more than matrices with orthonormal "
                         "columns: P3 covers the rank-deficient ones too."),
    )
    return (first,)


def _failures() -> tuple[Part, ...]:
    left, right = rational_orthogonal()
    sigma, plus = explicit_sigma([2, 1])
    stretched = ImmutableMatrix(left * sigma * right.T)
    W3 = MatrixSymbol("W_3", 3, 2)
    definition = Eq(W3, stretched)
    return (Part(
        heading="A singular value other than 1",
        text=prose("The same factors with singular values 2 and 1: ", definition, "."),
        steps=(
            Step(W3 * W3.T * W3, W3, "not a partial isometry", relation="!=",
                 using=(definition,)),
            Step(PseudoInverse(W3), W3.T, "and the transpose is not the pseudo-inverse",
                 relation="!=", using=(definition,)),
            Step(PseudoInverse(W3), ImmutableMatrix(right * plus * left.T),
                 prose("its pseudo-inverse is ", V * SigmaPlus * U.T, ", with the singular "
                       "value 2 inverted to 1/2"), using=(definition,)),
        ),
    ),)


def characterisation(*, singular_value_domain: Set = POSITIVE) -> Claim:
    """Build P3, solving for the nonzero singular values in ``singular_value_domain``."""
    sigma_1, sigma_2 = Symbol("sigma_1", positive=True), Symbol("sigma_2", positive=True)
    return Claim(
        id="P3",
        title="The transpose is the pseudo-inverse exactly for partial isometries",
        statement=prose(Eq(W.T, PseudoInverse(W), evaluate=False), " if and only if ", W,
                        " is a partial isometry, ", Eq(W * W.T * W, W, evaluate=False),
                        ", if and only if every nonzero singular value of ", W,
                        " equals 1. For full column rank this is ",
                        Eq(W.T * W, Identity(k)), "."),
        hypotheses=(
            prose(SVD, " with ", U, " and ", V, " orthogonal, for symbolic ", d, " and ",
                  k, "."),
            prose("Nonzero singular values lie in ", singular_value_domain, "."),
        ),
        proof=(_svd_part(), _equivalence_part(),
               _singular_value_part(sigma_1, sigma_2, singular_value_domain),
               _rank_one_part(sigma_1)),
        instances=_instances(),
        failures=_failures(),
        sources=("Penrose 1955",),
    )


CLAIM = characterisation()
