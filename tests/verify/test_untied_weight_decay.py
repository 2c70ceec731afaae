"""Unit tests of verify.untied_weight_decay: shapes, bad input, the closed form's options."""

import numpy as np
import pytest

from verify import InvalidMatrixError, untied_loss
from verify.untied_weight_decay import (
    decayed_untied_critical_point,
    decayed_untied_gradient,
    decayed_untied_loss,
    untied_imbalance,
)

X = np.diag([2.0, 1.0, 0.5])  # S = diag(4, 1, 1/4)


def test_loss_is_the_untied_loss_plus_the_penalty():
    D, E = np.ones((3, 1)), np.ones((1, 3))
    assert decayed_untied_loss(D, E, X, weight_decay=0.5) == untied_loss(D, E, X) + 0.5 * 6


def test_gradient_adds_twice_the_decay_times_the_weights():
    D, E = np.ones((3, 1)), np.ones((1, 3))
    with_decay = decayed_untied_gradient(D, E, X, weight_decay=0.5)
    without = decayed_untied_gradient(D, E, X, weight_decay=0.0)
    np.testing.assert_array_equal(with_decay[0] - without[0], D)
    np.testing.assert_array_equal(with_decay[1] - without[1], E)


def test_closed_form_switches_off_directions_whose_eigenvalue_is_below_the_decay():
    D, E = decayed_untied_critical_point(X, 2, weight_decay=2.0)  # 1 - 2/4, 1 - 2/1 < 0
    np.testing.assert_allclose(np.linalg.svd(D, compute_uv=False), [np.sqrt(0.5), 0.0])
    assert (E == D.T).all()


def test_bad_options_are_refused_with_clear_messages():
    with pytest.raises(ValueError, match="2 distinct indices"):
        decayed_untied_critical_point(X, 2, weight_decay=1.0, directions=[0, 0])
    with pytest.raises(InvalidMatrixError, match="orthogonal 1 x 1"):
        decayed_untied_critical_point(X, 1, weight_decay=1.0, rotation=[[2.0]])
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0"):
        decayed_untied_loss(np.ones((3, 1)), np.ones((1, 3)), X, weight_decay=-1)
    with pytest.raises(InvalidMatrixError, match="E must be 1 x 3"):
        untied_imbalance(np.ones((3, 1)), np.ones((3, 1)))
