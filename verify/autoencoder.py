"""Linear autoencoder numerics: losses, gradients and optima (claims A1-A5, F4).

Conventions: data ``X`` is ``d x n`` (features by samples, centred) and
``S = X X^T``; tied weights ``W`` are ``d x k`` (decoder ``W``, encoder
``W^T``); untied weights are a decoder ``D`` (``d x k``) and an encoder ``E``
(``k x d``).

- tied loss ``L(W) = ||X - W W^T X||_F^2``, gradient (A3)
  ``-4 S W + 2 S W W^T W + 2 W W^T S W``;
- untied loss ``L(D, E) = ||X - D E X||_F^2``;
- optima from the eigenvectors ``U_k`` of ``S`` (A2, A5) and the
  weight-decay optimum's singular values (F4).

Gradient descent lives in :mod:`verify.training`. Comparisons of computed
values use :func:`gradient_tolerance` and :func:`loss_tolerance`, float64
error bounds stated in machine epsilon, the dimensions and the norms.
"""

from __future__ import annotations

import operator

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix
from verify.linalg import has_orthonormal_columns, numerical_rank

__all__ = [
    "covariance_spectrum",
    "gradient_tolerance",
    "loss_tolerance",
    "optimal_tied_weights",
    "optimal_untied_weights",
    "tied_gradient",
    "tied_loss",
    "untied_gradient",
    "untied_loss",
    "weight_decay_singular_values",
]

_EPS = float(np.finfo(np.float64).eps)


def _data(X) -> np.ndarray:
    return as_real_matrix(X, name="X")


def _require_rows(name: str, matrix: np.ndarray, X: np.ndarray) -> None:
    if matrix.shape[0] != X.shape[0]:
        raise InvalidMatrixError(
            f"{name} has shape {matrix.shape} but X has shape {X.shape}: {name} must have "
            f"d = X.shape[0] = {X.shape[0]} rows (one per feature of X)."
        )


def _untied_pair(D, E, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    D = as_real_matrix(D, name="D")
    E = as_real_matrix(E, name="E")
    _require_rows("D", D, X)
    expected = (D.shape[1], X.shape[0])
    if E.shape != expected:
        raise InvalidMatrixError(
            f"E has shape {E.shape} but D has shape {D.shape} and X has shape {X.shape}: "
            f"the encoder E must be k x d = {expected[0]} x {expected[1]}."
        )
    return D, E


def _code_size(k, d: int) -> int:
    try:
        k = operator.index(k)
    except TypeError:
        raise TypeError(
            f"k must be an integer code size; got {k!r} of type {type(k).__name__}."
        ) from None
    if not 1 <= k <= d:
        raise ValueError(
            f"k must satisfy 1 <= k <= d = {d} (the number of rows of X); got k = {k}."
        )
    return k


def tied_loss(W, X) -> float:
    """Tied reconstruction loss ``L(W) = ||X - W W^T X||_F^2``.

    Equal to ``tr((I - W W^T) S (I - W W^T))`` with ``S = X X^T``; computed
    from the residual, which keeps its relative accuracy near the optimum.

    >>> import numpy as np
    >>> X = np.diag([2.0, 1.0])            # S = diag(4, 1)
    >>> tied_loss(np.array([[1.0], [0.0]]), X)  # keeps u_1, loses lambda_2 = 1
    1.0
    """
    X = _data(X)
    W = as_real_matrix(W, name="W")
    _require_rows("W", W, X)
    residual = X - W @ (W.T @ X)
    return float(np.vdot(residual, residual))


def tied_gradient(W, X) -> np.ndarray:
    """Gradient of :func:`tied_loss` (claim A3).

    ``grad L(W) = -4 S W + 2 S W W^T W + 2 W W^T S W`` with ``S = X X^T``.
    It is evaluated in the equal residual form
    ``-2 (I - W W^T) S W - 2 S (I - W W^T) W = -2 R X^T W - 2 X R^T W`` with
    ``R = X - W W^T X``, so that it is small in floating point exactly
    where it is small in exact arithmetic (near critical points).

    >>> import numpy as np
    >>> X = np.diag([2.0, 1.0])
    >>> float(np.abs(tied_gradient(np.array([[1.0], [0.0]]), X)).max())  # u_1 is critical
    0.0
    >>> tied_gradient(np.array([[2.0], [0.0]]), X).ravel().tolist()  # d/dw 4 (1 - w^2)^2 at w = 2
    [96.0, -0.0]
    """
    X = _data(X)
    W = as_real_matrix(W, name="W")
    _require_rows("W", W, X)
    code = X.T @ W  # n x k
    residual = X - W @ code.T
    return -2.0 * (residual @ code) - 2.0 * (X @ (residual.T @ W))


def untied_loss(D, E, X) -> float:
    """Untied reconstruction loss ``L(D, E) = ||X - D E X||_F^2``.

    >>> import numpy as np
    >>> X = np.diag([2.0, 1.0])
    >>> untied_loss(np.array([[2.0], [0.0]]), np.array([[0.5, 0.0]]), X)
    1.0
    """
    X = _data(X)
    D, E = _untied_pair(D, E, X)
    residual = X - D @ (E @ X)
    return float(np.vdot(residual, residual))


def untied_gradient(D, E, X) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of :func:`untied_loss`: ``(grad_D, grad_E)``.

    ``grad_D = -2 (I - D E) S E^T`` and ``grad_E = -2 D^T (I - D E) S``,
    evaluated through the residual ``R = X - D E X`` as ``-2 R X^T E^T`` and
    ``-2 D^T R X^T``.

    >>> import numpy as np
    >>> X = np.diag([2.0, 1.0])
    >>> grad_D, grad_E = untied_gradient(np.array([[2.0], [0.0]]), np.array([[0.5, 0.0]]), X)
    >>> float(np.abs(grad_D).max()), float(np.abs(grad_E).max())
    (0.0, 0.0)
    """
    X = _data(X)
    D, E = _untied_pair(D, E, X)
    residual = X - D @ (E @ X)
    residual_data = residual @ X.T  # R X^T = (I - D E) S
    return -2.0 * (residual_data @ E.T), -2.0 * (D.T @ residual_data)


def covariance_spectrum(X) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (descending) and orthonormal eigenvectors of ``S = X X^T``.

    Computed from the SVD of ``X`` (eigenvalues are squared singular values,
    padded with zeros when ``n < d``), which is backward stable for ``X``
    itself rather than for the squared matrix ``S``. Each eigenvector's sign
    is fixed so that its entry of largest magnitude is positive, which makes
    the result reproducible.

    >>> import numpy as np
    >>> eigenvalues, U = covariance_spectrum(np.diag([1.0, 3.0]))
    >>> eigenvalues
    array([9., 1.])
    >>> U
    array([[0., 1.],
           [1., 0.]])
    """
    X = _data(X)
    d, n = X.shape
    U, singular, _ = np.linalg.svd(X, full_matrices=n < d)
    eigenvalues = np.zeros(d)
    eigenvalues[: singular.size] = singular**2
    largest = np.argmax(np.abs(U), axis=0)
    signs = np.where(U[largest, np.arange(d)] < 0, -1.0, 1.0)
    return eigenvalues, U * signs


def optimal_tied_weights(X, k, *, rotation=None) -> np.ndarray:
    """A global minimiser ``W = U_k Q`` of :func:`tied_loss` (claim A5).

    ``U_k`` holds the eigenvectors of ``S = X X^T`` for its ``k`` largest
    eigenvalues and ``Q`` is the ``k x k`` orthogonal ``rotation``
    (identity by default). The minimisers are exactly the matrices ``U_k Q``
    when ``lambda_k > lambda_(k+1)`` (distinct eigenvalues at the cut); if
    ``lambda_k = lambda_(k+1)`` the result is still a minimiser, but ``U_k``
    is then one choice among many. ``k`` must satisfy ``1 <= k <= d``.

    >>> import numpy as np
    >>> optimal_tied_weights(np.diag([2.0, 1.0]), 1)
    array([[1.],
           [0.]])
    >>> optimal_tied_weights(np.diag([2.0, 1.0]), 1, rotation=[[-1.0]])
    array([[-1.],
           [ 0.]])
    """
    X = _data(X)
    k = _code_size(k, X.shape[0])
    _, U = covariance_spectrum(X)
    leading = U[:, :k]
    if rotation is None:
        return leading.copy()
    rotation = as_real_matrix(rotation, name="rotation")
    if rotation.shape != (k, k) or not has_orthonormal_columns(rotation):
        raise InvalidMatrixError(
            f"rotation must be an orthogonal {k} x {k} matrix (Q^T Q = I); got shape "
            f"{rotation.shape}"
            + ("" if rotation.shape != (k, k) else " whose columns are not orthonormal")
            + "."
        )
    return leading @ rotation


def optimal_untied_weights(X, k, *, mixing=None) -> tuple[np.ndarray, np.ndarray]:
    """A global minimiser ``(D, E) = (U_k C, C^-1 U_k^T)`` of :func:`untied_loss` (A2).

    ``C`` is any invertible ``k x k`` ``mixing`` matrix (identity by
    default); ``E`` is computed by solving ``C E = U_k^T``. These are all the
    minimisers when ``lambda_k > lambda_(k+1)``. ``E = D^+`` always, but
    ``E = D^T`` only when ``C`` is orthogonal.

    >>> import numpy as np
    >>> D, E = optimal_untied_weights(np.diag([2.0, 1.0]), 1, mixing=[[2.0]])
    >>> D, E
    (array([[2.],
           [0.]]), array([[0.5, 0. ]]))
    """
    X = _data(X)
    k = _code_size(k, X.shape[0])
    _, U = covariance_spectrum(X)
    leading = U[:, :k]
    if mixing is None:
        return leading.copy(), leading.T.copy()
    mixing = as_real_matrix(mixing, name="mixing")
    if mixing.shape != (k, k) or numerical_rank(mixing) < k:
        raise InvalidMatrixError(
            f"mixing must be an invertible {k} x {k} matrix; got shape {mixing.shape}"
            + ("" if mixing.shape != (k, k) else " of numerical rank below k")
            + "."
        )
    return leading @ mixing, np.linalg.solve(mixing, leading.T)


def weight_decay_singular_values(eigenvalues, weight_decay, *, tied=True) -> np.ndarray:
    """Singular values of the weight-decay optimum (claim F4).

    For the ``k`` largest eigenvalues ``lambda_i`` of ``S``, the minimiser of
    ``L(W) + weight_decay ||W||_F^2`` (``tied=True``) has singular values
    ``sigma_i = sqrt(max(0, 1 - weight_decay / (2 lambda_i)))``; the minimiser
    of ``L(D, E) + weight_decay (||D||_F^2 + ||E||_F^2)`` (``tied=False``)
    has ``D = E^T`` with ``sigma_i = sqrt(max(0, 1 - weight_decay / lambda_i))``.
    Each comes from minimising the one-direction loss
    ``lambda_i (1 - s)^2 + c s`` over ``s = sigma_i^2 >= 0`` (``c`` the
    weight decay, doubled in the untied case because ``||D||^2 + ||E||^2 >= 2 |s|``).
    A zero eigenvalue with zero weight decay leaves ``sigma_i`` undetermined
    (claim F1) and is refused.

    >>> weight_decay_singular_values([4.0, 1.0], 1.0)
    array([0.93541435, 0.70710678])
    >>> weight_decay_singular_values([4.0, 1.0], 1.0, tied=False)
    array([0.8660254, 0.       ])
    """
    values = np.asarray(eigenvalues)
    if values.ndim != 1 or values.size == 0 or values.dtype.kind not in "iuf":
        raise ValueError(
            "eigenvalues must be a non-empty 1-D array of real numbers; got "
            f"shape {values.shape} and dtype {values.dtype}."
        )
    values = values.astype(np.float64)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(
            f"eigenvalues must be finite and >= 0 (eigenvalues of S = X X^T); got {values}."
        )
    decay = float(weight_decay)
    if not np.isfinite(decay) or decay < 0:
        raise ValueError(f"weight_decay must be a finite number >= 0; got {weight_decay!r}.")
    if decay == 0 and np.any(values == 0):
        raise ValueError(
            "a zero eigenvalue with weight_decay = 0 leaves its singular value undetermined "
            "(every value gives the same loss, claim F1); pass positive eigenvalues or a "
            "positive weight_decay."
        )
    scale = 2.0 if tied else 1.0
    with np.errstate(divide="ignore"):
        ratio = np.where(values > 0, decay / (scale * np.where(values > 0, values, 1.0)), np.inf)
    return np.sqrt(np.maximum(0.0, 1.0 - ratio))


def _weight_scale(weights) -> tuple[float, int]:
    norms = [float(np.linalg.norm(M)) for M in weights]
    dimension = max(max(M.shape) for M in weights)
    return max(norms, default=0.0), dimension


def gradient_tolerance(X, *weights) -> float:
    """Float64 error bound for a gradient of either loss evaluated at ``weights``.

    ``m`` is the largest dimension among ``X`` and the weights, ``x = ||X||_F``
    and ``w`` the largest Frobenius norm of the weights. The gradient is a
    sum of terms of total coefficient at most 8, each a chain of at most 5
    matrix products; Higham's bound ``|fl(AB) - AB| <= m eps |A| |B|`` (Accuracy
    and Stability of Numerical Algorithms, sec. 3.5) with
    ``|| |A| |B| ||_F <= ||A||_F ||B||_F`` gives ``40 m eps x^2 (w + w^3)``.
    The bound is doubled so that it also covers weights that are exact for
    data perturbed within the backward error of a stable SVD of ``X``
    (as :func:`optimal_tied_weights` computes them):
    ``80 m eps x^2 (w + w^3)``.

    >>> import numpy as np
    >>> X = np.diag([2.0, 1.0])
    >>> W = optimal_tied_weights(X, 1)
    >>> bool(np.linalg.norm(tied_gradient(W, X)) <= gradient_tolerance(X, W))
    True
    """
    X = _data(X)
    weights = [as_real_matrix(M, name=f"weights[{i}]") for i, M in enumerate(weights)]
    w, dimension = _weight_scale(weights)
    m = max(max(X.shape), dimension)
    x = float(np.linalg.norm(X))
    return 80.0 * m * _EPS * x**2 * (w + w**3)


def loss_tolerance(X, *weights) -> float:
    """Float64 error bound for a loss evaluated at ``weights`` (either loss).

    The residual ``R = X - D E X`` (``D E = W W^T`` tied) is two products
    and a subtraction, so its error is at most ``2 m eps x (1 + w^2)``
    (notation of :func:`gradient_tolerance`); squaring it adds at most
    ``2 ||R||_F`` times that plus ``m eps ||R||_F^2``, with
    ``||R||_F <= x (1 + w^2)``: ``5 m eps x^2 (1 + w^2)^2``. Doubled, as for
    the gradient, to cover weights from a backward-stable SVD and the
    rounding of an eigenvalue sum it is compared with:
    ``10 m eps x^2 (1 + w^2)^2``.

    >>> import numpy as np
    >>> X = np.diag([2.0, 1.0])
    >>> W = optimal_tied_weights(X, 1)
    >>> bool(abs(tied_loss(W, X) - 1.0) <= loss_tolerance(X, W))
    True
    """
    X = _data(X)
    weights = [as_real_matrix(M, name=f"weights[{i}]") for i, M in enumerate(weights)]
    w, dimension = _weight_scale(weights)
    m = max(max(X.shape), dimension)
    x = float(np.linalg.norm(X))
    return 10.0 * m * _EPS * x**2 * (1.0 + w**2) ** 2
