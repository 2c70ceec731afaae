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

from sympy import Eq, Implies, Q

from derivations.engine import TrustedFact, prose
from derivations.mathematics.penrose import satisfies_penrose
from derivations.notation import PseudoInverse

__all__ = ["ALL_FACTS", "MOORE_PENROSE_UNIQUENESS", "POSITIVE_DEFINITE_INVERTIBLE",
           "GRAM_OF_FULL_COLUMN_RANK"]

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


def _all_facts() -> tuple[TrustedFact, ...]:
    return tuple(value for value in globals().values() if isinstance(value, TrustedFact))


#: Every trusted fact, in the order of this module.
ALL_FACTS = _all_facts()
