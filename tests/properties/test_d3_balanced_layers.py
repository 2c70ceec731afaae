"""D3: balanced layers give E E^T = (W_m W_m^T)^m: at the optimum every layer is a partial isometry.

Exactly: on rational balanced stacks, E E^T = (W_m W_m^T)^m and E^T E = (W_1^T W_1)^m.

Quantitatively, for any stack, with imbalances B_L = W_(L+1)^T W_(L+1) - W_L W_L^T of
norm at most delta_L, a = max_L ||W_L||_2^2 and eps = ||E E^T - I||_2:
E E^T = (W_m W_m^T)^m + R with ||R||_2 <= a^(m-1) sum_L L delta_L (induction: replace
W_L W_L^T by W_(L+1)^T W_(L+1) - B_L inside the L-th power, ||(A - B)^L - A^L|| <=
L ||B|| a^(L-1)). So every eigenvalue mu of W_m W_m^T has |mu^m - 1| <= beta = eps + ||R||,
hence |mu - 1| <= beta; going down one layer moves every eigenvalue of the Gram matrix by at
most delta_L (Weyl; W_L^T W_L has the nonzero eigenvalues of W_L W_L^T). So for layer L,
the k largest sigma^2 lie within beta + sum_(J >= L) delta_J of 1, and the others below
sum_(J >= L) delta_J; by P5 the gap over the k largest is at most tau / sqrt(1 - tau).
Here delta_L, eps and a are Frobenius norms computed exactly (in fractions) from the float
layers, upper bounds of the spectral norms; singular values come from NumPy's SVD,
each within its backward error 2 h k eps ||W||_2 (tests/properties/conftest.py).
"""

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import covariance_spectrum
from verify.deep import (
    end_to_end_encoder,
    imbalances,
    layer_gaps,
)
from verify.deep_strategies import (
    aligned_training_budget,
    aligned_with_top_eigenvectors,
    balanced_layers,
    rational_balanced_layers,
    unbalanced_layers,
)
from verify.deep_training import (
    deep_default_learning_rate,
    train_deep,
)
from verify.strategies import data_matrices

_TRAINING = settings.get_profile("training")
_EPS = np.finfo(float).eps


def _exact(matrix):
    return np.vectorize(Fraction, otypes=[object])(matrix)


def _frobenius(exact_matrix):
    """Upper bound of an exact matrix's Frobenius norm: sqrt of its exact square, rounded up."""
    return math.sqrt(float((exact_matrix * exact_matrix).sum())) * (1 + _EPS)


def d3_bounds(layers):
    """Per layer `(tau_L, zeta_L)`: k largest sigma^2 within tau_L of 1, the rest below zeta_L."""
    exact = [_exact(W) for W in layers]
    E = exact[0]
    for W in exact[1:]:
        E = W @ E
    k, m = E.shape[0], len(layers)
    eps = _frobenius(E @ E.T - np.identity(k, dtype=object))
    deltas = [_frobenius(nxt.T @ nxt - W @ W.T) for W, nxt in zip(exact, exact[1:], strict=False)]
    a = max(float((W * W).sum()) for W in exact) * (1 + _EPS)
    beta = eps + a ** (m - 1) * sum((L + 1) * delta for L, delta in enumerate(deltas))
    below = [sum(deltas[L:]) for L in range(m)]
    return [(beta + below[L], below[L]) for L in range(m)]


def _svd_squared_error(W):
    e = 2 * W.shape[0] * W.shape[1] * _EPS * np.linalg.norm(W, 2)
    return (2 * np.linalg.norm(W, 2) + e) * e


def assert_d3_relation(layers):
    k = layers[-1].shape[0]
    for W, (tau, zeta) in zip(layers, d3_bounds(layers), strict=True):
        squares = np.linalg.svd(W, compute_uv=False) ** 2
        slack = _svd_squared_error(W)
        assert np.abs(squares[:k] - 1).max() <= tau + slack
        assert squares[k:].max(initial=0.0) <= zeta + slack


@given(rational_balanced_layers(max_depth=4))
def test_d3_balanced_layers_give_powers_of_the_last_and_first_gram_matrix_exactly(layers):
    E = layers[0]
    for W in layers[1:]:
        E = W @ E
    m = len(layers)
    last, first = layers[-1] @ layers[-1].T, layers[0].T @ layers[0]
    assert (E @ E.T == np.linalg.matrix_power(last, m)).all()
    assert (E.T @ E == np.linalg.matrix_power(first, m)).all()


@st.composite
def _stack(draw):
    d = draw(st.integers(1, 4))
    k = draw(st.integers(1, d))
    kind = draw(st.sampled_from([balanced_layers, unbalanced_layers]))
    return draw(kind(d=d, k=k, max_depth=4))


@given(_stack())
def test_d3_every_layer_is_as_close_to_a_partial_isometry_as_imbalance_and_e_allow(layers):
    assert_d3_relation(layers)


@st.composite
def _balanced_problem(draw):
    X = draw(data_matrices(max_dimension=4, smallest=1.0, separation=1.0))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    return X, k, aligned_with_top_eigenvectors(draw(balanced_layers(d=d, k=k)), X)


@_TRAINING
@given(_balanced_problem())
def test_d3_trained_from_a_balanced_start_every_layer_becomes_a_partial_isometry(case):
    X, k, layers = case
    eta = deep_default_learning_rate(X, layers)
    steps = aligned_training_budget(X, layers, learning_rate=eta, target=1e-20)
    run = train_deep(X, layers, steps=steps, learning_rate=eta)
    trained = list(run.layers)
    for start, end, bound in zip(run.initial_imbalances, imbalances(trained),
                                 run.imbalance_drift_bound, strict=True):
        assert np.linalg.norm(end - start, 2) <= bound  # D4: the drift stays bounded
    assert_d3_relation(trained)
    # At the optimum eps is tiny, and so is every tau: each layer's transpose is its
    # pseudo-inverse to the accuracy the imbalance allows.
    for gap, (tau, _) in zip(layer_gaps(trained, rank=k), d3_bounds(trained), strict=True):
        assert tau < 0.5
        assert gap <= tau / math.sqrt(1 - tau) + 1e-12 * (1 + gap)


def test_d3_from_a_random_balanced_start_the_drift_is_real_and_within_its_bound():
    # Not aligned: the row space of E turns on the way, and the step^2 terms do not cancel.
    rng = np.random.default_rng(11)
    X = np.diag([2.0, 1.5, 1.0, 0.5]) @ np.linalg.qr(rng.standard_normal((4, 4)))[0]
    frames = [np.linalg.qr(rng.standard_normal((n, 2)))[0] for n in (4, 3, 2)]
    layers = [frames[1] * 0.8 @ frames[0].T, frames[2] * 0.8 @ frames[1].T]
    run = train_deep(X, layers, steps=3000)
    drift = np.linalg.norm(imbalances(list(run.layers))[0] - run.initial_imbalances[0], 2)
    assert 1e-9 < drift <= run.imbalance_drift_bound[0]
    optimum = float(covariance_spectrum(X)[0][2:].sum())
    assert run.loss[-1] - optimum <= 1e-10
    assert_d3_relation(list(run.layers))
    assert max(layer_gaps(list(run.layers), rank=2)) <= 2 * max(t for t, _ in
                                                                d3_bounds(list(run.layers)))


@st.composite
def _unbalanced_problem(draw):
    X = draw(data_matrices(max_dimension=4, smallest=1.0, separation=1.0))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    return X, k, aligned_with_top_eigenvectors(draw(unbalanced_layers(d=d, k=k, max_depth=3)), X)


@_TRAINING
@given(_unbalanced_problem())
def test_d3_from_an_unbalanced_start_layers_stay_far_while_the_end_to_end_gap_closes(case):
    X, k, layers = case
    eta = deep_default_learning_rate(X, layers)
    target = 1e-12
    run = train_deep(X, layers, learning_rate=eta,
                     steps=aligned_training_budget(X, layers, learning_rate=eta, target=target))
    E = end_to_end_encoder(list(run.layers))
    tolerance = 2 * math.sqrt(target / covariance_spectrum(X)[0][k - 1])  # see test_d2
    assert layer_gaps([E], rank=k)[0] <= tolerance + 1e-7
    size = np.linalg.norm(run.initial_imbalances[0], 2) - run.imbalance_drift_bound[0]
    assert size > 1  # (spread^2 - 1) s^2 >= 2 for spread 3, s >= 1/2
    assert max(layer_gaps(list(run.layers), rank=k)[:2]) >= math.sqrt(size) - 1 / math.sqrt(size)


def test_d3_from_a_small_random_start_the_layers_are_partial_isometries_on_the_code():
    # Small Gaussian layers (the scale of verify.training) are nearly balanced: imbalance
    # 7e-3 here, kept to the bounded drift. At the optimum the k largest sigma^2 of each
    # layer lie within tau of 1; W_1 keeps a third singular value below sqrt(zeta), left
    # over from the start (not a partial isometry as a whole: its full P5 gap is 1 / that).
    rng = np.random.default_rng(7)
    X = np.diag(np.sqrt([4.0, 3.0, 2.0, 1.0])) @ np.linalg.qr(rng.standard_normal((8, 4)))[0].T
    X = X - X.mean(axis=1, keepdims=True)
    layers = [0.1 / (np.sqrt(3) + 2) * rng.standard_normal((3, 4)),
              0.1 / (np.sqrt(2) + np.sqrt(3)) * rng.standard_normal((2, 3))]
    run = train_deep(X, layers, steps=2000)
    trained = list(run.layers)
    optimum = float(covariance_spectrum(X)[0][2:].sum())
    assert run.loss[-1] - optimum <= 1e-12
    drift = np.linalg.norm(imbalances(trained)[0] - run.initial_imbalances[0], 2)
    assert drift <= run.imbalance_drift_bound[0]
    assert_d3_relation(trained)
    for gap, (tau, _) in zip(layer_gaps(trained, rank=2), d3_bounds(trained), strict=True):
        assert tau < 0.05 and gap <= tau / math.sqrt(1 - tau)
    zeta = d3_bounds(trained)[0][1]
    leftover = np.linalg.svd(trained[0], compute_uv=False)[2]
    assert 0 < leftover**2 <= zeta < 0.01
    # 1/s - s decreases in s, and verify.linalg gives the gap to relative accuracy sqrt(eps).
    assert layer_gaps(trained)[0] >= (1 / math.sqrt(zeta) - math.sqrt(zeta)) * (1 - math.sqrt(_EPS))
