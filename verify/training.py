"""Plain gradient descent on the tied and untied losses (claims A4, A5, F3, F4).

Both trainers are deterministic given ``seed``: the initial weights are small
Gaussian draws from ``numpy.random.default_rng(seed)`` unless given, and no
other randomness is used. They record, per step, the reconstruction loss, the
minimised objective, and the two distances from "the transpose is the
pseudo-inverse" of the decoder: ``||W^T W - I||_2`` and ``||W^T - W^+||_2``.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix
from verify.autoencoder import covariance_spectrum
from verify.linalg import orthonormality_defect, transpose_pseudo_inverse_gap

__all__ = ["Training", "default_learning_rate", "train_tied", "train_untied"]

_INITIAL_NORM = 0.1


@dataclass(frozen=True)
class Training:
    """Result of :func:`train_tied` or :func:`train_untied` (arrays are read-only).

    ``decoder`` is ``W`` (``d x k``) and ``encoder`` its transpose for tied
    training; ``D`` and ``E`` for untied training. Each history array has
    ``steps + 1`` entries: index ``t`` is the state after ``t`` steps.
    ``loss`` is the reconstruction loss ``||X - decoder encoder X||_F^2``;
    ``objective`` adds the weight-decay penalty and is what was minimised.
    ``orthonormality_defect`` and ``transpose_pseudo_inverse_gap`` measure the
    decoder (see :mod:`verify.linalg`).
    """

    tied: bool
    decoder: np.ndarray
    encoder: np.ndarray
    learning_rate: float
    weight_decay: float
    loss: np.ndarray
    objective: np.ndarray
    orthonormality_defect: np.ndarray
    transpose_pseudo_inverse_gap: np.ndarray

    @property
    def weights(self) -> np.ndarray:
        """The decoder ``W`` (for tied training the encoder is ``W^T``)."""
        return self.decoder

    @property
    def steps(self) -> int:
        """Number of gradient steps taken."""
        return self.loss.size - 1


def default_learning_rate(X, *, weight_decay: float = 0.0) -> float:
    """The step size ``1 / (8 lambda_1 + 2 weight_decay)`` used when none is given.

    Gradient descent on a function whose Hessian has largest eigenvalue ``h``
    is stable for steps below ``2 / h``; we take ``1 / h``, half that limit.
    At the tied optimum ``W = U_k Q`` the Hessian's largest eigenvalue is
    ``h = 8 lambda_1``: along ``W = sigma u_1`` the loss is
    ``lambda_1 (1 - sigma^2)^2 + const`` whose second derivative at ``sigma = 1``
    is ``8 lambda_1`` (directions inside the span give at most ``8 lambda_1``
    too; directions towards ``u_j``, ``j > k``, give ``2 (lambda_i - lambda_j)``).
    Weight decay adds ``2 weight_decay`` to every curvature. With this step
    the one-direction iteration ``sigma <- sigma + sigma (1 - sigma^2) / 2``
    increases monotonically from any small start to 1 without overshoot.
    For the untied loss the balanced optimum ``D = E^T = U_k`` has largest
    curvature ``4 lambda_1``, so the same step is a quarter of the stability
    limit, leaving room for unbalanced ``D``, ``E``. For ``X = 0`` and no
    weight decay every step size does nothing and 1 is returned.

    >>> import numpy as np
    >>> default_learning_rate(np.diag([2.0, 1.0]))   # lambda_1 = 4
    0.03125
    """
    eigenvalues, _ = covariance_spectrum(X)
    decay = _weight_decay(weight_decay)
    curvature = 8.0 * float(eigenvalues[0]) + 2.0 * decay
    return 1.0 / curvature if curvature > 0 else 1.0


def _weight_decay(value) -> float:
    decay = float(value)
    if not np.isfinite(decay) or decay < 0:
        raise ValueError(f"weight_decay must be a finite number >= 0; got {value!r}.")
    return decay


def _options(X, k, steps, learning_rate, weight_decay):
    X = as_real_matrix(X, name="X")
    d = X.shape[0]
    try:
        k, steps = operator.index(k), operator.index(steps)
    except TypeError:
        raise TypeError(
            f"k and steps must be integers; got k = {k!r}, steps = {steps!r}."
        ) from None
    if not 1 <= k <= d:
        raise ValueError(f"k must satisfy 1 <= k <= d = {d} (rows of X); got k = {k}.")
    if steps < 0:
        raise ValueError(f"steps must be >= 0; got {steps}.")
    decay = _weight_decay(weight_decay)
    if learning_rate is None:
        rate = default_learning_rate(X, weight_decay=decay)
    else:
        rate = float(learning_rate)
        if not np.isfinite(rate) or rate <= 0:
            raise ValueError(f"learning_rate must be a finite number > 0; got {learning_rate!r}.")
    return X, k, steps, rate, decay


def _initial(name: str, value, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    if value is None:
        # Gaussian entries scaled so that ||W_0||_2 is about 0.1 (E||G||_2 <= sqrt(d) + sqrt(k)):
        # small, near the saddle at 0 from which gradient descent escapes along the top
        # eigenvectors, yet far from zero in floating point.
        scale = _INITIAL_NORM / (np.sqrt(shape[0]) + np.sqrt(shape[1]))
        return scale * rng.standard_normal(shape)
    matrix = as_real_matrix(value, name=name)
    if matrix.shape != shape:
        raise InvalidMatrixError(f"{name} must have shape {shape}; got shape {matrix.shape}.")
    return matrix.copy()


def _divergence_reported_by_history():
    # Overflow in a diverging run is reported once, as FloatingPointError from _History.record,
    # rather than as a stream of NumPy RuntimeWarnings.
    return np.errstate(over="ignore", invalid="ignore")


class _History:
    def __init__(self, steps: int):
        self.loss = np.empty(steps + 1)
        self.objective = np.empty(steps + 1)
        self.defect = np.empty(steps + 1)
        self.gap = np.empty(steps + 1)

    def record(self, t, X, decoder, encoder, penalty, learning_rate):
        residual = X - decoder @ (encoder @ X)
        loss = float(np.vdot(residual, residual))
        finite = np.isfinite(loss) and np.isfinite(decoder).all() and np.isfinite(encoder).all()
        if not finite:
            raise FloatingPointError(
                f"gradient descent diverged at step {t} with learning_rate = {learning_rate:.3g};"
                " pass a smaller learning_rate (the default is 1 / (8 lambda_1 + 2 weight_decay))."
            )
        self.loss[t] = loss
        self.objective[t] = loss + penalty
        self.defect[t] = orthonormality_defect(decoder)
        self.gap[t] = transpose_pseudo_inverse_gap(decoder)

    def result(self, *, tied, decoder, encoder, learning_rate, weight_decay) -> Training:
        arrays = [decoder, encoder, self.loss, self.objective, self.defect, self.gap]
        for array in arrays:
            array.setflags(write=False)
        return Training(tied, *arrays[:2], learning_rate, weight_decay, *arrays[2:])


def train_tied(
    X, k, *, steps, learning_rate=None, weight_decay=0.0, initial=None, seed=0
) -> Training:
    """Gradient descent on ``||X - W W^T X||_F^2 + weight_decay ||W||_F^2``.

    The update is ``W <- W - learning_rate (grad L(W) + 2 weight_decay W)``
    with the A3 gradient ``-4 S W + 2 S W W^T W + 2 W W^T S W``;
    ``learning_rate`` defaults to :func:`default_learning_rate`. Without
    weight decay and with ``S`` positive definite, ``W`` converges to
    ``U_k Q`` and ``W^T W -> I`` (claims A4, A5, F3); with weight decay the
    singular values converge to :func:`~verify.autoencoder.weight_decay_singular_values`
    (claim F4). ``initial`` is a ``d x k`` starting point, otherwise small
    Gaussian weights from ``numpy.random.default_rng(seed)``.

    >>> import numpy as np
    >>> result = train_tied(np.diag([2.0, 1.0, 0.5]), 2, steps=300)
    >>> bool(result.orthonormality_defect[0] > 0.9), bool(result.orthonormality_defect[-1] < 1e-9)
    (True, True)
    >>> round(float(result.loss[-1]), 12)     # lambda_3 = 0.25, the optimum
    0.25
    """
    X, k, steps, rate, decay = _options(X, k, steps, learning_rate, weight_decay)
    rng = np.random.default_rng(seed)
    W = _initial("initial", initial, (X.shape[0], k), rng)
    S = X @ X.T
    history = _History(steps)
    history.record(0, X, W, W.T, decay * float(np.vdot(W, W)), rate)
    with _divergence_reported_by_history():
        for t in range(1, steps + 1):
            SW = S @ W
            gradient = -4.0 * SW + 2.0 * SW @ (W.T @ W) + 2.0 * W @ (W.T @ SW) + 2.0 * decay * W
            W = W - rate * gradient
            history.record(t, X, W, W.T, decay * float(np.vdot(W, W)), rate)
    return history.result(
        tied=True, decoder=W, encoder=W.T.copy(), learning_rate=rate, weight_decay=decay
    )


def train_untied(
    X, k, *, steps, learning_rate=None, weight_decay=0.0, initial=None, seed=0
) -> Training:
    """Gradient descent on ``||X - D E X||_F^2 + weight_decay (||D||_F^2 + ||E||_F^2)``.

    Simultaneous updates with ``grad_D = -2 (I - D E) S E^T + 2 weight_decay D``
    and ``grad_E = -2 D^T (I - D E) S + 2 weight_decay E``. ``initial`` is a
    pair ``(D, E)`` (``d x k``, ``k x d``), otherwise small Gaussian weights
    from ``numpy.random.default_rng(seed)``. With weight decay the result has
    ``D = E^T`` with the untied F4 singular values; without it ``D E -> U_k U_k^T``
    and ``E = D^+`` (claim A2), but ``D`` keeps whatever imbalance it started with.

    >>> import numpy as np
    >>> result = train_untied(np.diag([2.0, 1.0, 0.5]), 2, steps=600, weight_decay=0.5)
    >>> bool(np.allclose(result.decoder, result.encoder.T, atol=1e-9))   # F4: D = E^T
    True
    """
    X, k, steps, rate, decay = _options(X, k, steps, learning_rate, weight_decay)
    rng = np.random.default_rng(seed)
    d = X.shape[0]
    if initial is None:
        D = _initial("initial[0]", None, (d, k), rng)
        E = _initial("initial[1]", None, (k, d), rng)
    else:
        try:
            start_D, start_E = initial
        except (TypeError, ValueError):
            raise InvalidMatrixError(
                f"initial must be a pair (D, E) of a {d} x {k} decoder and a {k} x {d} encoder; "
                f"got {type(initial).__name__}."
            ) from None
        D = _initial("initial[0]", start_D, (d, k), rng)
        E = _initial("initial[1]", start_E, (k, d), rng)
    S = X @ X.T
    history = _History(steps)

    def penalty(D, E):
        return decay * (float(np.vdot(D, D)) + float(np.vdot(E, E)))

    history.record(0, X, D, E, penalty(D, E), rate)
    with _divergence_reported_by_history():
        for t in range(1, steps + 1):
            residual_S = S - D @ (E @ S)  # (I - D E) S
            grad_D = -2.0 * residual_S @ E.T + 2.0 * decay * D
            grad_E = -2.0 * D.T @ residual_S + 2.0 * decay * E
            D, E = D - rate * grad_D, E - rate * grad_E
            history.record(t, X, D, E, penalty(D, E), rate)
    return history.result(tied=False, decoder=D, encoder=E, learning_rate=rate, weight_decay=decay)
