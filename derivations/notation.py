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
    "M_A",
    "M_B",
    "N_A",
    "N_B",
    "Sigma_r",
    "U_r",
    "V_A",
    "V_B",
    "V_r",
    "r",
    "LARGEST",
    "SMALLEST",
    "DistinctEigenvalues",
    "Entry",
    "FrobeniusNorm",
    "Gradient",
    "LargestOver",
    "PseudoInverse",
    "SaddlePoint",
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

    def _entry(self, i, j, **kwargs):
        # An entry stays unevaluated until the argument is explicit (F7 takes limits of one).
        from sympy.matrices.expressions.matexpr import MatrixElement

        return MatrixElement(self, i, j)

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


@functools.lru_cache(maxsize=512)
def _entry_value(entry, deep):
    # One value per entry: SymPy writes a symbolic entry of a product as a sum over a fresh
    # dummy index, and two such sums with different dummies do not compare equal.
    matrix = entry.matrix.doit() if deep else entry.matrix
    return matrix[entry.row - 1, entry.column - 1]


class Entry(sympy.Expr):
    """Entry ``(row, column)`` of a matrix, counted from 1 as a reader counts.

    SymPy's ``M[i, j]`` counts from 0, and its printers show that 0-based pair, so
    ``M[1, 1]`` would read as the (1, 1) entry while it is the (2, 2) one. ``Entry``
    prints the 1-based indices it holds and means ``M[row - 1, column - 1]``, which
    ``doit()`` returns; ``column`` defaults to 1 for a column vector.

    >>> from sympy import ImmutableMatrix, latex
    >>> entry = Entry(ImmutableMatrix([[1, 2], [3, 4]]), 2, 2)
    >>> entry.doit(), latex(Entry(MatrixSymbol("h", k, 1), symbols("j")))
    (4, 'h_{j}')
    """

    is_commutative = True

    def __new__(cls, matrix, row, column=1):
        matrix, row, column = (sympy.sympify(a) for a in (matrix, row, column))
        if not getattr(matrix, "is_Matrix", False):
            raise TypeError(f"Entry needs a matrix, got {matrix!r}")
        return Basic.__new__(cls, matrix, row, column)

    @property
    def matrix(self):
        return self.args[0]

    @property
    def row(self):
        return self.args[1]

    @property
    def column(self):
        return self.args[2]

    @property
    def _needs_parentheses(self):
        # A sum or product needs them; a symbol, an explicit matrix, or a transpose or
        # pseudo-inverse (which brackets its own argument) does not.
        return isinstance(self.matrix, (sympy.MatAdd, sympy.MatMul))

    @property
    def _vector(self):
        return self.matrix.shape[1] == 1 and self.column == 1

    def doit(self, **hints):
        return _entry_value(self, hints.get("deep", True))

    def _indices(self, printer):
        if self._vector:
            return printer._print(self.row)
        return "%s,%s" % (printer._print(self.row), printer._print(self.column))

    def _latex(self, printer):
        base = printer._print(self.matrix)
        if isinstance(self.matrix, MatrixSymbol):
            return "%s_{%s}" % (base, self._indices(printer))
        if self._needs_parentheses:
            base = r"\left(%s\right)" % base
        return "{%s}_{%s}" % (base, self._indices(printer))

    def _sympystr(self, printer):
        if self._vector:
            return "entry(%s, %s)" % (printer._print(self.matrix), printer._print(self.row))
        return "entry(%s, %s, %s)" % tuple(printer._print(a) for a in self.args)

    def _mathml_presentation(self, printer):
        dom = printer.dom
        sub = dom.createElement("msub")
        base = printer._print(self.matrix)
        if self._needs_parentheses:
            fenced = dom.createElement("mrow")
            opening, closing = dom.createElement("mo"), dom.createElement("mo")
            opening.appendChild(dom.createTextNode("("))
            closing.appendChild(dom.createTextNode(")"))
            fenced.appendChild(opening)
            fenced.appendChild(base)
            fenced.appendChild(closing)
            base = fenced
        sub.appendChild(base)
        indices = dom.createElement("mrow")
        indices.appendChild(printer._print(self.row))
        if not self._vector:
            comma = dom.createElement("mo")
            comma.appendChild(dom.createTextNode(","))
            indices.appendChild(comma)
            indices.appendChild(printer._print(self.column))
        sub.appendChild(indices)
        return sub


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


class LargestOver(Function):
    r"""``max_i expr(i)`` over the indices ``0 .. count - 1``, printed but not evaluated.

    SymPy's ``Max`` needs its arguments listed; this is the maximum over a
    symbolic number ``count`` of terms, for statements at symbolic sizes.

    >>> from sympy import Abs, IndexedBase, latex, symbols
    >>> i, r = symbols("i r", integer=True)
    >>> print(latex(LargestOver(Abs(IndexedBase("sigma")[i]), i, r)))
    \max_{i} \left|{{\sigma}_{i}}\right|
    """

    nargs = 3

    def _latex(self, printer, exp=None):
        body, index, _ = self.args
        text = r"\max_{%s} %s" % (printer._print(index), printer._print(body))
        return text if exp is None else r"\left(%s\right)^{%s}" % (text, exp)

    def _sympystr(self, printer):
        body, index, count = self.args
        return "max(%s for %s < %s)" % (printer._print(body), printer._print(index),
                                        printer._print(count))

    def _mathml_presentation(self, printer):
        body, index, _ = self.args
        row = printer.dom.createElement("mrow")
        under = printer.dom.createElement("munder")
        name = printer.dom.createElement("mo")
        name.appendChild(printer.dom.createTextNode("max"))
        under.appendChild(name)
        under.appendChild(printer._print(index))
        row.appendChild(under)
        row.appendChild(printer._print(body))
        return row


# --- A: the linear autoencoder ---------------------------------------------------------

#: The rank of a nonzero tied critical point ``W`` (A4), and its compact SVD
#: ``W = U_r Sigma_r V_r^T``.
r = symbols("r", integer=True, positive=True)
U_r = MatrixSymbol("U_r", d, r)
Sigma_r = MatrixSymbol("Sigma_r", r, r)
V_r = MatrixSymbol("V_r", k, r)
#: Orthonormal eigenbases of ``A = W^T S W`` (``k x k``) and ``B = U_r^T S U_r`` (``r x r``)
#: in A4's Sylvester argument; their eigenvalues are ``alpha_i`` and ``beta_i``.
V_A = MatrixSymbol("V_A", k, k)
V_B = MatrixSymbol("V_B", r, r)
#: The unknown of the Sylvester equation in those eigenbases, and the operator applied to it.
M_A, N_A = MatrixSymbol("M_A", k, k), MatrixSymbol("N_A", k, k)
M_B, N_B = MatrixSymbol("M_B", r, r), MatrixSymbol("N_B", r, r)

# --- F: where W^T = W^+ fails ----------------------------------------------------------

# --- D, R: deep networks and restricted Boltzmann machines ------------------------------


@functools.lru_cache(maxsize=64)
def _derivative(function, variable):
    # Every rewrite of a step calls doit(); SymPy's matrix calculus on a quartic loss takes
    # most of a second, so each gradient is computed once per process.
    from derivations.engine.calculus import matrix_derivative

    return matrix_derivative(function, variable)


class Gradient(MatrixExpr):
    """``nabla_X f``: the gradient of a scalar ``f`` in the matrix ``X``, unevaluated.

    A statement such as "``nabla_E L(D, E) = 0``" is then a SymPy object;
    ``doit()`` differentiates with SymPy's matrix calculus, guarded against its
    silent zero for a sum of traces (:func:`derivations.engine.matrix_derivative`).

    >>> from sympy import Trace
    >>> Gradient(Trace(W.T * W), W).doit()
    2*W
    """

    def __new__(cls, function, variable):
        function, variable = sympy.sympify(function), sympy.sympify(variable)
        if not isinstance(variable, MatrixSymbol):
            raise TypeError(f"Gradient needs a MatrixSymbol variable, got {variable!r}")
        return Basic.__new__(cls, function, variable)

    @property
    def function(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def shape(self):
        return self.variable.shape

    def doit(self, **hints):
        return _derivative(self.function, self.variable)

    def _latex(self, printer):
        return r"\nabla_{%s} %s" % (printer._print(self.variable),
                                    printer._print(self.function))

    def _sympystr(self, printer):
        return "grad_%s(%s)" % (printer._print(self.variable), printer._print(self.function))

    def _mathml_presentation(self, printer):
        # Defined here: SymPy's MathML printer has a _print_Gradient for sympy.vector.
        row = printer.dom.createElement("mrow")
        sub = printer.dom.createElement("msub")
        nabla = printer.dom.createElement("mo")
        nabla.appendChild(printer.dom.createTextNode("\u2207"))
        sub.appendChild(nabla)
        sub.appendChild(printer._print(self.variable))
        row.appendChild(sub)
        row.appendChild(printer._print(self.function))
        return row


class _Property(sympy.logic.boolalg.BooleanFunction):
    """A named property of matrices: a SymPy boolean that a hypothesis or a cited fact states.

    It is not evaluated: a proof knows it only as a hypothesis or from a cited fact.
    """

    _words = ""

    @classmethod
    def eval(cls, *args):
        return None

    def _pieces(self):
        """Words and objects in reading order: ``("the eigenvalues of ", S, " are distinct")``."""
        before, after = self._words.split("%(objects)s")
        return before, self.args, after

    def _latex(self, printer):
        before, objects, after = self._pieces()
        middle = ", ".join(printer._print(a) for a in objects)
        words = [r"\text{%s}" % w if w else "" for w in (before, after)]
        return words[0] + middle + words[1]

    def _sympystr(self, printer):
        return "%s(%s)" % (type(self).__name__, ", ".join(printer._print(a) for a in self.args))

    def _mathml_presentation(self, printer):
        before, objects, after = self._pieces()
        row = printer.dom.createElement("mrow")
        for position, piece in enumerate((before, *objects, after)):
            if isinstance(piece, str):
                if piece:
                    text = printer.dom.createElement("mtext")
                    text.appendChild(printer.dom.createTextNode(piece.replace(" ", "\u00a0")))
                    row.appendChild(text)
                continue
            if position > 1:
                comma = printer.dom.createElement("mo")
                comma.appendChild(printer.dom.createTextNode(","))
                row.appendChild(comma)
            row.appendChild(printer._print(piece))
        return row


class DistinctEigenvalues(_Property):
    """``S`` has distinct eigenvalues.

    >>> DistinctEigenvalues(MatrixSymbol("S", d, d))
    DistinctEigenvalues(S)
    """

    _words = "the eigenvalues of %(objects)s are distinct"


class SaddlePoint(_Property):
    """``SaddlePoint(L, X, Y)``: the point ``(X, Y)`` is a saddle point of the loss ``L``.

    A critical point that is neither a local minimum nor a local maximum.
    """

    def _latex(self, printer):
        loss, *point = self.args
        where = ", ".join(printer._print(a) for a in point)
        return r"\left(%s\right)\text{ is a saddle point of }%s" % (where, printer._print(loss))

    def _mathml_presentation(self, printer):
        loss, *point = self.args
        row = printer.dom.createElement("mrow")
        row.appendChild(printer._print(sympy.Tuple(*point)))
        text = printer.dom.createElement("mtext")
        text.appendChild(printer.dom.createTextNode("\u00a0is a saddle point of\u00a0"))
        row.appendChild(text)
        row.appendChild(printer._print(loss))
        return row


#: The largest and the smallest diagonal entry of a positive diagonal matrix (F7).
LARGEST = Function("sigma_max", positive=True)
SMALLEST = Function("sigma_min", positive=True)

#: The weight-decay strength, positive (A6, D4).
mu = symbols("mu", positive=True)
#: The hidden width of a two-layer encoder: ``W_1`` is ``h x d``, ``W_2`` is ``k x h``.
h = symbols("h", integer=True, positive=True)
