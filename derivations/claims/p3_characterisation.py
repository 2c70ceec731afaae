"""P3: ``W^T = W^+`` iff ``W`` is a partial isometry iff every nonzero singular value is 1.

Generic in ``d``, ``k`` and the rank ``r``, through the compact SVD
``W = U Sigma V^T`` (a cited trusted fact): ``W^+ = V Sigma^+ U^T`` by the four
Penrose conditions and uniqueness, and ``W^T = V Sigma^T U^T``. Each of
``W^T = W^+`` and ``W W^T W = W`` is equivalent to ``Sigma^+ = Sigma^T``, and
entry by entry, for a symbolic index ``i``, ``Sigma^+ = Sigma^T`` gives
``sigma_i^2 = 1``, hence ``sigma_i = 1`` because ``sigma_i > 0``: ``Sigma = I_r``.

>>> characterisation().check()
55
"""

from __future__ import annotations

from sympy import Eq, Gt, Identity, ImmutableMatrix, KroneckerDelta, MatrixSymbol
from sympy.logic.boolalg import Equivalent

from derivations.engine import (
    Assume,
    Chain,
    Claim,
    Conclude,
    ForEvery,
    Iff,
    Link,
    Part,
    Step,
    prose,
)
from derivations.mathematics.pseudo_inverse_svd import pseudo_inverse_through_svd
from derivations.mathematics.svd import (
    Sigma,
    SigmaPlus,
    U,
    V,
    explicit_sigma,
    i,
    j,
    r,
    rational_orthogonal,
    sigma,
)
from derivations.notation import PseudoInverse, W, d, k

__all__ = ["CLAIM", "IS_PARTIAL_ISOMETRY", "SINGULAR_VALUES_ONE", "TRANSPOSE_IS_PSEUDO_INVERSE",
           "characterisation"]

TRANSPOSE_IS_PSEUDO_INVERSE = Eq(W.T, PseudoInverse(W), evaluate=False)
IS_PARTIAL_ISOMETRY = Eq(W * W.T * W, W, evaluate=False)
#: Every nonzero singular value is 1: the diagonal factor of the compact SVD is the identity.
SINGULAR_VALUES_ONE = Eq(Sigma, Identity(r), evaluate=False)


def _every_singular_value_is_one(svd, plus_is_transpose, singular_values):
    """From ``Sigma^+ = Sigma^T``: entry ``(i, i)`` gives ``sigma_i^2 = 1``, so ``Sigma = I_r``."""
    s = singular_values[i]
    square = Chain(prose("The diagonal entry ", i, " of ", plus_is_transpose), s**2, (
        Link(s * Sigma[i, i], prose("the diagonal of ", Sigma), using=(svd.diagonal,)),
        Link(s * SigmaPlus[i, i], prose(plus_is_transpose), using=(plus_is_transpose,)),
        Link(1, prose("the diagonal of ", SigmaPlus), using=(svd.plus_definition,)),
    ))
    one = Chain(prose("A positive root of ", square.derives), s, (
        Link((s**2 + s) / (s + 1), prose("multiply and divide by ", s + 1,
                                         ", which is positive because ", Gt(s, 0, evaluate=False))),
        Link(1, prose(square.derives), using=(square.derives,)),
    ))
    entry = Chain(prose("Entry ", i, ", ", j, " of ", Sigma), Sigma[i, j], (
        Link(KroneckerDelta(i, j, (0, r - 1)) * s, prose(Sigma, " is diagonal"),
             using=(svd.diagonal,)),
        Link(Identity(r)[i, j], prose(one.derives), using=(one.derives,)),
    ))
    return ForEvery((i, j), (square, one, entry), SINGULAR_VALUES_ONE,
                    heading=prose("Every nonzero singular value is 1: ", SINGULAR_VALUES_ONE))


def _transpose_iff_identity(svd, singular_values) -> Iff:
    formula = svd.formula
    orthonormal = (svd.left_orthonormal, svd.right_orthonormal)
    plus_is_transpose = Chain(prose(SigmaPlus, " is ", Sigma.T), SigmaPlus, (
        Link(V.T * V * SigmaPlus * U.T * U, prose(V.T * V, " and ", U.T * U, " are identities"),
             using=orthonormal),
        Link(V.T * PseudoInverse(W) * U, prose(formula), using=(formula,)),
        Link(V.T * W.T * U, prose("the assumption ", TRANSPOSE_IS_PSEUDO_INVERSE),
             using=(TRANSPOSE_IS_PSEUDO_INVERSE,)),
        Link(Sigma.T, "the SVD", using=(svd.factored, *orthonormal)),
    ))
    forward = Assume(TRANSPOSE_IS_PSEUDO_INVERSE, (
        plus_is_transpose,
        _every_singular_value_is_one(svd, plus_is_transpose.derives, singular_values),
    ), SINGULAR_VALUES_ONE)
    plus_is_identity = Chain(prose(SigmaPlus, " is the identity"), SigmaPlus, (
        Link(SigmaPlus * Sigma, prose("the assumption ", SINGULAR_VALUES_ONE),
             using=(SINGULAR_VALUES_ONE,)),
        Link(Identity(r), prose(svd.sigma_plus_sigma), using=(svd.sigma_plus_sigma,)),
    ))
    backward = Assume(SINGULAR_VALUES_ONE, (
        plus_is_identity,
        Chain(prose("Then ", TRANSPOSE_IS_PSEUDO_INVERSE), W.T, (
            Link(V * Sigma.T * U.T, "the SVD", using=(svd.factored,)),
            Link(V * U.T, prose("the assumption ", SINGULAR_VALUES_ONE),
                 using=(SINGULAR_VALUES_ONE,)),
            Link(V * SigmaPlus * U.T, prose(plus_is_identity.derives),
                 using=(plus_is_identity.derives,)),
            Link(PseudoInverse(W), prose(formula), using=(formula,)),
        )),
    ), TRANSPOSE_IS_PSEUDO_INVERSE)
    return Iff(forward, backward, heading=prose(TRANSPOSE_IS_PSEUDO_INVERSE, " exactly when ",
                                                SINGULAR_VALUES_ONE))


def _partial_isometry_iff_identity(svd, singular_values) -> Iff:
    orthonormal = (svd.left_orthonormal, svd.right_orthonormal)
    cubed = Chain(prose("The assumption for ", Sigma), Sigma, (
        Link(U.T * W * V, "the SVD", using=(svd.factored, *orthonormal)),
        Link(U.T * W * W.T * W * V, prose("the assumption ", IS_PARTIAL_ISOMETRY),
             using=(IS_PARTIAL_ISOMETRY,)),
        Link(Sigma * Sigma.T * Sigma, "the SVD", using=(svd.factored, *orthonormal)),
    ))
    plus_is_transpose = Chain(prose(SigmaPlus, " is ", Sigma.T), SigmaPlus, (
        Link(SigmaPlus * Sigma * SigmaPlus, prose(svd.sigma_sigma_plus),
             using=(svd.sigma_sigma_plus,)),
        Link(SigmaPlus * Sigma * Sigma.T * Sigma * SigmaPlus, prose(cubed.derives),
             using=(Eq(Sigma * Sigma.T * Sigma, Sigma, evaluate=False),)),
        Link(Sigma.T, prose(svd.sigma_plus_sigma, " and ", svd.sigma_sigma_plus),
             using=(svd.sigma_plus_sigma, svd.sigma_sigma_plus)),
    ))
    forward = Assume(IS_PARTIAL_ISOMETRY, (
        cubed, plus_is_transpose,
        _every_singular_value_is_one(svd, plus_is_transpose.derives, singular_values),
    ), SINGULAR_VALUES_ONE)
    backward = Assume(SINGULAR_VALUES_ONE, (
        Chain(prose("Then ", IS_PARTIAL_ISOMETRY), W * W.T * W, (
            Link(U * Sigma * Sigma.T * Sigma * V.T, "the SVD",
                 using=(svd.factored, *orthonormal)),
            Link(W, prose("the assumption ", SINGULAR_VALUES_ONE, ", and the SVD"),
                 using=(SINGULAR_VALUES_ONE, svd.factored)),
        )),
    ), IS_PARTIAL_ISOMETRY)
    return Iff(forward, backward, heading=prose(IS_PARTIAL_ISOMETRY, " exactly when ",
                                                SINGULAR_VALUES_ONE))


def _transpose_iff_partial_isometry(first: Iff, second: Iff) -> Iff:
    A, B, S = TRANSPOSE_IS_PSEUDO_INVERSE, IS_PARTIAL_ISOMETRY, SINGULAR_VALUES_ONE
    forward = Assume(A, (Conclude(first.forward.derives), Conclude(second.backward.derives)), B)
    backward = Assume(B, (Conclude(second.forward.derives), Conclude(first.backward.derives)), A)
    return Iff(forward, backward, heading=prose("Both are ", S, ", so ", A, " exactly when ", B))


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


def characterisation(*, singular_values=sigma) -> Claim:
    """Build P3 with the nonzero singular values ``singular_values`` (positive by default)."""
    svd = pseudo_inverse_through_svd(singular_values=singular_values)
    first = _transpose_iff_identity(svd, singular_values)
    second = _partial_isometry_iff_identity(svd, singular_values)
    both = _transpose_iff_partial_isometry(first, second)
    transpose_iff_isometry = Equivalent(TRANSPOSE_IS_PSEUDO_INVERSE, IS_PARTIAL_ISOMETRY,
                                        evaluate=False)
    isometry_iff_ones = Equivalent(IS_PARTIAL_ISOMETRY, SINGULAR_VALUES_ONE, evaluate=False)
    return Claim(
        id="P3",
        title="The transpose is the pseudo-inverse exactly for partial isometries",
        statement=prose("For every ", W, " (", d, " by ", k, ", of rank ", r,
                        ", with compact SVD ", svd.factored, "): ",
                        TRANSPOSE_IS_PSEUDO_INVERSE, " if and only if ", W,
                        " is a partial isometry, ", IS_PARTIAL_ISOMETRY,
                        ", if and only if every nonzero singular value of ", W,
                        " equals 1, ", SINGULAR_VALUES_ONE, "."),
        conclusions=(transpose_iff_isometry, isometry_iff_ones),
        idea=prose("In the singular vectors, ", W.T, " is ", Sigma.T, " and ", PseudoInverse(W),
                   " is ", SigmaPlus, ", the diagonal of the ", 1 / sigma[i],
                   ". They agree exactly when ", Eq(1 / sigma[i], sigma[i]),
                   " for every ", i, ", and a positive number equal to its own inverse is 1. "
                   "The partial-isometry condition reads ", Eq(Sigma ** 3, Sigma),
                   " in the same coordinates, which comes to the same."),
        generality=prose("The proof is for symbolic sizes ", d, ", ", k, " and rank ", r,
                         ": matrix steps for symbolic shapes, and entry by entry for a "
                         "symbolic index ", i, " on the diagonal ", Sigma,
                         " (the diagonal matrix of the singular values). It cites the compact SVD "
                         "and the uniqueness of the pseudo-inverse. The exact instances are "
                         "3 by 2 matrices of rank 2 and 1."),
        proof=(*svd.items, first, second, both),
        instances=_instances(),
        failures=_failures(),
        remarks=(prose("For full column rank (", Eq(r, k), "), ", V, " is square with "
                       "orthonormal columns, and ", SINGULAR_VALUES_ONE, " reads ",
                       Eq(W.T * W, Identity(k)), ", the hypothesis of P1. For lower rank, "
                       "orthonormal columns are not necessary: the rank-one instance below "
                       "has ", PseudoInverse(W), " equal to ", W.T,
                       " without orthonormal columns."),),
        sources=("Penrose 1955",),
    )


CLAIM = characterisation()
