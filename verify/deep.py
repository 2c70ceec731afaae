"""Deep tied linear autoencoders, the asker's `N` layers (claims D1-D5).

Encoder layers `W_1` (`h_1 x d`), ..., `W_m` (`k x h_(m-1)`), `m = N / 2`; the
decoder layers are their transposes, so the network maps `x` to
`W_1^T ... W_m^T W_m ... W_1 x = E^T E x` with the end-to-end encoder
`E = W_m ... W_1` (D1). Everything here depends on the layers through `E`:

- loss `||X - E^T E X||_F^2 + weight_decay sum_L ||W_L||_F^2` (the tied loss of
  `verify.autoencoder` in the decoder `E^T`, plus the decay);
- layer gradients by the chain rule from `G = dL/dE`:
  `dL/dW_L = (W_m ... W_(L+1))^T G (W_(L-1) ... W_1)^T`, plus `2 weight_decay W_L`;
- imbalances `W_(L+1)^T W_(L+1) - W_L W_L^T` (D3, D4) and per-layer gaps
  `||W_L^T - W_L^+||_2` (P5, via `verify.linalg`);
- gradient descent, with a bound on how far each imbalance drifts from its
  exactly conserved (or decayed) value, is in `verify.deep_training`.

Layers are float64 matrices; `exact_layer_gradients` and `exact_deep_loss`
repeat the formulas with `fractions.Fraction` entries and the covariance `S`
for checks with zero tolerance.

>>> W1 = np.array([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
>>> W2 = np.array([[0.5, 0.0]])
>>> end_to_end_encoder([W1, W2])      # D2's example: E = [1, 0, 0]
array([[1., 0., 0.]])
>>> [round(g, 12) for g in layer_gaps([W1, W2])]   # |2 - 1/2| and |1/2 - 2|
[1.5, 1.5]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from verify._validation import InvalidMatrixError, as_count, as_real_matrix
from verify.autoencoder import tied_loss
from verify.linalg import transpose_pseudo_inverse_gap

__all__ = [
    "deep_loss",
    "end_to_end_decoder",
    "end_to_end_encoder",
    "exact_deep_loss",
    "exact_layer_gradients",
    "imbalances",
    "layer_gaps",
    "layer_gradients",
    "layerwise_pinv_decoder",
    "reconstruction_loss",
]


def _layers(layers, X: np.ndarray | None = None) -> list[np.ndarray]:
    if isinstance(layers, np.ndarray) or not isinstance(layers, Sequence) or not layers:
        raise InvalidMatrixError(
            "layers must be a non-empty list [W_1, ..., W_m] of encoder layer matrices; got "
            f"{type(layers).__name__}."
        )
    matrices = [as_real_matrix(W, name=f"layers[{i}]") for i, W in enumerate(layers)]
    for i in range(1, len(matrices)):
        if matrices[i].shape[1] != matrices[i - 1].shape[0]:
            raise InvalidMatrixError(
                f"layers[{i}] has shape {matrices[i].shape} but layers[{i - 1}] has shape "
                f"{matrices[i - 1].shape}: layer L + 1 must have as many columns as layer L has "
                f"rows ({matrices[i - 1].shape[0]}), so that E = W_m ... W_1 is defined."
            )
    if X is not None and matrices[0].shape[1] != X.shape[0]:
        raise InvalidMatrixError(
            f"layers[0] has shape {matrices[0].shape} but X has shape {X.shape}: the first layer "
            f"must have d = X.shape[0] = {X.shape[0]} columns."
        )
    return matrices


def _products(layers) -> tuple[list, list]:
    """`before[L] = W_(L-1) ... W_1` and `after[L] = W_m ... W_(L+1)`; None for empty products."""
    m = len(layers)
    before: list = [None] * m
    after: list = [None] * m
    for i in range(1, m):
        before[i] = layers[i - 1] if before[i - 1] is None else layers[i - 1] @ before[i - 1]
    for i in range(m - 2, -1, -1):
        after[i] = layers[i + 1] if after[i + 1] is None else after[i + 1] @ layers[i + 1]
    return before, after


def _chain(after, G, before):
    left = G if after is None else after.T @ G
    return left if before is None else left @ before.T


def end_to_end_encoder(layers) -> np.ndarray:
    """`E = W_m ... W_1` (`k x d`).

    >>> end_to_end_encoder([np.eye(3, 2) * 2, np.eye(2, 3) / 2])
    array([[1., 0.],
           [0., 1.]])
    """
    matrices = _layers(layers)
    E = matrices[0]
    for W in matrices[1:]:
        E = W @ E
    return E


def end_to_end_decoder(layers) -> np.ndarray:
    """The decoder the network applies, `W_1^T W_2^T ... W_m^T` (`d x k`), multiplied out.

    D1: it equals `end_to_end_encoder(layers).T` (in exact arithmetic; in float64
    the two products round differently, each within `gamma_m` of the exact one).

    >>> end_to_end_decoder([np.array([[1.0, 2.0]]), np.array([[3.0]])])
    array([[3.],
           [6.]])
    """
    matrices = _layers(layers)
    D = matrices[-1].T
    for W in reversed(matrices[:-1]):
        D = W.T @ D
    return D


def _decay(value) -> float:
    decay = float(value)
    if not math.isfinite(decay) or decay < 0:
        raise ValueError(f"weight_decay must be a finite number >= 0; got {value!r}.")
    return decay


def deep_loss(layers, X, *, weight_decay: float = 0.0) -> float:
    """`||X - E^T E X||_F^2 + weight_decay sum_L ||W_L||_F^2`, with `E = W_m ... W_1`.

    >>> X = np.diag([3.0, 2.0, 1.0]) ** 0.5            # S = diag(3, 2, 1)
    >>> W1, W2 = np.array([[2.0, 0, 0], [0, 1.0, 0]]), np.array([[0.5, 0.0]])
    >>> round(deep_loss([W1, W2], X), 12)               # lambda_2 + lambda_3
    3.0
    """
    X = as_real_matrix(X, name="X")
    matrices = _layers(layers, X)
    decay = _decay(weight_decay)
    penalty = decay * sum(float(np.vdot(W, W)) for W in matrices)
    return tied_loss(end_to_end_encoder(matrices).T, X) + penalty


def _encoder_gradient(E: np.ndarray, X: np.ndarray) -> np.ndarray:
    # G = dL/dE = (A3's tied gradient in W = E^T)^T, in the residual form of
    # verify.autoencoder.tied_gradient: -2 (R X^T E^T)^T - 2 (X R^T E^T)^T, R = X - E^T E X.
    code = E @ X  # k x n
    residual = X - E.T @ code
    return -2.0 * (code @ residual.T) - 2.0 * ((E @ residual) @ X.T)


def layer_gradients(layers, X, *, weight_decay: float = 0.0) -> list[np.ndarray]:
    """`dL/dW_L = (W_m ... W_(L+1))^T G (W_(L-1) ... W_1)^T + 2 weight_decay W_L`, `G = dL/dE`.

    `G = -4 E S + 2 E S E^T E + 2 E E^T E S` is the tied gradient (A3) of the
    decoder `E^T`, transposed; it is evaluated from the residual `X - E^T E X`.

    >>> X = np.diag([3.0, 2.0, 1.0]) ** 0.5
    >>> W1, W2 = np.array([[2.0, 0, 0], [0, 1.0, 0]]), np.array([[0.5, 0.0]])
    >>> [float(np.abs(g).max()) for g in layer_gradients([W1, W2], X)]   # D2: critical
    [0.0, 0.0]
    """
    X = as_real_matrix(X, name="X")
    matrices = _layers(layers, X)
    decay = _decay(weight_decay)
    before, after = _products(matrices)
    E = matrices[0] if after[0] is None else after[0] @ matrices[0]
    G = _encoder_gradient(E, X)
    return [_chain(after[i], G, before[i]) + 2.0 * decay * W for i, W in enumerate(matrices)]


def imbalances(layers) -> list[np.ndarray]:
    """`W_(L+1)^T W_(L+1) - W_L W_L^T` for `L = 1 .. m - 1` (each `h_L x h_L`; D3, D4).

    >>> [B.tolist() for B in imbalances([np.array([[2.0, 0.0]]), np.array([[3.0]])])]
    [[[5.0]]]
    """
    matrices = _layers(layers)
    return [nxt.T @ nxt - W @ W.T for W, nxt in zip(matrices, matrices[1:], strict=False)]


def layer_gaps(layers, *, rank: int | None = None) -> list[float]:
    """`||W_L^T - W_L^+||_2` for every layer (P5), by `verify.linalg.transpose_pseudo_inverse_gap`.

    With `rank`, only each layer's `rank` largest singular values count (the rest
    are taken as exact zeros): for layers known to have rank at most `rank` in
    exact arithmetic, such as trained stacks started at rank `k` (gradient descent
    keeps the row space of `W_(L+1)` and the column space of `W_L` inside one
    `k`-dimensional space), whose other singular values are rounding noise that
    the default cutoff `max(d, k) eps sigma_max` may count, giving a gap `1 / noise`.

    >>> layer_gaps([np.eye(2), 2 * np.eye(2)])
    [0.0, 1.5]
    >>> layer_gaps([np.diag([2.0, 1e-14])]), layer_gaps([np.diag([2.0, 1e-14])], rank=1)
    ([100000000000000.0], [1.5])
    """
    matrices = _layers(layers)
    if rank is None:
        return [transpose_pseudo_inverse_gap(W) for W in matrices]
    rank = as_count(rank, name="rank", minimum=1)
    gaps = []
    for W in matrices:
        sigma = np.linalg.svd(W, compute_uv=False)[:rank]
        sigma = sigma[sigma > 0]
        gaps.append(float(np.abs(sigma - 1 / sigma).max()) if sigma.size else 0.0)
    return gaps


def _fractions(value, name: str) -> np.ndarray:
    array = np.array(value, dtype=object)
    if array.ndim != 2 or array.size == 0:
        raise InvalidMatrixError(f"{name} must be a non-empty 2-D matrix; got shape {array.shape}.")
    try:
        return np.vectorize(Fraction, otypes=[object])(array)
    except (TypeError, ValueError):
        raise InvalidMatrixError(
            f"{name} must have integer or fractions.Fraction entries for an exact check; got "
            f"{array.ravel()[:3].tolist()}..."
        ) from None


def _exact(layers, S) -> tuple[list[np.ndarray], np.ndarray]:
    matrices = [_fractions(W, f"layers[{i}]") for i, W in enumerate(layers)]
    S = _fractions(S, "S")
    if S.shape != (S.shape[0], S.shape[0]) or (S != S.T).any():
        raise InvalidMatrixError(f"S must be a symmetric square matrix; got shape {S.shape}.")
    chain = [(i, W) for i, W in enumerate(matrices[1:], start=1)]
    for i, W in chain:
        if W.shape[1] != matrices[i - 1].shape[0]:
            raise InvalidMatrixError(
                f"layers[{i}] has shape {W.shape} but layers[{i - 1}] has shape "
                f"{matrices[i - 1].shape}: the layer shapes do not chain."
            )
    if matrices[0].shape[1] != S.shape[0]:
        raise InvalidMatrixError(
            f"layers[0] has {matrices[0].shape[1]} columns but S is {S.shape[0]} x {S.shape[0]}."
        )
    return matrices, S


def exact_deep_loss(layers, S, *, weight_decay=0) -> Fraction:
    """`tr((I - E^T E) S (I - E^T E)) + weight_decay sum ||W_L||_F^2`, exactly, from `S = X X^T`.

    >>> W1, W2 = [[2, 0, 0], [0, 1, 0]], [[Fraction(1, 2), 0]]
    >>> exact_deep_loss([W1, W2], np.diag([3, 2, 1]))   # D2: the optimum 2 + 1
    Fraction(3, 1)
    """
    matrices, S = _exact(layers, S)
    E = matrices[0]
    for W in matrices[1:]:
        E = W @ E
    complement = np.identity(S.shape[0], dtype=object) - E.T @ E
    penalty = sum((W * W).sum() for W in matrices)
    return Fraction(np.trace(complement @ S @ complement) + Fraction(weight_decay) * penalty)


def exact_layer_gradients(layers, S, *, weight_decay=0) -> list[np.ndarray]:
    """`layer_gradients` in exact rational arithmetic, from the covariance `S = X X^T`.

    `G = -4 E S + 2 E S E^T E + 2 E E^T E S` (A3 transposed), then the chain rule.

    >>> W1, W2 = [[2, 0, 0], [0, 1, 0]], [[Fraction(1, 2), 0]]
    >>> [bool((g == 0).all()) for g in exact_layer_gradients([W1, W2], np.diag([3, 2, 1]))]
    [True, True]
    """
    matrices, S = _exact(layers, S)
    before, after = _products(matrices)
    E = matrices[0] if after[0] is None else after[0] @ matrices[0]
    ES = E @ S
    G = -4 * ES + 2 * ES @ E.T @ E + 2 * E @ E.T @ ES
    decay = Fraction(weight_decay)
    return [_chain(after[i], G, before[i]) + 2 * decay * W for i, W in enumerate(matrices)]


def layerwise_pinv_decoder(layers) -> np.ndarray:
    """The asker's decoder `W_1^+ W_2^+ ... W_m^+` (`d x k`, D5), multiplied out.

    Each `W_L^+` is `numpy.linalg.pinv` with its default cutoff, singular values below
    `1e-15 sigma_max` treated as zero. It is not `E^+` in general: the reverse-order law
    `(W_2 W_1)^+ = W_1^+ W_2^+` needs conditions on the layers (D5).

    >>> W1 = np.array([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> W2 = np.array([[1.0, 1.0]])
    >>> layerwise_pinv_decoder([W1, W2]).ravel().round(12).tolist()   # W_1^+ W_2^+
    [0.25, 0.5, 0.0]
    >>> np.linalg.pinv(end_to_end_encoder([W1, W2])).ravel().round(12).tolist()   # E^+
    [0.4, 0.2, 0.0]
    """
    checked = _layers(layers)
    decoder = np.linalg.pinv(checked[0])
    for layer in checked[1:]:
        decoder = decoder @ np.linalg.pinv(layer)
    return decoder


def reconstruction_loss(decoder, encoder, X) -> float:
    """`||X - D E X||_F^2` for any decoder `D` (`d x k`) and encoder `E` (`k x d`).

    >>> reconstruction_loss(np.eye(2)[:, :1], np.eye(2)[:1], np.eye(2))
    1.0
    """
    D = as_real_matrix(decoder, name="decoder")
    E = as_real_matrix(encoder, name="encoder")
    data = as_real_matrix(X, name="X")
    if D.shape != E.shape[::-1] or E.shape[1] != data.shape[0]:
        raise InvalidMatrixError(
            f"decoder {D.shape}, encoder {E.shape} and X {data.shape} do not fit: need d x k, "
            "k x d and d x n")
    residual = data - D @ (E @ data)
    return float(np.sum(residual * residual))
