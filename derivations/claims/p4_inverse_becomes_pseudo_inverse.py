"""P4: why "inverse" becomes "pseudo-inverse" for a tall ``W``.

With full column rank, written ``Q.positive_definite(W^T W)``, the Gram matrix
``W^T W`` is invertible and the candidate ``(W^T W)^{-1} W^T`` satisfies the four
Penrose conditions for symbolic ``d`` and ``k``; by uniqueness it is ``W^+``.
It is a left inverse, ``W^+ W = I_k``, and ``W W^+`` is the orthogonal
projector onto the column space. A square invertible ``W`` has
``W^+ = W^{-1}``. Every inverse is licensed by a hypothesis: the candidate
``W^T (W W^T)^{-1}`` of a tall ``W`` fails with an unjustified inverse.

That a tall ``W`` has no right inverse, and that ``W^T W = I_k`` is impossible
when ``k > d``, are rank arguments; SymPy has no rank calculus for symbolic
sizes, so these are exact instances at ``3 x 2`` and ``2 x 3`` (Cauchy-Binet).

>>> left_inverse().check()
32
"""

from __future__ import annotations

from sympy import (
    Determinant,
    Eq,
    Gt,
    Identity,
    ImmutableMatrix,
    Implies,
    Inverse,
    Lt,
    MatrixSymbol,
    Q,
    Symbol,
    Transpose,
)

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import Assume, Chain, Claim, Define, Link, Part, Step, prose
from derivations.mathematics.penrose import penrose_conditions, product
from derivations.notation import PseudoInverse, W, d, k

__all__ = ["CANDIDATE", "CLAIM", "FULL_COLUMN_RANK", "FULL_RANK_INSTANCE", "left_inverse",
           "symbolic_matrix"]

#: A rational ``3 x 2`` matrix of full column rank.
FULL_RANK_INSTANCE = ImmutableMatrix([[1, 2], [0, 1], [1, 0]])
#: Full column rank: the Gram matrix is positive definite.
FULL_COLUMN_RANK = Q.positive_definite(W.T * W)
#: The left-inverse formula; tests pass other candidates to see the proof fail.
CANDIDATE = Inverse(W.T * W) * W.T
#: The candidate pseudo-inverse, named so that SymPy does not cancel it away on sight.
G = MatrixSymbol("G", k, d)
#: A square matrix, for the case ``d = k``, and its candidate (named ``A``: the statement
#: also speaks of the tall ``W``, and one printed name means one matrix).
W_square = MatrixSymbol("A", k, k)
G_square = MatrixSymbol("G", k, k)



def _reasons(inverted):
    return (
        prose(inverted, " times its inverse is the identity"),
        prose("the same cancellation in the middle"),
        prose("the inverse of the symmetric ", inverted, " is symmetric") if inverted != W_square
        else prose(W_square, " times its inverse is the identity, which is symmetric"),
        prose(inverted, " times its inverse is the identity, which is symmetric"),
    )


def _pseudo_inverse_through_penrose(matrix, name, candidate, *, heading, inverted):
    """Penrose's four conditions for ``candidate``, uniqueness, and ``matrix^+ = candidate``."""
    definition = Define(name, candidate, text=prose("The candidate is ", candidate, "."))
    chains = tuple(
        Chain(prose("Penrose condition ", number), condition.lhs,
              (Link(condition.rhs, reason, using=(definition.definition,)),))
        for number, (condition, reason) in enumerate(
            zip(penrose_conditions(matrix, name), _reasons(inverted), strict=True), start=1)
    )
    uniqueness, equal = by_uniqueness(matrix, name)
    formula = Chain(heading, PseudoInverse(matrix), (
        Link(name, "by uniqueness (P2), since the four conditions hold", using=(equal,)),
        Link(candidate, "the candidate", using=(definition.definition,)),
    ))
    return (definition, *chains, *uniqueness, formula), formula.derives


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
    # An explicit Gram matrix licenses its own inverse when its determinant is nonzero;
    # a singular one is left symbolic, so that the step fails as unlicensed.
    explicit_gram = ImmutableMatrix(instance.T * instance)
    gram = explicit_gram if explicit_gram.det() != 0 else Q.T * Q
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
            Step(PseudoInverse(Q), Inverse(gram) * Q.T,
                 "the left-inverse formula, with the explicit Gram matrix",
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
        steps=(Step(PseudoInverse(A), Inverse(square.rhs), "the pseudo-inverse is the inverse",
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


def left_inverse(*, full_column_rank=FULL_COLUMN_RANK, candidate=CANDIDATE,
                 instance: ImmutableMatrix = FULL_RANK_INSTANCE) -> Claim:
    """Build P4 under the hypothesis ``full_column_rank``, proving with ``candidate``.

    ``candidate`` stands for ``(W^T W)^{-1} W^T`` in the proof; the statement
    does not change with it, so a wrong candidate makes the proof fail.
    """
    instance = ImmutableMatrix(instance)
    if instance.rows <= instance.cols:
        raise ValueError(f"instance has shape {instance.shape}; expected a tall matrix "
                         "(more rows than columns)")
    formula = Eq(PseudoInverse(W), CANDIDATE, evaluate=False)
    projector = W * PseudoInverse(W)
    left = Eq(PseudoInverse(W) * W, Identity(k), evaluate=False)
    idempotent = Eq(product(projector, projector), projector, evaluate=False)
    fixes = Eq(product(projector, W), W, evaluate=False)
    explicit_projector = W * CANDIDATE
    symmetric = Eq(Transpose(explicit_projector), explicit_projector, evaluate=False)
    square_formula = Eq(PseudoInverse(W_square), Inverse(W_square), evaluate=False)
    square = Implies(Q.invertible(W_square), square_formula, evaluate=False)

    tall_items, derived = _pseudo_inverse_through_penrose(
        W, G, candidate, heading=prose("Full column rank: ", formula), inverted=W.T * W)
    consequences = (
        Chain(prose("A left inverse: ", left), PseudoInverse(W) * W, (
            Link(product(CANDIDATE, W), "the formula", using=(derived,)),
            Link(Identity(k), prose(W.T * W, " times its inverse")),
        )),
        Chain(prose(projector, " is idempotent"), idempotent.lhs, (
            Link(projector, "the left inverse in the middle", using=(left,)),
        )),
        Chain(prose(projector, " fixes the columns of ", W), fixes.lhs, (
            Link(W, "the left inverse", using=(left,)),
        )),
        Chain(prose(projector, " is symmetric"), symmetric.lhs, (
            Link(explicit_projector, prose("the inverse of the symmetric ", W.T * W,
                                           " is symmetric")),
        )),
    )
    square_items, _ = _pseudo_inverse_through_penrose(
        W_square, G_square, Inverse(W_square), heading=prose(square_formula),
        inverted=W_square)
    square_case = Assume(Q.invertible(W_square), square_items, square_formula,
                         heading=prose("Square and invertible (", Eq(d, k),
                                       "): the pseudo-inverse is the inverse"))
    return Claim(
        id="P4",
        title='Why "inverse" becomes "pseudo-inverse"',
        statement=prose("Let ", W, " be ", d, " by ", k, " of full column rank (", W.T * W,
                        " positive definite). Then ", formula, ", a left inverse, ", left,
                        "; ", projector, " is idempotent, symmetric and fixes the columns "
                        "of ", W, ": the orthogonal projector onto its column space. A "
                        "square invertible ", W_square, " has ", square_formula, "."),
        hypotheses=(full_column_rank,),
        conclusions=(formula, left, idempotent, fixes, symmetric, square),
        idea=prose("Full column rank makes the Gram matrix ", W.T * W, " invertible, and "
                   "the candidate ", CANDIDATE, " satisfies the four Penrose conditions: "
                   "each cancels ", W.T * W, " against its inverse. Uniqueness (P2) makes "
                   "it the pseudo-inverse; the rest follows from ", left, "."),
        generality=prose("The proof is for symbolic sizes ", d, " and ", k, "; every "
                         "inverse it uses is licensed by the hypothesis (for the square case, "
                         "by ", Q.invertible(W_square), "). That a tall matrix has no right "
                         "inverse, and that ", Eq(W.T * W, Identity(k)), " is impossible "
                         "for ", Gt(k, d), ", are rank arguments for which SymPy has no "
                         "calculus at symbolic sizes: they are exact instances at 3 by 2 "
                         "and 2 by 3, with arbitrary real entries."),
        proof=(*tall_items, *consequences, square_case),
        instances=(_no_inverse_part(), _wide_part(), *_instances(instance)),
        failures=_failures(),
        sources=("Penrose 1955",),
    )


CLAIM = left_inverse()
