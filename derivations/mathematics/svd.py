"""The singular value decomposition in the form the P claims use it, written once.

A ``d x k`` matrix ``W`` of rank ``r`` has a compact SVD ``W = U Sigma V^T``:
``U`` (``d x r``) and ``V`` (``k x r``) have orthonormal columns and ``Sigma``
(``r x r``) is diagonal with the nonzero singular values ``sigma_i > 0``
(a cited trusted fact). The diagonal is a :class:`~sympy.FunctionMatrix` whose
Kronecker deltas carry the index range ``0 .. r - 1``, so that SymPy sums the
entries of products of diagonal matrices exactly, for symbolic ``r``.

>>> (Sigma * Sigma)[i, j].subs(Sigma, diagonal(lambda a: sigma[a])).doit()
KroneckerDelta(i, j, (0, r - 1))*sigma[i]**2
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import (
    Basic,
    FunctionMatrix,
    ImmutableMatrix,
    IndexedBase,
    KroneckerDelta,
    Lambda,
    Matrix,
    MatrixSymbol,
    Rational,
    S,
    eye,
    symbols,
)

from derivations.notation import d, k

__all__ = [
    "Sigma",
    "SigmaPlus",
    "U",
    "V",
    "diagonal",
    "explicit_sigma",
    "i",
    "j",
    "r",
    "rational_orthogonal",
    "sigma",
]

#: The rank of ``W``: the number of its nonzero singular values.
r = symbols("r", integer=True, positive=True)
#: Symbolic entry indices.
i, j = symbols("i j", integer=True)
#: The nonzero singular values, positive.
sigma = IndexedBase("sigma", positive=True)
#: The factors of the compact SVD ``W = U Sigma V^T``, and the candidate ``Sigma^+``.
U = MatrixSymbol("U", d, r)
V = MatrixSymbol("V", k, r)
Sigma = MatrixSymbol("Sigma", r, r)
SigmaPlus = MatrixSymbol("Sigma^+", r, r)

_a, _b = symbols("a b", integer=True)


def diagonal(entry: Callable[[Basic], Basic], size: Basic = r) -> FunctionMatrix:
    """The ``size x size`` diagonal matrix with ``entry(a)`` in row and column ``a``.

    >>> diagonal(lambda a: 1 / sigma[a])[i, i]
    1/sigma[i]
    """
    return FunctionMatrix(size, size, Lambda((_a, _b), KroneckerDelta(_a, _b, (0, size - 1))
                                          * entry(_a)))


def explicit_sigma(values, *, rows: int = 3):
    """A rectangular ``Sigma`` with ``values`` on the diagonal (zeros allowed), and ``Sigma^+``.

    The pseudo-inverse is written out, transposed with each nonzero value
    inverted, not computed by ``pinv``.

    >>> explicit_sigma([2, 0], rows=3)[1]
    Matrix([
    [1/2, 0, 0],
    [  0, 0, 0]])
    """
    columns = len(values)
    explicit = Matrix.zeros(rows, columns)
    plus = Matrix.zeros(columns, rows)
    for index, value in enumerate(values):
        explicit[index, index] = value
        plus[index, index] = 0 if value == 0 else S.One / value
    return ImmutableMatrix(explicit), ImmutableMatrix(plus)


def rational_orthogonal():
    """A ``3 x 3`` and a ``2 x 2`` exactly orthogonal rational matrix.

    The ``3 x 3`` one is the Cayley transform ``(I - K)(I + K)^{-1}`` of a
    rational skew-symmetric ``K``; the ``2 x 2`` one is a rotation by the
    angle of the 3-4-5 triangle.

    >>> left, right = rational_orthogonal()
    >>> left.T * left == eye(3), right.T * right == eye(2)
    (True, True)
    """
    skew = Matrix([[0, -Rational(1, 2), Rational(1, 3)],
                   [Rational(1, 2), 0, -2],
                   [-Rational(1, 3), 2, 0]])
    left = (eye(3) - skew) * (eye(3) + skew).inv()
    right = Matrix([[Rational(3, 5), -Rational(4, 5)], [Rational(4, 5), Rational(3, 5)]])
    return ImmutableMatrix(left), ImmutableMatrix(right)
