"""D2: at a global minimum of a deep tied autoencoder the layers need not be partial isometries.

The exact example: S = diag(3, 2, 1), W_1 = [[2, 0, 0], [0, 1, 0]], W_2 = [1/2, 0].
E = W_2 W_1 = [1, 0, 0] is the optimum (loss lambda_2 + lambda_3 = 3), every layer
gradient is exactly zero, and W_1 has singular values 2 and 1, W_2 has 1/2.

Gradient descent reaches such minima: from an unbalanced stack the imbalance
B = W_2^T W_2 - W_1 W_1^T moves only by the step^2 drift that `train_deep` bounds
(D4), and a stack of partial isometries has ||B||_2 <= 1 (each side is an orthogonal
projector). Quantitatively, ||B||_2 <= max(||W_1||_2^2, ||W_2||_2^2), so some layer
has a singular value sigma >= sqrt(||B||_2) and gap >= sqrt(||B||_2) - 1 / sqrt(||B||_2).
"""

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import covariance_spectrum, is_partial_isometry, loss_tolerance, singular_values
from verify.deep import (
    end_to_end_encoder,
    exact_deep_loss,
    exact_layer_gradients,
    imbalances,
    layer_gaps,
)
from verify.deep_strategies import (
    aligned_training_budget,
    aligned_with_top_eigenvectors,
    unbalanced_layers,
)
from verify.deep_training import (
    deep_default_learning_rate,
    train_deep,
)
from verify.strategies import data_matrices

_TRAINING = settings.get_profile("training")
S = np.diag([3, 2, 1])
W1 = [[2, 0, 0], [0, 1, 0]]
W2 = [[Fraction(1, 2), 0]]


def test_d2_exact_example_is_a_critical_point_with_the_optimal_loss():
    gradients = exact_layer_gradients([W1, W2], S)
    assert all((g == 0).all() for g in gradients)
    assert exact_deep_loss([W1, W2], S) == 2 + 1  # lambda_2 + lambda_3: the PCA optimum


def test_d2_exact_example_end_to_end_is_orthonormal_but_the_layers_are_not():
    E = np.array(W2, dtype=object) @ np.array(W1, dtype=object)
    assert E.tolist() == [[1, 0, 0]] and (E @ E.T == 1).all()  # E E^T = I_1: E^T = E^+
    first = np.array(W1, dtype=object)
    # W_1 W_1^T W_1 = diag(4, 1) W_1 != W_1: not a partial isometry (exactly).
    assert not (first @ first.T @ first == first).all()
    assert singular_values(np.array(W1, float)).tolist() == [2.0, 1.0]
    assert not is_partial_isometry(np.array(W1, float))
    assert not is_partial_isometry(np.array(W2, float))
    assert layer_gaps([np.array(W1, float), np.array(W2, float)]) == [1.5, 1.5]


def test_d2_a_small_rational_change_of_the_example_is_not_critical():
    # The test can fail: the exact gradient sees a change of 1/100 in W_2.
    moved = [[Fraction(51, 100), 0]]
    assert any((g != 0).any() for g in exact_layer_gradients([W1, moved], S))


@st.composite
def _unbalanced_problem(draw):
    X = draw(data_matrices(max_dimension=4, smallest=1.0, separation=1.0))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    layers = draw(unbalanced_layers(d=d, k=k, spread=3.0, max_depth=2))
    return X, k, aligned_with_top_eigenvectors(layers, X)


@_TRAINING
@given(_unbalanced_problem())
def test_d2_gradient_descent_from_an_unbalanced_start_reaches_the_optimum_not_partial_isometries(
    case,
):
    X, k, layers = case
    eta = deep_default_learning_rate(X, layers)
    target = 1e-10
    steps = aligned_training_budget(X, layers, learning_rate=eta, target=target)
    run = train_deep(X, layers, steps=steps, learning_rate=eta)
    optimum = float(covariance_spectrum(X)[0][k:].sum())
    E = end_to_end_encoder(list(run.layers))
    assert run.loss[-1] - optimum <= target + loss_tolerance(X, E.T)
    # The imbalance is where it started, to the bounded drift (D4) ...
    start, end = run.initial_imbalances[0], imbalances(list(run.layers))[0]
    assert np.linalg.norm(end - start, 2) <= run.imbalance_drift_bound[0]
    # ... which is far above 1: (spread^2 - 1) s^2 >= 8 / 4 for the drawn s >= 1/2.
    size = np.linalg.norm(start, 2) - run.imbalance_drift_bound[0]
    assert size > 1
    # So some layer is far from a partial isometry (module doc), while E^T = E^+: the row
    # space of E stays that of U_k^T, so the loss excess is sum lambda_i (1 - e_i^2)^2 and
    # |1 - e_i^2| <= t = sqrt(excess / lambda_k), gap |e - 1/e| = |1 - e^2| / e <= 2 t (t <= 3/4).
    assert max(layer_gaps(list(run.layers), rank=k)) >= math.sqrt(size) - 1 / math.sqrt(size)
    assert max(layer_gaps([E], rank=k)) <= 2 * math.sqrt((target + loss_tolerance(X, E.T))
                                                         / covariance_spectrum(X)[0][k - 1])
