"""Untied linear autoencoder with weight decay: the transpose chosen by itself (claim A6).

Loss `||X - D E X||_F^2 + weight_decay (||D||_F^2 + ||E||_F^2)` (decoder `D`,
`d x k`; encoder `E`, `k x d`). The loss part depends on `(D, E)` only through
`D E`, so its gradients satisfy `D^T grad_D = grad_E E^T` (the two-layer case of
D4), and with the decay terms

    D^T (grad_D + 2 lambda D) - (grad_E + 2 lambda E) E^T = 2 lambda (D^T D - E E^T):

at every critical point `D^T D = E E^T` (balanced), and (Kunin et al. 2019)
`E = D^T`, with singular values `sqrt(1 - mu / lambda_i)` or 0 (F4).
Gradient descent is `verify.training.train_untied(..., weight_decay=lambda)`.
Without decay the balance is not forced: `D = U_k C`, `E = C^(-1) U_k^T` is a
critical point for every invertible `C` (A2), and `E = D^T` only for orthogonal `C`.

>>> X = np.diag([2.0, 1.0])                                   # S = diag(4, 1)
>>> D, E = decayed_untied_critical_point(X, 1, weight_decay=1.0)
>>> D.ravel().tolist(), bool((E == D.T).all())                # sigma^2 = 1 - 1/4
([0.8660254037844386, 0.0], True)
"""

from __future__ import annotations

import math

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix
from verify.autoencoder import (
    covariance_spectrum,
    untied_gradient,
    untied_loss,
    weight_decay_singular_values,
)
from verify.linalg import has_orthonormal_columns

__all__ = [
    "decayed_untied_critical_point",
    "decayed_untied_gradient",
    "decayed_untied_loss",
    "untied_imbalance",
]


def _decay(value) -> float:
    decay = float(value)
    if not math.isfinite(decay) or decay < 0:
        raise ValueError(f"weight_decay must be a finite number >= 0; got {value!r}.")
    return decay


def decayed_untied_loss(D, E, X, *, weight_decay: float) -> float:
    """`||X - D E X||_F^2 + weight_decay (||D||_F^2 + ||E||_F^2)`.

    >>> decayed_untied_loss([[1.0], [0.0]], [[1.0, 0.0]], np.diag([2.0, 1.0]), weight_decay=0.5)
    2.0
    """
    decay = _decay(weight_decay)
    D, E = as_real_matrix(D, name="D"), as_real_matrix(E, name="E")
    return untied_loss(D, E, X) + decay * (float(np.vdot(D, D)) + float(np.vdot(E, E)))


def decayed_untied_gradient(D, E, X, *, weight_decay: float) -> tuple[np.ndarray, np.ndarray]:
    """`(grad_D + 2 weight_decay D, grad_E + 2 weight_decay E)` with the A2 gradients.

    >>> X = np.diag([2.0, 1.0])
    >>> D, E = decayed_untied_critical_point(X, 1, weight_decay=1.0)
    >>> [float(np.abs(g).max()) < 1e-15 for g in decayed_untied_gradient(D, E, X, weight_decay=1.0)]
    [True, True]
    """
    decay = _decay(weight_decay)
    D, E = as_real_matrix(D, name="D"), as_real_matrix(E, name="E")
    grad_D, grad_E = untied_gradient(D, E, X)
    return grad_D + 2.0 * decay * D, grad_E + 2.0 * decay * E


def untied_imbalance(D, E) -> np.ndarray:
    """`D^T D - E E^T` (`k x k`): zero at every critical point with weight decay (A6).

    >>> untied_imbalance([[2.0], [0.0]], [[0.5, 0.0]]).tolist()     # A2's C = 2: 4 - 1/4
    [[3.75]]
    """
    D, E = as_real_matrix(D, name="D"), as_real_matrix(E, name="E")
    if D.shape[::-1] != E.shape:
        raise InvalidMatrixError(
            f"D has shape {D.shape} and E has shape {E.shape}: E must be {D.shape[1]} x "
            f"{D.shape[0]} (the encoder of the decoder D)."
        )
    return D.T @ D - E @ E.T


def decayed_untied_critical_point(X, k, *, weight_decay: float, directions=None, rotation=None):
    """A critical point `(D, E = D^T)` of the decayed untied loss, `D = U_J diag(sigma) Q`.

    `directions` (default `range(k)`, the global minimum) picks `k` distinct
    eigenvectors `u_j` of `S`; `sigma_j = sqrt(max(0, 1 - weight_decay / lambda_j))`
    (F4, untied); any other choice of `k` eigenvectors is a saddle. `rotation` is
    an orthogonal `Q` (`k x k`, default identity).

    >>> D, _ = decayed_untied_critical_point(np.diag([2.0, 1.0]), 1, weight_decay=1.0,
    ...                                      directions=[1])
    >>> D.ravel().tolist()                                     # lambda = 1 switches u_2 off
    [0.0, 0.0]
    """
    decay = _decay(weight_decay)
    eigenvalues, U = covariance_spectrum(X)
    chosen = list(range(k)) if directions is None else [int(j) for j in directions]
    if len(chosen) != k or len(set(chosen)) != k or not all(0 <= j < len(eigenvalues)
                                                           for j in chosen):
        raise ValueError(
            f"directions must be {k} distinct indices of eigenvectors in 0..{len(eigenvalues) - 1}"
            f"; got {directions!r}."
        )
    sigma = weight_decay_singular_values(eigenvalues[chosen], decay, tied=False)
    D = U[:, chosen] * sigma
    if rotation is not None:
        Q = as_real_matrix(rotation, name="rotation")
        if Q.shape != (k, k) or not has_orthonormal_columns(Q):
            raise InvalidMatrixError(f"rotation must be an orthogonal {k} x {k} matrix.")
        D = D @ Q
    return D, D.T.copy()
