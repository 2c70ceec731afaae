"""Unit tests of verify.pinv_decoder: bad input, rank deficiency, the step rule, training."""

import numpy as np
import pytest

from verify import InvalidMatrixError
from verify.pinv_decoder import (
    PseudoInverseTraining,
    pinv_decoder_gradient,
    pinv_decoder_loss,
    pinv_learning_rate,
    train_pinv_decoder,
)

X = np.diag([2.0, 1.0, 0.5])


def test_encoder_must_match_the_data():
    with pytest.raises(InvalidMatrixError, match="E has shape .* must be k x d"):
        pinv_decoder_loss(np.eye(2), X)


def test_gradient_is_refused_where_the_rank_drops():
    with pytest.raises(InvalidMatrixError, match="full row rank k = 2 .* numerical rank is 1"):
        pinv_decoder_gradient([[1.0, 0.0, 0.0], [2.0, 0.0, 0.0]], X)
    with pytest.raises(InvalidMatrixError, match="full row rank"):
        pinv_learning_rate([[1.0, 0.0, 0.0], [2.0, 0.0, 0.0]], X)


def test_loss_of_a_rank_deficient_encoder_uses_its_row_space():
    # Rank 1 of 2: only e_1 is kept, the loss is lambda_2 + lambda_3 = 1 + 1/4.
    assert pinv_decoder_loss([[1.0, 0.0, 0.0], [2.0, 0.0, 0.0]], X) == 1.25


def test_the_gradient_is_orthogonal_to_the_rows_of_e():
    E = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
    g = pinv_decoder_gradient(E, X)
    # grad E^T = 0 in exact arithmetic: the loss is invariant under E -> C E.
    assert np.abs(g @ E.T).max() <= 64 * np.finfo(float).eps * np.abs(g).max() * 4


def test_training_records_every_step_and_refuses_negative_steps():
    run = train_pinv_decoder(X, [[1.0, 1.0, 1.0]], steps=5)
    assert isinstance(run, PseudoInverseTraining) and run.steps == 5
    assert run.learning_rate.shape == (5,) and run.smallest_singular_value.shape == (6,)
    with pytest.raises(ValueError, match="steps must be >= 0"):
        train_pinv_decoder(X, [[1.0, 1.0, 1.0]], steps=-1)
