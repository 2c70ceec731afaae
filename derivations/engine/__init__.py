"""The proof checker: claims whose statements are SymPy objects and whose proofs derive them.

Nothing here knows about autoencoders. :class:`Claim` holds a statement
(hypotheses and conclusions as SymPy relations and assumption predicates) and
a proof made of the items of :mod:`derivations.engine.proof`; ``check()``
refuses a proof that does not derive the statement, a rule that is not known,
and an inverse that no hypothesis licenses (:mod:`derivations.engine.licences`).
Theorems cited without proof are :class:`TrustedFact` objects; a checked claim
yields a :class:`Theorem` that later claims :class:`Use`.
"""

from derivations.engine.calculus import matrix_derivative
from derivations.engine.claim import Claim, DerivationError
from derivations.engine.proof import (
    Assume,
    Cases,
    Chain,
    Cite,
    Conclude,
    Define,
    ForEvery,
    Iff,
    Induction,
    Link,
    Part,
    ProofError,
    Specialise,
    Use,
    same_relation,
)
from derivations.engine.kernel import Theorem
from derivations.engine.prose import Prose, as_prose, plain_text, prose
from derivations.engine.step import Step
from derivations.engine.trusted import TrustedFact

__all__ = [
    "Assume",
    "Cases",
    "Chain",
    "Cite",
    "Claim",
    "Conclude",
    "Define",
    "DerivationError",
    "ForEvery",
    "Iff",
    "Induction",
    "Link",
    "Part",
    "ProofError",
    "Prose",
    "Specialise",
    "Step",
    "Theorem",
    "TrustedFact",
    "Use",
    "as_prose",
    "matrix_derivative",
    "plain_text",
    "prose",
    "same_relation",
]
