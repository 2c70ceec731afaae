"""Matrix derivatives with SymPy, guarded against its silent zero.

SymPy 1.14 differentiates a *sum* of traces to zero without warning (upstream
issue 27406): ``(tr(A X) + tr(B X)).diff(X)`` is ``0``. :func:`matrix_derivative`
differentiates the expression and, separately, each term of its expansion, and
refuses to answer when the two disagree, so a step can never equate such a
silent zero to anything.

>>> from sympy import MatrixSymbol, Trace, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W, S = MatrixSymbol("W", d, k), MatrixSymbol("S", d, d)
>>> matrix_derivative(Trace(W.T * S * W), W)
S*W + S.T*W
>>> matrix_derivative(Trace(W.T * S * W) + Trace(W.T * W), W)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: SymPy's derivative of the sum Trace(W.T*W) + Trace(W.T*S*W) is 0 but ...
"""

from __future__ import annotations

import functools

import sympy
from sympy import Add, Basic

__all__ = ["matrix_derivative"]


@functools.lru_cache(maxsize=256)  # several claims differentiate the same losses; SymPy is slow
def matrix_derivative(expr: Basic, variable: Basic) -> Basic:
    """``d expr / d variable``, refused when SymPy's answer for a sum is inconsistent."""
    whole = expr.diff(variable)
    terms = Add.make_args(sympy.expand(expr))
    if len(terms) > 1:
        termwise = Add(*(term.diff(variable) for term in terms))
        if sympy.simplify((whole - termwise).doit()) != 0 and not _is_zero_matrix(
                (whole - termwise).doit()):
            raise ValueError(
                f"SymPy's derivative of the sum {sympy.sstr(expr)} is {sympy.sstr(whole)} but "
                f"its terms' derivatives sum to {sympy.sstr(termwise)}: keep one Trace around "
                "the whole expression")
    return whole


def _is_zero_matrix(expr: Basic) -> bool:
    return isinstance(expr, sympy.ZeroMatrix) or expr == 0
