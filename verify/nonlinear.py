"""Tied nonlinear autoencoders, the layers practitioners use (experiment N1).

Convention (the package's: `W` is `d x k`, the decoder's weights): a sample
`x` (`d`) is encoded as `h = f(W^T x + b)` (`k`) with `f` = tanh or the
logistic sigmoid (or `linear`, the
control where A4 applies), and decoded linearly as `x_hat = W h + c`. On data `X`
(`d x n`) the loss is the mean squared reconstruction error plus weight decay,

    L(W, b, c) = ||X - W f(W^T X + b 1^T) - c 1^T||_F^2 / n + weight_decay ||W||_F^2.

`f` has no inverse layer to speak of: tying is weight sharing, and nothing in
the loss asks for `W^T W = I`. `train_nonlinear` runs plain gradient descent from
a seeded start and reports `||W^T W - I||_2` and `||W^T - W^+||_2` at the end;
what those numbers are on real data is the experiment, not a claim.

>>> X = np.array([[1.0, -1.0], [0.5, -0.5]])
>>> run = train_nonlinear(X, 1, activation="tanh", steps=3, seed=0)
>>> run.loss.shape, bool(run.loss[-1] < run.loss[0])
((4,), True)
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix
from verify.linalg import orthonormality_defect, transpose_pseudo_inverse_gap

__all__ = [
    "ACTIVATIONS",
    "NonlinearTraining",
    "nonlinear_default_learning_rate",
    "nonlinear_gradient",
    "nonlinear_loss",
    "train_nonlinear",
]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))  # complex-safe for the complex-step tests; x stays moderate


#: Each activation with its derivative written in terms of the activation's value.
ACTIVATIONS = {
    "linear": (lambda x: x, np.ones_like),  # the control: the tied linear autoencoder with biases
    "tanh": (np.tanh, lambda y: 1.0 - y * y),
    "sigmoid": (_sigmoid, lambda y: y * (1.0 - y)),
}


def _activation(name: str):
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}; got {name!r}."
        ) from None


def _decay(value) -> float:
    decay = float(value)
    if not math.isfinite(decay) or decay < 0:
        raise ValueError(f"weight_decay must be a finite number >= 0; got {value!r}.")
    return decay


def _parameters(W, b, c, X):
    X = as_real_matrix(X, name="X")
    W = as_real_matrix(W, name="W")
    d, k = W.shape
    if d != X.shape[0]:
        raise InvalidMatrixError(
            f"W has shape {W.shape} but X has shape {X.shape}: W must be d x k with "
            f"d = X.shape[0] = {X.shape[0]}."
        )
    b = np.asarray(b, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    if b.shape != (k,) or c.shape != (d,) or not (np.isfinite(b).all() and np.isfinite(c).all()):
        raise InvalidMatrixError(
            f"b must be a finite vector of shape ({k},) and c of shape ({d},); got b {b.shape} "
            f"and c {c.shape}."
        )
    return W, b, c, X


def _forward(W, b, c, X, f):
    code = f(W.T @ X + b[:, None])
    residual = W @ code + c[:, None] - X
    return code, residual


def nonlinear_loss(W, b, c, X, *, activation: str, weight_decay: float = 0.0) -> float:
    """`||X - W f(W^T X + b 1^T) - c 1^T||_F^2 / n + weight_decay ||W||_F^2`.

    >>> nonlinear_loss(np.zeros((2, 1)), [0.0], [0.0, 0.0], np.eye(2), activation="tanh")
    1.0
    """
    f, _ = _activation(activation)
    W, b, c, X = _parameters(W, b, c, X)
    _, residual = _forward(W, b, c, X, f)
    return float(np.vdot(residual, residual)) / X.shape[1] + _decay(weight_decay) * float(
        np.vdot(W, W))


def nonlinear_gradient(W, b, c, X, *, activation: str, weight_decay: float = 0.0):
    """`(dL/dW, dL/db, dL/dc)` by the chain rule (tied: `W` gets a decoder and an encoder term).

    With `A = W^T X + b 1^T`, `H = f(A)`, `R = W H + c 1^T - X` and `G = f'(A) * (W^T R)`:
    `dL/dW = (2/n) (R H^T + X G^T) + 2 weight_decay W`, `dL/db = (2/n) G 1`,
    `dL/dc = (2/n) R 1`.

    >>> g = nonlinear_gradient(np.zeros((2, 1)), [0.0], [0.0, 0.0], np.eye(2), activation="tanh")
    >>> [(a + 0.0).ravel().tolist() for a in g]   # at W = 0 only c moves: towards the mean
    [[0.0, 0.0], [0.0], [-1.0, -1.0]]
    """
    f, derivative = _activation(activation)
    W, b, c, X = _parameters(W, b, c, X)
    return _gradient(W, b, c, X, f, derivative, _decay(weight_decay))


def _gradient(W, b, c, X, f, derivative, decay):
    n = X.shape[1]
    code, residual = _forward(W, b, c, X, f)
    inner = derivative(code) * (W.T @ residual)
    grad_W = (2.0 / n) * (residual @ code.T + X @ inner.T) + 2.0 * decay * W
    return grad_W, (2.0 / n) * inner.sum(axis=1), (2.0 / n) * residual.sum(axis=1)


def nonlinear_default_learning_rate(X, *, weight_decay: float = 0.0) -> float:
    """`1 / (8 mu_1 + 2 weight_decay)`, `mu_1 = ||X||_2^2 / n` the largest second moment.

    The rule of `verify.training.default_learning_rate` for the linear tied loss
    (curvature `8 lambda_1` at its optimum), with the loss divided by `n` and the
    uncentred second moment `X X^T / n` in place of `S` (the biases see the
    mean). Both activations have `|f'| <= 1`, so near the linear regime the
    nonlinear loss curves no more; far from it this is a choice, not a bound.

    >>> nonlinear_default_learning_rate(np.diag([2.0, 1.0]))   # mu_1 = 4 / 2
    0.0625
    """
    X = as_real_matrix(X, name="X")
    moment = float(np.linalg.norm(X, 2)) ** 2 / X.shape[1]
    curvature = 8.0 * moment + 2.0 * _decay(weight_decay)
    return 1.0 / curvature if curvature > 0 else 1.0


@dataclass(frozen=True)
class NonlinearTraining:
    """Result of `train_nonlinear`: final `W`, `b`, `c` and the loss after every step (read-only).

    `loss` is the reconstruction part only (mean squared error), `steps + 1`
    entries; `orthonormality_defect` is `||W^T W - I||_2` and
    `transpose_pseudo_inverse_gap` is `||W^T - W^+||_2` of the final `W`.
    """

    activation: str
    weights: np.ndarray
    encoder_bias: np.ndarray
    decoder_bias: np.ndarray
    learning_rate: float
    weight_decay: float
    loss: np.ndarray
    orthonormality_defect: float
    transpose_pseudo_inverse_gap: float


def train_nonlinear(X, k, *, activation: str, steps, weight_decay: float = 0.0,
                    learning_rate=None, seed: int = 0) -> NonlinearTraining:
    """Gradient descent on `nonlinear_loss` from `W_0` small Gaussian, `b_0 = 0`, `c_0` = the mean.

    `W_0` has entries `N(0, 1) / (sqrt(d) + sqrt(k))` scaled by 0.1 (as
    `verify.training`), drawn from `numpy.random.default_rng(seed)`; nothing else
    is random. The step is `learning_rate` (default `nonlinear_default_learning_rate`).
    """
    f, derivative = _activation(activation)
    X = as_real_matrix(X, name="X")
    d = X.shape[0]
    try:
        k, steps = operator.index(k), operator.index(steps)
    except TypeError:
        raise TypeError(
            f"k and steps must be integers; got k = {k!r}, steps = {steps!r}."
        ) from None
    if not 1 <= k <= d or steps < 0:
        raise ValueError(f"need 1 <= k <= d = {d} and steps >= 0; got k = {k}, steps = {steps}.")
    decay = _decay(weight_decay)
    rate = (nonlinear_default_learning_rate(X, weight_decay=decay) if learning_rate is None
            else float(learning_rate))
    if not math.isfinite(rate) or rate <= 0:
        raise ValueError(f"learning_rate must be a finite number > 0; got {learning_rate!r}.")
    rng = np.random.default_rng(seed)
    W = 0.1 / (math.sqrt(d) + math.sqrt(k)) * rng.standard_normal((d, k))
    b, c = np.zeros(k), X.mean(axis=1)
    n = X.shape[1]
    loss = np.empty(steps + 1)
    for t in range(steps + 1):
        code, residual = _forward(W, b, c, X, f)
        loss[t] = float(np.vdot(residual, residual)) / n
        if not math.isfinite(loss[t]):
            raise FloatingPointError(f"gradient descent diverged at step {t}; lower learning_rate.")
        if t == steps:
            break
        inner = derivative(code) * (W.T @ residual)
        grad_W = (2.0 / n) * (residual @ code.T + X @ inner.T) + 2.0 * decay * W
        b = b - rate * (2.0 / n) * inner.sum(axis=1)
        c = c - rate * (2.0 / n) * residual.sum(axis=1)
        W = W - rate * grad_W
    for array in (W, b, c, loss):
        array.setflags(write=False)
    return NonlinearTraining(activation, W, b, c, rate, decay, loss, orthonormality_defect(W),
                             transpose_pseudo_inverse_gap(W))
