"""The four Penrose conditions, written once for every claim that needs them.

``G`` is the Moore-Penrose inverse of ``W`` when (1) ``W G W = W``,
(2) ``G W G = G``, (3) ``(W G)^T = W G`` and (4) ``(G W)^T = G W``.

>>> from sympy import MatrixSymbol, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W, G = MatrixSymbol("W", d, k), MatrixSymbol("G", k, d)
>>> [c.lhs for c in penrose_conditions(W, G)]
[W*G*W, G*W*G, (W*G).T, (G*W).T]
"""

from __future__ import annotations

from sympy import Basic, Eq, Transpose
from sympy.logic.boolalg import And

__all__ = ["penrose_conditions", "satisfies_penrose"]


def penrose_conditions(W: Basic, G: Basic) -> tuple[Eq, Eq, Eq, Eq]:
    """The four conditions that make ``G`` the Moore-Penrose inverse of ``W``."""
    return (
        Eq(W * G * W, W, evaluate=False),
        Eq(G * W * G, G, evaluate=False),
        Eq(Transpose(W * G), W * G, evaluate=False),
        Eq(Transpose(G * W), G * W, evaluate=False),
    )


def satisfies_penrose(W: Basic, G: Basic) -> Basic:
    """The conjunction of the four conditions (the premise of uniqueness)."""
    return And(*penrose_conditions(W, G), evaluate=False)
