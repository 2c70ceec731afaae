"""Every inverse a step uses must exist: each ``Inverse(X)`` and each division by a
symbolic quantity is licensed by what the claim knows, or the step fails.

SymPy cancels ``Inverse(X) * X`` to the identity without asking whether ``X``
is invertible, so an unlicensed inverse would let a proof "derive" anything
about a tall ``W`` from ``(W W^T)^{-1}``. A matrix inverse ``X^{-1}`` is licensed
when the known facts (the claim's hypotheses and what its proof has derived or
cited) contain ``Q.invertible(X)`` or ``Q.positive_definite(X)``, or SymPy's
``ask`` proves ``Q.invertible(X)`` from them, or ``X`` is an explicit matrix with
a nonzero determinant. A division by a scalar ``x`` is licensed when ``x`` is
nonzero by its symbol assumptions or ``ask(Q.nonzero(x), facts)``.

``Q.fullrank`` is refused as a hypothesis: for a non-square ``W`` SymPy's
``ask(Q.positive_definite(W*W.T), Q.fullrank(W))`` answers True although
``W W^T`` is singular for a tall ``W``. Full column rank is written
``Q.positive_definite(W.T*W)``, which says exactly that.

>>> from sympy import Inverse, MatrixSymbol, Q, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W = MatrixSymbol("W", d, k)
>>> full_column_rank = Q.positive_definite(W.T * W)
>>> unlicensed_inverses(Inverse(W.T * W) * W.T, (full_column_rank,))
()
>>> unlicensed_inverses(W.T * Inverse(W * W.T), (full_column_rank,))
((W*W.T)**(-1),)
"""

from __future__ import annotations

import sympy
from sympy import Basic, MatPow, Pow, Q, ask
from sympy.assumptions.assume import AppliedPredicate
from sympy.logic.boolalg import And

__all__ = ["is_predicate", "unlicensed_inverses"]


def is_predicate(fact: Basic) -> bool:
    """True for SymPy assumption predicates (``Q.positive_definite(S)``) and their conjunctions."""
    if isinstance(fact, AppliedPredicate):
        return True
    return isinstance(fact, And) and all(is_predicate(arg) for arg in fact.args)


def _inverses(expr: Basic):
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, MatPow) and sympy.sympify(node.exp).is_negative:
            yield node, node.base
        elif isinstance(node, Pow) and node.exp.is_negative and not node.base.is_number:
            yield node, node.base


def _matrix_licensed(matrix: Basic, facts: tuple[Basic, ...], assumptions) -> bool:
    if isinstance(matrix, sympy.MatrixBase):
        return matrix.is_square and sympy.simplify(matrix.det()) != 0
    for fact in facts:
        if fact in (Q.invertible(matrix), Q.positive_definite(matrix)):
            return True
    return ask(Q.invertible(matrix), assumptions) is True


def _scalar_licensed(scalar: Basic, assumptions) -> bool:
    if scalar.is_nonzero:
        return True
    return ask(Q.nonzero(scalar), assumptions) is True


def unlicensed_inverses(expr: Basic, facts: tuple[Basic, ...]) -> tuple[Basic, ...]:
    """The inverses and divisions in ``expr`` that the predicate ``facts`` do not license."""
    predicates = tuple(p for f in facts if is_predicate(f) for p in And.make_args(f))
    assumptions = And(*predicates) if predicates else True
    unlicensed = []
    for node, base in _inverses(expr):
        if getattr(base, "is_Matrix", False):
            ok = _matrix_licensed(base, predicates, assumptions)
        else:
            ok = _scalar_licensed(base, assumptions)
        if not ok and node not in unlicensed:
            unlicensed.append(node)
    return tuple(unlicensed)
