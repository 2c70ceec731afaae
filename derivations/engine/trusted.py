"""Trusted facts: the theorems a proof cites without proving them, each with its source.

A :class:`TrustedFact` is a schema: ``instantiate(*objects)`` builds the SymPy
relations (equalities, predicates, implications) that the fact asserts about
those objects, so a citation is an instance of the fact by construction and the
proof may then use exactly those relations. The document lists every fact in
"What this document assumes", with the claims that cite it.

>>> from sympy import Eq, MatrixSymbol, Q, symbols
>>> n = symbols("n", integer=True, positive=True)
>>> fact = TrustedFact(
...     name="pd-invertible",
...     title="A positive definite matrix is invertible",
...     statement=("Every positive definite matrix is invertible.",),
...     source="Horn and Johnson, Matrix Analysis (2nd ed.), Section 7.1",
...     relations=lambda A: (Q.invertible(A),),
... )
>>> fact.instantiate(MatrixSymbol("A", n, n))
(Q.invertible(A),)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy
from sympy import Basic

from derivations.engine.prose import Prose, as_prose

__all__ = ["TrustedFact"]


@dataclass(frozen=True)
class TrustedFact:
    """A named theorem cited without proof.

    ``relations(*objects)`` returns the SymPy relations the fact asserts about
    ``objects``; ``statement`` says it in words (with formulas), ``source``
    where it is proved.
    """

    name: str
    title: str
    statement: Prose
    source: str
    relations: Callable[..., tuple[Basic, ...]]

    def __post_init__(self):
        object.__setattr__(self, "statement", as_prose(self.statement))
        if not self.source.strip():
            raise ValueError(f"trusted fact {self.name!r} needs a source")

    def instantiate(self, *objects) -> tuple[Basic, ...]:
        return tuple(sympy.sympify(r) for r in self.relations(*objects))
