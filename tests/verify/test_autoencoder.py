"""Unit tests of verify.autoencoder: values on worked examples, and input errors.

The claims themselves are tested in tests/properties/; here each function is
checked against a hand-computed value and for its behaviour on bad input.
"""

import numpy as np
import pytest

from verify import (
    InvalidMatrixError,
    covariance_spectrum,
    gradient_tolerance,
    loss_tolerance,
    optimal_tied_weights,
    optimal_untied_weights,
    tied_gradient,
    tied_loss,
    untied_gradient,
    untied_loss,
    weight_decay_singular_values,
)

# S = X X^T = diag(9, 4, 1): eigenvectors are the standard basis.
X = np.diag([3.0, 2.0, 1.0])


def test_tied_loss_is_the_discarded_eigenvalues_at_a_coordinate_projection():
    assert tied_loss(np.eye(3)[:, :2], X) == 1.0
    assert tied_loss(np.eye(3)[:, [0, 2]], X) == 4.0
    assert tied_loss(np.zeros((3, 1)), X) == 14.0


def test_tied_gradient_matches_the_a3_formula_on_a_worked_example():
    W = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    S = X @ X.T
    formula = -4 * S @ W + 2 * S @ W @ W.T @ W + 2 * W @ W.T @ S @ W
    np.testing.assert_array_equal(tied_gradient(W, X), formula)  # small integers: exact


def test_untied_gradient_matches_hand_formula_on_a_worked_example():
    D = np.array([[1.0], [2.0], [0.0]])
    E = np.array([[1.0, 0.0, 1.0]])
    S = X @ X.T
    residual = (np.eye(3) - D @ E) @ S
    grad_D, grad_E = untied_gradient(D, E, X)
    np.testing.assert_array_equal(grad_D, -2 * residual @ E.T)
    np.testing.assert_array_equal(grad_E, -2 * D.T @ residual)
    assert untied_loss(D, E, X) == float(np.sum((X - D @ E @ X) ** 2))


def test_covariance_spectrum_pads_zero_eigenvalues_when_samples_are_fewer_than_features():
    eigenvalues, U = covariance_spectrum(np.array([[1.0], [0.0], [0.0]]))
    assert eigenvalues.tolist() == [1.0, 0.0, 0.0]
    np.testing.assert_allclose(U.T @ U, np.eye(3), atol=1e-15)


def test_optimal_weights_are_the_leading_eigenvectors():
    np.testing.assert_array_equal(optimal_tied_weights(X, 2), np.eye(3)[:, :2])
    D, E = optimal_untied_weights(X, 2, mixing=np.diag([2.0, 4.0]))
    np.testing.assert_array_equal(D, np.eye(3)[:, :2] @ np.diag([2.0, 4.0]))
    np.testing.assert_array_equal(E, np.diag([0.5, 0.25]) @ np.eye(3)[:2])


@pytest.mark.parametrize("k", [0, 4, -1])
def test_code_size_out_of_range_is_refused_with_the_valid_range(k):
    with pytest.raises(ValueError, match=r"1 <= k <= d = 3.*got k = " + str(k)):
        optimal_tied_weights(X, k)


def test_code_size_must_be_an_integer():
    with pytest.raises(TypeError, match="k must be an integer"):
        optimal_untied_weights(X, 1.5)


def test_non_orthogonal_rotation_is_refused():
    with pytest.raises(InvalidMatrixError, match="rotation must be an orthogonal 2 x 2"):
        optimal_tied_weights(X, 2, rotation=np.diag([1.0, 2.0]))
    with pytest.raises(InvalidMatrixError, match=r"got shape \(3, 3\)"):
        optimal_tied_weights(X, 2, rotation=np.eye(3))


def test_singular_mixing_is_refused():
    with pytest.raises(InvalidMatrixError, match="mixing must be an invertible 2 x 2"):
        optimal_untied_weights(X, 2, mixing=np.ones((2, 2)))


def test_mismatched_shapes_name_the_argument_and_both_shapes():
    with pytest.raises(InvalidMatrixError, match=r"W has shape \(2, 1\) but X has shape \(3, 3\)"):
        tied_loss(np.ones((2, 1)), X)
    with pytest.raises(InvalidMatrixError, match=r"E has shape \(2, 3\) but D has shape \(3, 1\)"):
        untied_gradient(np.ones((3, 1)), np.ones((2, 3)), X)
    with pytest.raises(InvalidMatrixError, match="^W must be a 2-D real matrix"):
        tied_gradient(np.ones(3), X)
    with pytest.raises(InvalidMatrixError, match="^X must have finite entries"):
        tied_loss(np.ones((3, 1)), np.full((3, 2), np.nan))


def test_weight_decay_singular_values_closed_forms():
    tied = weight_decay_singular_values([4.0, 1.0, 0.25], 1.0)
    np.testing.assert_allclose(tied**2, [1 - 1 / 8, 1 - 1 / 2, 0.0], rtol=0, atol=1e-15)
    untied = weight_decay_singular_values([4.0, 1.0, 0.25], 1.0, tied=False)
    np.testing.assert_allclose(untied**2, [1 - 1 / 4, 0.0, 0.0], rtol=0, atol=1e-15)
    assert weight_decay_singular_values([2.0, 0.0], 0.5).tolist()[1] == 0.0
    assert weight_decay_singular_values([3.0], 0.0).tolist() == [1.0]


@pytest.mark.parametrize(
    ("eigenvalues", "weight_decay", "message"),
    [
        ([[1.0]], 0.1, "non-empty 1-D array"),
        ([], 0.1, "non-empty 1-D array"),
        ([1.0, -1.0], 0.1, "finite and >= 0"),
        ([1.0], -0.1, "weight_decay must be a finite number >= 0"),
        ([1.0, 0.0], 0.0, "undetermined"),
    ],
)
def test_weight_decay_singular_values_refuse_bad_input(eigenvalues, weight_decay, message):
    with pytest.raises(ValueError, match=message):
        weight_decay_singular_values(eigenvalues, weight_decay)


def test_tolerances_grow_with_the_dimension_and_norms():
    small = gradient_tolerance(X, np.eye(3)[:, :1])
    assert 0 < small < 1e-11
    # small is about 1e-11: approx's default abs=1e-12 would pass a 10% error; relative only.
    assert gradient_tolerance(10 * X, np.eye(3)[:, :1]) == pytest.approx(100 * small, rel=1e-12,
                                                                         abs=0)
    assert loss_tolerance(X, 2 * np.eye(3)[:, :1]) > loss_tolerance(X, np.eye(3)[:, :1])


def test_covariance_spectrum_fixes_each_eigenvector_sign_by_its_largest_entry():
    # The sign of an SVD's singular vectors is arbitrary: X and -X, or X with its samples
    # permuted, have the same S and must give the same eigenvectors.
    rng = np.random.default_rng(11)
    data = (rng.standard_normal((5, 40)) * np.array([[5.0], [4.0], [3.0], [2.0], [1.0]]))
    data -= data.mean(axis=1, keepdims=True)
    eigenvalues, U = covariance_spectrum(data)
    largest = np.abs(U).argmax(axis=0)
    assert np.all(U[largest, np.arange(5)] > 0)
    for same in (-data, data[:, rng.permutation(40)], -data[:, ::-1]):
        other_eigenvalues, other = covariance_spectrum(same)
        np.testing.assert_array_equal(np.sign(other), np.sign(U))
        np.testing.assert_allclose(other, U, rtol=0, atol=1e-12)  # eigen-gaps >= 1: well posed
        np.testing.assert_allclose(other_eigenvalues, eigenvalues, rtol=1e-12, atol=0)
