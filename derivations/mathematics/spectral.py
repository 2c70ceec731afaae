"""Eigenvectors, diagonal matrices of any size, and indices that know their range.

Shared by the claims of the linear autoencoder (A2, A4, A5) and by anyone who
needs an entrywise, dimension-generic step.

An entrywise step on a diagonal matrix of symbolic size ``k`` sums a
``KroneckerDelta`` over ``0 <= l <= k - 1``; SymPy then keeps the answer inside a
``Piecewise`` on ``0 <= i <= k - 1``, because a plain symbol ``i`` may lie outside
the range. :func:`index` returns SymPy's ``Idx`` with the range ``0 .. size - 1``,
and this module teaches SymPy's order relations the range of an ``Idx`` with a
symbolic upper bound (SymPy knows only numeric bounds): ``size - 1 >= i`` and
``i >= 0`` are then ``True``, exactly what ``i`` ranging over the rows means, and
the ``Piecewise`` disappears.

>>> from sympy import MatrixSymbol, symbols
>>> k = symbols("k", integer=True, positive=True)
>>> i, j = index("i", k), index("j", k)
>>> alpha = eigenvalue_base("alpha")
>>> Lam, M = diagonal(alpha, k), MatrixSymbol("M", k, k)
>>> (Lam * M + M * Lam)[i, j].doit()
alpha[i]*M[i, j] + alpha[j]*M[i, j]
"""

from __future__ import annotations

from sympy import (
    Eq,
    FunctionMatrix,
    Identity,
    Indexed,
    IndexedBase,
    KroneckerDelta,
    Lambda,
    Trace,
    symbols,
)
from sympy.calculus.accumulationbounds import AccumulationBounds
from sympy.core.expr import Expr
from sympy.core.relational import _eval_is_ge
from sympy.multipledispatch import dispatch
from sympy.tensor.indexed import Idx

from derivations.mathematics.losses import Lambda_k, S, U_k

__all__ = [
    "EIGENVECTORS",
    "DIAGONAL_EIGENVALUES",
    "EIGENVECTORS_TRANSPOSED",
    "ORTHONORMAL_EIGENVECTORS",
    "UNTIED_MINIMUM",
    "diagonal",
    "eigenvalue_base",
    "index",
]


# Order relations against an index with a symbolic range. SymPy's own rules for
# ``Idx`` (sympy/tensor/indexed.py) cover numeric bounds only; these add the symbolic
# ones and answer None (undecided) whenever the bound does not decide. Accumulation
# bounds keep SymPy's own rule; registering them first avoids an ambiguity.
_bounds_ge = _eval_is_ge.dispatch(AccumulationBounds, Expr)
_ge_bounds = _eval_is_ge.dispatch(Expr, AccumulationBounds)


@dispatch(AccumulationBounds, Idx)
def _eval_is_ge(lhs, rhs):  # noqa: F811
    return _bounds_ge(lhs, rhs)


@dispatch(Idx, AccumulationBounds)  # type: ignore[no-redef]
def _eval_is_ge(lhs, rhs):  # noqa: F811
    return _ge_bounds(lhs, rhs)


@dispatch(Expr, Idx)  # type: ignore[no-redef]
def _eval_is_ge(lhs, rhs):  # noqa: F811
    if rhs.upper is not None and (lhs - rhs.upper).is_nonnegative:
        return True
    if rhs.lower is not None and (rhs.lower - lhs).is_positive:
        return False
    return None


@dispatch(Idx, Expr)  # type: ignore[no-redef]
def _eval_is_ge(lhs, rhs):  # noqa: F811
    if lhs.lower is not None and (lhs.lower - rhs).is_nonnegative:
        return True
    if lhs.upper is not None and (rhs - lhs.upper).is_positive:
        return False
    return None


def index(name: str, size) -> Idx:
    """A row or column index ranging over ``0 .. size - 1`` (symbolic ``size`` allowed)."""
    return Idx(name, size)


def eigenvalue_base(name: str) -> IndexedBase:
    """Indexed eigenvalues ``alpha[i]``; their signs come from cited facts, not assumptions."""
    return IndexedBase(name, real=True)


class Diagonal(FunctionMatrix):
    """A ``FunctionMatrix`` with entries ``delta_pq values[p]``, printed ``diag(values)``."""

    @property
    def values(self):
        return next(iter(self.lamda.expr.atoms(Indexed))).base

    def _latex(self, printer):
        return r"\operatorname{diag}\left(%s\right)" % printer._print(self.values)

    def _sympystr(self, printer):
        return "diag(%s)" % printer._print(self.values)

    def _mathml_presentation(self, printer):
        # diag(alpha) in the HTML too, as in the LaTeX: never the FunctionMatrix inside.
        row = printer.dom.createElement("mrow")
        name = printer.dom.createElement("mi")
        name.setAttribute("mathvariant", "normal")
        name.appendChild(printer.dom.createTextNode("diag"))
        row.appendChild(name)
        for text, child in (("(", None), (None, printer._print(self.values)), (")", None)):
            if child is None:
                fence = printer.dom.createElement("mo")
                fence.appendChild(printer.dom.createTextNode(text))
                row.appendChild(fence)
            else:
                row.appendChild(child)
        return row


def diagonal(values: IndexedBase, size) -> FunctionMatrix:
    """The ``size x size`` diagonal matrix with ``values[i]`` on its diagonal.

    >>> from sympy import latex
    >>> print(latex(diagonal(eigenvalue_base("alpha"), 3)))
    \\operatorname{diag}\\left(\\alpha\\right)
    """
    row, column = symbols("p q", integer=True)
    return Diagonal(size, size, Lambda((row, column), KroneckerDelta(row, column) * values[row]))


#: ``U_k`` holds eigenvectors of ``S`` for the eigenvalues on the diagonal of ``Lambda_k``
#: (the top ``k``, by the notation), orthonormal, and ``Lambda_k`` is diagonal.
EIGENVECTORS = Eq(S * U_k, U_k * Lambda_k, evaluate=False)
#: The transposed relation, for ``S`` and ``Lambda_k`` symmetric.
EIGENVECTORS_TRANSPOSED = Eq(U_k.T * S, Lambda_k * U_k.T, evaluate=False)
#: The eigenvectors in ``U_k`` are orthonormal.
ORTHONORMAL_EIGENVECTORS = Eq(U_k.T * U_k, Identity(U_k.shape[1]), evaluate=False)
#: ``Lambda_k`` is diagonal, hence symmetric.
DIAGONAL_EIGENVALUES = Eq(Lambda_k.T, Lambda_k, evaluate=False)
#: The sum of the eigenvalues not kept, ``lambda_{k+1} + ... + lambda_d``: the least loss.
UNTIED_MINIMUM = Trace(S) - Trace(Lambda_k)
