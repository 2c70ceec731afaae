"""A5: the tied optimum U_k Q costs nothing over the untied one; tying selects orthogonal C.

- U_k Q (any orthogonal Q) and the untied U_k C, C^{-1} U_k^T reach the same
  loss, the sum of the discarded eigenvalues (compared within `loss_tolerance`);
- no tied weights do better (Eckart-Young), and tied weights U_k C with C not
  orthogonal lose at least lambda_k ||I - C C^T||_F^2: in the eigenbasis the
  loss is tr((I - M) Lambda_k (I - M)) + the discarded eigenvalues, M = C C^T;
- the minima are exactly U_k Q: the excess loss of any W of full column rank is
  at least (lambda_k - lambda_(k+1)) times how far col(W) leans onto the
  discarded eigenvectors plus lambda_d ||Sigma^2 - I||_F^2;
- gradient descent reaches the optimum value and the optimal subspace. With the
  budget of tests/properties/conftest.py the in-span error is below target^2 and
  the component towards discarded eigenvectors below sqrt(target) (it enters the
  singular values quadratically), so the excess loss (curvature at most
  8 lambda_1 in the span, at most 2 lambda_1 across) is at most
  4 lambda_1 k target, and ||W W^T - U_k U_k^T||_2 at most 2 sqrt(target) + target.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify import (
    covariance_spectrum,
    loss_tolerance,
    optimal_tied_weights,
    optimal_untied_weights,
    tied_loss,
    train_tied,
    untied_loss,
)
from verify.strategies import data_matrices, orthogonal_matrices

# Each example trains a model: the `training` profile of tests/conftest.py.
_TRAINING = settings.get_profile("training")
_ENTRIES = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def _data_and_code_size(draw, **data_options):
    X = draw(data_matrices(max_dimension=4, **data_options))
    return X, draw(st.integers(1, X.shape[0]))


@given(_data_and_code_size(), st.data())
def test_a5_tied_and_untied_optima_have_the_same_loss(case, data):
    X, k = case
    Q = data.draw(orthogonal_matrices(k))
    scales = data.draw(arrays(np.float64, k, elements=st.floats(0.5, 2.0)))
    C = data.draw(orthogonal_matrices(k)) * scales  # kappa(C) <= 4
    W = optimal_tied_weights(X, k, rotation=Q)
    D, E = optimal_untied_weights(X, k, mixing=C)
    discarded = float(covariance_spectrum(X)[0][k:].sum())
    assert abs(tied_loss(W, X) - discarded) <= loss_tolerance(X, W)
    # E solves C E = U_k^T: relative error up to kappa(C) <= 4 times that of W.
    assert abs(untied_loss(D, E, X) - discarded) <= 4 * loss_tolerance(X, D, E)


@given(_data_and_code_size(), st.data())
def test_a5_no_tied_weights_beat_the_optimum(case, data):
    X, k = case
    W = data.draw(arrays(np.float64, (X.shape[0], k), elements=_ENTRIES))
    discarded = float(covariance_spectrum(X)[0][k:].sum())
    assert tied_loss(W, X) >= discarded - loss_tolerance(X, W)


@given(_data_and_code_size(), st.data())
def test_a5_tying_an_untied_optimum_with_non_orthogonal_mixing_costs_extra(case, data):
    X, k = case
    sigmas = data.draw(arrays(np.float64, k, elements=st.floats(0.5, 2.0)))
    below = data.draw(st.booleans())
    sigmas[0] = data.draw(st.floats(0.5, 0.875) if below else st.floats(1.125, 2.0))
    core = (data.draw(orthogonal_matrices(k)) * sigmas) @ data.draw(orthogonal_matrices(k)).T
    eigenvalues, U = covariance_spectrum(X)
    W = U[:, :k] @ core  # the decoder of an untied optimum, used as tied weights
    excess = tied_loss(W, X) - eigenvalues[k:].sum()
    mismatch = np.linalg.norm(np.eye(k) - core @ core.T) ** 2
    assert excess >= eigenvalues[k - 1] * mismatch - loss_tolerance(X, W)
    assert mismatch >= (1 - 0.875**2) ** 2  # some |sigma - 1| >= 1/8: a real extra cost


@_TRAINING
@given(_data_and_code_size(smallest=1.0, separation=1.0), st.integers(0, 2**32 - 1))
def test_a5_tied_training_reaches_the_optimal_value_and_subspace(tied_budget, case, seed):
    X, k = case
    target = 1e-8
    result = train_tied(X, k, steps=tied_budget(X, k, seed=seed, target=target), seed=seed)
    eigenvalues, U = covariance_spectrum(X)
    W = result.weights
    excess = result.loss[-1] - eigenvalues[k:].sum()
    assert -loss_tolerance(X, W) <= excess <= 4 * eigenvalues[0] * k * target + loss_tolerance(X, W)
    projector = U[:, :k] @ U[:, :k].T
    assert np.linalg.norm(W @ W.T - projector, 2) <= 2 * np.sqrt(target) + target
    # W = U_k Q + (cross component) with Q = U_k^T W orthogonal: Q^T Q - I = (W^T W - I)
    # minus the squared cross component, each at most target.
    rotation = U[:, :k].T @ W
    assert np.linalg.norm(rotation.T @ rotation - np.eye(k), 2) <= 2 * target


@st.composite
def _weights_of_full_column_rank(draw, d, k):
    """`Q_d[:, :k] diag(sigma) Q_k^T`: any column space, singular values 1 or in [1/2, 2]."""
    sigmas = np.ones(k)
    if draw(st.booleans()):
        sigmas = draw(arrays(np.float64, k, elements=st.floats(0.5, 2.0)))
    return (draw(orthogonal_matrices(d))[:, :k] * sigmas) @ draw(orthogonal_matrices(k)).T


@given(_data_and_code_size(), st.data())
def test_a5_the_minima_are_exactly_the_u_k_q(case, data):
    # Uniqueness, quantitatively. With Pi the orthogonal projector on col(W) and P = W W^T,
    # (I - P)^2 = (I - Pi) + (Pi - P)^2, so
    #   L(W) - optimum = [tr(S (I - Pi)) - optimum] + tr(S (Pi - P)^2)
    #     >= (lambda_k - lambda_(k+1)) ||U_perp^T Pi||_F^2 + lambda_d ||Sigma^2 - I||_F^2
    # (Ky Fan for the first term: a subspace leaning by ||U_perp^T Pi||_F^2 onto the discarded
    # eigenvectors trades at least lambda_k for at most lambda_(k+1) there). Zero excess forces
    # col(W) = col(U_k) and Sigma = I: W = U_k Q and nothing else.
    X, k = case
    W = data.draw(_weights_of_full_column_rank(X.shape[0], k))
    eigenvalues, U = covariance_spectrum(X)
    left, sigma, _ = np.linalg.svd(W, full_matrices=False)
    leaning = np.linalg.norm(U[:, k:].T @ left) ** 2
    separation = eigenvalues[k - 1] - (eigenvalues[k] if k < len(eigenvalues) else 0.0)
    bound = separation * leaning + eigenvalues[-1] * np.linalg.norm(sigma**2 - 1) ** 2
    excess = tied_loss(W, X) - eigenvalues[k:].sum()
    # The bound's own rounding (eigenvalues within 2 p eps lambda_1, the norms within p eps
    # relative, p = max(X.shape)) is at most 6 k p eps lambda_1 (1 + sigma_max^2)^2, inside
    # loss_tolerance = 10 m eps ||X||_F^2 (1 + ||W||_F^2)^2 as ||X||_F^2 >= lambda_1.
    assert excess >= bound - loss_tolerance(X, W)
