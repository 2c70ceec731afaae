"""F1: with singular data a tied critical point need not be a partial isometry.

This breaks A4, whose proof needs ``S`` positive definite. Let ``S`` have rank
``r``, ``S = U_r Lambda_r U_r^T`` with orthonormal ``U_r``, and let ``v`` be a
unit vector in the null space, orthogonal to ``U_r``. With ``k = r + 1`` columns,
``W = [U_r, c v] = U_r J^T + c v e^T`` (``J = [I_r; 0]`` and ``e = e_k`` are the
coordinate blocks of ``R^k``) has zero tied gradient and zero loss, yet
``W^T W = diag(I_r, c^2)`` and ``W^T - W^+ = (c - 1/c) e v^T``: for ``c`` outside
``{0, 1, -1}`` the transpose is not the pseudo-inverse. The Sylvester step of A4
breaks because ``W^T S W`` is singular (``e`` is in its null space).

Proved for symbolic ``d`` and ``r`` and a symbolic nonzero ``c``. The exact
instances are ``d = 3``, ``r = 1`` at ``c = 2``, and ``S = diag(3, 2, 0)`` with
``W = [e_1, 2 e_3]``: there ``rank S = k``, the global minima are partial
isometries, and still this critical point is not.

>>> rank_deficient_data().check()
35
"""

from __future__ import annotations

from sympy import (
    BlockDiagMatrix,
    BlockMatrix,
    Eq,
    Identity,
    ImmutableMatrix,
    Matrix,
    MatrixSymbol,
    Q,
    Rational,
    ZeroMatrix,
    diag,
    symbols,
)

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import Chain, Claim, Define, Link, Part, Step, prose
from derivations.mathematics.losses import S, tied_gradient, tied_loss
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import Gradient, PseudoInverse, W, d, k

__all__ = ["CLAIM", "NULL_VECTOR", "TOP_EIGENVECTOR", "rank_deficient_data"]

#: The rank of ``S``; the code size is ``r + 1``.
r = symbols("r", integer=True, positive=True)
#: The scale of the null-space column.
c = symbols("c", real=True)
U = MatrixSymbol("U_r", d, r)
Lam = MatrixSymbol("Lambda_r", r, r)
v = MatrixSymbol("v", d, 1)
#: The coordinate blocks ``[I_r; 0]`` and ``e_k`` of ``R^k``, ``k = r + 1``.
J = MatrixSymbol("J", k, r)
e = MatrixSymbol("e", k, 1)
#: The candidate pseudo-inverse of the weights ``W`` (``d x k``).
G = MatrixSymbol("G", k, d)

SPECTRAL = Eq(S, U * Lam * U.T)
DIAGONAL = Eq(Lam.T, Lam)
ORTHONORMAL = Eq(U.T * U, Identity(r))
UNIT_NULL = Eq(v.T * v, Identity(1))
ORTHOGONAL = (Eq(U.T * v, ZeroMatrix(r, 1)), Eq(v.T * U, ZeroMatrix(1, r)))
COORDINATES = (Eq(J.T * J, Identity(r)), Eq(e.T * e, Identity(1)),
               Eq(J.T * e, ZeroMatrix(r, 1)), Eq(e.T * J, ZeroMatrix(1, r)),
               Eq(J * J.T, Identity(k) - e * e.T))
WEIGHTS = Eq(W, U * J.T + c * v * e.T)
NONZERO_SCALE = Q.nonzero(c)
#: ``diag(I_r, c^2)`` and ``[I_r; 0]``, for reading.
GRAM_BLOCKS = BlockDiagMatrix(Identity(r), c**2 * Identity(1))
COORDINATE_BLOCK = BlockMatrix([[Identity(r)], [ZeroMatrix(1, r)]])

#: The top eigenvector ``u_1`` of the instance and a null vector ``v``: orthonormal, rational.
TOP_EIGENVECTOR = ImmutableMatrix([Rational(1, 3), Rational(2, 3), Rational(2, 3)])
NULL_VECTOR = ImmutableMatrix([Rational(2, 3), Rational(1, 3), Rational(-2, 3)])
#: The scale ``c`` of the null-space column in the exact instance.
DEFAULT_SCALE = Rational(2)


def _proof(hypotheses, spectral, orthogonal, nonzero):
    rules = tuple(h for h in hypotheses if isinstance(h, Eq))
    symmetric = Chain(prose(S, " is symmetric"), S.T, (
        Link(S, prose(Lam, " is diagonal"), using=(spectral, DIAGONAL)),))
    eigen = Chain(prose("The columns of ", U, " are eigenvectors"), S * U, (
        Link(U * Lam, prose(ORTHONORMAL), using=(spectral, ORTHONORMAL)),))
    null = Chain(prose(v, " is in the null space of ", S), S * v, (
        Link(ZeroMatrix(d, 1), prose(U.T * v, " vanishes"), using=(spectral, *orthogonal)),))
    basic = (ORTHONORMAL, UNIT_NULL, *orthogonal, *COORDINATES)
    products = (
        Chain(prose(W, " maps the first blocks to ", U), W * J, (
            Link(U, "the coordinate blocks", using=(WEIGHTS, *COORDINATES)),)),
        Chain(prose(U.T, " picks the first blocks of ", W), W.T * U, (
            Link(J, prose("orthonormal columns, ", v, " orthogonal to them"),
                 using=(WEIGHTS, ORTHONORMAL, *orthogonal)),)),
        Chain(prose("and so does its transpose"), U.T * W, (
            Link(J.T, prose("orthonormal columns, ", v, " orthogonal to them"),
                 using=(WEIGHTS, ORTHONORMAL, *orthogonal)),)),
        Chain(prose("the transpose of the first"), J.T * W.T, (
            Link(U.T, "the coordinate blocks", using=(WEIGHTS, *COORDINATES)),)),
        Chain(prose(S, " annihilates the last column"), S * W, (
            Link(U * Lam * J.T, prose("eigenvectors and the null vector"),
                 using=(WEIGHTS, eigen.derives, null.derives)),)),
    )
    w_j, wt_u, ut_w, jt_wt, s_w = (chain.derives for chain in products)
    gram = Chain(prose("The Gram matrix is ", GRAM_BLOCKS), W.T * W, (
        Link(Identity(k) + (c**2 - 1) * e * e.T,
             prose("orthonormal columns of ", U, ", the unit null vector and the coordinate "
                   "blocks"),
             using=(WEIGHTS, *basic)),))
    gradient = Chain("A critical point", Gradient(tied_loss(W), W), (
        Link(tied_gradient(W), prose("the tied gradient (A3), ", S, " symmetric"),
             using=(symmetric.derives,)),
        Link(ZeroMatrix(d, k), prose(Eq(S * W, U * Lam * J.T, evaluate=False),
                                         " and ", W * W.T * U, " = ", U),
             using=(s_w, gram.derives, COORDINATES[2], wt_u, w_j)),
    ))
    loss = Chain("with zero loss", tied_loss(W), (
        Link(0, prose(W * W.T, " is the identity on the range of ", S),
             using=(spectral, wt_u, ut_w, w_j, jt_wt, ORTHONORMAL, COORDINATES[0])),))
    known = rules + (symmetric.derives, eigen.derives, null.derives)
    sylvester = Chain(prose("The Sylvester step of A4 breaks: ", W.T * S * W, " is singular"),
                      W.T * S * W * e, (
        Link(J * Lam * J.T * e, prose(Eq(W.T * S * W, J * Lam * J.T, evaluate=False)),
             using=known),
        Link(ZeroMatrix(k, 1), prose(J.T * e, " vanishes"), using=(COORDINATES[2],)),
    ))
    candidate = Define(G, J * U.T + e * v.T / c, text=prose(
        "The candidate inverts the scale of the last column; ", 1 / c,
        " exists because ", nonzero, "."))
    inverse_rules = (candidate.definition, WEIGHTS, ORTHONORMAL, UNIT_NULL, *orthogonal,
                     *COORDINATES)
    projector = U * U.T + v * v.T
    halves = (
        Chain(prose(G, " is a left inverse"), G * W, (
            Link(Identity(k), "orthonormality; the coordinate blocks complete each other",
                 using=inverse_rules),)),
        Chain(prose("and so is the transpose of ", G.T), W.T * G.T, (
            Link(Identity(k), "the same, transposed", using=inverse_rules),)),
        Chain(prose(W * G, " projects onto the columns of ", U, " and ", v), W * G, (
            Link(projector, "orthonormality", using=inverse_rules),)),
        Chain(prose("and so does its transpose"), G.T * W.T, (
            Link(projector, "orthonormality", using=inverse_rules),)),
    )
    g_w, wt_gt, w_g, gt_wt = (half.derives for half in halves)
    uses = ((g_w,), (g_w,), (gt_wt, w_g), (wt_gt, g_w))
    penrose = tuple(
        Chain(prose("Penrose condition ", number), condition.lhs,
              (Link(condition.rhs, "from the four products above", using=rules_used),))
        for number, (condition, rules_used) in enumerate(
            zip(penrose_conditions(W, G), uses, strict=True), start=1))
    uniqueness, equal = by_uniqueness(W, G)
    pseudo_inverse = Chain("The pseudo-inverse", PseudoInverse(W), (
        Link(G, "by uniqueness (P2)", using=(equal,)),
        Link(J * U.T + e * v.T / c, "the candidate", using=(candidate.definition,)),
    ))
    gap = Chain("The transpose differs from it in the last row", W.T - PseudoInverse(W), (
        Link((c - 1 / c) * e * v.T, prose("the last row is scaled by ", c, " in ", W.T,
                                          " and by ", 1 / c, " in the pseudo-inverse"),
             using=(pseudo_inverse.derives, WEIGHTS)),
    ), conclusion=prose("It vanishes exactly when ", c - 1 / c, " does, that is when ",
                        c**2, " is 1."))
    items = (symmetric, eigen, null, *products, gram, gradient, loss, sylvester, candidate,
             *halves, *penrose,
             *uniqueness, pseudo_inverse, gap)
    conclusions = (gradient.derives, loss.derives, gram.derives, sylvester.derives,
                   gap.derives)
    return items, conclusions


def _instances(scale):
    top = symbols("lambda_1", positive=True)
    S3, W3 = MatrixSymbol("S", 3, 3), MatrixSymbol("W", 3, 2)
    data = Eq(S3, ImmutableMatrix(TOP_EIGENVECTOR * TOP_EIGENVECTOR.T))
    weights = Eq(W3, ImmutableMatrix(Matrix.hstack(TOP_EIGENVECTOR, scale * NULL_VECTOR)))
    instance = Part(
        heading=prose("Rank-one data, ", Eq(c, scale)),
        text=prose("With ", data, " (", Eq(top, 1), ", ", Eq(symbols("d"), 3), ", ",
                   Eq(r, 1), ") and ", weights, ":"),
        steps=(
            Step(tied_gradient(W3, S3), ZeroMatrix(3, 2), "a critical point",
                 using=(data, weights)),
            Step(tied_loss(W3, S3), 0, "with zero loss", using=(data, weights)),
            Step(W3.T * W3, Identity(2), prose(W3.T * W3, " is not the identity"),
                 relation="!=", using=(weights,)),
            Step(PseudoInverse(W3), W3.T, "SymPy's exact pinv differs from the transpose",
                 relation="!=", using=(weights,)),
        ),
    )
    full = Eq(S3, ImmutableMatrix(diag(3, 2, 0)))
    columns = Eq(W3, ImmutableMatrix([[1, 0], [0, 0], [0, 2]]))
    optimum = Eq(W3, ImmutableMatrix([[1, 0], [0, 1], [0, 0]]))
    rank_two = Part(
        heading=prose("Rank of ", S, " equal to the code size: minima fine, critical points not"),
        text=prose("With ", full, " (rank 2, equal to the code size, and a gap between the "
                   "second and third eigenvalues) the global minima "
                   "are the partial isometries ", Eq(W3, MatrixSymbol("U_2", 3, 2) *
                                                      MatrixSymbol("Q", 2, 2),
                                                      evaluate=False),
                   " (A5's form), such as ", optimum, "; yet ", columns, " is critical."),
        steps=(
            Step(tied_gradient(W3, S3), ZeroMatrix(3, 2), "a critical point",
                 using=(full, columns)),
            Step(PseudoInverse(W3), W3.T, "that is not a partial isometry", relation="!=",
                 using=(columns,)),
            Step(tied_loss(W3, S3), 2, "its loss is 2", using=(full, columns)),
            Step(tied_loss(W3, S3), 0, "the partial isometry reaches 0, the least value",
                 using=(full, optimum)),
        ),
    )
    unit = Eq(W3, ImmutableMatrix(Matrix.hstack(TOP_EIGENVECTOR, NULL_VECTOR)))
    zero = Eq(W3, ImmutableMatrix(Matrix.hstack(TOP_EIGENVECTOR, 0 * NULL_VECTOR)))
    partial_isometry = Part(
        heading=prose("The counterexample needs ", c, " outside {0, 1, -1}"),
        text=prose("At ", Eq(c, 1), " (and likewise ", Eq(c, -1), ") the columns are "
                   "orthonormal and P1 applies; at ", Eq(c, 0), " the rank drops, the "
                   "formula with ", 1 / c, " does not apply, and every nonzero singular "
                   "value is 1 (P3)."),
        steps=(
            Step(PseudoInverse(W3), W3.T, prose("at ", Eq(c, 1)), using=(unit,)),
            Step(PseudoInverse(W3), W3.T, prose("at ", Eq(c, 0)), using=(zero,)),
        ),
    )
    return (instance, rank_two), (partial_isometry,)


def rank_deficient_data(*, spectral: Eq = SPECTRAL, orthogonal: tuple = ORTHOGONAL,
                        nonzero=NONZERO_SCALE, scale=DEFAULT_SCALE) -> Claim:
    """Build F1 under the hypotheses; ``scale`` is ``c`` in the first exact instance.

    ``spectral`` (``S = U_r Lambda_r U_r^T``), ``orthogonal`` (``v`` orthogonal
    to ``U_r``, both ways round) and ``nonzero`` (``c != 0``) are hypotheses;
    the instance needs ``scale`` outside ``{0, 1, -1}``.
    """
    hypotheses = (spectral, DIAGONAL, ORTHONORMAL, UNIT_NULL, *orthogonal, *COORDINATES,
                  WEIGHTS, nonzero)
    items, conclusions = _proof(hypotheses, spectral, orthogonal, nonzero)
    instances, failures = _instances(scale)
    return Claim(
        id="F1",
        title="Rank-deficient data: critical points that are not partial isometries",
        statement=prose("If ", S, " has rank ", r, " and ", v, " is a unit null vector, then "
                        "for every ", c, " other than 0 the weights ",
                        Eq(W, U * J.T + c * v * e.T, evaluate=False), " (the columns of ",
                        U, " and ", c, " times ", v, ") are a critical point of the tied loss "
                        "with loss 0, ", Eq(W.T * W, GRAM_BLOCKS, evaluate=False), ", and ",
                        Eq(W.T - PseudoInverse(W), (c - 1 / c) * e * v.T, evaluate=False),
                        ", not 0 unless ", c**2, " is 1. Singular data break A4 "
                        "(every critical point a partial isometry), not A5: with rank ", S,
                        " at least ", k, " and a gap between the ", k, "-th and the "
                        "next eigenvalue, the global minima are still partial isometries."),
        hypotheses=hypotheses,
        conclusions=conclusions,
        idea=prose("Every relation needed is an orthogonality: ", Eq(S * v, 0 * v,
                                                                   evaluate=False),
                   ", ", Eq(U.T * v, ZeroMatrix(r, 1), evaluate=False), " and the coordinate "
                   "blocks. So ", Eq(S * W, U * Lam * J.T, evaluate=False), " and ",
                   W * W.T * U, " = ", U, " make the three terms of the tied gradient "
                   "cancel, while the last column has any length. A4's Sylvester argument "
                   "needs ", W.T * S * W, " positive definite; here ", e, " is in its null "
                   "space."),
        generality=prose("The proof is for symbolic ", d, " and ", r, " (code size ",
                         Eq(k, r + 1),
                         ") and a symbolic nonzero ", c, "; ", J, " and ", e, " stand for "
                         "the blocks ", Eq(J, COORDINATE_BLOCK, evaluate=False), " and the last "
                         "column of the identity, given by their "
                         "orthonormality relations. More columns in the null space give "
                         "larger k the same way. That the global minima stay partial "
                         "isometries when rank S >= k is A5's statement; the instance with ",
                         Eq(S, ImmutableMatrix(diag(3, 2, 0)), evaluate=False),
                         " shows both at once."),
        proof=items,
        instances=instances,
        failures=failures,
    )


CLAIM = rank_deficient_data()
