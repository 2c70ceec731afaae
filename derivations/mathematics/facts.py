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

from sympy import And, Dummy, Eq, Ge, Identity, Implies, MatMul, MatPow, Q, Trace, ZeroMatrix
from sympy import S as S_

from derivations.engine import TrustedFact, matrix_derivative, prose
from derivations.mathematics.losses import untied_loss
from derivations.mathematics.penrose import satisfies_penrose
from derivations.notation import PseudoInverse

__all__ = ["ALL_FACTS", "MOORE_PENROSE_UNIQUENESS", "POSITIVE_DEFINITE_INVERTIBLE",
           "GRAM_OF_FULL_COLUMN_RANK",
           # D, R
           "CHAIN_RULE", "ECKART_YOUNG", "GRAM_ZERO", "INVERTIBLE_FACTOR_CANCELS", "KY_FAN",
           "MATRIX_POWER", "POSITIVE_DEFINITE_TIMES_SEMIDEFINITE",
           "POSITIVE_SEMIDEFINITE_ROOT", "PRODUCT_RULE", "SCALAR_TRANSPOSE",
           "SHIFTED_GRAM_POSITIVE_DEFINITE"]

GOLUB_VAN_LOAN = "Golub and Van Loan, Matrix Computations, 4th ed. (2013)"
HORN_JOHNSON = "Horn and Johnson, Matrix Analysis, 2nd ed. (2013)"

MOORE_PENROSE_UNIQUENESS = TrustedFact(
    name="moore-penrose",
    title="The Moore-Penrose inverse exists and is the only matrix satisfying the four "
          "Penrose conditions",
    statement=("For every real matrix W there is exactly one G with W G W = W, G W G = G, "
               "(W G)^T = W G and (G W)^T = G W; it is written W^+. Uniqueness is claim P2, "
               "proved in this document; existence follows from the singular value "
               "decomposition.",),
    source="Penrose, A generalized inverse for matrices, Proc. Cambridge Philos. Soc. 51 "
           "(1955) 406-413, Theorem 1",
    relations=lambda W, G: (Implies(satisfies_penrose(W, G),
                                    Eq(PseudoInverse(W), G, evaluate=False), evaluate=False),),
)

POSITIVE_DEFINITE_INVERTIBLE = TrustedFact(
    name="positive-definite-invertible",
    title="A positive definite matrix is invertible",
    statement=("A symmetric positive definite matrix has positive eigenvalues, so it is "
               "invertible.",),
    source=f"{HORN_JOHNSON}, Section 7.1",
    relations=lambda A: (Implies(Q.positive_definite(A), Q.invertible(A), evaluate=False),),
)

GRAM_OF_FULL_COLUMN_RANK = TrustedFact(
    name="congruence",
    title="A congruence by a full-column-rank matrix keeps positive definiteness",
    statement=prose("If S is positive definite and W has full column rank (W^T W positive "
                    "definite), then W^T S W is positive definite: x^T W^T S W x = "
                    "(W x)^T S (W x) > 0 for x != 0, since W x != 0."),
    source=f"{HORN_JOHNSON}, Observation 7.1.8",
    relations=lambda S, W: (Implies(Q.positive_definite(S) & Q.positive_definite(W.T * W),
                                    Q.positive_definite(W.T * S * W), evaluate=False),),
)

# Facts added for the claims of each family go below, one block per family, so that the
# families can grow without touching each other's lines.

# --- P: the pseudo-inverse -------------------------------------------------------------

# --- A: the linear autoencoder ---------------------------------------------------------

# --- F: where W^T = W^+ fails ----------------------------------------------------------

# --- D, R: deep networks and restricted Boltzmann machines ------------------------------

MATRIX_POWER = TrustedFact(
    name="matrix-power",
    title="Powers of a square matrix: X^(j+1) = X^j X",
    statement=("For a square matrix X and an integer j >= 1, X^(j+1) = X^j X (the definition "
               "of the power, by associativity of the matrix product).",),
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
    statement=("If A is positive semidefinite and m >= 1, there is exactly one positive "
               "semidefinite B with B^m = A. A Gram matrix B = V V^T is positive "
               "semidefinite, and so is the identity, its own m-th root: so (V V^T)^m = I "
               "forces V V^T = I.",),
    source=f"{HORN_JOHNSON}, Section 7.2 (the unique positive semidefinite k-th root)",
    relations=lambda V, m: (Implies(Eq(_gram_power(V, m), Identity(V.rows), evaluate=False),
                                    Eq(V * V.T, Identity(V.rows), evaluate=False),
                                    evaluate=False),),
)

GRAM_ZERO = TrustedFact(
    name="gram-zero",
    title="A A^T = 0 only for A = 0",
    statement=("tr(A A^T) is the squared Frobenius norm of A, which vanishes only for A = 0.",),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3.1 (the Frobenius norm)",
    relations=lambda A: (Implies(Eq(A * A.T, ZeroMatrix(A.rows, A.rows), evaluate=False),
                                 Eq(A, ZeroMatrix(*A.shape), evaluate=False), evaluate=False),),
)

CHAIN_RULE = TrustedFact(
    name="matrix-chain-rule",
    title="The chain rule for a loss that depends on a layer only through the product E",
    statement=("If a differentiable loss depends on a matrix W only through E(W), with "
               "G = dL/dE at the current point, then dL/dW is the derivative in W of "
               "tr(G^T E(W)) with G held fixed (the first differential dL = tr(G^T dE)).",),
    source="Magnus and Neudecker, Matrix Differential Calculus with Applications in Statistics "
           "and Econometrics, 3rd ed. (2019), Chapter 5 (the chain rule and the first "
           "identification theorem)",
    relations=lambda gradient, G, product, W: (
        Eq(gradient, matrix_derivative(Trace(G.T * product), W), evaluate=False),),
)

PRODUCT_RULE = TrustedFact(
    name="product-rule",
    title="The product rule for matrix functions of time",
    statement=("For differentiable matrix functions of t, d/dt (A^T A) = A'^T A + A^T A' and "
               "d/dt (B B^T) = B' B^T + B B'^T.",),
    source="Magnus and Neudecker, Matrix Differential Calculus, 3rd ed. (2019), Chapter 5 "
           "(d(XY) = (dX) Y + X dY)",
    relations=lambda rate, A, A_dot, B, B_dot: (
        Eq(rate, A_dot.T * A + A.T * A_dot - B_dot * B.T - B * B_dot.T, evaluate=False),),
)

SHIFTED_GRAM_POSITIVE_DEFINITE = TrustedFact(
    name="shifted-gram",
    title="A positive shift of a covariance congruence is positive definite",
    statement=("If S = X X^T and c > 0 then M S M^T + c I is positive definite: "
               "x^T (M S M^T + c I) x = ||X^T M^T x||^2 + c ||x||^2 > 0 for x != 0.",),
    source=f"{HORN_JOHNSON}, Observation 7.1.8 and Section 7.1",
    relations=lambda M, S, X, c: (Implies(
        Eq(S, X * X.T, evaluate=False),
        Q.positive_definite(M * S * M.T + c * Identity(M.rows)), evaluate=False),),
)

POSITIVE_DEFINITE_TIMES_SEMIDEFINITE = TrustedFact(
    name="pd-times-psd",
    title="A positive definite times a positive semidefinite matrix has nonnegative eigenvalues",
    statement=("If A is positive definite and B symmetric, A B is diagonalizable with real "
               "eigenvalues, as many positive, negative and zero ones as B has. With "
               "A = I + M^T M and B = S = X X^T the eigenvalues of A S are nonnegative, so "
               "c I + A S has eigenvalues at least c > 0 and is invertible.",),
    source=("Serre, Matrices: Theory and Applications, GTM 216 (2002), Proposition 6.1; "
            f"{HORN_JOHNSON}, Section 7.6"),
    relations=lambda M, S, X, c: (Implies(
        Eq(S, X * X.T, evaluate=False),
        Q.invertible(c * Identity(M.cols) + (Identity(M.cols) + M.T * M) * S),
        evaluate=False),),
)

SCALAR_TRANSPOSE = TrustedFact(
    name="scalar-transpose",
    title="A 1 x 1 matrix is its own transpose",
    statement=("For column vectors x and y of one length, y^T x = (x^T y)^T = x^T y.",),
    source=f"{HORN_JOHNSON}, Section 0.2 (the transpose)",
    relations=lambda product: (Eq(product.T, product, evaluate=False),),
)

INVERTIBLE_FACTOR_CANCELS = TrustedFact(
    name="invertible-factor-cancels",
    title="An invertible factor cancels from a zero product",
    statement=("If M is invertible and Y M = 0 then Y = Y M M^(-1) = 0; likewise M Y = 0 "
               "gives Y = 0.",),
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


ECKART_YOUNG = TrustedFact(
    name="eckart-young",
    title="Eckart-Young: the best rank-k reconstruction keeps the top k eigenvalues",
    statement=("For data X with S = X X^T (eigenvalues lambda_1 >= ... >= lambda_d) and any "
               "D (d x k), E (k x d): ||X - D E X||_F^2 = tr((I - D E) S (I - D E)^T) >= "
               "lambda_(k+1) + ... + lambda_d, since D E X has rank at most k. Instantiated "
               "for an explicit S, whose eigenvalues SymPy computes exactly.",),
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
    statement=("For a symmetric S with eigenvalues lambda_1 >= ... >= lambda_d and an "
               "orthogonal projector P of rank k (P^T = P, P P = P, tr P = k), "
               "tr(P S) = lambda_1 + ... + lambda_k - g for some g >= 0: the sum of the top k "
               "eigenvalues is the maximum of tr(P S), attained when P projects on the top k "
               "eigenvectors.",),
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
    return tuple(value for value in globals().values() if isinstance(value, TrustedFact))


#: Every trusted fact, in the order of this module.
ALL_FACTS = _all_facts()
