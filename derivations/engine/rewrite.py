"""Rewriting: apply rules, multiply matrix products out, put traces in one cyclic form.

Two expressions are compared after :func:`rewrite` has brought both into the
same normal form, and :func:`difference` has simplified ``lhs - rhs``.

Traces are cyclic and transpose-invariant, ``tr(A B C) = tr(C A B) = tr((A B C)^T)``:
:func:`canonical_traces` writes every trace of a product as the rotation (of the
product or of its transpose) whose printed form sorts first, so that equal
traces compare equal.

>>> from sympy import MatrixSymbol, Trace, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W, S = MatrixSymbol("W", d, k), MatrixSymbol("S", d, d)
>>> difference(Trace(W.T * S * W), Trace(S * W * W.T))
0
"""

from __future__ import annotations

import functools

import sympy
from sympy import Basic, Eq, MatMul, Trace
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["canonical_traces", "difference", "is_nonzero", "is_zero", "rewrite",
           "rewrite_forms"]

# A rewrite loop that has not settled after this many rounds is cycling.
_MAX_REWRITE_ROUNDS = 25


def _rotations(factors: tuple) -> list[tuple]:
    return [factors[i:] + factors[:i] for i in range(len(factors))]


@functools.lru_cache(maxsize=4096)  # the same traces recur in every round of every step
def _canonical_product(product: Basic) -> Basic:
    coefficient, factors = product.as_coeff_matrices()
    if len(factors) < 2:
        return product
    transposed = tuple(f.T for f in reversed(factors))
    candidates = _rotations(tuple(factors)) + _rotations(transposed)
    best = min(candidates, key=lambda fs: sympy.sstr(MatMul(*fs)))
    return coefficient * MatMul(*best)


def canonical_traces(expr: Basic) -> Basic:
    """Every ``tr(product)`` rotated (or transposed) to one representative."""
    if not expr.has(Trace):
        return expr
    return expr.replace(
        lambda e: isinstance(e, Trace) and isinstance(e.arg, MatMul),
        lambda e: Trace(_canonical_product(e.arg)),
    )


def _multiply_out(expr: Basic) -> Basic:
    """Distribute products over sums in matrix expressions (also inside traces).

    SymPy does not multiply out ``W^T (A + B)`` when it simplifies a difference
    of matrix expressions, and leaves ``I + [explicit matrix]`` unevaluated at
    concrete sizes; both would make true steps fail to compare equal. Explicit
    matrices and plain scalars are left to the final ``simplify``.
    """
    if isinstance(expr, (sympy.MatrixBase, sympy.Set)) or not expr.has(MatrixExpr):
        return expr
    if expr.has(sympy.MatrixBase):
        expr = expr.replace(
            lambda e: isinstance(e, sympy.Identity) and sympy.sympify(e.shape[0]).is_Integer,
            lambda e: sympy.ImmutableMatrix(e.as_explicit()),
        ).doit()
        if isinstance(expr, sympy.MatrixBase):
            return expr
    return canonical_traces(expr.expand())


@functools.lru_cache(maxsize=1024)  # a chain rewrites each middle term twice, as rhs and lhs
def rewrite_forms(expr: Basic, rules: tuple[Eq, ...]) -> tuple[Basic, ...]:
    """Every form :func:`rewrite` passes through on its way from ``expr``, the last one final.

    Each rule's substitution and each ``doit`` may create an inverse and the next one
    cancel it (``Z^m Z`` at ``m = -1``, then ``Z^{-1} Z = I``), so the checker licenses
    every form, not only the written and the final one.
    """
    forms = [expr]
    current = expr.doit()
    forms.append(current)
    for _ in range(_MAX_REWRITE_ROUNDS):
        updated = current
        for rule in rules:
            substituted = updated.subs(rule.lhs, rule.rhs)
            if substituted != updated:  # doit() is costly; only after a rule fired
                forms.append(substituted)
                updated = substituted.doit()
                forms.append(updated)
        multiplied = _multiply_out(updated)
        if multiplied != updated:
            forms.append(multiplied)
            updated = multiplied.doit()
            forms.append(updated)
        if updated == current:
            forms.append(current)
            return tuple(dict.fromkeys(forms[:-1])) + (current,)
        current = updated
    raise RuntimeError(f"rewriting did not settle after {_MAX_REWRITE_ROUNDS} rounds: {current}")


def rewrite(expr: Basic, rules: tuple[Eq, ...]) -> Basic:
    """Apply every rule ``lhs -> rhs`` until nothing changes; ``doit`` in between.

    ``doit`` expands transposes of products, ``(A B)^T -> B^T A^T``, so a rule
    such as ``W^T W -> I`` also fires inside ``(W^T W W^T)^T`` and inside longer
    products (SymPy's ``subs`` matches contiguous factors of a ``MatMul``).
    Each round first tries the rules on the expression as written, then
    multiplies it out, so a rule may fire on a factored form or only after
    multiplying out.
    """
    return rewrite_forms(expr, rules)[-1]


def difference(lhs: Basic, rhs: Basic) -> Basic:
    """``lhs - rhs``, simplified (entrywise for explicit matrices)."""
    if isinstance(lhs, MatrixExpr) or isinstance(rhs, MatrixExpr):
        diff = (lhs - rhs).doit()
        if isinstance(diff, MatrixExpr) and not isinstance(diff, sympy.MatrixBase):
            if all(sympy.sympify(dim).is_Integer for dim in diff.shape):
                diff = diff.as_explicit()
            else:
                return sympy.simplify(canonical_traces(diff))
    else:
        diff = canonical_traces(sympy.expand(lhs - rhs)) if lhs.has(Trace) or rhs.has(Trace) \
            else lhs - rhs
    if isinstance(diff, sympy.MatrixBase):
        return sympy.ImmutableMatrix(diff.applyfunc(sympy.simplify))
    return sympy.simplify(diff)


def is_zero(diff: Basic) -> bool:
    if isinstance(diff, sympy.ZeroMatrix):
        return True
    if isinstance(diff, sympy.MatrixBase):
        return all(entry == 0 for entry in diff)
    return diff == 0


def is_nonzero(diff: Basic) -> bool:
    """True only when SymPy proves the difference is not zero."""
    if isinstance(diff, sympy.MatrixBase):
        return any(sympy.simplify(entry).is_zero is False for entry in diff)
    if isinstance(diff, MatrixExpr):
        return False
    return sympy.simplify(diff).is_zero is False
