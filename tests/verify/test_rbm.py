"""Unit tests of verify.rbm: states, energy, sigmoid, and bad input."""

import numpy as np
import pytest

from verify import InvalidMatrixError
from verify.rbm import (
    MAX_UNITS,
    binary_states,
    energy,
    hidden_given_visible,
    hidden_given_visible_by_enumeration,
    sigmoid,
    visible_given_hidden_by_enumeration,
)


def test_binary_states_are_all_distinct_vectors():
    states = binary_states(3)
    assert states.shape == (8, 3) and len({tuple(s) for s in states}) == 8
    with pytest.raises(ValueError, match="n must be an integer"):
        binary_states(MAX_UNITS + 1)


def test_energy_is_minus_vwh_minus_bv_minus_ch():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert energy(W, [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 1.0]) == -(2 + 4) - 1 - 1


def test_sigmoid_is_symmetric_and_never_overflows():
    x = np.linspace(-50, 50, 11)
    # Each value within u of the truth relative to 1, the sum rounded once more: within eps.
    np.testing.assert_allclose(sigmoid(x) + sigmoid(-x), 1.0, rtol=0, atol=np.finfo(float).eps)
    with np.errstate(over="raise"):
        assert sigmoid(np.array([-1e4]))[0] == 0.0


def test_bad_inputs_name_the_argument():
    W = np.zeros((2, 3))
    with pytest.raises(InvalidMatrixError, match="b must have shape"):
        hidden_given_visible_by_enumeration(W, np.zeros(3), np.zeros(3), [0.0, 1.0])
    with pytest.raises(InvalidMatrixError, match="v must be a binary vector of length 2"):
        hidden_given_visible(W, np.zeros(3), [0.5, 1.0])
    with pytest.raises(ValueError, match="n_v \\+ n_h <= 16"):
        visible_given_hidden_by_enumeration(np.zeros((10, 10)), np.zeros(10), np.zeros(10),
                                            np.zeros(10))
