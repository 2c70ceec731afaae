"""Shared by the property tests: a training step budget, and two rounding-error bounds.

The step budget of the training properties is derived from the spectrum:

Gradient descent on the tied loss (plus weight_decay ||W||_F^2) with the default
step eta = 1 / (8 lambda_1 + 2 weight_decay) has two phases.

1. Escape from the small initial weights: near W = 0 the update is linear,
   W <- (I + eta (4 S - 2 weight_decay)) W, so the component along the k-th
   eigenvector grows by g = 1 + eta (4 lambda_k - 2 weight_decay) per step, from
   c_0 = sigma_min(U_k^T W_0) (computed from the actual initial weights) to the
   target size sigma_k / 2: T_escape = log(sigma_k / (2 c_0)) / log g.
2. Linear convergence at the optimum U_k diag(sigma) Q (sigma_i^2 = 1 -
   weight_decay / (2 lambda_i)): the Hessian's curvatures are 8 lambda_i
   sigma_i^2 inside the span (which moves the singular values linearly) and
   2 (lambda_k - lambda_(k+1)) (1 + weight_decay / (2 lambda_k)) >= 2 (lambda_k -
   lambda_(k+1)) towards discarded eigenvectors (which moves them only
   quadratically), so the error in the singular values contracts per step by
   rho = max(1 - 8 eta min_i lambda_i sigma_i^2, (1 - 2 eta (lambda_k - lambda_(k+1)))^2)
   and T_local = log(target) / log(rho) steps bring an O(1) error below target.

rho is taken at least 1/2: where the linear rate vanishes (k = d = 1 without weight decay)
the iteration converges quadratically, e <- 1.5 e^2 - 0.5 e^3, which from e = 1/2
is faster than halving. The budget is 2 (T_escape + T_local): the factor 2
covers the constants of the nonlinear transition between the phases, which the
linearisations ignore.
"""

import math
import types

import numpy as np
import pytest

from verify import (
    covariance_spectrum,
    default_learning_rate,
    orthonormality_defect,
    orthonormality_tolerance,
    train_tied,
)

_EPS = float(np.finfo(float).eps)
_UNIT_ROUNDOFF = _EPS / 2


def tied_training_budget(X, k, *, seed, target, weight_decay=0.0):
    eigenvalues, U = covariance_spectrum(X)
    eta = default_learning_rate(X, weight_decay=weight_decay)
    sigma_squared = 1.0 - weight_decay / (2.0 * eigenvalues[:k])
    assert sigma_squared.min() > 0, "budget derived for optima without zeroed directions"
    initial = train_tied(X, k, steps=0, seed=seed).weights  # the very weights training starts from
    component = np.linalg.svd(U[:, :k].T @ initial, compute_uv=False)[-1]
    growth = 1.0 + eta * (4.0 * eigenvalues[k - 1] - 2.0 * weight_decay)
    size = math.sqrt(sigma_squared.min()) / (2.0 * component)
    escape = max(0.0, math.log(size) / math.log(growth))
    inside = 1.0 - 8.0 * eta * float((eigenvalues[:k] * sigma_squared).min())
    rho = abs(inside)
    if k < len(eigenvalues):
        rho = max(rho, (1.0 - 2.0 * eta * (eigenvalues[k - 1] - eigenvalues[k])) ** 2)
    # Where the linear rate vanishes (lambda_k = lambda_1, k = d) convergence is quadratic,
    # e <- 1.5 e^2 along u_1 from e = 1/2, which beats halving at every step: rho >= 1/2.
    rho = max(rho, 0.5)
    local = math.log(target) / math.log(rho)
    return math.ceil(2.0 * (escape + local))


@pytest.fixture(scope="session")
def tied_budget():
    """`tied_training_budget(X, k, *, seed, target, weight_decay=0.0) -> steps` (module doc)."""
    return tied_training_budget


def scaled_columns_gap_error(A, scales):
    """How far the P5 gap of the float64 `A * scales` may be from `max_i |s_i - 1/s_i|`.

    For computed eigenvectors `A`, orthonormal only to `delta = ||A^T A - I||_2`
    (measured, plus its own tolerance). By the polar decomposition `A = Q (I +
    F)` with `Q` orthonormal and `||F||_2 <= delta` (the singular values of `A`
    lie in `[sqrt(1 - delta), sqrt(1 + delta)]`), so `A D = Q D + Q F D` with
    `D = diag(s)`, and by Weyl each singular value of the product is within `p =
    (delta + u) max |s_i|` of its `|s_i|` (the `u`: rounding each column's
    scaling). On `sigma >= |s| - p`, `|sigma - 1/sigma|` moves by at most `(1 +
    1/(|s| - p)^2) p`, and evaluating `|s - 1/s|` adds `3 u (|s| + 1/|s|)`.
    """
    sizes = np.abs(np.asarray(scales, dtype=float))
    delta = orthonormality_defect(A) + orthonormality_tolerance(A)
    perturbation = (delta + _UNIT_ROUNDOFF) * sizes.max()
    moved = (1 + 1 / (sizes - perturbation) ** 2) * perturbation
    return float((moved + 3 * _UNIT_ROUNDOFF * (sizes + 1 / sizes)).max())


@pytest.fixture(scope="session")
def scaled_gap_error():
    """`scaled_columns_gap_error(A, scales) -> float` (see there)."""
    return scaled_columns_gap_error


PSEUDO_INVERSE_CUTOFF = float(np.sqrt(_EPS))


def nonzero_singular_values(W):
    """The singular values above `PSEUDO_INVERSE_CUTOFF sigma_max`, largest first.

    The cutoff (rcond for numpy.linalg.pinv) suits the thin products of
    `verify.strategies`: their nonzero singular values are at least `sigma_max /
    16`, their zero ones a few `m eps sigma_max` (numpy's default rcond of 1e-15
    could keep those), and `sqrt(eps)` lies far from both.
    """
    sigma = np.linalg.svd(W, compute_uv=False)
    return sigma[sigma > PSEUDO_INVERSE_CUTOFF * sigma[0]]


def svd_backward_error(A):
    """`p(d, k) eps ||A||_F` with `p = 2 d k`: the SVD's backward error, as a bound.

    LAPACK's SVD reduces `A` to bidiagonal form by Householder transformations
    from both sides and then computes the bidiagonal SVD to high relative
    accuracy. A sequence of Householder transformations is backward stable
    columnwise, `||dA||_F <= gamma~_{dk} ||A||_F` (Higham, Accuracy and
    Stability of Numerical Algorithms, 2nd ed., Thm 19.4 and its two-sided use
    in sec. 19.7), with `gamma~_{dk} = c d k u` for a small constant `c`; read as
    `c = 4`, the same reading as the QR bound behind `orthonormality_tolerance`,
    that is `4 d k u = 2 d k eps`. By Weyl it also bounds the error of each
    computed singular value. (Worst seen in 10,000-example runs: about
    `16 eps sigma_max` at `d = 6`, `k = 2`, against `24 eps ||A||_F` here.)
    """
    return 2 * A.shape[0] * A.shape[1] * _EPS * np.linalg.norm(A)


def pinv_error(W):
    """Bound on `||pinv(W, rcond=PSEUDO_INVERSE_CUTOFF) - W^+||_2` for a correctly decided rank.

    The SVD is the exact SVD of `W + dW`, `||dW||_2 <= svd_backward_error(W)`,
    and Wedin's theorem for equal ranks gives `||pinv(W + dW) - W^+||_2 <= 2
    ||W^+||_2^2 ||dW||_2`; forming `V diag(1/sigma) U^T` adds at most `gamma_k
    ||W^+||_2` entrywise, `k eps ||W^+||_2` to first order.
    """
    pseudo_inverse_norm = 1 / nonzero_singular_values(W)[-1]
    rounding = W.shape[1] * _EPS * pseudo_inverse_norm
    return 2 * pseudo_inverse_norm**2 * svd_backward_error(W) + rounding


@pytest.fixture(scope="session")
def pinv_numerics():
    """`.cutoff`, `.nonzero_singular_values`, `.svd_backward_error`, `.pinv_error` (see each)."""
    return types.SimpleNamespace(
        cutoff=PSEUDO_INVERSE_CUTOFF,
        nonzero_singular_values=nonzero_singular_values,
        svd_backward_error=svd_backward_error,
        pinv_error=pinv_error,
    )
