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

from sympy import Abs, And, Eq, Identity, Implies, Q

from derivations.engine import TrustedFact, prose
from derivations.mathematics.penrose import satisfies_penrose
from derivations.mathematics.svd import diagonal
from derivations.notation import LargestOver, PseudoInverse, SpectralNorm

__all__ = ["ALL_FACTS", "COMPACT_SVD", "DIAGONAL_2_NORM", "GRAM_OF_FULL_COLUMN_RANK",
           "MOORE_PENROSE_UNIQUENESS", "ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM",
           "POSITIVE_DEFINITE_INVERTIBLE"]

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

COMPACT_SVD = TrustedFact(
    name="compact-svd",
    title="Every matrix has a compact singular value decomposition",
    statement=prose("Every real d by k matrix W of rank r has W = U Sigma V^T with U (d by r) "
                    "and V (k by r) having orthonormal columns, U^T U = V^T V = I_r, and "
                    "Sigma = diag(sigma_1, ..., sigma_r) with sigma_1 >= ... >= sigma_r > 0 "
                    "(diagonal, hence symmetric). The sigma_i are the nonzero singular values "
                    "of W; keeping only the first r columns of the full SVD gives this form."),
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
    statement=prose("If A^T A = I and B^T B = I, then ||A M B^T||_2 = ||M||_2: multiplying by "
                    "A keeps the length of every vector, and ||M B^T||_2 = ||B M^T||_2 = "
                    "||M||_2 for the same reason."),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3 (orthogonal invariance of the 2-norm)",
    relations=lambda A, M, B: (Implies(
        And(Eq(A.T * A, Identity(A.shape[1]), evaluate=False),
            Eq(B.T * B, Identity(B.shape[1]), evaluate=False)),
        Eq(SpectralNorm(A * M * B.T), SpectralNorm(M), evaluate=False), evaluate=False),),
)

DIAGONAL_2_NORM = TrustedFact(
    name="diagonal-2-norm",
    title="The 2-norm of a diagonal matrix is its largest entry in absolute value",
    statement=prose("For a diagonal matrix D = diag(e_1, ..., e_r), ||D||_2 = max_i |e_i|: its "
                    "singular values are the |e_i|, and the 2-norm is the largest singular "
                    "value."),
    source=f"{GOLUB_VAN_LOAN}, Section 2.3; {HORN_JOHNSON}, Section 5.6",
    relations=lambda D, entry, index, size: (Implies(
        Eq(D, diagonal(entry, size), evaluate=False),
        Eq(SpectralNorm(D), LargestOver(Abs(entry(index)), index, size), evaluate=False),
        evaluate=False),),
)

# --- A: the linear autoencoder ---------------------------------------------------------

# --- F: where W^T = W^+ fails ----------------------------------------------------------

# --- D, R: deep networks and restricted Boltzmann machines ------------------------------


def _all_facts() -> tuple[TrustedFact, ...]:
    return tuple(value for value in globals().values() if isinstance(value, TrustedFact))


#: Every trusted fact, in the order of this module.
ALL_FACTS = _all_facts()
