"""Deep tied linear autoencoders, the asker's `N` layers (claims D1-D4).

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
- gradient descent (`train_deep`) that also carries a bound on how far each
  imbalance drifts from its exactly conserved (or decayed) value.

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
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from verify._gram import EPS, UNIT_ROUNDOFF
from verify._validation import InvalidMatrixError, as_real_matrix
from verify.autoencoder import covariance_spectrum, tied_loss
from verify.linalg import transpose_pseudo_inverse_gap

__all__ = [
    "DeepTraining",
    "deep_default_learning_rate",
    "deep_loss",
    "end_to_end_decoder",
    "end_to_end_encoder",
    "exact_deep_loss",
    "exact_layer_gradients",
    "imbalances",
    "layer_gaps",
    "layer_gradient_error_bounds",
    "layer_gradients",
    "train_deep",
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


def layer_gradient_error_bounds(layers, X) -> list[float]:
    """Float64 error bound of each computed `layer_gradients` entry (loss part), Frobenius norm.

    See `_gradient_rounding`: the bound of `gradient_tolerance` on `G`, carried
    through the products with the other layers, plus their own rounding.

    >>> bounds = layer_gradient_error_bounds([np.eye(2), np.eye(2)], np.eye(2))
    >>> len(bounds), bool(max(bounds) < 1e-12)
    (2, True)
    """
    X = as_real_matrix(X, name="X")
    matrices = _layers(layers, X)
    before, after = _products(matrices)
    E = matrices[0] if after[0] is None else after[0] @ matrices[0]
    G = _encoder_gradient(E, X)
    frobenius = [float(np.linalg.norm(W)) for W in matrices]
    size = float(np.linalg.norm(X))
    return [_gradient_rounding(size, max(X.shape), E, G, frobenius, i)
            for i in range(len(matrices))]


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
    try:
        rank = operator.index(rank)
    except TypeError:
        raise TypeError(f"rank must be an integer; got {rank!r}.") from None
    if rank < 1:
        raise ValueError(f"rank must be >= 1; got {rank}.")
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


def deep_default_learning_rate(X, layers, *, weight_decay: float = 0.0) -> float:
    """`1 / (8 lambda_1 sum_L prod_(J != L) max(1, ||W_J||_2)^2 + 2 weight_decay)`.

    The tied loss in `E` has largest curvature `8 lambda_1` at its optimum
    (`verify.training.default_learning_rate`). A change `dW_L` of layer `L`
    moves `E` by `(W_m ... W_(L+1)) dW_L (W_(L-1) ... W_1)`, of norm at most
    `prod_(J != L) ||W_J||_2 ||dW_L||`, so by Cauchy-Schwarz the curvature in
    the layers is at most `8 lambda_1 sum_L prod_(J != L) ||W_J||_2^2` (the
    `max(1, .)` leaves room for layers that grow on the way); the decay adds
    `2 weight_decay`. The step is `1 / h`, half the stability limit `2 / h`,
    evaluated once at the starting layers.

    >>> deep_default_learning_rate(np.diag([2.0, 1.0]), [np.eye(2), np.eye(2)])   # 1/(8*4*2)
    0.015625
    """
    X = as_real_matrix(X, name="X")
    matrices = _layers(layers, X)
    decay = _decay(weight_decay)
    lambda_1 = float(covariance_spectrum(X)[0][0])
    norms = [max(1.0, float(np.linalg.norm(W, 2))) ** 2 for W in matrices]
    total = math.prod(norms)
    curvature = 8.0 * lambda_1 * sum(total / n for n in norms) + 2.0 * decay
    return 1.0 / curvature if curvature > 0 else 1.0


@dataclass(frozen=True)
class DeepTraining:
    """Result of `train_deep` (arrays read-only).

    `layers` are the final `W_1 .. W_m`; `loss` and `objective` (loss plus the
    decay penalty) have `steps + 1` entries, index `t` after `t` steps.
    `initial_imbalances` are `imbalances(initial layers)`; `imbalance_drift_bound[L]`
    bounds `||imbalances(layers)[L] - a^(2 steps) initial_imbalances[L]||_2`
    with `a = 1 - 2 learning_rate weight_decay` (see `train_deep`).
    """

    layers: tuple[np.ndarray, ...]
    learning_rate: float
    weight_decay: float
    loss: np.ndarray
    objective: np.ndarray
    initial_imbalances: tuple[np.ndarray, ...]
    imbalance_drift_bound: np.ndarray

    @property
    def steps(self) -> int:
        """Number of gradient steps taken."""
        return self.loss.size - 1

    @property
    def encoder(self) -> np.ndarray:
        """The end-to-end encoder `E = W_m ... W_1` of the final layers."""
        return end_to_end_encoder(list(self.layers))

    @property
    def contraction(self) -> float:
        """`a^(2 steps)`, the factor weight decay applies to the initial imbalance (1 without)."""
        return (1.0 - 2.0 * self.learning_rate * self.weight_decay) ** (2 * self.steps)


def _gradient_rounding(data_size, data_dimension, E, G, frobenius, i) -> float:
    """Bound on the float64 error of layer `i`'s computed gradient (without the decay term).

    `G`'s error is at most `gradient_tolerance(X, E^T)` of verify.autoencoder,
    `80 n eps ||X||_F^2 (w + w^3)` with `w = ||E||_F` and `n` the largest
    dimension; multiplying by the other layers (a chain of at most `m + 1`
    products of dimension at most `n`) scales it by `prod_(J != i) ||W_J||_F`
    and adds `(m + 1) n eps ||G||_F prod_(J != i) ||W_J||_F` (Higham 3.5, with
    `|| |A| |B| ||_F <= ||A||_F ||B||_F`).
    """
    others = math.prod(f for j, f in enumerate(frobenius) if j != i)
    n = max(data_dimension, max(E.shape))
    w = float(np.linalg.norm(E))
    tolerance = 80.0 * n * EPS * data_size**2 * (w + w**3)
    chain = (len(frobenius) + 1) * n * EPS * float(np.linalg.norm(G))
    return others * (tolerance + chain)


def train_deep(
    X, layers, *, steps, learning_rate=None, weight_decay: float = 0.0
) -> DeepTraining:
    """Gradient descent `W_L <- W_L - learning_rate (dL/dW_L + 2 weight_decay W_L)` on all layers.

    `learning_rate` defaults to `deep_default_learning_rate(X, layers)`.

    Imbalance drift (D4). With `a = 1 - 2 eta weight_decay` and `g_L` the loss
    gradients, the step gives `W_L W_L^T -> a^2 W_L W_L^T - a eta (g_L W_L^T +
    W_L g_L^T) + eta^2 g_L g_L^T`, and D4's identity `W_(L+1)^T g_(L+1) = g_L
    W_L^T` cancels the first-order terms of the imbalance `B_L`:
    `B_L -> a^2 B_L + eta^2 (g_(L+1)^T g_(L+1) - g_L g_L^T)`, exactly. Both
    `eta^2` terms are positive semidefinite, so their difference has norm at most
    `eta^2 max(||g_L||_F^2, ||g_(L+1)||_F^2)`. Summed with the contraction `a^2`
    this bounds the drift from `a^(2t) B_L(0)`; the recorded bound adds per step
    the rounding of the computed gradients (`e_L`, see `_gradient_rounding`),
    which breaks the cancellation by at most `2 eta ||W_L||_2 e_L` per layer
    (plus `eta^2 (2 ||g_L|| e_L + e_L^2)`), and of the update itself,
    `3 u (||W_L||_F + eta ||g_L||_F)` per entry-norm, which moves `W_L W_L^T` by
    at most twice that times `||W_L'||_2` plus its square; and at the end the
    rounding of forming `B_L` (`gamma_h (||W_L||_F^2 + ||W_(L+1)||_F^2)`, one
    `u` more for the subtraction).

    >>> X = np.diag([2.0, 1.0, 0.5])
    >>> start = [np.eye(2, 3) * 0.5, np.eye(2) * 0.5]     # balanced: 0.25 I = 0.25 I
    >>> run = train_deep(X, start, steps=400)
    >>> round(float(run.loss[-1]), 9)                           # lambda_3 = 0.25: the PCA optimum
    0.25
    >>> bool(np.linalg.norm(imbalances(run.layers)[0], 2) <= run.imbalance_drift_bound[0])
    True
    """
    X = as_real_matrix(X, name="X")
    matrices = [W.copy() for W in _layers(layers, X)]
    try:
        steps = operator.index(steps)
    except TypeError:
        raise TypeError(f"steps must be an integer; got {steps!r}.") from None
    if steps < 0:
        raise ValueError(f"steps must be >= 0; got {steps}.")
    decay = _decay(weight_decay)
    if learning_rate is None:
        rate = deep_default_learning_rate(X, matrices, weight_decay=decay)
    else:
        rate = float(learning_rate)
        if not math.isfinite(rate) or rate <= 0:
            raise ValueError(f"learning_rate must be a finite number > 0; got {learning_rate!r}.")
    shrink = 1.0 - 2.0 * rate * decay
    m = len(matrices)
    loss = np.empty(steps + 1)
    objective = np.empty(steps + 1)
    bound = np.zeros(max(m - 1, 0))
    initial = tuple(imbalances(matrices))
    initial_size = [float(np.vdot(W, W)) for W in matrices]
    data_size, data_dimension = float(np.linalg.norm(X)), max(X.shape)

    def record(t):
        E = matrices[0]
        for W in matrices[1:]:
            E = W @ E
        residual = X - E.T @ (E @ X)
        value = float(np.vdot(residual, residual))
        if not (math.isfinite(value) and all(np.isfinite(W).all() for W in matrices)):
            raise FloatingPointError(
                f"gradient descent diverged at step {t} with learning_rate = {rate:.3g}; pass a "
                "smaller learning_rate (default: deep_default_learning_rate)."
            )
        loss[t] = value
        objective[t] = value + decay * sum(float(np.vdot(W, W)) for W in matrices)

    record(0)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            before, after = _products(matrices)
            E = matrices[0] if after[0] is None else after[0] @ matrices[0]
            G = _encoder_gradient(E, X)
            grads = [_chain(after[i], G, before[i]) for i in range(m)]
            new = [shrink * W - rate * g for W, g in zip(matrices, grads, strict=True)]
            if m > 1:
                norms = [float(np.linalg.norm(g)) for g in grads]
                frobenius = [float(np.linalg.norm(W)) for W in matrices]
                rounding = []
                for i, W_new in enumerate(new):
                    e = _gradient_rounding(data_size, data_dimension, E, G, frobenius, i)
                    update = 3 * UNIT_ROUNDOFF * (abs(shrink) * frobenius[i] + rate * norms[i])
                    size = float(np.linalg.norm(W_new))  # ||.||_2 <= ||.||_F
                    rounding.append(
                        2 * rate * abs(shrink) * frobenius[i] * e
                        + rate**2 * (2 * norms[i] * e + e**2)
                        + 2 * size * update + update**2
                    )
                for i in range(m - 1):
                    bound[i] = shrink**2 * bound[i] + rate**2 * max(norms[i], norms[i + 1]) ** 2
                    bound[i] += rounding[i] + rounding[i + 1]
            matrices = new
            record(t)
    for i in range(m - 1):
        h = matrices[i].shape[0]
        size = float(np.vdot(matrices[i], matrices[i]) + np.vdot(matrices[i + 1], matrices[i + 1]))
        size += initial_size[i] + initial_size[i + 1]  # B_L is formed twice: at the start and end
        bound[i] += (h * UNIT_ROUNDOFF / (1 - h * UNIT_ROUNDOFF) + UNIT_ROUNDOFF) * size
        # ... and of a^(2 t) B_L(0), computed once: (2 t + 2) u relative.
        bound[i] += (2 * steps + 2) * UNIT_ROUNDOFF * float(np.linalg.norm(initial[i], 2))
    for array in (loss, objective, bound, *matrices, *initial):
        array.setflags(write=False)
    return DeepTraining(tuple(matrices), rate, decay, loss, objective, initial, bound)
