"""Unit tests of verify.deep: shapes, bad input, determinism, the recorded drift bound.

The claims D1-D4 are tested in tests/properties/test_d*.py.
"""

from fractions import Fraction

import numpy as np
import pytest

from verify import InvalidMatrixError
from verify.deep import (
    deep_loss,
    end_to_end_encoder,
    exact_deep_loss,
    exact_layer_gradients,
    imbalances,
    layer_gaps,
    layer_gradients,
)
from verify.deep_training import (
    DeepTraining,
    deep_default_learning_rate,
    train_deep,
)

X = np.diag([3.0, 2.0, 1.0])
LAYERS = [np.eye(2, 3) * 0.5, np.eye(1, 2) * 0.5]


def test_shapes_of_gradients_imbalances_and_gaps():
    gradients = layer_gradients(LAYERS, X)
    assert [g.shape for g in gradients] == [(2, 3), (1, 2)]
    assert [B.shape for B in imbalances(LAYERS)] == [(2, 2)]
    assert len(layer_gaps(LAYERS)) == 2 and imbalances([np.eye(2)]) == []


def test_one_layer_is_the_tied_autoencoder_of_verify_autoencoder():
    from verify import tied_gradient, tied_loss

    W = np.array([[0.6, 0.8, 0.0]])
    assert deep_loss([W], X) == tied_loss(W.T, X)
    np.testing.assert_array_equal(layer_gradients([W], X)[0], tied_gradient(W.T, X).T)


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (np.eye(3), "non-empty list"),
        ([], "non-empty list"),
        ([np.eye(2, 3), np.eye(2, 3)], r"layers\[1\] has shape \(2, 3\) but layers\[0\]"),
        ([np.eye(2, 2)], "first layer must have d = X.shape"),
        ([np.eye(2, 3), [[np.nan, 0.0]]], r"layers\[1\] must have finite entries"),
    ],
)
def test_bad_layers_are_refused_with_a_message_naming_them(layers, message):
    with pytest.raises(InvalidMatrixError, match=message):
        layer_gradients(layers, X)


def test_weight_decay_must_be_finite_and_non_negative():
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0"):
        deep_loss(LAYERS, X, weight_decay=-1.0)


def test_exact_functions_refuse_floats_and_unchained_shapes():
    with pytest.raises(InvalidMatrixError, match="integer or fractions.Fraction"):
        exact_deep_loss([[[1j, 0, 0]]], np.diag([3, 2, 1]))
    # Floats are binary fractions: converted exactly, not refused.
    assert exact_deep_loss([[[0.5, 0, 0]]], np.diag([3, 2, 1])) == Fraction(3 * 9, 16) + 3
    with pytest.raises(InvalidMatrixError, match="do not chain"):
        exact_layer_gradients([[[1, 0, 0]], [[1, 0]]], np.diag([3, 2, 1]))
    with pytest.raises(InvalidMatrixError, match="symmetric square"):
        exact_layer_gradients([[[1, 0]]], [[1, 2], [0, 1]])


def test_exact_loss_with_weight_decay_adds_the_penalty_exactly():
    layers = [[[1, 0, 0]]]
    S = np.diag([3, 2, 1])
    assert exact_deep_loss(layers, S, weight_decay=Fraction(1, 3)) == 3 + Fraction(1, 3)


def test_layer_gaps_rank_must_be_a_positive_integer():
    with pytest.raises(ValueError, match="rank must be >= 1"):
        layer_gaps(LAYERS, rank=0)
    with pytest.raises(TypeError, match="rank must be an integer"):
        layer_gaps(LAYERS, rank=1.5)


def test_default_learning_rate_follows_the_layer_norms():
    # Layers of norm 1/2 count as 1 (max(1, .)); with norm 2, the other layer's term is 4x.
    assert deep_default_learning_rate(X, LAYERS) == 1 / (8 * 9 * 2)
    assert deep_default_learning_rate(X, [4 * LAYERS[0], LAYERS[1]]) == 1 / (8 * 9 * (1 + 4))


def test_training_is_deterministic_and_records_every_step():
    first, again = train_deep(X, LAYERS, steps=30), train_deep(X, LAYERS, steps=30)
    assert isinstance(first, DeepTraining) and first.steps == 30 and first.loss.size == 31
    np.testing.assert_array_equal(first.layers[0], again.layers[0])
    np.testing.assert_array_equal(first.encoder, end_to_end_encoder(list(first.layers)))
    assert first.contraction == 1.0 and first.imbalance_drift_bound.shape == (1,)
    assert not first.loss.flags.writeable


def test_training_refuses_bad_options_and_reports_divergence():
    with pytest.raises(ValueError, match="steps must be >= 0"):
        train_deep(X, LAYERS, steps=-1)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        train_deep(X, LAYERS, steps=1, learning_rate=0.0)
    with pytest.raises(FloatingPointError, match="diverged"):
        train_deep(X, [4 * LAYERS[0], 4 * LAYERS[1]], steps=200, learning_rate=10.0)
