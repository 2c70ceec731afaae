"""R1: an RBM's conditionals are sigmoid(c + W^T v) and sigmoid(b + W h): one W, transposed.

Brute force against the formulas, entry by entry, for random small RBMs (n_v, n_h <= 4,
entries in [-3, 3]) and every binary state of the conditioning layer.

Rounding. The brute force evaluates each -E(v, h) as a sum of at most
N = n_v n_h + n_v + n_h + 1 terms, so within gamma_N T of the exact value with T the sum
of the terms' magnitudes (T <= 3 N here); exp turns that absolute error into a relative
one of the same size plus u; a sum of 2^n positive numbers adds gamma_(2^n) relative;
a ratio p = A / (A + B) of such sums moves by at most p (1 - p) times twice the
relative error, under 1/2 of it, plus u for the division. The formula: c_j + (W^T v)_j
has n_v + 1 terms (error gamma T), the sigmoid moves by at most 1/4 of that, and
evaluating it adds 3 u.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify.rbm import (
    binary_states,
    hidden_given_visible,
    hidden_given_visible_by_enumeration,
    visible_given_hidden,
    visible_given_hidden_by_enumeration,
)

_U = np.finfo(float).eps / 2
_ENTRIES = st.floats(-3.0, 3.0, allow_nan=False, allow_subnormal=False)


def _gamma(n):
    return n * _U / (1 - n * _U)


@st.composite
def _rbm(draw):
    n_v, n_h = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    W = draw(arrays(np.float64, (n_v, n_h), elements=_ENTRIES))
    b = draw(arrays(np.float64, (n_v,), elements=_ENTRIES))
    c = draw(arrays(np.float64, (n_h,), elements=_ENTRIES))
    return W, b, c


def _tolerance(W, b, c, states):
    terms = W.size + b.size + c.size + 1
    total = np.abs(W).sum() + np.abs(b).sum() + np.abs(c).sum()
    relative = _gamma(terms) * total + _U + _gamma(2 ** states)
    brute = relative + _U
    formula = _gamma(max(W.shape) + 1) * total / 4 + 3 * _U
    return brute + formula


@given(_rbm())
def test_r1_hidden_conditional_is_sigmoid_of_c_plus_w_transpose_v(rbm):
    W, b, c = rbm
    tolerance = _tolerance(W, b, c, W.shape[1])
    for v in binary_states(W.shape[0]):
        brute = hidden_given_visible_by_enumeration(W, b, c, v)
        assert np.abs(brute - hidden_given_visible(W, c, v)).max() <= tolerance


@given(_rbm())
def test_r1_visible_conditional_is_sigmoid_of_b_plus_w_h(rbm):
    W, b, c = rbm
    tolerance = _tolerance(W, b, c, W.shape[0])
    for h in binary_states(W.shape[1]):
        brute = visible_given_hidden_by_enumeration(W, b, c, h)
        assert np.abs(brute - visible_given_hidden(W, b, h)).max() <= tolerance


@given(_rbm())
def test_r1_hidden_units_are_independent_given_the_visible_ones(rbm):
    # The factorisation itself: p(h | v) = prod_j p(h_j | v) for every joint state h.
    W, b, c = rbm
    for v in binary_states(W.shape[0]):
        states = binary_states(W.shape[1])
        log_weights = (v @ W) @ states.T + c @ states.T
        joint = np.exp(log_weights - log_weights.max())
        joint /= joint.sum()
        p = hidden_given_visible(W, c, v)
        product = np.prod(np.where(states == 1, p, 1 - p), axis=1)
        assert np.abs(joint - product).max() <= 2 * _tolerance(W, b, c, W.shape[1]) * W.shape[1]


def test_r1_the_transpose_matters():
    # With W instead of W^T upwards (square, non-symmetric W) the formula is wrong.
    W = np.array([[2.0, -1.0], [0.0, 1.0]])
    b, c, v = np.zeros(2), np.zeros(2), np.array([1.0, 0.0])
    brute = hidden_given_visible_by_enumeration(W, b, c, v)
    np.testing.assert_allclose(brute, 1 / (1 + np.exp(-(W.T @ v))), rtol=1e-14)
    assert np.abs(brute - 1 / (1 + np.exp(-(W @ v)))).max() > 0.1
