"""A2: untied optima D = U_k C, E = C^{-1} U_k^T are pseudo-inverses of each other, not transposes.

On definite data with distinct eigenvalues (`data_matrices`, separation >= 1/2):
the optimum is critical, D E is the projector U_k U_k^T, the loss is the sum of
the discarded eigenvalues, E = D^+ and D = E^+; and ||E - D^T||_2 =
||C^{-1} - C^T||_2 = max |sigma_i - 1/sigma_i| over the singular values of C
(C^{-1} and C^T share C's singular vectors, claim P5), so E = D^T exactly when
C is orthogonal. Other eigenvector subsets are critical points with a descent
direction (saddles): rotating u_j (discarded rank) towards a missing u_i lowers
the loss by exactly (lambda_i - lambda_j) sin^2 t.

Rounding: E is computed by solving C E = U_k^T, with error at most
m eps kappa(C) ||C^{-1}||_2 to first order (backward-stable solve), and D by one
product, error m eps ||C||_2; `_mixing_error` bounds both. Each comparison
adds what that moves, on top of `gradient_tolerance` / `loss_tolerance`.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from verify import (
    covariance_spectrum,
    gradient_tolerance,
    loss_tolerance,
    optimal_untied_weights,
    untied_gradient,
    untied_loss,
)
from verify.strategies import data_matrices, orthogonal_matrices

_EPS = float(np.finfo(float).eps)


def _in_range(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def _mixing(draw, k, *, orthogonal):
    """C = P diag(sigma) R^T; non-orthogonal ones have some |sigma - 1| >= 1/8."""
    if orthogonal:
        sigmas = np.ones(k)
    else:
        sigmas = np.array([draw(_in_range(0.5, 2.0)) for _ in range(k)])
        below = draw(st.booleans())
        sigmas[0] = draw(_in_range(0.5, 0.875) if below else _in_range(1.125, 2.0))
    return (draw(orthogonal_matrices(k)) * sigmas) @ draw(orthogonal_matrices(k)).T


@st.composite
def _optimum(draw):
    """Definite data, a code size, and a mixing C that is orthogonal half the time."""
    X = draw(data_matrices(max_dimension=4))
    k = draw(st.integers(1, X.shape[0]))
    return X, k, draw(_mixing(k, orthogonal=draw(st.booleans())))


def _mixing_error(C, X):
    sigma = np.linalg.svd(C, compute_uv=False)
    m = max(X.shape)
    return 4 * m * _EPS * (sigma[0] / sigma[-1]) * max(sigma[0], 1 / sigma[-1])


@given(_optimum())
def test_a2_untied_optimum_is_critical_and_reaches_the_discarded_eigenvalues(case):
    X, k, C = case
    D, E = optimal_untied_weights(X, k, mixing=C)
    eigenvalues, U = covariance_spectrum(X)
    weights = max(np.linalg.norm(D, 2), np.linalg.norm(E, 2))
    moved = 4 * eigenvalues[0] * weights**2 * _mixing_error(C, X)
    grad_D, grad_E = untied_gradient(D, E, X)
    largest = max(np.linalg.norm(grad_D), np.linalg.norm(grad_E))
    assert largest <= gradient_tolerance(X, D, E) + moved
    projector = U[:, :k] @ U[:, :k].T
    assert np.abs(D @ E - projector).max() <= weights**2 * _mixing_error(C, X)
    discarded = float(eigenvalues[k:].sum())
    loss_moved = 2 * np.linalg.norm(X) ** 2 * weights**2 * _mixing_error(C, X)
    assert abs(untied_loss(D, E, X) - discarded) <= loss_tolerance(X, D, E) + loss_moved


@given(_optimum())
def test_a2_encoder_and_decoder_are_pseudo_inverses_of_each_other(pinv_numerics, case):
    X, k, C = case
    D, E = optimal_untied_weights(X, k, mixing=C)
    sigma = np.linalg.svd(C, compute_uv=False)
    # Wedin: ||pinv(M + dM) - M^+|| <= 2 ||M^+||^2 ||dM|| for full rank, with the input
    # error _mixing_error(C, X) and pinv's own SVD backward error (conftest's pinv_numerics).
    pairs = ((D, E, 1 / sigma[-1]), (E, D, sigma[0]))
    for matrix, inverse, inverse_norm in pairs:
        input_error = _mixing_error(C, X) + pinv_numerics.svd_backward_error(matrix)
        bound = 2 * inverse_norm**2 * input_error + _mixing_error(C, X)
        assert np.abs(np.linalg.pinv(matrix) - inverse).max() <= bound


@given(_optimum())
def test_a2_encoder_is_the_transpose_only_for_orthogonal_mixing(case):
    X, k, C = case
    D, E = optimal_untied_weights(X, k, mixing=C)
    sigma = np.linalg.svd(C, compute_uv=False)
    predicted = float(np.max(np.abs(sigma - 1 / sigma)))  # P5 for C: ||C^{-1} - C^T||_2
    gap = np.linalg.norm(E - D.T, 2)
    assert abs(gap - predicted) <= 4 * _mixing_error(C, X)
    orthogonal = bool(np.all(np.abs(sigma - 1) <= 4 * _mixing_error(C, X)))
    if orthogonal:
        assert gap <= 8 * _mixing_error(C, X)
    else:
        assert gap >= 1.125 - 1 / 1.125 - 4 * _mixing_error(C, X)  # some |sigma - 1| >= 1/8


@st.composite
def _saddle(draw):
    X = draw(data_matrices(max_dimension=4).filter(lambda X: X.shape[0] >= 2))
    d = X.shape[0]
    k = draw(st.integers(1, d - 1))
    missing = draw(st.integers(0, k - 1))  # a leading eigenvector left out ...
    extra = draw(st.integers(k, d - 1))  # ... in favour of a discarded one
    kept = [i for i in range(k) if i != missing] + [extra]
    return X, kept, missing, draw(_in_range(0.1, np.pi / 2))


@given(_saddle())
def test_a2_other_eigenvector_subsets_are_saddles_with_a_descent_direction(case):
    X, kept, missing, angle = case
    eigenvalues, U = covariance_spectrum(X)
    D = U[:, kept]
    grad_D, grad_E = untied_gradient(D, D.T, X)
    assert max(np.linalg.norm(grad_D), np.linalg.norm(grad_E)) <= gradient_tolerance(X, D, D.T)
    loss = untied_loss(D, D.T, X)
    discarded = np.delete(eigenvalues, kept).sum()
    assert abs(loss - discarded) <= loss_tolerance(X, D)
    assert loss >= eigenvalues[len(kept):].sum() + 0.5 - loss_tolerance(X, D)  # not optimal
    rotated = D.copy()
    rotated[:, -1] = np.cos(angle) * U[:, kept[-1]] + np.sin(angle) * U[:, missing]
    decrease = loss - untied_loss(rotated, rotated.T, X)
    predicted = (eigenvalues[missing] - eigenvalues[kept[-1]]) * np.sin(angle) ** 2
    assert abs(decrease - predicted) <= 2 * loss_tolerance(X, D)
    assert predicted >= 0.5 * np.sin(0.1) ** 2 - loss_tolerance(X, D)  # separation >= 1/2: descent
