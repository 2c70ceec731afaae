"""Shared notation: the symbols of the claims and the operators SymPy lacks.

SymPy's ``MatrixSymbol`` has no pseudo-inverse and no norm. The two classes
here give them a name, so that the statements that use them are SymPy objects
and are printed by SymPy's printers, like every other formula in the docs.

>>> from sympy import latex
>>> latex(PseudoInverse(W))
'W^{+}'
>>> latex(SpectralNorm(W.T - PseudoInverse(W)))
'\\\\left\\\\|- W^{+} + W^{T}\\\\right\\\\|_{2}'
"""

from __future__ import annotations

import functools

import sympy
from sympy import Basic, ConditionSet, Function, MatrixSymbol, solveset, symbols
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = [
    "FrobeniusNorm",
    "PseudoInverse",
    "SolutionSet",
    "SpectralNorm",
    "W",
    "d",
    "h",
    "k",
    "mu",
    "n",
]

#: Data dimension, code size and sample count, symbolic and positive.
d, k, n = symbols("d k n", integer=True, positive=True)

#: The tied weight matrix, ``d x k``: decoder ``W``, encoder ``W^T``.
W = MatrixSymbol("W", d, k)


@functools.lru_cache(maxsize=512)
def _explicit_pseudo_inverse(matrix: sympy.ImmutableMatrix) -> sympy.ImmutableMatrix:
    # The engine's rewrite loop calls doit() every round: compute each pinv once.
    return sympy.ImmutableMatrix(matrix.pinv())


class PseudoInverse(MatrixExpr):
    """The Moore-Penrose inverse ``A^+`` as an unevaluated matrix expression.

    ``doit()`` on an explicit matrix calls ``Matrix.pinv()``, which for
    symbolic entries returns the generic-rank answer (wrong where the rank
    drops); rank-deficient cases get their own explicit instances.
    """

    def __new__(cls, arg):
        arg = sympy.sympify(arg)
        if not getattr(arg, "is_Matrix", False):
            raise TypeError(f"PseudoInverse needs a matrix, got {arg!r}")
        return Basic.__new__(cls, arg)

    @property
    def arg(self):
        return self.args[0]

    @property
    def shape(self):
        rows, columns = self.arg.shape
        return (columns, rows)

    def doit(self, **hints):
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        if isinstance(arg, sympy.MatrixBase):
            return _explicit_pseudo_inverse(sympy.ImmutableMatrix(arg))
        return PseudoInverse(arg)

    def _eval_transpose(self):
        # (A^+)^T = (A^T)^+: keeps transposes next to symbols after doit().
        return PseudoInverse(self.arg.T)

    def _latex(self, printer):
        if isinstance(self.arg, MatrixSymbol):
            return "%s^{+}" % printer._print(self.arg)
        # Anything else gets parentheses: ``W^T`` would otherwise print as the
        # invalid double superscript ``W^{T}^{+}``.
        return r"\left(%s\right)^{+}" % printer._print(self.arg)

    def _sympystr(self, printer):
        return "pinv(%s)" % printer._print(self.arg)

    def _mathml_presentation(self, printer):
        sup = printer.dom.createElement("msup")
        base = printer._print(self.arg)
        if not isinstance(self.arg, MatrixSymbol):
            fenced = printer.dom.createElement("mrow")
            for symbol, child in (("(", None), (None, base), (")", None)):
                if child is None:
                    mo = printer.dom.createElement("mo")
                    mo.appendChild(printer.dom.createTextNode(symbol))
                    fenced.appendChild(mo)
                else:
                    fenced.appendChild(child)
            base = fenced
        sup.appendChild(base)
        plus = printer.dom.createElement("mo")
        plus.appendChild(printer.dom.createTextNode("+"))
        sup.appendChild(plus)
        return sup


class _Norm(Function):
    """A matrix norm, printed but not evaluated symbolically."""

    _subscript = ""
    nargs = 1
    is_nonnegative = True
    is_real = True

    def _latex(self, printer, exp=None):
        # ``exp`` is passed when the norm is the base of a power, e.g. ``||W||_F^2``.
        norm = r"\left\|%s\right\|_{%s}" % (printer._print(self.args[0]), self._subscript)
        return norm if exp is None else "%s^{%s}" % (norm, exp)

    def _sympystr(self, printer):
        return "norm%s(%s)" % (self._subscript, printer._print(self.args[0]))

    def _mathml_presentation(self, printer):
        row = printer.dom.createElement("mrow")
        bar = printer.dom.createElement("mo")
        bar.appendChild(printer.dom.createTextNode("\u2016"))
        row.appendChild(bar)
        row.appendChild(printer._print(self.args[0]))
        sub = printer.dom.createElement("msub")
        closing = printer.dom.createElement("mo")
        closing.appendChild(printer.dom.createTextNode("\u2016"))
        sub.appendChild(closing)
        index = printer.dom.createElement("mi" if self._subscript == "F" else "mn")
        index.appendChild(printer.dom.createTextNode(self._subscript))
        sub.appendChild(index)
        row.appendChild(sub)
        return row


class SpectralNorm(_Norm):
    """``||A||_2``, the largest singular value."""

    _subscript = "2"


class FrobeniusNorm(_Norm):
    """``||A||_F``, the root of the sum of squared entries."""

    _subscript = "F"


class SolutionSet(ConditionSet):
    """``{x in domain : equation}``, printed unsolved; ``doit()`` solves it with ``solveset``.

    A step ``Step(SolutionSet(...), FiniteSet(...))`` then shows the question
    and checks SymPy's answer.

    >>> from sympy import Eq, Interval, Symbol, oo
    >>> x = Symbol("x", real=True)
    >>> SolutionSet(x, Eq(x**3, x), Interval.open(0, oo)).doit()
    {1}
    """

    def doit(self, **hints):
        return solveset(self.condition, self.sym, self.base_set)


# Symbols added for each family go below, one block per family. One symbol, one meaning
# across the whole document: the weight-decay strength is mu (never lambda, which with an
# index is an eigenvalue of S), the step size eta.

# --- P: the pseudo-inverse -------------------------------------------------------------

# --- A: the linear autoencoder ---------------------------------------------------------

# --- F: where W^T = W^+ fails ----------------------------------------------------------

# --- D, R: deep networks and restricted Boltzmann machines ------------------------------

#: The weight-decay strength, positive (A6, D4).
mu = symbols("mu", positive=True)
#: The hidden width of a two-layer encoder: ``W_1`` is ``h x d``, ``W_2`` is ``k x h``.
h = symbols("h", integer=True, positive=True)
