"""A4: with ``S`` positive definite, every tied critical point is a partial isometry.

Dimension-generic: left-multiplying the gradient (A3) by ``W^T`` gives, with
``A = W^T S W`` and ``G = W^T W``, the Sylvester equation
``A (G - I) + (G - I) A = 0``. Its operator ``M -> A M + M A`` has the
eigenvalues ``alpha_i + alpha_j`` (``alpha`` the eigenvalues of ``A``), all
positive when ``A`` is positive definite, so ``G = I``. At ``k = 2`` this is
checked exactly: for ``A = L L^T`` with ``L`` lower triangular with positive
diagonal, the Kronecker form ``I (x) A + A^T (x) I`` has determinant
``4 det(A) tr(A)^2 > 0``. For rank ``r < k`` the compact SVD
``W = U_r Sigma_r V_r^T`` gives the same equation for ``Sigma_r^2``. Where
``A`` is indefinite or singular the Sylvester equation has nonzero solutions.

>>> sylvester = CLAIM.proof[0].steps[0]
>>> sylvester.rhs
2*(-I + G)*A + 2*A*(-I + G)
>>> sylvester.holds()
True
"""

from __future__ import annotations

from sympy import (
    Determinant,
    Eq,
    FiniteSet,
    Identity,
    ImmutableMatrix,
    Interval,
    Lambda,
    Matrix,
    MatrixSymbol,
    Trace,
    ZeroMatrix,
    kronecker_product,
    oo,
    symbols,
)

from derivations.claims.a3_tied_gradient import TIED_GRADIENT, gradient_formula
from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.mathematics.losses import S
from derivations.notation import PseudoInverse, SolutionSet, W, d, k

__all__ = ["CLAIM", "POSITIVE_FACTOR", "tied_critical_points"]

A = MatrixSymbol("A", k, k)
G = MatrixSymbol("G", k, k)
#: Lower-triangular factor with positive diagonal: ``L L^T`` is every 2x2 positive
#: definite matrix (Cholesky).
_l11, _l22 = symbols("l_11 l_22", positive=True)
_l21 = symbols("l_21", real=True)
POSITIVE_FACTOR = ImmutableMatrix([[_l11, 0], [_l21, _l22]])


def _sylvester_part():
    definitions = (Eq(W.T * S * W, A), Eq(W.T * W, G))
    sylvester = A * (G - Identity(k)) + (G - Identity(k)) * A
    return Part(
        heading="From the critical-point equation to a Sylvester equation",
        text=prose("At a critical point ", Eq(TIED_GRADIENT, ZeroMatrix(d, k), evaluate=False),
                   " (A3). Multiply on the left by ", W.T, " and name ",
                   Eq(A, W.T * S * W, evaluate=False), ", ", Eq(G, W.T * W, evaluate=False),
                   "."),
        steps=(
            Step(W.T * TIED_GRADIENT, 2 * sylvester,
                         "multiply out and collect with the two names", using=definitions),
        ),
        conclusion=prose("So ", Eq(sylvester, ZeroMatrix(k, k), evaluate=False),
                         ": the Sylvester equation in ", G - Identity(k),
                         " with coefficients ", A, " and ", A, "."),
    )


def _positive_definite_part():
    x = MatrixSymbol("x", k, 1)
    m = MatrixSymbol("M", k, k)
    u_i, u_j = MatrixSymbol("u_i", k, 1), MatrixSymbol("u_j", k, 1)
    alpha_i, alpha_j = symbols("alpha_i alpha_j", positive=True)
    eigen = (Eq(A * u_i, alpha_i * u_i), Eq(u_j.T * A, alpha_j * u_j.T))
    operator = Lambda(m, A * m + m * A)
    return Part(
        heading=prose("For full column rank, ", A, " is positive definite and ", operator,
                      " is invertible"),
        text=prose("For a vector ", x, ":"),
        steps=(
            Step(x.T * A * x, (W * x).T * S * (W * x), prose("the quadratic form of ", A,
                                                             " is that of ", S, " at ", W * x),
                 using=(Eq(A, W.T * S * W),)),
            Step(A * (u_i * u_j.T) + (u_i * u_j.T) * A, (alpha_i + alpha_j) * u_i * u_j.T,
                         prose("on products of eigenvectors of the symmetric ", A, " (",
                               *eigen[0:1], ", ", eigen[1], ") the operator ", operator,
                               " multiplies by ", alpha_i + alpha_j),
                         using=eigen),
        ),
        conclusion=prose("If ", W, " has full column rank, ", W * x, " is nonzero for nonzero ",
                         x, ", so with ", S, " positive definite the form is positive: ", A,
                         " is positive definite, its eigenvalues are positive, and the ",
                         k ** 2, " products ", u_i * u_j.T, " of an orthonormal eigenbasis "
                         "span all ", k, " by ", k, " matrices. So every eigenvalue ",
                         alpha_i + alpha_j, " of ", operator, " is positive, the operator is "
                         "invertible, and its only zero is ", Eq(m, ZeroMatrix(k, k)), ": ",
                         Eq(G, Identity(k), evaluate=False), ", that is ",
                         Eq(W.T * W, Identity(k), evaluate=False), ", and ",
                         Eq(PseudoInverse(W), W.T, evaluate=False), " (P1)."),
    )


def _kronecker_part(factor):
    size = factor.shape[0]
    coefficient = ImmutableMatrix(factor * factor.T)
    named_a = MatrixSymbol("A_0", size, size)
    named_l = MatrixSymbol("L", size, size)
    named_k = MatrixSymbol("K", size * size, size * size)
    unknowns = symbols(f"m_1:{size * size + 1}")
    unknown = Matrix(size, size, unknowns)
    named_m = MatrixSymbol("M", size, size)
    operator = ImmutableMatrix(kronecker_product(Matrix.eye(size), coefficient)
                               + kronecker_product(coefficient.T, Matrix.eye(size)))
    rules = (Eq(named_l, factor), Eq(named_a, coefficient), Eq(named_k, operator),
             Eq(named_m, ImmutableMatrix(unknown)))
    # vec stacks columns: vec(M) lists M column by column.
    vec = ImmutableMatrix(unknown.T.reshape(size * size, 1))
    named_vec = MatrixSymbol("vec_M", size * size, 1)
    return Part(
        heading=prose("Only the zero solution, exactly, for ", Eq(k, size)),
        text=prose("Every positive definite ", named_a, " is ", Eq(named_a, named_l * named_l.T),
                   " for ", Eq(named_l, factor), " (Cholesky; ", *_positive(factor), "). "
                   "With ", Eq(named_m, ImmutableMatrix(unknown)), " and its column-stacked ",
                   Eq(named_vec, vec), ", the Kronecker form of the Sylvester operator is ",
                   Eq(named_k, operator), "."),
        steps=(
            Step(named_a * named_m + named_m * named_a,
                 ImmutableMatrix((operator * vec).reshape(size, size).T),
                 prose(named_a, named_m, " + ", named_m, named_a, " is ", named_k, " applied to ",
                       named_vec, ", read back column by column"), using=rules),
            Step(Determinant(named_k), 4 * Determinant(named_a) * Trace(named_a) ** 2,
                 prose("the determinant of ", named_k, " is the product of the ",
                       size ** 2, " sums of two eigenvalues of ", named_a, ": ",
                       4 * Determinant(named_a) * Trace(named_a) ** 2),
                 using=rules),
            Step(4 * Determinant(named_a) * Trace(named_a) ** 2, 0,
                 prose("which is positive: ", Eq(Determinant(named_a),
                                                 Determinant(named_l) ** 2, evaluate=False),
                       " and the trace is a sum of squares"), relation=">",
                 using=rules),
        ),
        conclusion=prose("So ", named_k, " is invertible and ",
                         Eq(named_k * named_vec, ZeroMatrix(size * size, 1), evaluate=False),
                         " has only the zero solution: ",
                         Eq(named_m, ZeroMatrix(size, size), evaluate=False), "."),
    )


def _positive(factor):
    diagonal = [factor[i, i] for i in range(factor.shape[0])]
    parts = []
    for position, entry in enumerate(diagonal):
        parts += ([", "] if position else []) + [entry]
    return parts + [" positive"]


def _rank_deficient_part():
    r = symbols("r", integer=True, positive=True)
    u_r = MatrixSymbol("U_r", d, r)
    sigma = MatrixSymbol("Sigma_r", r, r)
    v_r = MatrixSymbol("V_r", k, r)
    b = MatrixSymbol("B", r, r)
    identity = Identity(r)
    svd = (Eq(W, u_r * sigma * v_r.T), Eq(sigma.T, sigma), Eq(v_r.T * v_r, identity),
           Eq(u_r.T * u_r, identity), Eq(u_r.T * S * u_r, b))
    sigma_value = symbols("sigma", positive=True)
    reduced = b * (sigma ** 2 - identity) + (sigma ** 2 - identity) * b
    return Part(
        heading=prose("Rank ", r, " below ", k, ": the compact SVD"),
        text=prose("Write ", Eq(W, u_r * sigma * v_r.T, evaluate=False), " with ",
                   Eq(u_r.T * u_r, identity), ", ", Eq(v_r.T * v_r, identity), ", ", sigma,
                   " diagonal with positive diagonal, and name ",
                   Eq(b, u_r.T * S * u_r, evaluate=False), " (positive definite: ", u_r,
                   " has full column rank). Multiply the critical-point equation by ",
                   u_r.T, " on the left and by ", v_r * sigma ** -1, " on the right."),
        steps=(
            Step(u_r.T * TIED_GRADIENT * v_r * sigma ** -1, 2 * reduced,
                         "substitute the SVD and collect", using=svd),
            Step(SolutionSet(sigma_value, Eq(sigma_value ** 2, 1), Interval.open(0, oo)),
                 FiniteSet(1), prose("the same Sylvester argument with ", b, " gives ",
                                     Eq(sigma ** 2, identity, evaluate=False),
                                     "; a positive singular value ", sigma_value,
                                     " with square 1 is 1")),
            Step(W * W.T * W, W, prose("so ", Eq(sigma, identity, evaluate=False),
                                               " and ", W, " is a partial isometry"),
                         using=svd + (Eq(sigma, identity),)),
        ),
        conclusion=prose("A partial isometry has ", Eq(PseudoInverse(W), W.T, evaluate=False),
                         " (P3): at every critical point the transpose is the "
                         "pseudo-inverse."),
    )


def _nonzero_sylvester_solution(index, coefficient, solution, heading, remark):
    """A part showing ``A M + M A = 0`` with ``M != 0`` for the given explicit ``A``."""
    named_a = MatrixSymbol(f"A_{index}", 2, 2)
    named_m = MatrixSymbol(f"M_{index}", 2, 2)
    definitions = (Eq(named_a, coefficient), Eq(named_m, solution))
    return Part(
        heading=prose(heading, " ", named_a, ": a nonzero solution"),
        text=prose("With ", definitions[0], remark, " and ", definitions[1], ":"),
        steps=(
            Step(named_a * named_m + named_m * named_a, ZeroMatrix(2, 2),
                 "the Sylvester equation holds", using=definitions),
            Step(named_m, ZeroMatrix(2, 2), "with a nonzero solution", relation="!=",
                 using=definitions[1:]),
        ),
    )


def _failures():
    return (
        _nonzero_sylvester_solution(1, ImmutableMatrix([[1, 0], [0, -1]]),
                                    ImmutableMatrix([[0, 1], [0, 0]]),
                                    "Indefinite", " (its eigenvalues sum to 0)"),
        _nonzero_sylvester_solution(2, ImmutableMatrix([[1, 0], [0, 0]]),
                                    ImmutableMatrix([[0, 0], [0, 1]]),
                                    "Singular", ", as for rank-deficient data (F1),"),
    )


def tied_critical_points(*, positive_factor: ImmutableMatrix = POSITIVE_FACTOR) -> Claim:
    """Build A4; ``positive_factor`` is ``L`` of the positive definite ``A = L L^T``, k = 2."""
    return Claim(
        id="A4",
        title="Every tied critical point is a partial isometry",
        statement=prose("For ", S, " positive definite, every critical point ",
                        Eq(gradient_formula(W), ZeroMatrix(d, k), evaluate=False),
                        " of the tied loss satisfies ", Eq(W * W.T * W, W, evaluate=False),
                        ", hence ", Eq(PseudoInverse(W), W.T, evaluate=False),
                        "; for full column rank, ", Eq(W.T * W, Identity(k), evaluate=False),
                        "."),
        hypotheses=(prose(S, " symmetric positive definite; symbolic ", d, " and ", k, "."),),
        proof=(_sylvester_part(), _positive_definite_part(), _kronecker_part(positive_factor),
               _rank_deficient_part()),
        failures=_failures(),
        sources=("Baldi and Hornik 1989",),
    )


CLAIM = tied_critical_points()
