"""A4: with S positive definite every tied critical point is a partial isometry (W^T = W^+).

Critical points of every kind: U_J Q for any subset J of eigenvectors (the
optimum J = {1..k} and the saddles), and the rank-deficient U_J V^T with V^T of
orthonormal rows (partial isometries without orthonormal columns).

The quantitative form of the Sylvester argument is tested on weights that are
not partial isometries, at every rank r <= k: W^T grad L(W) = 2 (A (G - I) +
(G - I) A) with A = W^T S W and G = W^T W. With the compact SVD W = U_r Sigma V^T
(V: k x r), V^T (G - I) V = Sigma^2 - I_r and V^T A V = Sigma M Sigma with
M = U_r^T S U_r, whose smallest eigenvalue is at least lambda_min(S) sigma_r^2, so
(Y -> B Y + Y B has smallest singular value 2 lambda_min(B))
||grad L(W)||_F >= 4 lambda_min(S) sigma_r^2 ||Sigma_r^2 - I_r||_F / sigma_max(W) > 0:
at full rank ||G - I||_F, below it the nonzero singular values only.

Gradient descent from small random weights reaches orthonormal columns; the
step budget comes from the spectrum (tests/properties/conftest.py).
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import (
    covariance_spectrum,
    gradient_tolerance,
    has_orthonormal_columns,
    is_partial_isometry,
    orthonormality_defect,
    tied_gradient,
    train_tied,
    transpose_pseudo_inverse_gap,
)
from verify.strategies import (
    data_matrices,
    full_rank_non_orthonormal,
    orthogonal_matrices,
    rank_deficient,
)

_EPS = float(np.finfo(float).eps)
# Each example trains a model: the `training` profile of tests/conftest.py.
_TRAINING = settings.get_profile("training")


@st.composite
def _eigenvector_subset_times_rotation(draw):
    X = draw(data_matrices(max_dimension=4))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    subset = draw(st.permutations(range(d)))[:k]
    return X, subset, draw(orthogonal_matrices(k))


@given(_eigenvector_subset_times_rotation())
def test_a4_eigenvector_subsets_times_rotations_are_critical_with_orthonormal_columns(case):
    X, subset, Q = case
    _, U = covariance_spectrum(X)
    W = U[:, subset] @ Q
    assert np.linalg.norm(tied_gradient(W, X)) <= gradient_tolerance(X, W)
    assert has_orthonormal_columns(W)


@st.composite
def _rank_deficient_critical_point(draw):
    X = draw(data_matrices(max_dimension=4).filter(lambda X: X.shape[0] >= 2))
    d = X.shape[0]
    k = draw(st.integers(2, d))
    rank = draw(st.integers(1, k - 1))
    subset = draw(st.permutations(range(d)))[:rank]
    rows = draw(orthogonal_matrices(k))[:rank]  # V^T: rank x k with orthonormal rows
    return X, subset, rows


@given(_rank_deficient_critical_point())
def test_a4_rank_deficient_critical_points_are_partial_isometries_without_orthonormal_columns(case):
    X, subset, rows = case
    _, U = covariance_spectrum(X)
    W = U[:, subset] @ rows
    assert np.linalg.norm(tied_gradient(W, X)) <= gradient_tolerance(X, W)
    assert is_partial_isometry(W)
    assert not has_orthonormal_columns(W)  # W^T W = V V^T has a zero eigenvalue


@st.composite
def _non_orthonormal_weights(draw):
    X = draw(data_matrices(max_dimension=4))
    d = X.shape[0]
    # Full rank or rank r < k, nonzero singular values in [1/4, 4], one at least 1/8 from 1.
    choices = [full_rank_non_orthonormal(max_rows=d)] + [rank_deficient(max_rows=d)] * (d >= 2)
    core = draw(st.one_of(choices))
    # The strategies draw their own row count d' <= d: an orthonormal embedding into d rows
    # keeps the singular values.
    embed = draw(orthogonal_matrices(d))[:, : core.shape[0]]
    return X, embed @ core


def _relative_rounding(X, W, sigma, eigenvalues, mismatch):
    """Relative error of the computed lower bound `4 lambda_min sigma_r^2 mismatch / sigma_max`.

    Each singular value from an SVD is within `p eps` times the largest (`p` the
    larger dimension; the eigenvalues of S are squared singular values of X):
    lambda_min to `2 p eps sqrt(lambda_1 / lambda_min)`, sigma_r^2 to `2 p eps
    sigma_max / sigma_r`, sigma_max to `p eps`, and `mismatch = ||Sigma_r^2 -
    I||_F` to `2 sqrt(r) p eps sigma_max^2` absolutely; first order, summed.
    """
    p_x, p_w = max(X.shape), max(W.shape)
    return _EPS * (
        2 * p_x * np.sqrt(eigenvalues[0] / eigenvalues[-1])
        + 2 * p_w * sigma[0] / sigma[-1]
        + p_w
        + 2 * np.sqrt(len(sigma)) * p_w * sigma[0] ** 2 / mismatch
    )


@given(_non_orthonormal_weights())
def test_a4_sylvester_bound_gradient_is_at_least_proportional_to_the_orthonormality_defect(case):
    X, W = case
    eigenvalues, _ = covariance_spectrum(X)
    every = np.linalg.svd(W, compute_uv=False)
    sigma = every[every > 1e-3]  # nonzero ones are >= 1/4, zero ones at rounding level
    mismatch = np.linalg.norm(sigma**2 - 1)
    lower = 4 * eigenvalues[-1] * sigma[-1] ** 2 * mismatch / sigma[0]
    gradient = np.linalg.norm(tied_gradient(W, X))
    relative = _relative_rounding(X, W, sigma, eigenvalues, mismatch)
    assert gradient >= lower * (1 - relative) - gradient_tolerance(X, W)
    # A real margin: lambda_min >= 1/2, sigma in [1/4, 4] with some |sigma - 1| >= 1/8,
    # so ||Sigma_r^2 - I||_F >= 1 - 0.875^2.
    assert lower >= 4 * 0.5 * 0.25**2 * (1 - 0.875**2) / 4.0 * (1 - relative)


@_TRAINING
@given(data_matrices(max_dimension=3, smallest=1.0, separation=1.0), st.data())
def test_a4_gradient_descent_from_small_random_weights_reaches_orthonormal_columns(
    tied_budget, X, data
):
    k = data.draw(st.integers(1, X.shape[0]))
    seed = data.draw(st.integers(0, 2**32 - 1))
    target = 1e-8
    result = train_tied(X, k, steps=tied_budget(X, k, seed=seed, target=target), seed=seed)
    W = result.weights
    assert orthonormality_defect(W) <= target
    # P5: ||W^T - W^+||_2 <= delta / sqrt(1 - delta) for defect delta < 1.
    assert transpose_pseudo_inverse_gap(W) <= target / np.sqrt(1 - target)
    assert result.orthonormality_defect[0] >= 0.5  # it did not start there
