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

from sympy import And, Eq, Gt, Identity, Implies, Q, ZeroMatrix

from derivations.engine import TrustedFact, prose
from derivations.mathematics.penrose import penrose_conditions, satisfies_penrose
from derivations.notation import (
    LARGEST,
    SMALLEST,
    DistinctEigenvalues,
    Gradient,
    PseudoInverse,
    SaddlePoint,
    SpectralNorm,
)

__all__ = ["ALL_FACTS", "MOORE_PENROSE_UNIQUENESS", "POSITIVE_DEFINITE_INVERTIBLE",
           "GRAM_OF_FULL_COLUMN_RANK",
           # F
           "GRAM_PLUS_SHIFT_POSITIVE_DEFINITE", "NO_SPURIOUS_LOCAL_MINIMA",
           "ORTHOGONAL_INVARIANCE_OF_THE_2_NORM", "PSEUDO_INVERSE_SATISFIES_PENROSE",
           "TWO_NORM_OF_A_DIAGONAL_MATRIX"]

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

PSEUDO_INVERSE_SATISFIES_PENROSE = TrustedFact(
    name="pseudo-inverse-exists",
    title="The pseudo-inverse satisfies the four Penrose conditions",
    statement=("For every real matrix W, its Moore-Penrose inverse W^+ satisfies "
               "W W^+ W = W, W^+ W W^+ = W^+, (W W^+)^T = W W^+ and (W^+ W)^T = W^+ W "
               "(the existence half of Penrose's theorem).",),
    source="Penrose, A generalized inverse for matrices, Proc. Cambridge Philos. Soc. 51 "
           "(1955) 406-413, Theorem 1",
    relations=lambda W: penrose_conditions(W, PseudoInverse(W)),
)

GRAM_PLUS_SHIFT_POSITIVE_DEFINITE = TrustedFact(
    name="gram-plus-shift",
    title="A Gram matrix plus a positive multiple of the identity is positive definite",
    statement=prose("If S = X X^T and mu > 0, then S + mu I is positive definite: "
                    "x^T (X X^T + mu I) x = ||X^T x||^2 + mu ||x||^2 > 0 for x != 0."),
    source=f"{HORN_JOHNSON}, Section 7.1",
    relations=lambda S, X, mu: (Implies(And(Eq(S, X * X.T), Q.positive(mu)),
                                        Q.positive_definite(S + mu * Identity(S.shape[0])),
                                        evaluate=False),),
)

NO_SPURIOUS_LOCAL_MINIMA = TrustedFact(
    name="no-spurious-minima",
    title="The untied linear autoencoder has no spurious local minima",
    statement=("For S positive definite with distinct eigenvalues lambda_1 > ... > lambda_d, "
               "every local minimum of L(D, E) = tr((I - D E) S (I - D E)^T) is a global "
               "minimum, of value lambda_{k+1} + ... + lambda_d, and every other critical "
               "point is a saddle point.",),
    source="Baldi and Hornik, Neural networks and principal component analysis: learning "
           "from examples without local minima, Neural Networks 2 (1989) 53-58, main "
           "result (all critical points other than the minimum are saddles); for general "
           "linear networks, Zhou and Liang, Critical points of "
           "linear neural networks: analytical forms and landscape properties, ICLR 2018",
    relations=lambda loss, D, E, S, minimum: (Implies(
        And(Q.positive_definite(S), DistinctEigenvalues(S),
            Eq(Gradient(loss, D), ZeroMatrix(*D.shape)),
            Eq(Gradient(loss, E), ZeroMatrix(*E.shape)), Gt(loss, minimum)),
        SaddlePoint(loss, D, E), evaluate=False),),
)

ORTHOGONAL_INVARIANCE_OF_THE_2_NORM = TrustedFact(
    name="2-norm-invariance",
    title="Multiplying by matrices with orthonormal columns keeps the 2-norm",
    statement=("If U and V have orthonormal columns (U^T U = I, V^T V = I), then "
               "||V M U^T||_2 = ||M||_2 for every M of matching size.",),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3",
    relations=lambda U, V, M: (Implies(
        And(Eq(U.T * U, Identity(U.shape[1])), Eq(V.T * V, Identity(V.shape[1]))),
        Eq(SpectralNorm(V * M * U.T), SpectralNorm(M)), evaluate=False),),
)

TWO_NORM_OF_A_DIAGONAL_MATRIX = TrustedFact(
    name="2-norm-diagonal",
    title="The 2-norm of a positive diagonal matrix is its largest entry",
    statement=("For a diagonal matrix with positive diagonal entries, ||Sigma||_2 is the "
               "largest entry sigma_max(Sigma), and ||Sigma^{-1}||_2 = 1 / sigma_min(Sigma), "
               "one over the smallest.",),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3",
    relations=lambda Sigma: (Implies(
        And(Q.diagonal(Sigma), Q.positive_definite(Sigma)),
        And(Eq(SpectralNorm(Sigma), LARGEST(Sigma)),
            Eq(SpectralNorm(Sigma.inverse()), 1 / SMALLEST(Sigma))), evaluate=False),),
)

# --- D, R: deep networks and restricted Boltzmann machines ------------------------------


def _all_facts() -> tuple[TrustedFact, ...]:
    return tuple(value for value in globals().values() if isinstance(value, TrustedFact))


#: Every trusted fact, in the order of this module.
ALL_FACTS = _all_facts()
