"""Hypothesis strategies for every class of matrix the claims speak of.

Every strategy is built from bounded draws, never by filtering: orthogonal
factors come from the Cayley transform `(I - K)(I + K)^{-1}` of a drawn
skew-symmetric `K` with entries in `[-2, 2]` (always defined: `I + K` has
eigenvalues `1 + i t`, so `||(I + K)^{-1}||_2 <= 1`), re-orthonormalised by QR
with the sign ambiguity fixed, times a drawn diagonal of signs; structured
matrices are `U diag(sigma) V^T` with singular values drawn in stated ranges.
Floats are drawn in `[-1, 1]` without subnormals, so no product underflows;
`rescaled` and `subnormal_matrices` then draw the extreme magnitudes on purpose
(down to subnormal, up to the largest entries `verify` accepts).

Each strategy states what it guarantees. "Exactly" means in exact arithmetic
of the drawn factors; the float64 matrix is their rounded product, within a
few `eps` of it (`tests/verify/test_strategies.py` checks each guarantee to a
derived tolerance). Exact rational strategies for SymPy (`rational_*`) live in
`verify.rational_strategies` and are re-exported here on first use (module
`__getattr__`), so the float strategies import without SymPy.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, database=None)
... @given(orthonormal_columns(max_rows=4))
... def check(W):
...     assert np.allclose(W.T @ W, np.eye(W.shape[1]))
>>> check()
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

if TYPE_CHECKING:  # re-exported lazily by __getattr__ below: SymPy only when asked for
    from verify.rational_strategies import (
        rational_full_column_rank,
        rational_matrices,
        rational_orthogonal_matrices,
        rational_orthonormal_columns,
        rational_partial_isometries,
    )


__all__ = [
    "data_matrices",
    "full_rank_non_orthonormal",
    "near_singular",
    "orthogonal_matrices",
    "orthonormal_columns",
    "partial_isometries",
    "rank_deficient",
    "rescaled",
    "subnormal_matrices",
    "rational_full_column_rank",
    "rational_matrices",
    "rational_orthogonal_matrices",
    "rational_orthonormal_columns",
    "rational_partial_isometries",
    "weight_decayed",
    "wide_matrices",
]

_RATIONAL = frozenset(name for name in __all__ if name.startswith("rational_"))


def __getattr__(name: str):
    """`rational_*`: imported from `verify.rational_strategies` (and SymPy) only when asked for."""
    if name in _RATIONAL:
        from verify import rational_strategies

        return getattr(rational_strategies, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_UNIT = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def _in_range(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def orthogonal_matrices(draw, size: int) -> np.ndarray:
    """`size x size` orthogonal matrices (Q^T Q = I to rounding), any determinant.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(orthogonal_matrices(3))
    ... def check(W):
    ...     assert np.allclose(W.T @ W, np.eye(3))
    >>> check()
    """
    entries = draw(arrays(np.float64, (size, size), elements=_UNIT))
    skew = entries - entries.T  # entries in [-2, 2]
    identity = np.eye(size)
    cayley = np.linalg.solve(identity + skew, identity - skew)  # (I+K)^{-1}(I-K): they commute
    q, r = np.linalg.qr(cayley)  # removes the rounding drift of the solve
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)  # unique QR: positive diagonal of R
    signs = np.array(draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=size, max_size=size)))
    return q * signs


@st.composite
def _shape(draw, max_rows: int, *, min_rows: int = 1, min_columns: int = 1) -> tuple[int, int]:
    rows = draw(st.integers(max(min_rows, min_columns), max_rows))
    return rows, draw(st.integers(min_columns, rows))


def _from_svd(draw, rows: int, columns: int, sigmas: list[float]) -> np.ndarray:
    """`U[:, :r] diag(sigmas) V[:, :r]^T` for drawn orthogonal `U`, `V`: a thin product."""
    rank = len(sigmas)
    left = draw(orthogonal_matrices(rows))[:, :rank]
    right = draw(orthogonal_matrices(columns))[:, :rank]
    return (left * np.asarray(sigmas, dtype=np.float64)) @ right.T


def _off_one(draw, low: float, high: float, margin: float) -> float:
    """A singular value in `[low, high]` at least `margin` away from 1 (either side that fits)."""
    sides = [(low, 1 - margin)] * (low <= 1 - margin) + [(1 + margin, high)] * (1 + margin <= high)
    if not sides:
        raise ValueError(f"no value in [{low}, {high}] is {margin} away from 1")
    return draw(_in_range(*draw(st.sampled_from(sides))))


def orthonormal_columns(*, max_rows: int = 8, min_rows: int = 1) -> st.SearchStrategy:
    """`d x k` with `1 <= k <= d <= max_rows` and `W^T W = I_k`: `k` columns of a drawn `Q`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(orthonormal_columns())
    ... def check(W):
    ...     assert W.shape[1] <= W.shape[0] <= 8
    ...     assert np.allclose(W.T @ W, np.eye(W.shape[1]))
    >>> check()
    """
    return _shape(max_rows, min_rows=min_rows).flatmap(
        lambda shape: orthogonal_matrices(shape[0]).map(lambda q: q[:, : shape[1]].copy())
    )


@st.composite
def partial_isometries(draw, *, max_rows: int = 8) -> np.ndarray:
    """`d x k`, `2 <= k <= d`, singular values exactly 1 (`r` times) and 0 (`k - r`), `1 <= r < k`.

    `U_r V_r^T`: in float64 the zero singular values are at rounding level.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(partial_isometries())
    ... def check(W):
    ...     s = np.linalg.svd(W, compute_uv=False)
    ...     assert np.isclose(s[0], 1) and np.isclose(s[-1], 0)
    ...     assert np.allclose(W @ W.T @ W, W)
    >>> check()
    """
    rows, columns = draw(_shape(max_rows, min_columns=2))
    rank = draw(st.integers(1, columns - 1))
    return _from_svd(draw, rows, columns, [1.0] * rank)


@st.composite
def full_rank_non_orthonormal(
    draw, *, max_rows: int = 8, low: float = 0.25, high: float = 4.0, margin: float = 0.125
) -> np.ndarray:
    """`d x k`, `k <= d`, singular values in `[low, high]`, one with `|sigma - 1| >= margin`.

    So `W` has full column rank and is not a partial isometry (P3: `W^T != W^+`).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(full_rank_non_orthonormal())
    ... def check(W):
    ...     assert abs(np.linalg.svd(W, compute_uv=False) - 1).max() > 0.12
    >>> check()
    """
    rows, columns = draw(_shape(max_rows))
    others = [draw(_in_range(low, high)) for _ in range(columns - 1)]
    return _from_svd(draw, rows, columns, [_off_one(draw, low, high, margin), *others])


@st.composite
def rank_deficient(
    draw, *, max_rows: int = 8, low: float = 0.25, high: float = 4.0, margin: float = 0.125
) -> np.ndarray:
    """`d x k`, `2 <= k <= d`, exact rank `1 <= r < k`: a thin product `(U_r Sigma_r) V_r^T`.

    Its nonzero singular values lie in `[low, high]` and at least one has
    `|sigma - 1| >= margin`, so `W` is not a partial isometry (F2: `W^T != W^+`);
    the `k - r` zero singular values are at rounding level in float64.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(rank_deficient())
    ... def check(W):
    ...     assert np.linalg.matrix_rank(W, tol=1e-12) < W.shape[1]
    >>> check()
    """
    rows, columns = draw(_shape(max_rows, min_columns=2))
    rank = draw(st.integers(1, columns - 1))
    others = [draw(_in_range(low, high)) for _ in range(rank - 1)]
    return _from_svd(draw, rows, columns, [_off_one(draw, low, high, margin), *others])


@st.composite
def near_singular(draw, *, max_rows: int = 8, smallest: float = 1e-6) -> np.ndarray:
    """`d x k`, `k <= d`: smallest singular value exactly `smallest`, the others in `[1/2, 2]`.

    In float64 the smallest singular value is `smallest` up to an absolute error
    of a few `eps` (the others are bounded by 2): for `smallest >= 1e-8` its
    relative accuracy is better than `1e-6`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(near_singular(smallest=1e-3))
    ... def check(W):
    ...     assert np.isclose(np.linalg.svd(W, compute_uv=False)[-1], 1e-3)
    >>> check()
    """
    rows, columns = draw(_shape(max_rows))
    others = [draw(_in_range(0.5, 2.0)) for _ in range(columns - 1)]
    return _from_svd(draw, rows, columns, [*others, smallest])


@st.composite
def wide_matrices(draw, *, max_columns: int = 8) -> np.ndarray:
    """`d x k` with `1 <= d < k <= max_columns`: singular values in `[1/4, 4]`, or orthonormal rows.

    Either way `W^T W` (rank `d < k`) is never `I_k` (P4); with orthonormal rows
    (drawn half the time) `W` is still a partial isometry, so `W^T = W^+`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(wide_matrices())
    ... def check(W):
    ...     assert W.shape[0] < W.shape[1]
    >>> check()
    """
    columns = draw(st.integers(2, max_columns))
    rows = draw(st.integers(1, columns - 1))
    if draw(st.booleans()):
        sigmas = [1.0] * rows
    else:
        sigmas = [draw(_in_range(0.25, 4.0)) for _ in range(rows)]
    return _from_svd(draw, rows, columns, sigmas)


@st.composite
def weight_decayed(
    draw, *, max_rows: int = 8, low: float = 0.05, ceiling: float = 0.95
) -> np.ndarray:
    """`d x k`, `k <= d`, rank `r >= 1`: nonzero singular values in `[low, ceiling]`, `ceiling < 1`.

    The shape of a weight-decayed optimum (F4: `sigma_i^2 = 1 - mu / (2 lambda_i)`
    or 0): every nonzero singular value uniformly below 1, so `W^T != W^+`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(weight_decayed())
    ... def check(W):
    ...     assert np.linalg.svd(W, compute_uv=False)[0] < 0.951
    >>> check()
    """
    rows, columns = draw(_shape(max_rows))
    rank = draw(st.integers(1, columns))
    return _from_svd(draw, rows, columns, [draw(_in_range(low, ceiling)) for _ in range(rank)])


def _largest_exponent(W: np.ndarray) -> int:
    """Largest `e` with `2^e max |w_ij|` within `verify._validation.magnitude_limit(W.shape)`."""
    from verify._validation import magnitude_limit

    largest = float(np.abs(W).max())
    if not largest:
        return 0
    exponent = math.floor(math.log2(magnitude_limit(W.shape) / largest))
    while largest * 2.0**exponent > magnitude_limit(W.shape):  # log2 may round up
        exponent -= 1
    return exponent


@st.composite
def rescaled(draw, matrices: st.SearchStrategy, *, min_exponent: int = -1074) -> np.ndarray:
    """A matrix from `matrices` times `2^e`, `e` from `min_exponent` up to the largest accepted.

    Scaling by a power of two is exact while the entries stay normal; towards
    `2^-1074` they become subnormal and keep fewer bits (the matrix is then
    what it is: a subnormal matrix, no longer of its class). The upper end keeps
    every entry within `verify._validation.magnitude_limit`, so `W^T W` is finite.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, database=None)
    ... @given(rescaled(orthonormal_columns()))
    ... def check(W):
    ...     assert np.isfinite(W).all() and (W == 0).sum() < W.size
    >>> check()
    """
    W = draw(matrices)
    largest = _largest_exponent(W)
    # Often near the edges: where entries turn subnormal (-1022), where their squares in
    # W^T W would underflow (-511, -537) or overflow (+511), and at the ends of the range.
    edges = [e for e in (min_exponent, -1060, -1022, -600, -537, -511, -400, 0, 400, largest)
             if min_exponent <= e <= largest]
    exponent = draw(st.one_of(st.sampled_from(edges), st.integers(min_exponent, largest)))
    return np.ldexp(W, exponent)


@st.composite
def subnormal_matrices(draw, *, max_rows: int = 8) -> np.ndarray:
    """`d x k`, `k <= d`: every entry subnormal or zero, at least one nonzero.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(subnormal_matrices())
    ... def check(W):
    ...     assert np.abs(W).max() < np.finfo(np.float64).tiny
    >>> check()
    """
    shape = draw(_shape(max_rows))
    tiny = float(np.finfo(np.float64).tiny)
    entries = st.floats(-tiny, tiny, allow_subnormal=True, exclude_min=True, exclude_max=True)
    W = draw(arrays(np.float64, shape, elements=entries))
    if not W.any():
        W[0, 0] = 5e-324
    return W


def data_matrices(
    *,
    covariance: str = "definite",
    max_dimension: int = 6,
    max_samples: int | None = None,
    smallest: float = 0.5,
    separation: float = 0.5,
) -> st.SearchStrategy:
    """Centred data `X` (`d x n`, `X 1 = 0`) with `S = X X^T` of prescribed spectrum.

    `covariance="definite"`: `d >= 1` eigenvalues, all `>= smallest`, consecutive
    ones at least `separation` apart (distinct, well separated: A2, A5).
    `covariance="singular"`: `d >= 2`, rank `1 <= r < d` with the `r` nonzero
    eigenvalues as above and `d - r` exact zeros (F1). Construction: `X =
    U diag(sqrt(lambda)) Z` with `Z` (`r x n`) orthonormal rows orthogonal to
    the all-ones vector, so `n >= r + 1` samples.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(data_matrices(covariance="singular"))
    ... def check(W):
    ...     X = W
    ...     assert np.allclose(X.sum(axis=1), 0)
    ...     assert np.linalg.matrix_rank(X @ X.T, tol=1e-9) < len(X)
    >>> check()
    """
    if covariance not in ("definite", "singular"):
        raise ValueError(f'covariance must be "definite" or "singular"; got {covariance!r}')
    return _data_matrices(
        covariance == "singular", max_dimension, max_samples, smallest, separation
    )


@st.composite
def _data_matrices(draw, singular, max_dimension, max_samples, smallest, separation) -> np.ndarray:
    dimension = draw(st.integers(2 if singular else 1, max_dimension))
    rank = draw(st.integers(1, dimension - 1)) if singular else dimension
    samples = draw(st.integers(rank + 1, max(max_samples or dimension + 4, rank + 1)))
    eigenvalues = [smallest + draw(_in_range(0.0, 2.0))]
    for _ in range(rank - 1):
        eigenvalues.append(eigenvalues[-1] + separation + draw(_in_range(0.0, 2.0)))
    ones = np.full(samples, 1 / np.sqrt(samples))
    # Householder reflection sending e_1 to the unit all-ones vector: its other columns span 1^perp.
    v = ones - np.eye(samples)[0]
    reflection = np.eye(samples) - 2 * np.outer(v, v) / (v @ v) if v.any() else np.eye(samples)
    complement = reflection[:, 1:] @ draw(orthogonal_matrices(samples - 1))[:, :rank]
    left = draw(orthogonal_matrices(dimension))[:, :rank]
    X = (left * np.sqrt(eigenvalues[::-1])) @ complement.T
    return X - X.mean(axis=1, keepdims=True)  # the mean is zero up to rounding: make it so
