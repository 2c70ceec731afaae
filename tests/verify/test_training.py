"""Unit tests of verify.training: step size, determinism, history, bad options.

Convergence to the claimed optima is tested in tests/properties/ (A4, A5, F3, F4).
"""

import dataclasses

import numpy as np
import pytest

from verify import (
    InvalidMatrixError,
    Training,
    default_learning_rate,
    train_tied,
    train_untied,
)

# S = X X^T = diag(9, 4, 1): eigenvectors are the standard basis.
X = np.diag([3.0, 2.0, 1.0])


def test_default_learning_rate_is_one_over_eight_lambda_one_plus_twice_the_decay():
    assert default_learning_rate(X) == 1 / 72
    assert default_learning_rate(X, weight_decay=4.0) == 1 / 80
    assert default_learning_rate(np.zeros((2, 2))) == 1.0


def test_training_is_deterministic_given_the_seed():
    first = train_tied(X, 2, steps=20, seed=7)
    again = train_tied(X, 2, steps=20, seed=7)
    other = train_tied(X, 2, steps=20, seed=8)
    np.testing.assert_array_equal(first.decoder, again.decoder)
    np.testing.assert_array_equal(first.loss, again.loss)
    assert not np.array_equal(first.decoder, other.decoder)


def test_training_history_has_one_entry_per_step_and_is_read_only():
    result = train_untied(X, 2, steps=5, weight_decay=0.5)
    assert isinstance(result, Training) and not result.tied and result.steps == 5
    for history in (result.loss, result.objective, result.orthonormality_defect):
        assert history.shape == (6,)
    penalty = 0.5 * (np.sum(result.decoder**2) + np.sum(result.encoder**2))
    assert result.objective[-1] == pytest.approx(result.loss[-1] + penalty, rel=1e-14)
    with pytest.raises(ValueError, match="read-only"):
        result.decoder[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.learning_rate = 1.0


def test_zero_steps_returns_the_initial_weights():
    start = np.array([[1.0], [0.0], [0.0]])
    result = train_tied(X, 1, steps=0, initial=start)
    np.testing.assert_array_equal(result.weights, start)
    assert result.loss.tolist() == [5.0]


def test_tied_training_from_an_eigenvector_scaled_down_follows_the_one_dimensional_map():
    # Along u_1 the default step gives sigma <- sigma + sigma (1 - sigma^2) / 2 exactly.
    result = train_tied(X, 1, steps=1, initial=[[0.5], [0.0], [0.0]])
    assert result.weights[0, 0] == pytest.approx(0.5 + 0.5 * (1 - 0.25) / 2, rel=1e-15)


def test_divergence_raises_with_advice():
    with pytest.raises(FloatingPointError, match="smaller learning_rate"):
        train_tied(X, 2, steps=200, learning_rate=10.0)


@pytest.mark.parametrize("k", [0, 4])
def test_code_size_out_of_range_is_refused_with_the_valid_range(k):
    with pytest.raises(ValueError, match=r"1 <= k <= d = 3"):
        train_untied(X, k, steps=1)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"steps": -1}, ValueError, "steps must be >= 0"),
        ({"steps": 2, "learning_rate": 0.0}, ValueError, "learning_rate must be a finite"),
        ({"steps": 2, "weight_decay": float("nan")}, ValueError, "weight_decay must be"),
        ({"steps": 2, "initial": np.ones((2, 2))}, InvalidMatrixError, r"shape \(3, 2\)"),
    ],
)
def test_training_refuses_bad_options(options, error, message):
    with pytest.raises(error, match=message):
        train_tied(X, 2, **options)


def test_untied_initial_must_be_a_pair():
    with pytest.raises(InvalidMatrixError, match=r"pair \(D, E\)"):
        train_untied(X, 2, steps=1, initial=np.ones((3, 2)))
