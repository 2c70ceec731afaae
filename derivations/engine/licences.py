"""Every inverse a step uses must exist: each ``Inverse(X)`` and each division by a
symbolic quantity is licensed by what the claim knows, or the step fails.

SymPy cancels ``Inverse(X) * X`` to the identity without asking whether ``X``
is invertible, so an unlicensed inverse would let a proof "derive" anything
about a tall ``W`` from ``(W W^T)^{-1}``. A matrix inverse ``X^{-1}`` is licensed
when the known facts (the claim's hypotheses and what its proof has derived or
cited) contain ``Q.invertible(X)`` or ``Q.positive_definite(X)``, or
the engine's own rules give it (a product of invertible square matrices and a scalar
proved nonzero, a transpose or power of one; SymPy's ``ask`` is not used: it calls
``c X`` invertible at ``c = 0``), or ``X`` is an explicit matrix with
a determinant proved nonzero. A division by a scalar ``x`` is licensed when ``x`` is
nonzero by its symbol assumptions or ``ask(Q.nonzero(x), facts)``; a number is licensed
only when SymPy proves it nonzero. Any power whose exponent is not known nonnegative
(``z^m``, ``Z^m``) is a possible inverse, and ``0^m``, ``J^m`` need ``m > 0``.

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
from sympy import Basic, MatPow, OneMatrix, Pow, Q, ZeroMatrix, ask
from sympy.assumptions.assume import AppliedPredicate
from sympy.logic.boolalg import And

__all__ = ["is_predicate", "unlicensed_inverses"]


def is_predicate(fact: Basic) -> bool:
    """True for SymPy assumption predicates (``Q.positive_definite(S)``) and their conjunctions."""
    if isinstance(fact, AppliedPredicate):
        return True
    return isinstance(fact, And) and all(is_predicate(arg) for arg in fact.args)


def _known(predicate, expr: Basic, assumptions) -> bool:
    """``predicate(expr)`` by SymPy's assumptions on the symbols, or ``ask`` from the facts."""
    if getattr(expr, f"is_{predicate.name}") is True:
        return True
    return assumptions is not True and ask(predicate(expr), assumptions) is True


def _inverses(expr: Basic, assumptions, signs):
    """Each possible inverse in ``expr``: ``(node, base)``, or ``(node, None)`` for a power of
    ``0`` or of ``J`` that SymPy evaluates as if its exponent were positive.

    A power is a possible inverse unless its exponent is known nonnegative: ``z^m`` and
    ``Z^m`` with ``m`` of unknown sign are ``1/z`` and ``Z^{-1}`` at ``m = -1``. SymPy turns
    ``0^m`` into ``0`` and ``J^m`` into ``n^(m-1) J`` for every ``m``, wrong at ``m = 0``
    (where the power is ``I``): those need ``m > 0``. A division by zero already carried out
    (``zoo``, ``nan``) is never licensed.
    """
    for node in sympy.preorder_traversal(expr):
        if node in (sympy.zoo, sympy.nan):
            yield node, node
        elif isinstance(node, MatPow):
            exponent = sympy.sympify(node.exp)
            if isinstance(node.base, (ZeroMatrix, OneMatrix)):
                if not _known(Q.positive, exponent, signs):
                    yield node, None
            elif not _known(Q.nonnegative, exponent, signs):
                yield node, node.base
        elif isinstance(node, Pow) and not _known(Q.nonnegative, node.exp, signs):
            yield node, node.base


def _square(matrix: Basic) -> bool:
    rows, columns = matrix.shape
    return sympy.expand(rows - columns) == 0


def _matrix_licensed(matrix: Basic, facts: tuple[Basic, ...], assumptions) -> bool:
    """``matrix`` is invertible by the engine's own rules, never by SymPy's ``ask`` (which
    calls ``c X`` invertible at ``c = 0``, and ``W W^T`` invertible for an orthogonal tall
    ``W``):

    - a known fact: ``Q.invertible(M)``, ``Q.positive_definite(M)`` (positive definite
      matrices are invertible), ``Q.orthogonal(M)`` or ``Q.unitary(M)``, for a square ``M``;
    - the identity; an explicit matrix whose determinant is proved nonzero;
    - a product ``c A B ...`` of invertible square matrices and a scalar proved nonzero;
    - the transpose, or an integer power, of an invertible matrix.
    """
    if not _square(matrix):
        return False
    if isinstance(matrix, sympy.MatrixBase):
        return _scalar_licensed(sympy.simplify(matrix.det()), assumptions)
    if isinstance(matrix, sympy.Identity):
        return True
    for fact in facts:
        if fact in (Q.invertible(matrix), Q.positive_definite(matrix), Q.orthogonal(matrix),
                    Q.unitary(matrix)):
            return True
    if isinstance(matrix, sympy.MatMul):
        coefficient, factors = matrix.as_coeff_matrices()
        if len(factors) > 1 or coefficient != 1:
            return (_scalar_licensed(coefficient, assumptions)
                    and all(_matrix_licensed(f, facts, assumptions) for f in factors))
    if isinstance(matrix, sympy.Transpose):
        return _matrix_licensed(matrix.arg, facts, assumptions)
    if isinstance(matrix, MatPow) and sympy.sympify(matrix.exp).is_integer:
        return _matrix_licensed(matrix.base, facts, assumptions)
    return False


def _scalar_licensed(scalar: Basic, assumptions) -> bool:
    """``scalar`` is proved nonzero: by the assumptions of its symbols, or for a number by
    SymPy's evaluation (``sin(1)^2 + cos(1)^2 - 1`` is not), or by ``ask`` from the facts."""
    if scalar.is_zero is False:
        return True
    if scalar.is_number:
        return False
    return assumptions is not True and ask(Q.nonzero(scalar), assumptions) is True


def _sign_of_bound(fact: Basic):
    """``Q.positive(v)`` or ``Q.nonnegative(v)`` from a known bound ``v >= c`` or ``v > c``
    with a number ``c`` (SymPy's ``ask`` does not read inequalities)."""
    if isinstance(fact, (sympy.GreaterThan, sympy.StrictGreaterThan)):
        gap, strict = fact.lhs - fact.rhs, isinstance(fact, sympy.StrictGreaterThan)
    elif isinstance(fact, (sympy.LessThan, sympy.StrictLessThan)):
        gap, strict = fact.rhs - fact.lhs, isinstance(fact, sympy.StrictLessThan)
    else:
        return ()
    constant, variable = gap.as_coeff_Add()
    if not (constant.is_number and variable.is_symbol):
        return ()
    bound = -constant  # variable >= bound (or > bound)
    if bound.is_positive or (strict and bound.is_nonnegative):
        return (Q.positive(variable),)
    if bound.is_nonnegative or (strict and bound >= -1 and variable.is_integer):
        return (Q.nonnegative(variable),)
    return ()


def unlicensed_inverses(expr: Basic, facts: tuple[Basic, ...]) -> tuple[Basic, ...]:
    """The inverses and divisions in ``expr`` that the known ``facts`` do not license.

    Predicates license inverses; the sign of an exponent may also come from a known
    inequality (``j >= 1`` in the step of an induction).
    """
    predicates = tuple(p for f in facts if is_predicate(f) for p in And.make_args(f))
    assumptions = And(*predicates) if predicates else True
    bounds = tuple(b for f in facts for b in _sign_of_bound(f))
    signs = And(*predicates, *bounds) if predicates or bounds else True
    unlicensed = []
    for node, base in _inverses(expr, assumptions, signs):
        if base is None or base is node:
            ok = False
        elif getattr(base, "is_Matrix", False):
            ok = _matrix_licensed(base, predicates, assumptions)
        else:
            ok = _scalar_licensed(base, assumptions)
        if not ok and node not in unlicensed:
            unlicensed.append(node)
    return tuple(unlicensed)
