"""Exact rational Hypothesis strategies (SymPy matrices) for checks with zero tolerance.

Orthogonal factors come from the Cayley transform `(I - K)(I + K)^{-1}` of a
skew-symmetric `K` with small rational entries: `I + K` is always invertible
and the result is exactly orthogonal, so SymPy can check `W^+ = W^T` exactly.
Re-exported by `verify.strategies`; each strategy's docstring shows it in use.
"""

from __future__ import annotations

from fractions import Fraction

import sympy
from hypothesis import strategies as st

__all__ = [
    "rational_full_column_rank",
    "rational_matrices",
    "rational_orthogonal_matrices",
    "rational_orthonormal_columns",
    "rational_partial_isometries",
]


@st.composite
def _shape(draw, max_rows: int, *, min_columns: int = 1) -> tuple[int, int]:
    rows = draw(st.integers(min_columns, max_rows))
    return rows, draw(st.integers(min_columns, rows))


_SMALL_RATIONALS = st.builds(Fraction, st.integers(-3, 3), st.integers(1, 3)).map(
    lambda f: sympy.Rational(f.numerator, f.denominator)
)


@st.composite
def rational_orthogonal_matrices(draw, size: int) -> sympy.ImmutableMatrix:
    """Exact rational `size x size` orthogonal matrices: Cayley transform times a diagonal of signs.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(rational_orthogonal_matrices(3))
    ... def check(Q):
    ...     assert Q.T * Q == sympy.eye(3)
    >>> check()
    """
    upper = [draw(_SMALL_RATIONALS) for _ in range(size * (size - 1) // 2)]
    skew = sympy.zeros(size, size)
    positions = [(i, j) for i in range(size) for j in range(i + 1, size)]
    for (i, j), value in zip(positions, upper, strict=True):
        skew[i, j], skew[j, i] = value, -value
    identity = sympy.eye(size)
    cayley = (identity - skew) * (identity + skew).inv()  # I + K is invertible for skew K
    signs = sympy.diag(*[draw(st.sampled_from([1, -1])) for _ in range(size)])
    return sympy.ImmutableMatrix(cayley * signs)


@st.composite
def rational_orthonormal_columns(draw, *, max_rows: int = 5) -> sympy.ImmutableMatrix:
    """Exact rational `d x k` (`k <= d <= max_rows`) with `W^T W = I_k` exactly (Cayley transform).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(rational_orthonormal_columns(max_rows=3))
    ... def check(W):
    ...     assert W.T * W == sympy.eye(W.shape[1])
    >>> check()
    """
    rows, columns = draw(_shape(max_rows))
    return sympy.ImmutableMatrix(draw(rational_orthogonal_matrices(rows))[:, :columns])


_NONZERO_SMALL_RATIONALS = st.builds(
    lambda p, q, sign: sympy.Rational(sign * p, q),
    st.integers(1, 3),
    st.integers(1, 3),
    st.sampled_from([1, -1]),
)


@st.composite
def rational_full_column_rank(draw, *, max_rows: int = 4, square: bool = False):
    """Exact rational `d x k`, `k <= d` (`k = d` if `square`), rank exactly `k`: `W = Q R`.

    `Q`: exact rational orthonormal columns; `R`: upper triangular with nonzero
    rational diagonal, so `W^T W = R^T R` is invertible (A1, P4, P5 exact checks).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(rational_full_column_rank(max_rows=3))
    ... def check(W):
    ...     assert W.rank() == W.shape[1]
    >>> check()
    """
    if square:
        Q = draw(st.integers(1, max_rows).flatmap(rational_orthogonal_matrices))
    else:
        Q = draw(rational_orthonormal_columns(max_rows=max_rows))
    k = Q.shape[1]
    R = sympy.zeros(k, k)
    for i in range(k):
        R[i, i] = draw(_NONZERO_SMALL_RATIONALS)
        for j in range(i + 1, k):
            R[i, j] = draw(_SMALL_RATIONALS)
    return sympy.ImmutableMatrix(Q * R)


@st.composite
def rational_partial_isometries(draw, *, max_rows: int = 4) -> sympy.ImmutableMatrix:
    """Exact rational `d x k`, `2 <= k <= d`, `W = U_r V_r^T` of rank `1 <= r < k`.

    So `W W^T W = W` exactly: a partial isometry with zero singular values.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(rational_partial_isometries(max_rows=3))
    ... def check(W):
    ...     assert W * W.T * W == W and W.rank() < W.shape[1]
    >>> check()
    """
    rows, columns = draw(_shape(max_rows, min_columns=2))
    rank = draw(st.integers(1, columns - 1))
    left = draw(rational_orthogonal_matrices(rows))[:, :rank]
    right = draw(rational_orthogonal_matrices(columns))[:, :rank]
    return sympy.ImmutableMatrix(left * right.T)


@st.composite
def rational_matrices(draw, *, max_rows: int = 4) -> sympy.ImmutableMatrix:
    """Exact rational `d x k`, `k <= d <= max_rows`, entries small rationals `p / q`, `|p|, q <= 3`.

    Any rank, zero matrix included: the general case for exact P2 and P3 checks.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(rational_matrices())
    ... def check(W):
    ...     assert all(entry.is_Rational for entry in W)
    >>> check()
    """
    rows, columns = draw(_shape(max_rows))
    return sympy.ImmutableMatrix(
        rows, columns, [draw(_SMALL_RATIONALS) for _ in range(rows * columns)]
    )
