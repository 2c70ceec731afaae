"""D4: W_(L+1)^T dL/dW_(L+1) = dL/dW_L W_L^T, so gradient flow conserves the imbalance.

The loss depends on the layers only through E, so with G = dL/dE both sides equal
(W_m ... W_(L+1))^T G (W_L ... W_1)^T. Exactly on rational stacks; in float64 to the
gradients' rounding (`layer_gradient_error_bounds`) carried through one more product.

Consequences, each tested: gradient descent moves the imbalance only by
eta^2 (g_(L+1)^T g_(L+1) - g_L g_L^T) per step (the drift `train_deep` bounds); with
weight decay mu the full gradients D_L = g_L + 2 lambda W_L satisfy
W_(L+1)^T D_(L+1) - D_L W_L^T = 2 lambda B_L, so at a critical point B_L = 0, and near one
||B_L||_2 <= (||W_(L+1)||_2 ||D_(L+1)||_2 + ||D_L||_2 ||W_L||_2) / (2 lambda).
"""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.deep import (
    exact_layer_gradients,
    imbalances,
    layer_gradients,
)
from verify.deep_strategies import (
    aligned_with_top_eigenvectors,
    balanced_layers,
    rational_layers,
    unbalanced_layers,
)
from verify.deep_training import (
    deep_default_learning_rate,
    layer_gradient_error_bounds,
    train_deep,
)
from verify.strategies import data_matrices

_TRAINING = settings.get_profile("training")
_U = np.finfo(float).eps / 2


@given(rational_layers(max_depth=4))
def test_d4_gradient_identity_holds_exactly_on_rational_stacks(case):
    S, layers = case
    gradients = exact_layer_gradients(layers, S)
    for L in range(len(layers) - 1):
        assert (layers[L + 1].T @ gradients[L + 1] == gradients[L] @ layers[L].T).all()


def test_d4_gradient_identity_needs_the_transposes_in_the_right_places():
    # The test can fail: with W_(L+1) instead of W_(L+1)^T the two sides differ.
    S = np.array([[2, 1], [1, 2]], dtype=object)
    layers = [np.array([[1, 2], [0, 1]], dtype=object), np.array([[1, 1], [2, 0]], dtype=object)]
    g = exact_layer_gradients(layers, S)
    assert (layers[1].T @ g[1] == g[0] @ layers[0].T).all()
    assert not (layers[1] @ g[1] == g[0] @ layers[0].T).all()


@st.composite
def _stack_and_data(draw):
    X = draw(data_matrices(max_dimension=4))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    kind = draw(st.sampled_from([balanced_layers, unbalanced_layers]))
    return draw(kind(d=d, k=k, max_depth=4)), X


@given(_stack_and_data())
def test_d4_gradient_identity_in_float64_to_the_derived_rounding(case):
    layers, X = case
    g = layer_gradients(layers, X)
    e = layer_gradient_error_bounds(layers, X)
    n = max(max(W.shape) for W in layers)
    gamma = n * _U / (1 - n * _U)
    for L in range(len(layers) - 1):
        left, right = layers[L + 1].T @ g[L + 1], g[L] @ layers[L].T
        size = (np.linalg.norm(layers[L + 1]) * (np.linalg.norm(g[L + 1]) + e[L + 1])
                + np.linalg.norm(layers[L]) * (np.linalg.norm(g[L]) + e[L]))
        bound = np.linalg.norm(layers[L + 1]) * e[L + 1] + np.linalg.norm(layers[L]) * e[L]
        assert np.linalg.norm(left - right) <= bound + gamma * size


@_TRAINING
@given(_stack_and_data(), st.integers(50, 400))
def test_d4_gradient_descent_moves_the_imbalance_only_by_the_bounded_step_squared_drift(
    case, steps
):
    layers, X = case
    run = train_deep(X, layers, steps=steps)
    for start, end, bound in zip(run.initial_imbalances, imbalances(list(run.layers)),
                                 run.imbalance_drift_bound, strict=True):
        assert np.linalg.norm(end - start, 2) <= bound


@st.composite
def _decayed_problem(draw):
    X = draw(data_matrices(max_dimension=3, smallest=1.0, separation=1.0))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    layers = draw(unbalanced_layers(d=d, k=k, spread=2.0, max_depth=3))
    fraction = draw(st.floats(0.1, 0.5))
    return X, aligned_with_top_eigenvectors(layers, X), fraction


@_TRAINING
@given(_decayed_problem())
def test_d4_with_weight_decay_training_balances_the_layers(case):
    X, layers, fraction = case
    decay = fraction * float(np.linalg.svd(X, compute_uv=False)[-1] ** 2)  # a fraction of lambda_d
    eta = deep_default_learning_rate(X, layers, weight_decay=decay)
    start = max(np.linalg.norm(B, 2) for B in imbalances(layers))
    target = 1e-6
    # The imbalance contracts by a^2 = (1 - 2 eta decay)^2 per step (train_deep's doc).
    steps = math.ceil(math.log(start / target) / -(2 * math.log(1 - 2 * eta * decay)))
    run = train_deep(X, layers, steps=steps, learning_rate=eta, weight_decay=decay)
    trained = list(run.layers)
    assert run.contraction * start <= target
    for start_B, end_B, bound in zip(run.initial_imbalances, imbalances(trained),
                                     run.imbalance_drift_bound, strict=True):
        assert np.linalg.norm(end_B - run.contraction * start_B, 2) <= bound
    # The critical-point inequality: imbalance controlled by the full gradients.
    full = layer_gradients(trained, X, weight_decay=decay)
    e = layer_gradient_error_bounds(trained, X)
    for L, B in enumerate(imbalances(trained)):
        near = (np.linalg.norm(trained[L + 1], 2) * (np.linalg.norm(full[L + 1], 2) + e[L + 1])
                + (np.linalg.norm(full[L], 2) + e[L]) * np.linalg.norm(trained[L], 2))
        assert np.linalg.norm(B, 2) <= near / (2 * decay) + 1e-12
    # From an imbalance of at least (2^2 - 1) / 4 to the contracted start plus the drift.
    assert start >= 0.75 - 1e-12
    for B, bound in zip(imbalances(trained), run.imbalance_drift_bound, strict=True):
        assert np.linalg.norm(B, 2) <= target + bound
