"""Unit tests of verify.nonlinear: the gradient against complex-step derivatives, options.

Complex step: for a real-analytic loss f, Im f(x + i h V) / h = f'(x) V + O(h^2) with
no subtractive cancellation, so h = 1e-20 leaves only the rounding of the evaluation
(a few eps relative) and a truncation h^2 |f'''| / 6, below 1e-30 for the bounded
third derivatives of these small problems. Both activations are analytic (tanh, and
1 / (1 + exp(-x)) away from its complex poles, which are at |Im x| = pi).
"""

import numpy as np
import pytest

from verify.nonlinear import (
    ACTIVATIONS,
    nonlinear_gradient,
    nonlinear_loss,
    train_nonlinear,
)

_EPS = np.finfo(float).eps
RNG = np.random.default_rng(5)
X = RNG.random((4, 7))
W, B, C = RNG.standard_normal((4, 2)) / 2, RNG.standard_normal(2) / 2, RNG.standard_normal(4) / 2


def _complex_loss(W, b, c, f, decay):
    code = f(W.T @ X + b[:, None])
    residual = W @ code + c[:, None] - X
    return np.sum(residual * residual) / X.shape[1] + decay * np.sum(W * W)  # no conjugate


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("decay", [0.0, 0.3])
def test_gradient_matches_complex_step_derivatives(activation, decay):
    f, _ = ACTIVATIONS[activation]
    grads = nonlinear_gradient(W, B, C, X, activation=activation, weight_decay=decay)
    h = 1e-20
    for which, grad in enumerate(grads):
        for index in np.ndindex(grad.shape):
            params = [W.astype(complex), B.astype(complex), C.astype(complex)]
            params[which][index] += 1j * h
            derivative = _complex_loss(*params, f, decay).imag / h
            # Rounding of the evaluations: a few eps times the size of the loss's terms.
            scale = nonlinear_loss(W, B, C, X, activation=activation, weight_decay=decay) + 1
            assert abs(grad[index] - derivative) <= 64 * X.size * _EPS * scale


def test_training_lowers_the_loss_and_is_deterministic():
    first = train_nonlinear(X, 2, activation="tanh", steps=50, seed=3)
    again = train_nonlinear(X, 2, activation="tanh", steps=50, seed=3)
    np.testing.assert_array_equal(first.weights, again.weights)
    assert first.loss[-1] < first.loss[0] and first.loss.size == 51
    assert first.orthonormality_defect >= 0 and first.transpose_pseudo_inverse_gap >= 0


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="activation must be one of"):
        nonlinear_loss(W, B, C, X, activation="relu")
    with pytest.raises(ValueError, match="need 1 <= k <= d"):
        train_nonlinear(X, 5, activation="tanh", steps=1)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        train_nonlinear(X, 2, activation="tanh", steps=1, learning_rate=-1.0)
    from verify import InvalidMatrixError

    with pytest.raises(InvalidMatrixError, match="b must be a finite vector of shape"):
        nonlinear_loss(W, np.zeros(3), C, X, activation="tanh")
