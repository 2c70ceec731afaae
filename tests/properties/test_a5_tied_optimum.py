"""A5: the tied optimum U_k Q costs nothing over the untied one; tying selects orthogonal C.

- U_k Q (any orthogonal Q) and the untied U_k C, C^{-1} U_k^T reach the same
  loss, the sum of the discarded eigenvalues (compared within `loss_tolerance`);
- no tied weights do better (Eckart-Young), and tied weights U_k C with C not
  orthogonal lose at least lambda_k ||I - C C^T||_F^2: in the eigenbasis the
  loss is tr((I - M) Lambda_k (I - M)) + the discarded eigenvalues, M = C C^T;
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
