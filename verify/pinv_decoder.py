"""The asker's decoder: decode with the pseudo-inverse `E^+` of the encoder (claim A7).

Encoder `E` (`k x d`), decoder `E^+`, data `X` (`d x n`, `S = X X^T`). With
`P = E^+ E`, the orthogonal projector onto the row space of `E`,

- loss `||X - E^+ E X||_F^2 = tr S - tr(P S)`: it depends on `E` only through
  its row space, so `E -> C E` (`C` invertible) leaves it unchanged, and its
  minimum is the PCA value `lambda_(k+1) + ... + lambda_d` (Ky Fan);
- gradient (full row rank) `-2 (E^+)^T S (I - P)`, of size about
  `1 / sigma_min(E)`; it is orthogonal to the rows of `E` (`grad E^T = 0`);
- gradient descent whose step follows `sigma_min(E)^2`.

Pseudo-inverses are computed by `numpy.linalg.svd` with the rank cutoff of
`verify.linalg.rank_cutoff` (`max(d, k) eps sigma_max`), not `numpy.linalg.pinv`'s
default `1e-15 sigma_max`.

>>> X = np.diag([2.0, 1.0, 0.5])                      # S = diag(4, 1, 1/4)
>>> pinv_decoder_loss([[3.0, 0.0, 0.0], [0.0, -7.0, 0.0]], X)   # any basis of span(e1, e2)
0.25
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from verify._gram import EPS
from verify._validation import InvalidMatrixError, as_count, as_real_matrix
from verify.autoencoder import covariance_spectrum

__all__ = [
    "PseudoInverseTraining",
    "pinv_decoder_gradient",
    "pinv_decoder_loss",
    "pinv_decoder_projector",
    "pinv_learning_rate",
    "train_pinv_decoder",
]


def _pair(E, X) -> tuple[np.ndarray, np.ndarray]:
    X = as_real_matrix(X, name="X")
    E = as_real_matrix(E, name="E")
    if E.shape[1] != X.shape[0]:
        raise InvalidMatrixError(
            f"E has shape {E.shape} but X has shape {X.shape}: the encoder E must be k x d with "
            f"d = X.shape[0] = {X.shape[0]} columns."
        )
    return E, X


def _svd(E: np.ndarray):
    """Compact SVD of `E` keeping singular values above `max(d, k) eps sigma_max`."""
    U, sigma, Vt = np.linalg.svd(E, full_matrices=False)
    keep = sigma > max(E.shape) * EPS * (sigma[0] if sigma.size else 0.0)
    return U[:, keep], sigma[keep], Vt[keep]


def pinv_decoder_projector(E) -> np.ndarray:
    """`P = E^+ E = V_r V_r^T`, the orthogonal projector onto the row space of `E` (`d x d`).

    >>> pinv_decoder_projector([[2.0, 0.0]])
    array([[1., 0.],
           [0., 0.]])
    """
    E = as_real_matrix(E, name="E")
    _, _, Vt = _svd(E)
    return Vt.T @ Vt


def pinv_decoder_loss(E, X) -> float:
    """`||X - E^+ E X||_F^2 = tr S - tr(P S)` with `P = E^+ E` (A7).

    Computed as `||X - V_r (V_r^T X)||_F^2` from the SVD `E = U_r Sigma_r V_r^T`:
    only the row basis `V_r` enters, never `1 / sigma`, which is the invariance
    under `E -> C E` in floating point as well.

    >>> pinv_decoder_loss([[1.0, 0.0], [0.0, 1e-9]], np.eye(2))   # still rank 2
    0.0
    """
    E, X = _pair(E, X)
    _, _, Vt = _svd(E)
    residual = X - Vt.T @ (Vt @ X)
    return float(np.vdot(residual, residual))


def pinv_decoder_gradient(E, X) -> np.ndarray:
    """`-2 (E^+)^T S (I - P)` for `E` of full row rank (A7); `k x d`.

    Evaluated as `-2 U_r Sigma_r^(-1) (V_r^T X) R^T` with `R = (I - P) X`, the
    residual. Refused (`InvalidMatrixError`) when `E` has numerical rank below
    `k`: there the loss is not differentiable (its value jumps, F7).

    >>> g = pinv_decoder_gradient([[1.0, 1.0]], np.diag([2.0, 1.0]))  # S = diag(4, 1)
    >>> np.round(g, 12).tolist()      # -2 [1/2, 1/2] [[2, -2], [-1/2, 1/2]]
    [[-1.5, 1.5]]
    """
    E, X = _pair(E, X)
    U, sigma, Vt = _svd(E)
    if sigma.size < E.shape[0]:
        raise InvalidMatrixError(
            f"E must have full row rank k = {E.shape[0]} for the pseudo-inverse decoder to be "
            f"differentiable; its numerical rank is {sigma.size} (singular values above "
            f"max(d, k) eps sigma_max). Where the rank drops the loss jumps (claim F7)."
        )
    code = Vt @ X  # r x n
    residual = X - Vt.T @ code
    return -2.0 * (U / sigma) @ (code @ residual.T)


def pinv_learning_rate(E, X) -> float:
    """`sigma_min(E)^2 / (2 lambda_1)`: the step for the current `E`, half the stability limit.

    Why: the loss is a function of the row space; turning it by an angle `theta`
    changes `tr(P S)` by at most `(lambda_1 - lambda_d) theta^2 <= lambda_1
    theta^2`, so its curvature in the angle is at most `2 lambda_1`, and a change
    `dE` turns the row space by at most `||dE||_2 / sigma_min(E)`: the curvature in
    `E` is at most `2 lambda_1 / sigma_min(E)^2`, and the step `1 / h` is half
    the limit `2 / h`. The gradient is orthogonal to the rows of `E`, so a step
    only adds `eta^2 g g^T` to `E E^T`: `sigma_min` never decreases.

    >>> pinv_learning_rate([[0.5, 0.0]], np.diag([2.0, 1.0]))   # 0.25 / 8
    0.03125
    """
    E, X = _pair(E, X)
    lambda_1 = float(covariance_spectrum(X)[0][0])
    sigma = np.linalg.svd(E, compute_uv=False)
    smallest = float(sigma[-1]) if sigma.size == E.shape[0] else 0.0
    if smallest == 0.0:
        raise InvalidMatrixError(f"E must have full row rank {E.shape[0]}; it is rank deficient.")
    return smallest**2 / (2.0 * lambda_1) if lambda_1 > 0 else 1.0


@dataclass(frozen=True)
class PseudoInverseTraining:
    """Result of `train_pinv_decoder` (arrays read-only).

    `encoder` is the final `E`; `loss` and `smallest_singular_value` have
    `steps + 1` entries (index `t`: after `t` steps), `learning_rate` has `steps`.
    """

    encoder: np.ndarray
    loss: np.ndarray
    smallest_singular_value: np.ndarray
    learning_rate: np.ndarray

    @property
    def steps(self) -> int:
        """Number of gradient steps taken."""
        return self.loss.size - 1


def train_pinv_decoder(X, initial, *, steps) -> PseudoInverseTraining:
    """Gradient descent `E <- E - eta_t grad` with `eta_t = pinv_learning_rate(E_t, X)`.

    The step follows `sigma_min(E_t)^2` (see `pinv_learning_rate`): one SVD per
    step, which the pseudo-inverse decoder needs anyway.

    >>> X = np.diag([2.0, 1.0, 0.5])
    >>> run = train_pinv_decoder(X, [[1.0, 1.0, 1.0]], steps=60)
    >>> round(float(run.loss[-1]), 9), bool(np.all(np.diff(run.smallest_singular_value) >= 0))
    (1.25, True)
    """
    E, X = _pair(initial, X)
    E = E.copy()
    steps = as_count(steps, name="steps", minimum=0)
    lambda_1 = float(covariance_spectrum(X)[0][0])
    loss = np.empty(steps + 1)
    smallest = np.empty(steps + 1)
    rates = np.empty(steps)
    for t in range(steps + 1):
        U, sigma, Vt = _svd(E)
        if sigma.size < E.shape[0]:
            raise InvalidMatrixError(
                f"E lost full row rank at step {t} (numerical rank {sigma.size} < {E.shape[0]})."
            )
        code = Vt @ X
        residual = X - Vt.T @ code
        loss[t] = float(np.vdot(residual, residual))
        smallest[t] = sigma[-1]
        if t == steps:
            break
        rates[t] = sigma[-1] ** 2 / (2.0 * lambda_1) if lambda_1 > 0 else 1.0
        E = E + rates[t] * 2.0 * (U / sigma) @ (code @ residual.T)
        if not math.isfinite(float(np.abs(E).max())):
            raise FloatingPointError(f"gradient descent diverged at step {t + 1}.")
    for array in (E, loss, smallest, rates):
        array.setflags(write=False)
    return PseudoInverseTraining(E, loss, smallest, rates)
