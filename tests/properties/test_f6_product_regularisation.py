"""F6: with the penalty mu ||D E||_F^2 the critical encoder is D^+ S (S + lambda I)^{-1}.

The regularised loss R(E) = ||X - D E X||_F^2 + lambda ||D E||_F^2 is quadratic
in E, so its central difference quotient has no truncation error at all:
(R(E + h V) - R(E - h V)) / (2 h) = <grad R(E), V> exactly, and only rounding
remains, at most 2 delta / (2 h) with delta the error of one evaluation
(`loss_tolerance`, plus the same bound for the penalty term). At
E* = D^+ S (S + lambda I)^{-1} every directional derivative vanishes.

E* differs from D^+ by E* - D^+ = -lambda D^+ (S + lambda I)^{-1} (exactly), of
norm at least lambda / (sigma_max(D) (lambda_1 + lambda)). It differs from D^T
when every singular value of D is at least 1: E* D = D^+ N D with
N = S (S + lambda I)^{-1} has trace at most k lambda_1 / (lambda_1 + lambda)
(its eigenvalues are those of P N P on the column space), while tr(D^T D) >= k,
so ||E* - D^T||_2 >= lambda / ((lambda_1 + lambda) sigma_max(D)). Below 1 the
transpose can be the critical encoder: D = sigma u_1 with
sigma^2 = lambda_1 / (lambda_1 + lambda) has E* = D^T (last test).
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify import loss_tolerance, untied_loss
from verify.strategies import data_matrices, orthogonal_matrices

_EPS = float(np.finfo(float).eps)
_UNIT = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def _regularised_loss(D, E, X, weight):
    return untied_loss(D, E, X) + weight * float(np.sum((D @ E) ** 2))


def _critical_encoder(D, X, weight):
    S = X @ X.T
    return np.linalg.pinv(D) @ S @ np.linalg.inv(S + weight * np.eye(S.shape[0]))


@st.composite
def _problem(draw, *, low, high):
    """Definite data, D = Q_1 diag(sigma) Q_2 with sigma in [low, high], and lambda."""
    X = draw(data_matrices(max_dimension=4))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    sigma = draw(arrays(np.float64, k, elements=st.floats(low, high)))
    D = (draw(orthogonal_matrices(d))[:, :k] * sigma) @ draw(orthogonal_matrices(k))
    return X, D, draw(st.floats(0.1, 2.0))


def _gamma(n):
    return n * _EPS / 2 / (1 - n * _EPS / 2)


def _encoder_error(D, E, X, weight):
    """First-order bound on ||computed E* - E*||_2, E* = D^+ S (S + lambda I)^{-1}.

    Each computed factor's relative error, in the 2-norm (d = rows of X, n its
    samples, k = columns of D):

    - pinv(D): Wedin, `2 ||D^+||_2 ||dD||_2 + k eps` with `||dD||_2 <= 2 d k eps
      ||D||_F` (the SVD's backward error, tests/properties/conftest.py);
    - S = X X^T: `gamma_n ||X||_F^2 / ||S||_2` (Higham, Accuracy and Stability of
      Numerical Algorithms, 2nd ed., eq. 3.13: `|dS| <= gamma_n |X| |X^T|`);
    - (S + lambda I)^{-1}: the sum rounds by `u`, and LU with partial pivoting
      inverts with backward error `d gamma_{3d} rho ||A||_2`, growth `rho <=
      2^(d-1)` (Higham Thm 9.4 and sec. 14.3), so `kappa(A) (d gamma_{3d} 2^(d-1) + u)`;
    - two products: `|fl(A B) - A B| <= gamma_d |A| |B|`, `|| |A| |B| ||_2 <= d
      ||A||_2 ||B||_2`: `d gamma_d` each.

    Their sum times `||D^+||_2 ||S||_2 ||(S + lambda I)^{-1}||_2`. (Replaces a
    chosen `8 max(X.shape) eps kappa(S + lambda I) kappa(D) ||E||_F`.)
    """
    d, n = X.shape
    k = D.shape[1]
    sigma = np.linalg.svd(D, compute_uv=False)
    lam = np.linalg.eigvalsh(X @ X.T)
    pinv_norm = 1 / sigma[-1]
    from_pinv = 2 * pinv_norm * 2 * d * k * _EPS * np.linalg.norm(D) + k * _EPS
    from_s = _gamma(n) * np.linalg.norm(X) ** 2 / lam[-1]
    kappa = (lam[-1] + weight) / (lam[0] + weight)
    from_inverse = kappa * (d * _gamma(3 * d) * 2 ** (d - 1) + _EPS / 2)
    from_products = 2 * d * _gamma(d)
    size = pinv_norm * lam[-1] / (lam[0] + weight)
    return (from_pinv + from_s + from_inverse + from_products) * size


def _slope(D, E, V, X, weight, h):
    upper = _regularised_loss(D, E + h * V, X, weight)
    return (upper - _regularised_loss(D, E - h * V, X, weight)) / (2 * h)


@given(_problem(low=0.5, high=2.0), st.data())
def test_f6_product_regularised_critical_encoder_has_zero_directional_derivatives(problem, data):
    X, D, weight = problem
    E = _critical_encoder(D, X, weight)
    h = 2.0**-10  # any h works: no truncation error; larger h means less rounding
    # Rounding of two evaluations (both terms), plus the error of the computed E* times the
    # curvature 2 ||D||^2 (||S|| + lambda) along a unit direction.
    curvature = 2 * np.linalg.norm(D, 2) ** 2 * (np.linalg.norm(X, 2) ** 2 + weight)
    bound = (1 + weight) * loss_tolerance(X, D, 2 * E) / h
    bound += curvature * _encoder_error(D, E, X, weight)
    for _ in range(3):
        V = data.draw(arrays(np.float64, E.shape, elements=_UNIT))
        V = V / max(np.linalg.norm(V), 1.0)  # ||h V||_F <= h <= ||E||_F: norms below 2 ||E||
        assert abs(_slope(D, E, V, X, weight, h)) <= bound
    # Non-vacuous: D^+ is not critical; towards D^+ the loss rises with slope
    # 2 ||D Delta X||^2 + 2 lambda ||D Delta||^2 > 0, Delta = D^+ - E*.
    pinv = np.linalg.pinv(D)
    direction = (pinv - E) / np.linalg.norm(pinv - E)
    assert _slope(D, pinv, direction, X, weight, h) > bound


@given(_problem(low=0.5, high=2.0))
def test_f6_critical_encoder_is_not_the_pseudo_inverse(problem):
    X, D, weight = problem
    E = _critical_encoder(D, X, weight)
    lambda_1 = np.linalg.eigvalsh(X @ X.T)[-1]
    sigma_max = np.linalg.svd(D, compute_uv=False)[0]
    lower = weight / (sigma_max * (lambda_1 + weight))
    assert np.linalg.norm(E - np.linalg.pinv(D), 2) >= lower - 2 * _encoder_error(D, E, X, weight)


@given(_problem(low=1.0, high=2.0))
def test_f6_critical_encoder_is_not_the_transpose_for_singular_values_at_least_one(problem):
    X, D, weight = problem
    E = _critical_encoder(D, X, weight)
    lambda_1 = np.linalg.eigvalsh(X @ X.T)[-1]
    sigma_max = np.linalg.svd(D, compute_uv=False)[0]
    lower = weight / (sigma_max * (lambda_1 + weight))
    assert np.linalg.norm(E - D.T, 2) >= lower - _encoder_error(D, E, X, weight)


def test_f6_for_a_singular_value_below_one_the_transpose_can_be_the_critical_encoder():
    X = np.diag([2.0, 1.0])  # lambda_1 = 4
    weight = 1.0
    D = np.sqrt(4.0 / 5.0) * np.array([[1.0], [0.0]])
    np.testing.assert_allclose(_critical_encoder(D, X, weight), D.T, rtol=0, atol=4 * _EPS)
