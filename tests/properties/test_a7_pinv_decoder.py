"""A7: decoding with E^+ gives the loss tr S - tr(P S), P = E^+ E, with the PCA minimum.

The loss depends only on the row space of E (invariant under E -> C E), its minimum
over k x d encoders is lambda_(k+1) + ... + lambda_d (Ky Fan), and its gradient
-2 (E^+)^T S (I - P) (full row rank) grows like 1 / sigma_min(E): on the family
E(s) = U diag(1, ..., 1, s) V^T with fixed U, V, E^+ has the term v_k u_k^T / s, so
s grad -> -2 u_k v_k^T S (I - P), of norm c = 2 ||(I - P) S v_k||, with
||s grad - limit||_F <= 2 s sum_(i < k) ||(I - P) S v_i|| (the other terms carry
sigma_i = 1). E^+ itself moves like 1 / s^2: ||E^+(s + h) - E^+(s)||_2 = h / (s (s + h)).

Rounding. The SVD of the float E is the exact SVD of E + dE, ||dE||_2 <= 2 d k eps ||E||_2
(tests/properties/conftest.py); the computed row basis spans a space at angle
theta <= ||dE|| / (sigma_min - ||dE||) from the true one (Wedin), so each computed loss
is within delta = 2 theta tr S + 4 d n eps tr S of the exact one (the residual's rounding).
"""

import math

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import covariance_spectrum, optimal_tied_weights
from verify.pinv_decoder import (
    pinv_decoder_gradient,
    pinv_decoder_loss,
    pinv_decoder_projector,
    train_pinv_decoder,
)
from verify.strategies import data_matrices, full_rank_non_orthonormal, orthogonal_matrices

_EPS = np.finfo(float).eps
_TRAINING = settings.get_profile("training")


def _loss_error(E, X):
    """delta of the module doc: how far a computed loss may be from the exact one."""
    trace = float(np.vdot(X, X))
    sigma = np.linalg.svd(E, compute_uv=False)
    dE = 2 * E.shape[0] * E.shape[1] * _EPS * sigma[0]
    assert sigma[-1] > dE, "the bound needs E of full row rank, well above rounding"
    theta = dE / (sigma[-1] - dE)
    return 2 * theta * trace + 4 * max(X.shape) ** 2 * _EPS * trace


@st.composite
def _encoder_and_data(draw):
    X = draw(data_matrices(max_dimension=5))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    W = draw(full_rank_non_orthonormal(max_rows=d))  # d' x k' with k' <= d' <= d
    Q = draw(orthogonal_matrices(d))[:, : W.shape[0]]
    E = (Q @ W).T  # k' x d, full row rank, singular values in [1/4, 4]
    return E, X, k


@given(_encoder_and_data())
def test_a7_loss_is_trace_s_minus_trace_ps(case):
    E, X, _ = case
    S = X @ X.T
    P = np.linalg.pinv(E, rcond=max(E.shape) * _EPS) @ E  # an independent route to P
    assert abs(pinv_decoder_loss(E, X) - (np.trace(S) - np.trace(P @ S))) <= 2 * _loss_error(E, X)
    assert np.linalg.norm(pinv_decoder_projector(E) - P, 2) <= 4 * _loss_error(E, X) / np.trace(S)


@given(_encoder_and_data(), st.data())
def test_a7_loss_is_invariant_under_invertible_mixing(case, data):
    E, X, _ = case
    k = E.shape[0]
    left, right = data.draw(orthogonal_matrices(k)), data.draw(orthogonal_matrices(k))
    sigma = data.draw(st.lists(st.floats(0.25, 4.0), min_size=k, max_size=k))
    C = (left * sigma) @ right  # invertible, condition <= 16
    assert abs(pinv_decoder_loss(C @ E, X) - pinv_decoder_loss(E, X)) <= (
        _loss_error(C @ E, X) + _loss_error(E, X))


@given(_encoder_and_data())
def test_a7_minimum_is_the_pca_value_at_any_basis_of_the_top_eigenvectors(case):
    E, X, _ = case
    k = E.shape[0]
    eigenvalues, _ = covariance_spectrum(X)
    optimum = float(eigenvalues[k:].sum())
    assert pinv_decoder_loss(E, X) >= optimum - _loss_error(E, X)  # Ky Fan
    mixed = np.diag(np.linspace(0.5, 3.0, k)) @ optimal_tied_weights(X, k).T
    assert abs(pinv_decoder_loss(mixed, X) - optimum) <= _loss_error(mixed, X)


def test_a7_gradient_formula_is_the_exact_derivative_on_a_rational_instance():
    # SymPy differentiates tr S - tr(E^T (E E^T)^-1 E S) entry by entry: zero tolerance.
    k, d = 2, 3
    symbols = sympy.Matrix(k, d, sympy.symbols(f"e0:{k * d}"))
    S = sympy.Matrix([[3, 1, 0], [1, 2, 1], [0, 1, 2]])
    values = dict(zip(symbols, [1, 2, 0, sympy.Rational(1, 2), -1, 3], strict=True))
    P = symbols.T * (symbols * symbols.T).inv() * symbols
    loss = S.trace() - (P * S).trace()
    derivative = sympy.Matrix(k, d, [sympy.diff(loss, e).subs(values) for e in symbols])
    E = symbols.subs(values)
    pseudo_inverse = E.T * (E * E.T).inv()
    formula = -2 * pseudo_inverse.T * S * (sympy.eye(d) - pseudo_inverse * E)
    assert sympy.simplify(derivative - formula) == sympy.zeros(k, d)
    # ... and pinv_decoder_gradient evaluates it (X with X X^T = S from the Cholesky factor).
    X = np.array(S.cholesky(hermitian=False).evalf(), dtype=float)
    expected = np.array(formula.evalf(), dtype=float)
    computed = pinv_decoder_gradient(np.array(E.evalf(), dtype=float), X)
    assert np.linalg.norm(computed - expected) <= 1e-12 * np.linalg.norm(expected)


def _finite_difference_bound(E, X, h):
    """Central-difference error for a unit direction: h^2 M / rho^3 + delta / h (Cauchy estimate).

    f(t) = loss(E + t V) extends analytically to complex |t| < R with
    2 R ||E||_2 + R^2 = sigma_min^2 / 2 (E(t) E(t)^T stays invertible, its inverse of
    norm <= 2 / sigma_min^2), where |f| <= M = tr S (1 + 2 (||E||_2 + R)^2 / sigma_min^2);
    around each t0 in [-h, h] a disc of radius rho = R - h gives |f'''| <= 6 M / rho^3,
    and the central quotient's truncation is h^2 / 6 max |f'''|.
    """
    sigma = np.linalg.svd(E, compute_uv=False)
    norm, smallest = sigma[0], sigma[-1]
    R = -norm + math.sqrt(norm**2 + smallest**2 / 2)
    M = float(np.vdot(X, X)) * (1 + 2 * (norm + R) ** 2 / smallest**2)
    rho = R - h
    assert rho > 0
    return h**2 * M / rho**3 + 2 * _loss_error(E, X) / h


@given(_encoder_and_data(), st.data())
def test_a7_gradient_matches_central_differences_to_a_derived_bound(case, data):
    E, X, _ = case
    direction = data.draw(orthogonal_matrices(E.size))[:, 0].reshape(E.shape)
    sigma = np.linalg.svd(E, compute_uv=False)
    R = -sigma[0] + math.sqrt(sigma[0] ** 2 + sigma[-1] ** 2 / 2)
    h = min(R / 2, (_loss_error(E, X) * R**3 / (float(np.vdot(X, X)) * 8)) ** 0.25)
    quotient = (pinv_decoder_loss(E + h * direction, X)
                - pinv_decoder_loss(E - h * direction, X)) / (2 * h)
    gradient = pinv_decoder_gradient(E, X)
    # The gradient's own rounding: delta / sigma_min scaled by ||X||_2^2 / tr S <= 1 per unit.
    own = 2 * _loss_error(E, X) / sigma[-1]
    assert abs(float(np.vdot(gradient, direction)) - quotient) <= (
        _finite_difference_bound(E, X, h) + own)


@st.composite
def _family(draw):
    X = draw(data_matrices(max_dimension=5, smallest=1.0))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    U = draw(orthogonal_matrices(k))
    V = draw(orthogonal_matrices(d))[:, :k]
    return X, U, V


@given(_family())
def test_a7_gradient_times_sigma_min_tends_to_a_finite_limit_as_sigma_min_goes_to_zero(case):
    X, U, V = case
    k = U.shape[0]
    S = X @ X.T
    P = V @ V.T
    outside = (np.eye(len(S)) - P) @ S @ V  # column i: (I - P) S v_i
    limit = 2 * np.linalg.norm(outside[:, -1])
    others = 2 * np.linalg.norm(outside[:, :-1], axis=0).sum()
    spectral = np.linalg.norm(S, 2)
    for s in 10.0 ** -np.arange(1, 7):
        E = (U * np.r_[np.ones(k - 1), s]) @ V.T
        size = np.linalg.norm(pinv_decoder_gradient(E, X)) * s
        # The computed gradient is the exact one at E + dE (||dE|| <= 2 d k eps, a stable SVD),
        # and the 1/s term moves by at most 2 ||S||_2 ||dE|| / s^2 (plus the turn of its
        # singular vectors, as much again): times s, 4 ||S||_2 ||dE|| / s.
        dE = 2 * E.size * _EPS
        rounding = 4 * spectral * dE / (s - dE) + 4 * max(X.shape) ** 2 * _EPS * limit
        assert abs(size - limit) <= s * others + rounding


def test_a7_gradient_grows_like_one_over_sigma_min_and_the_pseudo_inverse_like_its_square():
    rng = np.random.default_rng(3)
    X = np.diag([3.0, 2.0, 1.5, 1.0]) @ np.linalg.qr(rng.standard_normal((4, 6)).T)[0].T
    U = np.linalg.qr(rng.standard_normal((2, 2)))[0]
    V = np.linalg.qr(rng.standard_normal((4, 2)))[0]
    products, derivative = [], []
    for s in (5e-2, 5e-3, 5e-4, 5e-5):
        E = (U * [1.0, s]) @ V.T
        products.append(np.linalg.norm(pinv_decoder_gradient(E, X), 2) * s)
        h = s * 1e-3
        moved = (U * [1.0, s + h]) @ V.T
        change = np.linalg.norm(np.linalg.pinv(moved) - np.linalg.pinv(E), 2)
        derivative.append(change / h * s * (s + h))  # exactly 1 in exact arithmetic
    assert max(products) / min(products) < 1.1 and min(products) > 0.1
    # pinv of a matrix with condition 1 / s: relative error about (1 / s) eps, over h = s 1e-3.
    np.testing.assert_allclose(derivative, 1.0, rtol=1e-6)


@given(_family())
def test_a7_loss_is_constant_for_every_sigma_min_above_zero_and_jumps_at_zero(case):
    X, U, V = case
    k = U.shape[0]
    S = X @ X.T
    losses = [pinv_decoder_loss((U * np.r_[np.ones(k - 1), s]) @ V.T, X)
              for s in (1.0, 1e-3, 1e-6)]
    E = (U * np.r_[np.ones(k - 1), 1e-6]) @ V.T
    assert max(losses) - min(losses) <= 2 * _loss_error(E, X)
    # At s = 0 the last row is exactly zero (the U-mixed product would leave rounding there,
    # possibly above the rank cutoff): rank k - 1, one direction lost, the loss jumps up by
    # v_k^T S v_k (loss = tr S - tr(P S), P loses v_k v_k^T).
    kept = V[:, :-1].T
    dropped = np.vstack([kept, np.zeros((1, len(S)))])
    jump = float(V[:, -1] @ S @ V[:, -1])
    tolerance = _loss_error(V.T, X) + (
        _loss_error(kept, X) if k > 1 else 4 * len(S) ** 2 * _EPS * np.trace(S))
    assert abs(pinv_decoder_loss(dropped, X) - pinv_decoder_loss(V.T, X) - jump) <= tolerance


@_TRAINING
@given(_encoder_and_data())
def test_a7_training_decreases_the_loss_and_never_shrinks_sigma_min(case):
    E, X, _ = case
    run = train_pinv_decoder(X, E, steps=200)
    slack = 2 * max(_loss_error(E, X), _loss_error(run.encoder, X))
    assert np.all(np.diff(run.loss) <= slack)
    # E E^T only gains eta^2 g g^T: sigma_min is non-decreasing, up to the SVD's error.
    errors = 2 * E.size * _EPS * np.linalg.norm(run.encoder, 2)
    assert np.all(np.diff(run.smallest_singular_value) >= -2 * errors)
