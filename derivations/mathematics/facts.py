"""The theorems the proofs cite without proving them, each with its source.

Everything a proof uses is a hypothesis of its claim, a definition, an earlier
step, or one of these facts, cited by a :class:`~derivations.engine.Cite` item;
the document lists them under "What this document assumes", with the claims
that cite each. A fact's ``relations`` builds exactly what it asserts about
the objects it is cited for.

>>> from sympy import MatrixSymbol, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W, G = MatrixSymbol("W", d, k), MatrixSymbol("G", k, d)
>>> MOORE_PENROSE_UNIQUENESS.instantiate(W, G)[0].args[1]
Eq(pinv(W), G)
"""

from __future__ import annotations

from sympy import (
    Abs,
    And,
    Derivative,
    Dummy,
    Eq,
    Ge,
    Gt,
    Identity,
    Implies,
    IndexedBase,
    Inverse,
    MatMul,
    MatPow,
    MatrixSymbol,
    Ne,
    Q,
    Sum,
    Symbol,
    Trace,
    Transpose,
    Tuple,
    ZeroMatrix,
    symbols,
)
from sympy import S as S_

from derivations.engine import TrustedFact, matrix_derivative, prose
from derivations.mathematics.losses import SYMMETRIC, C, D, E, Lambda_k, S, U_k, X, untied_loss
from derivations.mathematics.penrose import penrose_conditions, satisfies_penrose
from derivations.mathematics.spectral import (
    EIGENVECTORS,
    ORTHONORMAL_EIGENVECTORS,
    eigenvalue_base,
)
from derivations.mathematics.spectral import diagonal as _diag
from derivations.mathematics.svd import Sigma, U, V, diagonal, i, r, sigma
from derivations.notation import (
    LARGEST,
    SMALLEST,
    DistinctEigenvalues,
    FrobeniusNorm,
    Gradient,
    LargestOver,
    PseudoInverse,
    SaddlePoint,
    Sigma_r,
    SpectralNorm,
    U_r,
    V_r,
    W,
    d,
    k,
    mu,
)

__all__ = ["ALL_FACTS", "COMPACT_SVD", "DIAGONAL_2_NORM", "GRAM_OF_FULL_COLUMN_RANK",
           "MOORE_PENROSE_UNIQUENESS", "ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM",
           "POSITIVE_DEFINITE_INVERTIBLE",
           # A
           "BALDI_HORNIK", "COMPACT_SVD_OF_A_NONZERO_MATRIX", "ECKART_YOUNG",
           "PSEUDO_INVERSE_EXISTS", "QUADRATIC_FORM_NONNEGATIVE", "SPECTRAL_THEOREM",
           # F
           "GRAM_PLUS_SHIFT_POSITIVE_DEFINITE", "NO_SPURIOUS_LOCAL_MINIMA",
           "PSEUDO_INVERSE_SATISFIES_PENROSE",
           "TWO_NORM_OF_A_DIAGONAL_MATRIX",
           # D, R
           "CHAIN_RULE", "ECKART_YOUNG_FOR_EXPLICIT_DATA", "GRAM_ZERO",
           "INVERTIBLE_FACTOR_CANCELS", "KY_FAN", "MATRIX_POWER",
           "POSITIVE_DEFINITE_TIMES_SEMIDEFINITE", "POSITIVE_SEMIDEFINITE_ROOT", "PRODUCT_RULE",
           "SCALAR_TRANSPOSE", "SHIFTED_GRAM_POSITIVE_DEFINITE"]

# The symbols the statements print. A statement says what its fact means to the reader;
# the objects a citation instantiates come from the claim, so these only have to match the
# document's notation: S, X, D, E, U_k, Lambda_k as in the setup, W d by k, eigenvalues
# lambda_i, and a generic size q for facts about any square matrix.
_q = symbols("q", integer=True, positive=True)
_j, _m = symbols("j m", integer=True, positive=True)
_c, _t = symbols("c", positive=True), Symbol("t", real=True)
_g, _L, _dL = Symbol("g", real=True), Symbol("L"), Symbol("dL")
_lambda, _e, _alpha = IndexedBase("lambda"), IndexedBase("e"), eigenvalue_base("alpha")
#: The eigenvalue tail lambda_(k+1) + ... + lambda_d, the least untied loss.
_TAIL = Sum(_lambda[i], (i, k + 1, d))
_G, _dE = MatrixSymbol("G", k, d), MatrixSymbol("dE", k, d)
_A, _B, _M = MatrixSymbol("A", d, r), MatrixSymbol("B", k, r), MatrixSymbol("M", r, r)
_Theta = MatrixSymbol("Theta", r, r)  # not D (the decoder) nor Delta (A6)
_A_q, _B_q, _V_q, _X_q = (MatrixSymbol(name, _q, _q) for name in "ABVX")
_D_alpha = MatrixSymbol("D_alpha", _q, _q)
_M_q, _Y_q, _zero = MatrixSymbol("M", _q, _q), MatrixSymbol("Y", _q, _q), ZeroMatrix(_q, _q)
_A_dot, _B_dot = MatrixSymbol("A'", _q, _q), MatrixSymbol("B'", _q, _q)
_A_d, _B_d, _P = (MatrixSymbol(name, d, d) for name in "ABP")
_M_kd = MatrixSymbol("M", k, d)
_x_k, _x_d = MatrixSymbol("x", k, 1), MatrixSymbol("x", d, 1)
_x_q, _y_q = MatrixSymbol("x", _q, 1), MatrixSymbol("y", _q, 1)


def _eq(lhs, rhs):
    """An equation as the reader sees it, never evaluated to ``True``."""
    return Eq(lhs, rhs, evaluate=False)


def _ge(lhs, rhs):
    return Ge(lhs, rhs, evaluate=False)


def _gt(lhs, rhs):
    return Gt(lhs, rhs, evaluate=False)


def _nonzero(vector):
    return Ne(vector, ZeroMatrix(*vector.shape), evaluate=False)


def _rate(product):
    """``d/dt`` of a product of matrix functions of ``t``, unevaluated."""
    return Derivative(product, _t, evaluate=False)


GOLUB_VAN_LOAN = "Golub and Van Loan, Matrix Computations, 4th ed. (2013)"
HORN_JOHNSON = "Horn and Johnson, Matrix Analysis, 2nd ed. (2013)"

MOORE_PENROSE_UNIQUENESS = TrustedFact(
    name="moore-penrose",
    title="The Moore-Penrose inverse exists and is the only matrix satisfying the four "
          "Penrose conditions",
    statement=prose("For every real matrix ", W, " there is exactly one ", _G, " with ",
                     _eq(W * _G * W, W), ", ", _eq(_G * W * _G, _G), ", ",
                     _eq(Transpose(W * _G), W * _G), " and ", _eq(Transpose(_G * W), _G * W),
                     "; it is written ", PseudoInverse(W), ". Uniqueness is claim P2, proved "
                     "in this document; existence follows from the singular value "
                     "decomposition"),
    source="Penrose, A generalized inverse for matrices, Proc. Cambridge Philos. Soc. 51 "
           "(1955) 406-413, Theorem 1",
    relations=lambda W, G: (Implies(satisfies_penrose(W, G),
                                    Eq(PseudoInverse(W), G, evaluate=False), evaluate=False),),
)

POSITIVE_DEFINITE_INVERTIBLE = TrustedFact(
    name="positive-definite-invertible",
    title="A positive definite matrix is invertible",
    statement=prose("A symmetric positive definite matrix has positive eigenvalues, so it is "
                     "invertible"),
    source=f"{HORN_JOHNSON}, Section 7.1",
    relations=lambda A: (Implies(Q.positive_definite(A), Q.invertible(A), evaluate=False),),
)

GRAM_OF_FULL_COLUMN_RANK = TrustedFact(
    name="congruence",
    title="A congruence by a full-column-rank matrix keeps positive definiteness",
    statement=prose("If ", S, " is positive definite and ", W, " has full column rank (",
                    W.T * W, " positive definite), then ", W.T * S * W,
                    " is positive definite: for ", _nonzero(_x_k), " the vector ", W * _x_k,
                    " is nonzero, so ",
                    _eq(_x_k.T * W.T * S * W * _x_k, MatMul(Transpose(W * _x_k), S, W * _x_k)),
                    " is positive"),
    source=f"{HORN_JOHNSON}, Observation 7.1.8",
    relations=lambda S, W: (Implies(Q.positive_definite(S) & Q.positive_definite(W.T * W),
                                    Q.positive_definite(W.T * S * W), evaluate=False),),
)

# Facts added for the claims of each family go below, one block per family, so that the
# families can grow without touching each other's lines.

# --- P: the pseudo-inverse -------------------------------------------------------------

COMPACT_SVD = TrustedFact(
    name="compact-svd",
    title="Every matrix has a compact singular value decomposition",
    statement=prose("Every real ", d, " by ", k, " matrix ", W, " of rank ", r, " has ",
                    _eq(W, U * Sigma * V.T), " with ", U, " (", d, " by ", r, ") and ", V, " (",
                    k, " by ", r, ") having orthonormal columns, ",
                    _eq(U.T * U, Identity(r)), " and ", _eq(V.T * V, Identity(r)), ", and ",
                    Sigma, " diagonal, with diagonal entries ", sigma[1], " at least ",
                    sigma[2], " and so on down to ", _gt(sigma[r], 0),
                    " (hence symmetric). The ", sigma[i], " are the nonzero singular "
                    "values of ", W, "; keeping only the first ", r, " columns of the full SVD "
                    "gives this form"),
    source=f"{GOLUB_VAN_LOAN}, Section 2.4 (the SVD and its rank-r form); "
           f"{HORN_JOHNSON}, Section 2.6 (the singular value decomposition)",
    relations=lambda W, U, Sigma, V, singular_values: (
        Eq(W, U * Sigma * V.T, evaluate=False),
        Eq(U.T * U, Identity(Sigma.shape[0]), evaluate=False),
        Eq(V.T * V, Identity(Sigma.shape[0]), evaluate=False),
        Eq(Sigma, diagonal(lambda a: singular_values[a], Sigma.shape[0]), evaluate=False),
        Eq(Sigma.T, Sigma, evaluate=False),
    ),
)

ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM = TrustedFact(
    name="orthogonal-invariance-2-norm",
    title="Factors with orthonormal columns leave the 2-norm unchanged",
    statement=prose("If ", _eq(_A.T * _A, Identity(r)), " and ", _eq(_B.T * _B, Identity(r)),
                    ", then ", _eq(SpectralNorm(_A * _M * _B.T), SpectralNorm(_M)),
                    ": multiplying by ", _A, " keeps the length of every vector, and ",
                    _eq(SpectralNorm(_M * _B.T), SpectralNorm(_B * _M.T)), ", which is ",
                    SpectralNorm(_M), " for the same reason"),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3 (orthogonal invariance of the 2-norm)",
    relations=lambda A, M, B: (Implies(
        And(Eq(A.T * A, Identity(A.shape[1]), evaluate=False),
            Eq(B.T * B, Identity(B.shape[1]), evaluate=False)),
        Eq(SpectralNorm(A * M * B.T), SpectralNorm(M), evaluate=False), evaluate=False),),
)

DIAGONAL_2_NORM = TrustedFact(
    name="diagonal-2-norm",
    title="The 2-norm of a diagonal matrix is its largest entry in absolute value",
    statement=prose("For a diagonal matrix ", _Theta, " with diagonal entries ", _e[1], " to ",
                    _e[r], ", ",
                    _eq(SpectralNorm(_Theta), LargestOver(Abs(_e[i]), i, r)),
                    ": its singular values are the ", Abs(_e[i]), ", and the 2-norm is the "
                    "largest singular value"),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3; {HORN_JOHNSON}, Section 5.6",
    relations=lambda D, entry, index, size: (Implies(
        Eq(D, diagonal(entry, size), evaluate=False),
        Eq(SpectralNorm(D), LargestOver(Abs(entry(index)), index, size), evaluate=False),
        evaluate=False),),
)

# --- A: the linear autoencoder ---------------------------------------------------------

# Their relations use the shared symbols of derivations.mathematics.losses and .spectral.

SPECTRAL_THEOREM = TrustedFact(
    name="spectral-theorem",
    title="Spectral theorem for a positive definite matrix",
    statement=prose("A real symmetric positive definite ", _q, " by ", _q, " matrix ", _A_q,
                     " has ", _eq(_A_q, _V_q * _D_alpha * _V_q.T),
                     " for an orthogonal ", _V_q, " (", _eq(_V_q.T * _V_q, Identity(_q)),
                     " and ", _eq(_V_q * _V_q.T, Identity(_q)), ") and the diagonal matrix ",
                     _D_alpha, " of its eigenvalues ", _alpha[1], " to ", _alpha[_q],
                     ", all of them positive"),
    source=f"{HORN_JOHNSON}, Theorem 4.1.5 (spectral theorem for real symmetric matrices) "
           "and Theorem 7.2.1 (positive definite iff every eigenvalue is positive)",
    relations=lambda A, V, alpha, i, j: _spectral(A, V, alpha, i, j),
)

COMPACT_SVD_OF_A_NONZERO_MATRIX = TrustedFact(
    name="compact-svd-nonzero",
    title="Compact singular value decomposition of a nonzero matrix, with its factors",
    statement=prose("A nonzero real ", d, " by ", k, " matrix ", W, " of rank ", r, " has ",
                     _eq(W, U_r * Sigma_r * V_r.T), " with ", _eq(U_r.T * U_r, Identity(r)),
                     " and ", _eq(V_r.T * V_r, Identity(r)), ", and ", Sigma_r, " the ", r,
                     " by ", r, " diagonal matrix of the nonzero singular values, all positive "
                     "(so ", _eq(Sigma_r.T, Sigma_r), " and ", Sigma_r,
                     " is positive definite, and ", U_r, " has full column rank)"),
    source=f"{GOLUB_VAN_LOAN}, Theorem 2.4.1 and Section 2.4.2 (the thin SVD, keeping the "
           "r nonzero singular values)",
    relations=lambda W, U, Sigma, V: _compact_svd(W, U, Sigma, V),
)

PSEUDO_INVERSE_EXISTS = TrustedFact(
    name="moore-penrose-existence",
    title="The pseudo-inverse satisfies the four Penrose conditions",
    statement=prose("For every real matrix ", W, ", its pseudo-inverse satisfies ",
                     _eq(W * PseudoInverse(W) * W, W), " and ",
                     _eq(PseudoInverse(W) * W * PseudoInverse(W), PseudoInverse(W)), ", and ",
                     W * PseudoInverse(W), " and ", PseudoInverse(W) * W, " are symmetric (the "
                     "existence half of Penrose's theorem)"),
    source="Penrose, A generalized inverse for matrices, Proc. Cambridge Philos. Soc. 51 "
           "(1955) 406-413, Theorem 1",
    relations=lambda W: penrose_conditions(W, PseudoInverse(W)),
)

QUADRATIC_FORM_NONNEGATIVE = TrustedFact(
    name="congruence-trace",
    title="A congruence of a positive definite matrix has nonnegative trace",
    statement=prose("If ", S, " is positive definite then ", _M_kd * S * _M_kd.T,
                     " is positive semidefinite for every ", _M_kd,
                     " of matching size, so its trace, the sum of the quadratic forms of ", S,
                     " at the rows of ", _M_kd, ", is nonnegative: ",
                     _ge(Trace(_M_kd * S * _M_kd.T), 0)),
    source=f"{HORN_JOHNSON}, Observation 7.1.8 and Section 7.1",
    relations=lambda M, S: (Implies(Q.positive_definite(S), Q.nonnegative(Trace(M * S * M.T)),
                                    evaluate=False),),
)

ECKART_YOUNG = TrustedFact(
    name="eckart-young",
    title="Eckart-Young: no rank-k reconstruction beats the top k eigenvectors",
    statement=prose("For ", _eq(S, X * X.T), " with eigenvalues ", _lambda[1], " at least ",
                     _lambda[2], " and so on down to ", _lambda[d], ", ", U_k, " and ", Lambda_k,
                     " its top ", k, " eigenvectors and eigenvalues, and every ", d, " by ", k,
                     " matrix ", D, " and ", k, " by ", d, " matrix ", E,
                     ": the reconstruction error ", FrobeniusNorm(X - D * E * X)**2,
                     " is the untied loss ", untied_loss(D, E), ", which is at least ",
                     _TAIL, ", and ", _eq(_TAIL, Trace(S) - Trace(Lambda_k)), ", because ",
                     D * E * X, " has rank at most ", k, " (the best approximation of ", X,
                     " of rank ", k, " keeps its top ", k, " singular values; equivalently Ky "
                     "Fan's maximum principle for ", Trace(_P * S), " over projectors ", _P,
                     " of rank ", k, ")"),
    source="Eckart and Young, The approximation of one matrix by another of lower rank, "
           "Psychometrika 1 (1936) 211-218; Ky Fan, On a theorem of Weyl concerning "
           f"eigenvalues of linear transformations I, PNAS 35 (1949) 652-655; {GOLUB_VAN_LOAN}, "
           "Theorem 2.4.8",
    relations=lambda D, E: _eckart_young(D, E),
)

BALDI_HORNIK = TrustedFact(
    name="baldi-hornik",
    title="Baldi and Hornik: the global minima of the untied loss",
    statement=prose("If ", S, " is positive definite with distinct eigenvalues", ", a pair ",
                     Tuple(D, E), " attains the minimum ", Trace(S) - Trace(Lambda_k),
                     " of the untied loss only as ", _eq(D, U_k * C), " and ",
                     _eq(E, Inverse(C) * U_k.T), " with ", _eq(C, U_k.T * D),
                     " invertible (so ", _eq(U_k * U_k.T * D, D), ": the columns of ", D,
                     " lie in the span of the top ", k, " eigenvectors); every other critical "
                     "point is a saddle (no spurious local minima)"),
    source="Baldi and Hornik, Neural networks and principal component analysis: learning "
           "from examples without local minima, Neural Networks 2 (1989) 53-58: the main "
           "result (a unique minimum up to the invertible C, the orthogonal projection onto "
           "the first k principal vectors; every other critical point a saddle); restated in "
           "Baldi, Linear learning: landscapes and algorithms, NIPS 1 (1988) 65-72",
    relations=lambda D, E: _baldi_hornik(D, E),
)


def _spectral(A, V, alpha, i, j):
    size = A.shape[0]
    positive_definite = Q.positive_definite(A)
    return (
        Implies(positive_definite,
                And(Eq(A, V * _diag(alpha, size) * V.T, evaluate=False),
                    Eq(V.T * V, Identity(size), evaluate=False),
                    Eq(V * V.T, Identity(size), evaluate=False)), evaluate=False),
        Implies(positive_definite, Q.positive(alpha[i]) & Q.positive(alpha[j]),
                evaluate=False),
    )


def _compact_svd(W, U, Sigma, V):
    rank = Sigma.shape[0]
    nonzero = Ne(W, ZeroMatrix(*W.shape), evaluate=False)
    return (
        Implies(nonzero, And(Eq(W, U * Sigma * V.T, evaluate=False),
                             Eq(U.T * U, Identity(rank), evaluate=False),
                             Eq(V.T * V, Identity(rank), evaluate=False),
                             Eq(Sigma.T, Sigma, evaluate=False)), evaluate=False),
        Implies(nonzero, Q.positive_definite(Sigma) & Q.positive_definite(U.T * U),
                evaluate=False),
    )


def _untied_premise():
    return And(SYMMETRIC, Q.positive_definite(S), EIGENVECTORS, ORTHONORMAL_EIGENVECTORS)


def _eckart_young(D, E):
    return (Implies(_untied_premise(),
                    Ge(untied_loss(D, E), Trace(S) - Trace(Lambda_k), evaluate=False),
                    evaluate=False),)


def _baldi_hornik(D, E):
    minimum = And(_untied_premise(),
                  Eq(untied_loss(D, E), Trace(S) - Trace(Lambda_k), evaluate=False))
    mixing = U_k.T * D
    return (
        Implies(minimum, Q.invertible(mixing), evaluate=False),
        Implies(minimum, And(Eq(U_k * U_k.T * D, D, evaluate=False),
                             Eq(E, Inverse(mixing) * U_k.T, evaluate=False)), evaluate=False),
    )


# --- F: where W^T = W^+ fails ----------------------------------------------------------

# The existence half of Penrose's theorem is stated once (block A); F cites it under this name.
PSEUDO_INVERSE_SATISFIES_PENROSE = PSEUDO_INVERSE_EXISTS

GRAM_PLUS_SHIFT_POSITIVE_DEFINITE = TrustedFact(
    name="gram-plus-shift",
    title="A Gram matrix plus a positive multiple of the identity is positive definite",
    statement=prose("If ", _eq(S, X * X.T), " and ", _gt(mu, 0), ", then ",
                    S + mu * Identity(d), " is positive definite: for ", _nonzero(_x_d),
                    " the quadratic form ", _x_d.T * (X * X.T + mu * Identity(d)) * _x_d,
                    " is ", SpectralNorm(X.T * _x_d)**2 + mu * SpectralNorm(_x_d)**2,
                    ", which is positive"),
    source=f"{HORN_JOHNSON}, Section 7.1",
    relations=lambda S, X, mu: (Implies(And(Eq(S, X * X.T), Q.positive(mu)),
                                        Q.positive_definite(S + mu * Identity(S.shape[0])),
                                        evaluate=False),),
)

NO_SPURIOUS_LOCAL_MINIMA = TrustedFact(
    name="no-spurious-minima",
    title="The untied linear autoencoder has no spurious local minima",
    statement=prose("If ", S, " is positive definite with distinct eigenvalues", " (",
                     _lambda[1], " above ", _lambda[2], " and so on down to ", _lambda[d],
                     "), every local minimum of the untied loss ", untied_loss(D, E),
                     " is a global minimum, of value ", _TAIL, ", and every other critical "
                     "point is a saddle point"),
    source="Zhou and Liang, Critical points of linear neural networks: analytical forms "
           "and landscape properties, ICLR 2018: the analytical form of every critical point "
           "of the square loss of a linear network, rank-deficient ones included, and the "
           "landscape properties derived from it. Baldi and Hornik (Neural Networks 2 (1989) "
           "53-58) prove the landscape only at critical points where the decoder has full "
           "rank, so their theorem does not cover the rank-deficient points of F5",
    relations=lambda loss, D, E, S, minimum: (Implies(
        And(Q.positive_definite(S), DistinctEigenvalues(S),
            Eq(Gradient(loss, D), ZeroMatrix(*D.shape)),
            Eq(Gradient(loss, E), ZeroMatrix(*E.shape)), Gt(loss, minimum)),
        SaddlePoint(loss, D, E), evaluate=False),),
)


TWO_NORM_OF_A_DIAGONAL_MATRIX = TrustedFact(
    name="2-norm-diagonal",
    title="The 2-norm of a positive diagonal matrix and of its inverse",
    statement=prose("For a diagonal matrix ", Sigma, " with positive diagonal entries, ",
                     _eq(SpectralNorm(Sigma), LARGEST(Sigma)), ", the largest entry, and ",
                     _eq(SpectralNorm(Inverse(Sigma)), 1 / SMALLEST(Sigma)),
                     ", one over the smallest"),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3",
    relations=lambda Sigma: (Implies(
        And(Q.diagonal(Sigma), Q.positive_definite(Sigma)),
        And(Eq(SpectralNorm(Sigma), LARGEST(Sigma)),
            Eq(SpectralNorm(Sigma.inverse()), 1 / SMALLEST(Sigma))), evaluate=False),),
)

# --- D, R: deep networks and restricted Boltzmann machines ------------------------------

MATRIX_POWER = TrustedFact(
    name="matrix-power",
    title="Each power of a square matrix is the previous power times the matrix",
    statement=prose("For a square matrix ", _X_q, " and an integer ", _ge(_j, 1), ", ",
                     _eq(MatPow(_X_q, _j + 1), MatMul(MatPow(_X_q, _j), _X_q)),
                     " (the definition of the power, by associativity of the matrix product)"),
    source=f"{HORN_JOHNSON}, Section 0.1 (matrix products and powers)",
    # The factors of X are spliced in flat: SymPy would fold X^j X straight back into X^(j+1).
    relations=lambda X, j: (Eq(MatPow(X, j + 1), MatMul(MatPow(X, j), *MatMul.make_args(X)),
                               evaluate=False),),
)

def _gram_power(V, m):
    """``(V V^T)^m``, multiplied out for an explicit ``m`` (SymPy keeps it flat then)."""
    if isinstance(m, int):
        return MatMul(*((V, V.T) * m))
    return MatPow(V * V.T, m)


POSITIVE_SEMIDEFINITE_ROOT = TrustedFact(
    name="psd-root",
    title="A positive semidefinite matrix has exactly one positive semidefinite m-th root",
    statement=prose("If ", _A_q, " is positive semidefinite and ", _ge(_m, 1),
                     ", there is exactly one positive semidefinite ", _B_q, " with ",
                     _eq(MatPow(_B_q, _m), _A_q), ". A Gram matrix ", _V_q * _V_q.T,
                     " is positive semidefinite, and so is the identity, its own ", _m,
                     "-th root: so ", _eq(MatPow(_V_q * _V_q.T, _m), Identity(_q)), " forces ",
                     _eq(_V_q * _V_q.T, Identity(_q))),
    source=f"{HORN_JOHNSON}, Section 7.2 (the unique positive semidefinite k-th root)",
    relations=lambda V, m: (Implies(Eq(_gram_power(V, m), Identity(V.rows), evaluate=False),
                                    Eq(V * V.T, Identity(V.rows), evaluate=False),
                                    evaluate=False),),
)

GRAM_ZERO = TrustedFact(
    name="gram-zero",
    title="A matrix whose product with its transpose is zero is zero",
    statement=prose("The trace ", _eq(Trace(_A_q * _A_q.T), FrobeniusNorm(_A_q)**2),
                     " is the squared Frobenius norm of ", _A_q, ", which vanishes only for ",
                     _eq(_A_q, ZeroMatrix(_q, _q))),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3.1 (the Frobenius norm)",
    relations=lambda A: (Implies(Eq(A * A.T, ZeroMatrix(A.rows, A.rows), evaluate=False),
                                 Eq(A, ZeroMatrix(*A.shape), evaluate=False), evaluate=False),),
)

CHAIN_RULE = TrustedFact(
    name="matrix-chain-rule",
    title="The chain rule for a loss that depends on a layer only through the product E",
    statement=prose("If a differentiable loss ", _L, " depends on a matrix ", W,
                     " only through a matrix ", E, " built from ", W, ", with ",
                     _eq(_G, Gradient(_L, E)), " at the current point, then ",
                     Gradient(_L, W), " is the derivative in ", W, " of ",
                     Trace(_G.T * E), " with ", _G, " held fixed (the first differential ",
                     _eq(_dL, Trace(_G.T * _dE)), ")"),
    source="Magnus and Neudecker, Matrix Differential Calculus with Applications in Statistics "
           "and Econometrics, 3rd ed. (2019), Chapter 5 (the chain rule and the first "
           "identification theorem)",
    relations=lambda gradient, G, product, W: (
        Eq(gradient, matrix_derivative(Trace(G.T * product), W), evaluate=False),),
)

PRODUCT_RULE = TrustedFact(
    name="product-rule",
    title="The product rule for matrix functions of time",
    statement=prose("For differentiable matrix functions of ", _t, ", ",
                     _eq(_rate(_A_q.T * _A_q), _A_dot.T * _A_q + _A_q.T * _A_dot), " and ",
                     _eq(_rate(_B_q * _B_q.T), _B_dot * _B_q.T + _B_q * _B_dot.T)),
    source="Magnus and Neudecker, Matrix Differential Calculus, 3rd ed. (2019), Chapter 5 "
           "(d(XY) = (dX) Y + X dY)",
    relations=lambda rate, A, A_dot, B, B_dot: (
        Eq(rate, A_dot.T * A + A.T * A_dot - B_dot * B.T - B * B_dot.T, evaluate=False),),
)

SHIFTED_GRAM_POSITIVE_DEFINITE = TrustedFact(
    name="shifted-gram",
    title="A positive shift of a covariance congruence is positive definite",
    statement=prose("If ", _eq(S, X * X.T), " and ", _gt(_c, 0), " then ",
                     _M_kd * S * _M_kd.T + _c * Identity(k), " is positive definite: for ",
                     _nonzero(_x_k), " the quadratic form ",
                     _x_k.T * (_M_kd * S * _M_kd.T + _c * Identity(k)) * _x_k, " is ",
                     SpectralNorm(X.T * _M_kd.T * _x_k)**2 + _c * SpectralNorm(_x_k)**2,
                     ", which is positive"),
    source=f"{HORN_JOHNSON}, Observation 7.1.8 and Section 7.1",
    relations=lambda M, S, X, c: (Implies(
        Eq(S, X * X.T, evaluate=False),
        Q.positive_definite(M * S * M.T + c * Identity(M.rows)), evaluate=False),),
)

POSITIVE_DEFINITE_TIMES_SEMIDEFINITE = TrustedFact(
    name="pd-times-psd",
    title="A positive definite times a positive semidefinite matrix has nonnegative eigenvalues",
    statement=prose("If ", _A_d, " is positive definite and ", _B_d, " symmetric, ",
                     _A_d * _B_d, " is diagonalizable with real eigenvalues, as many positive, "
                     "negative and zero ones as ", _B_d, " has. With ",
                     _eq(_A_d, Identity(d) + _M_kd.T * _M_kd), " and ", _eq(_B_d, S),
                     ", where ", _eq(S, X * X.T), ", the eigenvalues of ", _A_d * S,
                     " are nonnegative, so ", _c * Identity(d) + _A_d * S,
                     " has eigenvalues at least ", _gt(_c, 0), " and is invertible"),
    source=("Serre, Matrices: Theory and Applications, GTM 216 (2002), Proposition 6.1; "
            f"{HORN_JOHNSON}, Section 7.6"),
    relations=lambda M, S, X, c: (Implies(
        Eq(S, X * X.T, evaluate=False),
        Q.invertible(c * Identity(M.cols) + (Identity(M.cols) + M.T * M) * S),
        evaluate=False),),
)

SCALAR_TRANSPOSE = TrustedFact(
    name="scalar-transpose",
    title="A one-by-one matrix is its own transpose",
    statement=prose("For column vectors ", _x_q, " and ", _y_q, " of one length, ",
                     _eq(_y_q.T * _x_q, Transpose(_x_q.T * _y_q)), ", which is ",
                     _x_q.T * _y_q),
    source=f"{HORN_JOHNSON}, Section 0.2 (the transpose)",
    relations=lambda product: (Eq(product.T, product, evaluate=False),),
)

INVERTIBLE_FACTOR_CANCELS = TrustedFact(
    name="invertible-factor-cancels",
    title="An invertible factor cancels from a zero product",
    statement=prose("If ", _M_q, " is invertible and ", _eq(_Y_q * _M_q, _zero), ", then ",
                     _eq(_Y_q, MatMul(_Y_q, _M_q, Inverse(_M_q))), ", so ", _eq(_Y_q, _zero),
                     "; likewise ", _eq(_M_q * _Y_q, _zero), " gives ", _eq(_Y_q, _zero)),
    source=f"{HORN_JOHNSON}, Section 0.5 (nonsingular matrices)",
    relations=lambda Y, M, side: (Implies(
        And(Q.invertible(M), Eq(Y * M if side == "right" else M * Y,
                                ZeroMatrix(*(Y * M if side == "right" else M * Y).shape),
                                evaluate=False)),
        Eq(Y, ZeroMatrix(*Y.shape), evaluate=False), evaluate=False),),
)


def _eigenvalue_tail(covariance, rank):
    """The sum of the ``d - rank`` smallest eigenvalues of an explicit symmetric matrix."""
    eigenvalues = sorted((value for value, count in covariance.eigenvals().items()
                          for _ in range(count)), reverse=True)
    return sum(eigenvalues[rank:], S_.Zero)


ECKART_YOUNG_FOR_EXPLICIT_DATA = TrustedFact(
    name="eckart-young-explicit",
    title="Eckart-Young for an explicit covariance: no rank-k reconstruction beats its "
          "eigenvalue tail",
    statement=prose("For data ", X, " with ", _eq(S, X * X.T), " (eigenvalues ", _lambda[1],
                     " at least ", _lambda[2], " and so on down to ", _lambda[d],
                     ") and any ", D, " (", d, " by ", k, ") and ", E, " (", k, " by ", d,
                     "): the reconstruction error ", FrobeniusNorm(X - D * E * X)**2,
                     " is the untied loss ", untied_loss(D, E), ", which is at least ", _TAIL,
                     ", since ", D * E * X, " has rank at most ", k, ". Instantiated for an "
                     "explicit ", S, ", whose eigenvalues SymPy computes exactly"),
    source="Eckart and Young, The approximation of one matrix by another of lower rank, "
           "Psychometrika 1 (1936) 211-218",
    relations=lambda D, E, covariance: (Ge(
        untied_loss(D, E, covariance), _eigenvalue_tail(covariance, D.cols), evaluate=False),),
)


def _ky_fan_gap():
    """Ky Fan's slack, how far tr(P S) falls below the top eigenvalues: nonnegative, and a
    fresh symbol per citation, so that two citations never share one slack."""
    return Dummy("g_KF", nonnegative=True)

KY_FAN = TrustedFact(
    name="ky-fan",
    title="Ky Fan's maximum principle",
    statement=prose("For a symmetric ", S, " with eigenvalues ", _lambda[1], " at least ",
                     _lambda[2], " and so on down to ", _lambda[d], " and an orthogonal "
                     "projector ", _P, " of rank ", k, " (", _eq(_P.T, _P), ", ",
                     _eq(MatMul(_P, _P), _P), " and ", _eq(Trace(_P), k), "), ",
                     _eq(Trace(_P * S), Sum(_lambda[i], (i, 1, k)) - _g), " for some ",
                     _ge(_g, 0), ": the sum of the top ", k, " eigenvalues is the maximum of ",
                     Trace(_P * S), ", attained when ", _P, " projects on the top ", k,
                     " eigenvectors"),
    source="Fan, On a theorem of Weyl concerning eigenvalues of linear transformations I, "
           "Proc. Natl. Acad. Sci. USA 35 (1949) 652-655",
    # P P is written with P's factors spliced in flat, so that SymPy keeps it a product.
    relations=lambda P, S, top_sum, rank: (Implies(
        And(Eq(P.T, P, evaluate=False),
            Eq(MatMul(*(MatMul.make_args(P) * 2)), P, evaluate=False),
            Eq(Trace(P), rank, evaluate=False)),
        Eq(Trace(P * S), top_sum - _ky_fan_gap(), evaluate=False), evaluate=False),),
)


def _all_facts() -> tuple[TrustedFact, ...]:
    facts = []
    for value in globals().values():
        if isinstance(value, TrustedFact) and value not in facts:
            facts.append(value)
    return tuple(facts)


#: Every trusted fact, in the order of this module.
ALL_FACTS = _all_facts()
