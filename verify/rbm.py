"""Restricted Boltzmann machines, where the tied transpose comes from (claim R1).

Binary visible units `v` (`n_v`) and hidden units `h` (`n_h`), weights `W`
(`n_v x n_h`), biases `b` (`n_v`) and `c` (`n_h`); energy
`E(v, h) = -v^T W h - b^T v - c^T h` and joint `p(v, h) = exp(-E(v, h)) / Z`.
Because the energy has no `v`-`v` or `h`-`h` terms, the conditionals factorise:

    p(h_j = 1 | v) = sigmoid(c_j + (W^T v)_j),    p(v_i = 1 | h) = sigmoid(b_i + (W h)_i):

one matrix, used as `W^T` upwards and `W` downwards, because both are
conditionals of the same joint distribution. The brute-force functions here sum
the joint over all `2^n` states (small sizes only) to check that entry by entry.

>>> W = np.array([[1.0, -2.0], [0.5, 0.0]])
>>> b, c, v = np.zeros(2), np.array([0.0, 1.0]), np.array([1.0, 1.0])
>>> np.round(hidden_given_visible(W, c, v), 12).tolist()      # sigmoid([1.5, -1])
[0.817574476194, 0.26894142137]
>>> np.round(hidden_given_visible_by_enumeration(W, b, c, v), 12).tolist()
[0.817574476194, 0.26894142137]
"""

from __future__ import annotations

import itertools

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix

__all__ = [
    "MAX_UNITS",
    "binary_states",
    "energy",
    "hidden_given_visible",
    "hidden_given_visible_by_enumeration",
    "sigmoid",
    "visible_given_hidden",
    "visible_given_hidden_by_enumeration",
]

#: Enumeration sums over 2^(n_v + n_h) joint states; beyond this many units it is refused.
MAX_UNITS = 16


def sigmoid(x) -> np.ndarray:
    """`1 / (1 + exp(-x))`, evaluated without overflow for either sign of `x`.

    >>> sigmoid(np.array([0.0, 800.0, -800.0])).tolist()
    [0.5, 1.0, 0.0]
    """
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def binary_states(n: int) -> np.ndarray:
    """All `2^n` binary vectors of length `n` as rows (`2^n x n`, float 0/1).

    >>> binary_states(2).tolist()
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    """
    if not isinstance(n, int) or not 0 <= n <= MAX_UNITS:
        raise ValueError(f"n must be an integer in 0..{MAX_UNITS}; got {n!r}.")
    return np.array(list(itertools.product((0.0, 1.0), repeat=n))).reshape(2**n, n)


def _model(W, b, c):
    W = as_real_matrix(W, name="W")
    b = np.asarray(b, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    if b.shape != (W.shape[0],) or c.shape != (W.shape[1],):
        raise InvalidMatrixError(
            f"W has shape {W.shape}, so b must have shape ({W.shape[0]},) and c shape "
            f"({W.shape[1]},); got b {b.shape} and c {c.shape}."
        )
    if not (np.isfinite(b).all() and np.isfinite(c).all()):
        raise InvalidMatrixError("b and c must have finite entries.")
    return W, b, c


def _binary(x, size: int, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (size,) or not np.isin(x, (0.0, 1.0)).all():
        raise InvalidMatrixError(f"{name} must be a binary vector of length {size}; got {x!r}.")
    return x


def energy(W, b, c, v, h) -> float:
    """`-v^T W h - b^T v - c^T h`.

    >>> energy([[2.0]], [1.0], [0.5], [1.0], [1.0])
    -3.5
    """
    W, b, c = _model(W, b, c)
    v, h = _binary(v, W.shape[0], "v"), _binary(h, W.shape[1], "h")
    return float(-(v @ W @ h) - b @ v - c @ h)


def hidden_given_visible(W, c, v) -> np.ndarray:
    """`p(h_j = 1 | v) = sigmoid(c_j + (W^T v)_j)` for every `j`.

    >>> hidden_given_visible([[0.0, 1.0]], [0.0, 0.0], [1.0]).tolist()
    [0.5, 0.7310585786300049]
    """
    W = as_real_matrix(W, name="W")
    W, _, c = _model(W, np.zeros(W.shape[0]), c)
    return sigmoid(c + W.T @ _binary(v, W.shape[0], "v"))


def visible_given_hidden(W, b, h) -> np.ndarray:
    """`p(v_i = 1 | h) = sigmoid(b_i + (W h)_i)` for every `i`.

    >>> visible_given_hidden([[0.0], [1.0]], [0.0, 0.0], [1.0]).tolist()
    [0.5, 0.7310585786300049]
    """
    W = as_real_matrix(W, name="W")
    W, b, _ = _model(W, b, np.zeros(W.shape[1]))
    return sigmoid(b + W @ _binary(h, W.shape[1], "h"))


def _check_size(W):
    if sum(W.shape) > MAX_UNITS:
        raise ValueError(
            f"enumeration needs n_v + n_h <= {MAX_UNITS}; W has shape {W.shape}."
        )


def _conditional(log_weights: np.ndarray, states: np.ndarray) -> np.ndarray:
    """`sum_s [s_j = 1] w_s / sum_s w_s` for weights `exp(log_weights)`, shifted for safety."""
    weights = np.exp(log_weights - log_weights.max())  # the common factor cancels
    return (weights @ states) / weights.sum()


def hidden_given_visible_by_enumeration(W, b, c, v) -> np.ndarray:
    """`p(h_j = 1 | v)` from the joint: sums of `exp(-E(v, h))` over all `2^(n_h)` states `h`.

    `p(h | v) = exp(-E(v, h)) / sum_h' exp(-E(v, h'))`; the marginal of unit `j`
    is the share of the states with `h_j = 1`. No factorisation is assumed.
    """
    W, b, c = _model(W, b, c)
    _check_size(W)
    v = _binary(v, W.shape[0], "v")
    states = binary_states(W.shape[1])
    negative_energy = (v @ W) @ states.T + b @ v + states @ c  # -E(v, h) for every h
    return _conditional(negative_energy, states)


def visible_given_hidden_by_enumeration(W, b, c, h) -> np.ndarray:
    """`p(v_i = 1 | h)` from the joint, summing over all `2^(n_v)` visible states."""
    W, b, c = _model(W, b, c)
    _check_size(W)
    h = _binary(h, W.shape[1], "h")
    states = binary_states(W.shape[0])
    negative_energy = states @ W @ h + states @ b + c @ h  # -E(v, h) for every v
    return _conditional(negative_energy, states)
