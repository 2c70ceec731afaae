"""Hypothesis strategies for deep tied autoencoders (claims D1-D4): layer stacks, float and exact.

A stack is a list `[W_1, ..., W_m]` of encoder layers, `W_1` (`h_1 x d`), ...,
`W_m` (`k x h_(m-1)`), with every width `h_L >= k`. Float stacks are built from
bounded draws (orthonormal factors of `verify.strategies`, singular values in
stated ranges), never by filtering; exact stacks have `fractions.Fraction`
entries for checks with zero tolerance.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, database=None)
... @given(balanced_layers(d=3, k=2))
... def check(layers):
...     W1, W2 = layers[0], layers[-1]
...     assert W1.shape[1] == 3 and W2.shape[0] == 2
>>> check()
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from verify.rational_strategies import rational_orthogonal_matrices
from verify.strategies import orthogonal_matrices

__all__ = [
    "aligned_training_budget",
    "aligned_with_top_eigenvectors",
    "balanced_layers",
    "layer_widths",
    "rational_balanced_layers",
    "rational_layers",
    "unbalanced_layers",
]


def _in_range(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def layer_widths(draw, *, d: int, k: int, min_depth: int = 2, max_depth: int = 3,
                 max_width: int = 4) -> list[int]:
    """`[d, h_1, ..., h_(m-1), k]` with `min_depth <= m <= max_depth` and `k <= h_L <= max_width`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(layer_widths(d=3, k=1))
    ... def check(widths):
    ...     assert widths[0] == 3 and widths[-1] == 1 and min(widths) >= 1
    >>> check()
    """
    depth = draw(st.integers(min_depth, max_depth))
    hidden = [draw(st.integers(k, max(k, max_width))) for _ in range(depth - 1)]
    return [d, *hidden, k]


def _orthonormal(draw, rows: int, columns: int) -> np.ndarray:
    return draw(orthogonal_matrices(rows))[:, :columns]


@st.composite
def balanced_layers(draw, *, d: int, k: int, low: float = 0.5, high: float = 1.25,
                    min_depth: int = 2, max_depth: int = 3, max_width: int = 4):
    """Balanced stacks `W_L = U_L diag(s) U_(L-1)^T`: `W_(L+1)^T W_(L+1) = W_L W_L^T` exactly.

    `U_0` (`d x k`), ..., `U_(m-1)` (`h_(m-1) x k`) have orthonormal columns and
    `U_m` is `k x k` orthogonal; the same `s` (entries in `[low, high]`) in every
    layer, so both sides equal `U_L diag(s)^2 U_L^T` (in exact arithmetic of the
    factors; in float64 to a few eps). Every layer has rank exactly `k`.
    """
    widths = draw(layer_widths(d=d, k=k, min_depth=min_depth, max_depth=max_depth,
                               max_width=max_width))
    scale = np.array([draw(_in_range(low, high)) for _ in range(k)])
    frames = [_orthonormal(draw, width, k) for width in widths]
    return [(frames[i + 1] * scale) @ frames[i].T for i in range(len(widths) - 1)]


@st.composite
def unbalanced_layers(draw, *, d: int, k: int, spread: float = 3.0, min_depth: int = 2,
                      max_depth: int = 3, max_width: int = 4):
    """Stacks `W_L = U_L diag(c_L s) U_(L-1)^T` with layer scales `c_L` whose product is 1.

    `s` in `[1/2, 5/4]` and `c_1 = spread`, `c_m = 1 / spread` (middle layers 1):
    the end-to-end `E` is that of a balanced stack, but `W_2^T W_2 - W_1 W_1^T =
    U_1 diag((c_2^2 - c_1^2) s^2) U_1^T` has norm at least `(spread^2 - 1) / 4`
    for depth 2 (or `(spread^2 - 1) / (4 spread^2)` where `c_m = 1 / spread` meets 1).
    """
    widths = draw(layer_widths(d=d, k=k, min_depth=min_depth, max_depth=max_depth,
                               max_width=max_width))
    depth = len(widths) - 1
    scale = np.array([draw(_in_range(0.5, 1.25)) for _ in range(k)])
    factors = [1.0] * depth
    factors[0], factors[-1] = spread, 1.0 / spread
    frames = [_orthonormal(draw, width, k) for width in widths]
    return [(frames[i + 1] * (factors[i] * scale)) @ frames[i].T for i in range(depth)]


_SMALL_FRACTIONS = st.builds(Fraction, st.integers(-3, 3), st.integers(1, 3))


@st.composite
def rational_layers(draw, *, max_dimension: int = 3, min_depth: int = 1, max_depth: int = 3):
    """`(S, layers)`: exact stacks with small `Fraction` entries and `S = A A^T`, `A` rational.

    Any rank, zero entries included. `S` is `d x d` positive semidefinite.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(rational_layers())
    ... def check(case):
    ...     S, layers = case
    ...     assert (S == S.T).all() and layers[0].shape[1] == S.shape[0]
    >>> check()
    """
    d = draw(st.integers(1, max_dimension))
    k = draw(st.integers(1, d))
    widths = draw(layer_widths(d=d, k=k, min_depth=min_depth, max_depth=max_depth,
                               max_width=max_dimension))

    def matrix(rows, columns):
        entries = [draw(_SMALL_FRACTIONS) for _ in range(rows * columns)]
        return np.array(entries, dtype=object).reshape(rows, columns)

    A = matrix(d, d + 1)
    layers = [matrix(widths[i + 1], widths[i]) for i in range(len(widths) - 1)]
    return A @ A.T, layers


def _fraction_matrix(sympy_matrix) -> np.ndarray:
    rows, columns = sympy_matrix.shape
    values = [Fraction(int(x.p), int(x.q)) for x in sympy_matrix]
    return np.array(values, dtype=object).reshape(rows, columns)


@st.composite
def rational_balanced_layers(draw, *, max_dimension: int = 3, max_depth: int = 3):
    """Exactly balanced exact stacks: `W_L = U_L diag(s) U_(L-1)^T`, rational orthonormal `U_L`.

    The `U_L` are columns of Cayley transforms (exactly orthogonal rational
    matrices), `s` nonzero small fractions: `W_(L+1)^T W_(L+1) = W_L W_L^T` exactly.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=3, database=None)
    ... @given(rational_balanced_layers())
    ... def check(layers):
    ...     assert all((b.T @ b == a @ a.T).all() for a, b in zip(layers, layers[1:]))
    >>> check()
    """
    d = draw(st.integers(1, max_dimension))
    k = draw(st.integers(1, d))
    widths = draw(layer_widths(d=d, k=k, min_depth=2, max_depth=max_depth,
                               max_width=max_dimension))
    scale = [draw(st.builds(Fraction, st.integers(1, 3), st.integers(1, 3))) for _ in range(k)]
    frames = [_fraction_matrix(draw(rational_orthogonal_matrices(w))[:, :k]) for w in widths]
    diagonal = np.diag(np.array(scale, dtype=object)).astype(object)
    for i in range(k):
        for j in range(k):
            if i != j:
                diagonal[i, j] = Fraction(0)
    return [frames[i + 1] @ diagonal @ frames[i].T for i in range(len(widths) - 1)]


def aligned_with_top_eigenvectors(layers, X) -> list[np.ndarray]:
    """The stack with `W_1` turned so that the row space of `E` is that of `U_k^T` (top `k`).

    `W_1 <- W_1 Q^T` with `Q` orthogonal and `Q V = U_k` for an orthonormal basis
    `V` of the row space of `E`: the singular values and imbalances of
    every layer are unchanged, and gradient descent on the deep loss keeps the
    row space of `E` (the gradient `G` has rows in it), so only the singular
    values of `E` have to converge: a start with a known, short way to go.
    Needs every layer of rank `k`.
    """
    from verify.autoencoder import covariance_spectrum

    E = layers[0]
    for W in layers[1:]:
        E = W @ E
    k = E.shape[0]
    _, _, right = np.linalg.svd(E)
    _, U = covariance_spectrum(X)
    # Q = U right^T maps right's columns (row space first) onto U's: Q V = U_k.
    Q = U @ right
    return [layers[0] @ Q.T, *layers[1:]] if k else layers


def aligned_training_budget(X, layers, *, learning_rate: float, target: float) -> int:
    """Steps of `train_deep` from an aligned stack to come within `target` of the optimal loss.

    With the row space of `E` fixed, direction `i` of `E` has a singular value
    `e` with loss `lambda_i (1 - e^2)^2`; a layer with singular value `s_L` there
    gets the gradient `-4 lambda_i (1 - e^2) e^2 / s_L`, so one step multiplies
    `e` by about `1 + 4 eta lambda_i (1 - e^2) e^2 q` with `q = sum_L 1 / s_L^2
    >= sum_L 1 / max(1, ||W_L||_2)^2` (norms at the start; `max(1, .)` for the
    growth on the way). With `e_0` the smallest singular value of the start's
    `E`: growth from `e_0` to 1/2 at rate at least `1 + 3 eta lambda_k e_0^2 q`;
    then the error `1 - e^2` contracts by `rho = 1 - 8 eta lambda_k q` per step
    (taken at least 1/2), and the loss is `lambda (1 - e^2)^2`, so the error
    must reach `sqrt(target / lambda_1)`. Budget: twice the sum, the factor 2
    for the nonlinear transition the linearisations ignore.
    """
    from verify.autoencoder import covariance_spectrum

    E = layers[0]
    for W in layers[1:]:
        E = W @ E
    k = E.shape[0]
    eigenvalues, _ = covariance_spectrum(X)
    e0 = float(np.linalg.svd(E, compute_uv=False)[-1])
    q = sum(1.0 / max(1.0, float(np.linalg.norm(W, 2))) ** 2 for W in layers)
    lam_k, lam_1 = float(eigenvalues[k - 1]), float(eigenvalues[0])
    growth = 0.0
    if e0 < 0.5:
        growth = np.log(0.5 / e0) / np.log1p(3 * learning_rate * lam_k * e0**2 * q)
    rho = max(0.5, 1 - 8 * learning_rate * lam_k * q)
    local = np.log(np.sqrt(target / lam_1)) / np.log(rho)
    return int(np.ceil(2 * (growth + max(local, 0.0))))
