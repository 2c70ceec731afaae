"""Gradient descent on deep tied linear autoencoders, with a bounded imbalance drift (D3, D4).

The model, loss and gradients are those of `verify.deep`. `train_deep` updates
every layer at once with one step size, and carries, for each imbalance
`W_(L+1)^T W_(L+1) - W_L W_L^T`, a bound on how far gradient descent (as
opposed to gradient flow, which conserves it exactly) has moved it: the
`eta^2` terms of each step plus float64 rounding, all stated in `train_deep`.

>>> X = np.diag([2.0, 1.0, 0.5])
>>> run = train_deep(X, [np.eye(2, 3), 2 * np.eye(2)], steps=300)   # unbalanced: 4 I - I
>>> round(float(run.loss[-1]), 9), round(float(np.linalg.norm(run.initial_imbalances[0], 2)), 9)
(0.25, 3.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from verify._gram import EPS, UNIT_ROUNDOFF
from verify._validation import as_count, as_real_matrix
from verify.autoencoder import covariance_spectrum
from verify.deep import (
    _chain,
    _decay,
    _encoder_gradient,
    _layers,
    _products,
    end_to_end_encoder,
    imbalances,
)

__all__ = [
    "DeepTraining",
    "deep_default_learning_rate",
    "layer_gradient_error_bounds",
    "train_deep",
]


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
    steps = as_count(steps, name="steps", minimum=0)
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
