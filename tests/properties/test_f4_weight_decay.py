"""F4: with weight decay the optimum has singular values below 1, so W^T != W^+.

Tied: L(W) + lambda ||W||_F^2 is minimised by U_k diag(sigma) Q with
sigma_i^2 = 1 - mu / (2 lambda_i) (0 where mu >= 2 lambda_i). Untied:
L(D, E) + mu (||D||_F^2 + ||E||_F^2) is minimised with D = E^T and
sigma_i^2 = 1 - mu / lambda_i: the transpose appears by itself, yet E = D^T
!= D^+. Closed forms (`weight_decay_singular_values`) against gradient descent.

Budgets. Tied: tests/properties/conftest.py with the weight decay; the singular
values then lie within target of the closed form (they move linearly with the
in-span error, which the budget brings below target). Untied: gradient flow
keeps D^T D - E E^T constant without weight decay; with it,
d/dt (D^T D - E E^T) = -4 lambda (D^T D - E E^T), so the imbalance contracts by
1 - 4 eta lambda per step. The balanced untied run is the tied run with weight
decay 2 lambda and half the step, so its budget is twice the tied one (or the
balancing time if longer). But the imbalance controls D - E^T only along E
(D^T D - E E^T = E F + F^T E^T + F^T F for F = D - E^T); the rest of D - E^T
follows the rotation of D and E^T towards the discarded eigenvectors, which is
linear in the rotation angle and so contracts at r per step, where the tied
budget's rho = r^2 is the rate of the singular values (quadratic in that angle).
Asking the tied budget for target^2 gives log(target^2) / log(rho) >= log(target)
/ log(r) local steps. (A 10,000-example run with target itself found D - E^T at
2.5e-8 where the singular values were already exact.)
"""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import (
    covariance_spectrum,
    default_learning_rate,
    gap_with_error_bound,
    gradient_tolerance,
    is_partial_isometry,
    optimal_tied_weights,
    singular_values,
    tied_gradient,
    train_tied,
    train_untied,
    weight_decay_singular_values,
)
from verify.strategies import data_matrices

# Each example trains a model: the `training` profile of tests/conftest.py.
_TRAINING = settings.get_profile("training")
_SEEDS = st.integers(0, 2**32 - 1)


@st.composite
def _problem(draw, *, fractions):
    """Definite data, a code size and a weight decay that is a fraction of lambda_k."""
    X = draw(data_matrices(max_dimension=3, smallest=1.0, separation=1.0))
    k = draw(st.integers(1, X.shape[0]))
    fraction = draw(st.floats(*fractions))
    return X, k, fraction * covariance_spectrum(X)[0][k - 1]


@given(_problem(fractions=(0.2, 1.6)))
def test_f4_closed_form_tied_weight_decay_optimum_is_critical_and_not_a_partial_isometry(
    scaled_gap_error, case
):
    X, k, decay = case
    eigenvalues, _ = covariance_spectrum(X)
    sigma = weight_decay_singular_values(eigenvalues[:k], decay)
    eigenvectors = optimal_tied_weights(X, k)
    W = eigenvectors * sigma
    gradient = tied_gradient(W, X) + 2 * decay * W
    assert np.linalg.norm(gradient) <= gradient_tolerance(X, W) * (1 + decay)
    # P5: the gap is max |sigma - 1/sigma|; and sigma_k^2 = 1 - fraction / 2 <= 0.9.
    gap, gap_error, _ = gap_with_error_bound(W)
    assert abs(gap - np.abs(sigma - 1 / sigma).max()) <= gap_error + scaled_gap_error(
        eigenvectors, sigma
    )
    assert not is_partial_isometry(W)  # |sigma_k^2 - 1| >= 0.1


@_TRAINING
@given(_problem(fractions=(0.2, 1.6)), _SEEDS)
def test_f4_tied_training_with_weight_decay_reaches_the_closed_form_singular_values(
    tied_budget, case, seed
):
    X, k, decay = case
    target = 1e-8
    steps = tied_budget(X, k, seed=seed, target=target, weight_decay=decay)
    result = train_tied(X, k, steps=steps, weight_decay=decay, seed=seed)
    expected = weight_decay_singular_values(covariance_spectrum(X)[0][:k], decay)
    assert np.abs(singular_values(result.weights) - expected).max() <= target
    assert result.transpose_pseudo_inverse_gap[-1] >= 1 / math.sqrt(0.9) - math.sqrt(0.9) - target


def test_f4_tied_weight_decay_above_twice_an_eigenvalue_switches_that_direction_off():
    X = np.diag([2.0, 1.0, 0.5])  # S = diag(4, 1, 1/4); decay 3 > 2 lambda_2 = 2
    eta = default_learning_rate(X, weight_decay=3.0)  # 1 / 38
    # Near 0 the switched-off direction contracts by 1 - eta (2 * 3 - 4 * 1) = 1 - 1/19 per
    # step, the kept one by 1 - eta 8 lambda_1 sigma_1^2 = 1 - 20/38: 700 steps reach < 1e-15.
    result = train_tied(X, 2, steps=700, weight_decay=3.0, seed=1)
    expected = weight_decay_singular_values([4.0, 1.0], 3.0)
    assert expected.tolist() == [math.sqrt(1 - 3 / 8), 0.0]
    assert (1 - eta * 2) ** 700 < 1e-15
    assert np.abs(singular_values(result.weights) - expected).max() <= 1e-12


def _untied_budget(tied_budget, X, k, *, seed, target, decay):
    eta = default_learning_rate(X, weight_decay=decay)
    start = train_untied(X, k, steps=0, seed=seed)
    imbalance = np.linalg.norm(start.decoder.T @ start.decoder - start.encoder @ start.encoder.T, 2)
    balancing = math.log(max(imbalance, target) / target) / -math.log(1 - 4 * eta * decay)
    # target^2: D - E^T contracts at r, the singular values at rho = r^2 (module doc).
    product = tied_budget(X, k, seed=seed, target=target**2, weight_decay=2 * decay)
    return math.ceil(2 * max(product, balancing))


@_TRAINING
@given(_problem(fractions=(0.2, 0.8)), _SEEDS)
def test_f4_untied_training_with_weight_decay_ties_the_weights_but_not_to_the_pseudo_inverse(
    tied_budget, case, seed
):
    X, k, decay = case
    target = 1e-8
    steps = _untied_budget(tied_budget, X, k, seed=seed, target=target, decay=decay)
    result = train_untied(X, k, steps=steps, weight_decay=decay, seed=seed)
    D, E = result.decoder, result.encoder
    expected = weight_decay_singular_values(covariance_spectrum(X)[0][:k], decay, tied=False)
    assert np.linalg.norm(D - E.T, 2) <= target / expected.min()  # D = E^T by itself
    assert np.abs(singular_values(D) - expected).max() <= target
    # E = D^T, and sigma^2 = 1 - fraction <= 0.8: E != D^+ by P5's margin.
    gap = np.linalg.norm(E - np.linalg.pinv(D), 2)
    assert gap >= 1 / math.sqrt(0.8) - math.sqrt(0.8) - target / expected.min()
