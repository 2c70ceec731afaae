"""A6: with weight decay on both maps, every critical point of the untied loss has E = D^T.

Identity: the loss part's gradients satisfy D^T grad_D = grad_E E^T, so the full
gradients G_D, G_E (decay included) satisfy D^T G_D - G_E E^T = 2 lambda (D^T D - E E^T):
a point whose gradient norms are at most g has
||D^T D - E E^T||_2 <= (||D||_2 + ||E||_2) g / (2 lambda) (the convergence criterion
gives the balance). Closed forms: D = U_J diag(sigma) Q, E = D^T with sigma_j^2 =
1 - lambda / lambda_j (or 0) are critical for any eigenvector subset J (saddles unless
J is the top k). Without weight decay the balance is not forced: A2's D = U_k C,
E = C^(-1) U_k^T is critical for every invertible C, with ||E - D^T||_2 = max |c - 1/c|
over C's singular values (P5), and with decay that point is not critical, its gradient
at least 2 lambda ||C^T C - C^(-1) C^(-T)||_2 / (||D||_2 + ||E||_2).

Training: `train_untied` with weight decay; the step budget and the tolerance
||D - E^T||_2 <= target / sigma_min are those of the F4 untied property
(tests/properties/test_f4_weight_decay.py: the imbalance contracts by 1 - 4 eta lambda
per step, D - E^T at the rotation rate r, the singular values at r^2).
"""

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import (
    covariance_spectrum,
    default_learning_rate,
    gradient_tolerance,
    optimal_untied_weights,
    singular_values,
    train_untied,
    untied_gradient,
    weight_decay_singular_values,
)
from verify.strategies import data_matrices, orthogonal_matrices
from verify.untied_weight_decay import (
    decayed_untied_critical_point,
    decayed_untied_gradient,
    untied_imbalance,
)

_TRAINING = settings.get_profile("training")
_EPS = np.finfo(float).eps


@st.composite
def _problem(draw, *, fractions=(0.1, 0.9), max_dimension=4):
    X = draw(data_matrices(max_dimension=max_dimension, smallest=1.0, separation=1.0))
    k = draw(st.integers(1, X.shape[0]))
    fraction = draw(st.floats(*fractions))
    return X, k, fraction * covariance_spectrum(X)[0][k - 1]


@given(_problem(fractions=(0.1, 2.0)), st.data())
def test_a6_closed_form_critical_points_have_e_equal_to_d_transpose(case, data):
    X, k, decay = case
    d = X.shape[0]
    directions = data.draw(st.permutations(range(d)))[:k]
    rotation = data.draw(orthogonal_matrices(k))
    D, E = decayed_untied_critical_point(X, k, weight_decay=decay, directions=directions,
                                         rotation=rotation)
    grad_D, grad_E = decayed_untied_gradient(D, E, X, weight_decay=decay)
    tolerance = gradient_tolerance(X, D, E) * (1 + decay)
    assert np.linalg.norm(grad_D) <= tolerance and np.linalg.norm(grad_E) <= tolerance
    assert (E == D.T).all()


@given(_problem(), st.data())
def test_a6_without_decay_a_non_orthogonal_mixing_is_critical_and_not_a_transpose(case, data):
    X, k, decay = case
    left, right = data.draw(orthogonal_matrices(k)), data.draw(orthogonal_matrices(k))
    c = np.array(data.draw(st.lists(st.floats(0.25, 4.0), min_size=k, max_size=k)))
    c[0] = data.draw(st.sampled_from([0.5, 2.0]))  # one singular value off 1: |c - 1/c| = 1.5
    C = (left * c) @ right
    D, E = optimal_untied_weights(X, k, mixing=C)
    grad_D, grad_E = untied_gradient(D, E, X)
    # The solve C E = U_k^T adds kappa(C) ||C^-1|| m eps (test_a2_untied_optimum.py).
    solve = 4 * max(X.shape) * _EPS * (c.max() / c.min()) / c.min()
    tolerance = gradient_tolerance(X, D, E) + 4 * np.linalg.norm(X, 2) ** 2 * (
        np.linalg.norm(D, 2) + 1) * solve
    assert np.linalg.norm(grad_D) <= tolerance and np.linalg.norm(grad_E) <= tolerance
    gap = np.abs(c - 1 / c).max()
    assert abs(np.linalg.norm(E - D.T, 2) - gap) <= solve + 4 * k * _EPS * (c.max() + 1 / c.min())
    # With weight decay the same point is not critical: the identity gives a lower bound.
    full_D, full_E = decayed_untied_gradient(D, E, X, weight_decay=decay)
    imbalance = np.linalg.norm(untied_imbalance(D, E), 2)
    largest = max(np.linalg.norm(full_D, 2), np.linalg.norm(full_E, 2))
    scale = np.linalg.norm(D, 2) + np.linalg.norm(E, 2)
    assert largest * scale >= 2 * decay * imbalance - scale * tolerance
    assert imbalance >= 2.0 - 0.25 - 4 * solve  # ||C^T C - (C^T C)^-1|| >= |4 - 1/4| or |1/4 - 4|


def test_a6_identity_holds_exactly_on_a_rational_instance():
    # D^T G_D - G_E E^T = 2 lambda (D^T D - E E^T): two-layer stack [E, D^T] of verify.deep.
    S = np.array([[3, 1, 0], [1, 2, 1], [0, 1, 2]], dtype=object)
    E = np.array([[1, Fraction(1, 2), 0], [0, 2, -1]], dtype=object)
    D = np.array([[2, 0], [1, 1], [0, Fraction(1, 3)]], dtype=object)
    decay = Fraction(3, 7)
    # The untied gradients G_E = -2 D^T (I - D E) S and G_D = -2 (I - D E) S E^T, exactly.
    M = (np.identity(3, dtype=object) - D @ E) @ S
    G_D, G_E = -2 * M @ E.T + 2 * decay * D, -2 * D.T @ M + 2 * decay * E
    assert (D.T @ G_D - G_E @ E.T == 2 * decay * (D.T @ D - E @ E.T)).all()
    assert not (D.T @ G_D - G_E @ E.T == 0).all()  # the imbalance is not zero here


@_TRAINING
@given(_problem(fractions=(0.4, 0.8), max_dimension=3), st.integers(0, 2**32 - 1))
def test_a6_untied_training_with_weight_decay_converges_to_e_equal_to_d_transpose(
    tied_budget, case, seed
):
    X, k, decay = case
    target = 1e-8
    eta = default_learning_rate(X, weight_decay=decay)
    start = train_untied(X, k, steps=0, seed=seed)
    imbalance = np.linalg.norm(untied_imbalance(start.decoder, start.encoder), 2)
    balancing = math.log(max(imbalance, target) / target) / -math.log(1 - 4 * eta * decay)
    product = tied_budget(X, k, seed=seed, target=target**2, weight_decay=2 * decay)
    steps = math.ceil(2 * max(product, balancing))
    run = train_untied(X, k, steps=steps, weight_decay=decay, seed=seed)
    D, E = run.decoder, run.encoder
    expected = weight_decay_singular_values(covariance_spectrum(X)[0][:k], decay, tied=False)
    assert np.linalg.norm(D - E.T, 2) <= target / expected.min()
    assert np.abs(singular_values(D) - expected).max() <= target
    # The convergence criterion bounds the balance through the identity (module doc).
    full_D, full_E = decayed_untied_gradient(D, E, X, weight_decay=decay)
    g = max(np.linalg.norm(full_D, 2), np.linalg.norm(full_E, 2)) + gradient_tolerance(X, D, E)
    scale = np.linalg.norm(D, 2) + np.linalg.norm(E, 2)
    assert np.linalg.norm(untied_imbalance(D, E), 2) <= scale * g / (2 * decay) + (
        4 * max(X.shape) * _EPS * scale**2)
