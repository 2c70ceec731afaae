"""A4: with ``S`` positive definite, every tied critical point is a partial isometry.

Dimension-generic in ``d``, ``k`` and the rank ``r``. Left-multiplying the
critical-point equation (gradient of A3) by ``W^T`` gives, with ``A = W^T S W``,
the Sylvester equation ``A (G - I) + (G - I) A = 0`` in ``G = W^T W``. For full
column rank ``A`` is positive definite; in its eigenbasis (spectral theorem,
cited) the equation reads entry by entry ``(alpha_i + alpha_j) M_ij = 0`` with
``alpha_i + alpha_j > 0``, for symbolic indices ``i, j``, so ``M = 0`` and
``G = I``. For any nonzero ``W`` the same argument on the compact SVD
``W = U_r Sigma_r V_r^T`` (cited) with ``B = U_r^T S U_r`` gives
``Sigma_r^2 = I_r``, so ``W W^T W = W`` and ``W^+ = W^T`` (Penrose's conditions
and uniqueness). Where ``A`` is indefinite or singular the Sylvester equation
has nonzero solutions (exact ``2 x 2`` failures).

>>> CLAIM.check() > 20
True
"""

from __future__ import annotations

from sympy import Eq, Identity, ImmutableMatrix, Implies, MatrixSymbol, Ne, Q, ZeroMatrix, diag

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import (
    Assume,
    Cases,
    Chain,
    Cite,
    Claim,
    Conclude,
    Define,
    ForEvery,
    Link,
    Part,
    Step,
    prose,
)
from derivations.mathematics.facts import (
    COMPACT_SVD_OF_A_NONZERO_MATRIX,
    GRAM_OF_FULL_COLUMN_RANK,
    PSEUDO_INVERSE_EXISTS,
    SPECTRAL_THEOREM,
)
from derivations.mathematics.losses import SYMMETRIC, S, tied_gradient
from derivations.mathematics.penrose import penrose_conditions
from derivations.mathematics.spectral import diagonal, eigenvalue_base, index
from derivations.notation import (
    M_A,
    M_B,
    N_A,
    N_B,
    V_A,
    V_B,
    PseudoInverse,
    Sigma_r,
    U_r,
    V_r,
    W,
    d,
    k,
    r,
)

__all__ = ["CLAIM", "CRITICAL", "FULL_COLUMN_RANK", "tied_critical_points"]

#: The rank of a nonzero critical point, and its compact SVD.
#: The coefficient of the Sylvester equation, positive definite for full column rank.
A_ = W.T * S * W
#: The hypothesis: ``W`` is a critical point of the tied loss (gradient of A3).
CRITICAL = Eq(tied_gradient(W), ZeroMatrix(d, k), evaluate=False)
#: Full column rank, written as the positive definiteness of the Gram matrix.
FULL_COLUMN_RANK = Q.positive_definite(W.T * W)
POSITIVE_DEFINITE = Q.positive_definite(S)


def _sylvester_in_eigenbasis(size, pd_matrix, left, right, unknown, names, critical):
    """Parts deriving ``unknown = I`` from the Sylvester equation with ``pd_matrix``.

    The equation is ``P (unknown - I) + (unknown - I) P = 0`` for ``P = pd_matrix``;

    ``left * grad * right / 2`` is its left side (rules permitting);
    ``names`` = (V, alpha, M, N, i, j) for the eigenbasis, eigenvalues, the unknown
    in the eigenbasis, the Sylvester operator applied to it, and the indices.
    """
    V, alpha, M, N, i, j = names
    eigenvalues = diagonal(alpha, size)
    spectral = Cite(SPECTRAL_THEOREM, pd_matrix, V, alpha, i, j,
                    text=prose("In an orthonormal eigenbasis ", V, " of the positive definite ",
                               pd_matrix, ", with eigenvalues ", alpha[i], ":"))
    decomposition, positivity = spectral.relations
    eigen_equation = Eq(pd_matrix, V * eigenvalues * V.T, evaluate=False)
    orthogonal = Eq(V.T * V, Identity(size), evaluate=False)
    orthogonal_rows = Eq(V * V.T, Identity(size), evaluate=False)
    in_basis = Define(M, V.T * (unknown - Identity(size)) * V)
    operator = Define(N, eigenvalues * M + M * eigenvalues)
    sylvester = Chain(
        prose("The Sylvester equation in the eigenbasis of ", pd_matrix), N, (
            Link(eigenvalues * M + M * eigenvalues, "the definition",
                 using=(operator.definition,)),
            Link(left * tied_gradient(W) * right / 2,
                 prose("substitute ", eigen_equation, " and multiply out"),
                 using=(in_basis.definition, eigen_equation, orthogonal, *critical[1:])),
            Link(ZeroMatrix(size, size), "the point is critical", using=(critical[0],)),
        ))
    entry = Chain(
        prose("Entry ", i, ", ", j), M[i, j], (
            Link(N[i, j] / (alpha[i] + alpha[j]),
                 prose("the diagonal ", eigenvalues, " scales row ", i, " by ", alpha[i],
                       " and column ", j, " by ", alpha[j], "; ", alpha[i] + alpha[j],
                       " is positive"),
                 using=(operator.definition,)),
            Link(0, prose("the Sylvester equation, entry ", i, ", ", j),
                 using=(sylvester.derives,)),
        ))
    every = ForEvery((i, j), (entry,), Eq(M, ZeroMatrix(size, size), evaluate=False),
                     text=prose("For every row ", i, " and column ", j, ":"))
    back = Chain(
        prose("Back from the eigenbasis of ", pd_matrix), unknown, (
            Link(V * M * V.T + Identity(size), prose(V, " is orthogonal"),
                 using=(in_basis.definition, orthogonal_rows)),
            Link(Identity(size), prose("since ", Eq(M, ZeroMatrix(size, size))),
                 using=(every.concludes,)),
        ))
    return (spectral, Conclude(decomposition), Conclude(positivity), in_basis, operator,
            sylvester, every, back)


def _assume_full_rank(critical, full_column_rank, congruence, names):
    A = W.T * S * W
    V = names[0]
    return Assume(
        full_column_rank,
        (congruence, Conclude(congruence.relations[0]),
         *_sylvester_in_eigenbasis(k, A, V.T * W.T, V, W.T * W, names, (critical,))),
        Eq(W.T * W, Identity(k), evaluate=False),
        heading=prose("Full column rank: the Sylvester equation in the eigenbasis of ", A),
        text=prose("Assume ", full_column_rank, ". Then ", A, " is positive definite "
                   "(a congruence of ", S, "), and left-multiplying the critical-point "
                   "equation by ", W.T, " gives the Sylvester equation ",
                   Eq(A * (W.T * W - Identity(k)) + (W.T * W - Identity(k)) * A,
                      ZeroMatrix(k, k), evaluate=False), "."),
    )


def _penrose_for_transpose(rules, heading):
    """The four Penrose conditions for ``G = W^T``, each a one-link chain under ``rules``."""
    return tuple(
        Chain(prose(heading, ": Penrose condition ", number), condition.lhs,
              (Link(condition.rhs, "multiply out", using=rules),))
        for number, condition in enumerate(penrose_conditions(W, W.T), start=1))


def _nonzero_case(critical):
    i, j = index("i", r), index("j", r)
    svd = Cite(COMPACT_SVD_OF_A_NONZERO_MATRIX, W, U_r, Sigma_r, V_r)
    factors, positivity = svd.relations
    factorisation = Eq(W, U_r * Sigma_r * V_r.T, evaluate=False)
    u_orthonormal = Eq(U_r.T * U_r, Identity(r), evaluate=False)
    v_orthonormal = Eq(V_r.T * V_r, Identity(r), evaluate=False)
    symmetric_sigma = Eq(Sigma_r.T, Sigma_r, evaluate=False)
    B = U_r.T * S * U_r
    congruence = Cite(GRAM_OF_FULL_COLUMN_RANK, S, U_r)
    names = (V_B, eigenvalue_base("beta"), M_B, N_B, i, j)
    P = names[0]
    svd_rules = (factorisation, u_orthonormal, v_orthonormal, symmetric_sigma)
    square = Eq(Sigma_r * Sigma_r, Identity(r), evaluate=False)
    sylvester = _sylvester_in_eigenbasis(
        r, B, P.T * U_r.T, V_r * Sigma_r ** -1 * P, Sigma_r * Sigma_r, names,
        (critical, *svd_rules))
    cube = Chain(prose("Hence ", Eq(Sigma_r ** 3, Sigma_r, evaluate=False)), Sigma_r ** 3, (
        Link(Sigma_r * (Sigma_r ** 2 - Identity(r)) + Sigma_r, "multiply out"),
        Link(Sigma_r, prose("since ", square), using=(sylvester[-1].derives,)),
    ))
    partial = Chain(prose("So ", W, " is a partial isometry"), W * W.T * W, (
        Link(W, prose("the SVD, and ", cube.derives), using=(*svd_rules, cube.derives)),))
    partial_t = Chain(prose("and transposed"), W.T * W * W.T, (
        Link(W.T, prose("the SVD, and ", cube.derives), using=(*svd_rules, cube.derives)),))
    rules = (partial.derives, partial_t.derives)
    return (svd, Conclude(factors), Conclude(positivity), congruence,
            Conclude(congruence.relations[0]), *sylvester, cube, partial, partial_t,
            *_penrose_for_transpose(rules, "nonzero"))


def _zero_case():
    zero = Eq(W, ZeroMatrix(d, k), evaluate=False)
    return _penrose_for_transpose((zero,), "zero")


def _transpose_is_pseudo_inverse(critical):
    uniqueness, equal = by_uniqueness(W, W.T)
    goal = Eq(PseudoInverse(W), W.T, evaluate=False)
    zero, nonzero = Eq(W, ZeroMatrix(d, k)), Ne(W, ZeroMatrix(d, k))
    cases = Cases(
        ((zero, (*_zero_case(), *uniqueness)),
         (nonzero, (*_nonzero_case(critical), *uniqueness))),
        equal,
        heading=prose("Every rank: the compact SVD, and ", goal),
        text=prose("If ", zero, " the four conditions hold trivially. Otherwise write ", W,
                   " by its compact SVD (rank ", r, "); with ", U_r.T * S * U_r,
                   " positive definite, the Sylvester argument gives ",
                   Eq(Sigma_r * Sigma_r, Identity(r)), "."),
    )
    existence = Cite(PSEUDO_INVERSE_EXISTS, W)
    partial = Chain(prose("Hence ", W, " is a partial isometry"), W * W.T * W, (
        Link(W * PseudoInverse(W) * W, prose("the transpose is the pseudo-inverse"),
             using=(goal,)),
        Link(W, "Penrose condition 1 of the pseudo-inverse", using=(existence.relations[0],)),
    ))
    return (cases, existence, partial)


def tied_critical_points(*, critical: Eq = CRITICAL, positive_definite=POSITIVE_DEFINITE,
                         full_column_rank=FULL_COLUMN_RANK) -> Claim:
    """Build A4 under ``critical`` (the critical-point equation) and ``positive_definite``."""
    hypotheses = (SYMMETRIC, positive_definite, critical)
    proof = (_assume_full_rank(critical, full_column_rank,
                               Cite(GRAM_OF_FULL_COLUMN_RANK, S, W),
                               (V_A, eigenvalue_base("alpha"), M_A, N_A,
                                index("i", k), index("j", k))),
             *_transpose_is_pseudo_inverse(critical))
    return Claim(
        id="A4",
        title="Every tied critical point is a partial isometry",
        statement=prose("For ", S, " symmetric positive definite, every critical point ",
                        critical, " of the tied loss satisfies ",
                        Eq(W * W.T * W, W, evaluate=False), ", hence ",
                        Eq(PseudoInverse(W), W.T, evaluate=False),
                        "; if ", W, " has full column rank, ",
                        Eq(W.T * W, Identity(k), evaluate=False), "."),
        hypotheses=hypotheses,
        conclusions=(Eq(W * W.T * W, W, evaluate=False),
                     Eq(PseudoInverse(W), W.T, evaluate=False),
                     Implies(FULL_COLUMN_RANK, Eq(W.T * W, Identity(k), evaluate=False),
                             evaluate=False)),
        idea=prose("Multiplying the critical-point equation by ", W.T, " gives a Sylvester "
                   "equation ", Eq(A_ * (W.T * W - Identity(k)) + (W.T * W - Identity(k)) * A_,
                                   ZeroMatrix(k, k), evaluate=False),
                   " with ", A_, " positive definite. In an eigenbasis of ", A_,
                   " its (i, j) entry is the unknown's entry times the sum of two positive "
                   "eigenvalues, so every entry vanishes. For lower rank the same argument "
                   "runs on the compact SVD and forces every nonzero singular value to 1."),
        generality=prose("Everything under Proof is for symbolic ", d, ", ", k,
                         " and rank ", r, ": the entrywise steps use symbolic indices ",
                         "that range over all the rows and columns, however many there are, "
                         "so they hold for every entry. Cited, not derived: the spectral theorem and "
                         "the compact SVD. The failures are exact 2 by 2 matrices."),
        proof=proof,
        instances=_instances(),
        failures=_failures(),
        sources=("Baldi 1988", "Oja 1989", "Xu 1993"),
    )


def _instances():
    """A rank-one critical point at ``d = 3``, ``k = 2``: a partial isometry, not orthonormal."""
    s0, w0 = MatrixSymbol("S_0", 3, 3), MatrixSymbol("W_0", 3, 2)
    setting = (Eq(s0, ImmutableMatrix(diag(3, 2, 1))),
               Eq(w0, ImmutableMatrix([[1, 0], [0, 0], [0, 0]])))
    return (Part(
        heading=prose("Exact instance: a rank-one critical point with ", Eq(k, 2)),
        text=prose("With ", setting[0], " and ", setting[1], " (the top eigenvector and a zero "
                   "column):"),
        steps=(
            Step(tied_gradient(w0, s0), ZeroMatrix(3, 2), "the tied gradient vanishes",
                 using=setting),
            Step(w0 * w0.T * w0, w0, "a partial isometry", using=setting),
            Step(PseudoInverse(w0), w0.T, "SymPy's pinv is the transpose", using=setting),
            Step(w0.T * w0, Identity(2), prose("but without full column rank ", w0.T * w0,
                                               " is not the identity"),
                 relation="!=", using=setting),
        ),
    ),)


def _nonzero_sylvester_solution(index_, coefficient, solution, heading, remark):
    """A part showing ``A M + M A = 0`` with ``M != 0`` for the given explicit ``A``."""
    named_a = MatrixSymbol(f"A_{index_}", 2, 2)
    named_m = MatrixSymbol(f"M_{index_}", 2, 2)
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


CLAIM = tied_critical_points()
