"""A1: for a fixed decoder D the best encoder is D^+; the best decoder for E is not E^+.

The untied loss is quadratic in E: L(D, E + Delta) = L(D, E) + <grad_E, Delta>
+ ||D Delta X||_F^2 exactly. At E = D^+ the gradient in E vanishes, so a
perturbation raises the loss by ||D Delta X||_F^2 >= sigma_min(D)^2
lambda_min(S) ||Delta||_F^2 > 0 when S is positive definite (uniqueness); with
S singular, Delta = Z with Z X = 0 changes nothing (a family of minimisers).

Best decoder for a fixed E: D* = S E^T (E S E^T)^{-1} satisfies E D* = I, so
D* - E^+ = (I - E^+ E) D*: it differs from E^+ unless the row space of E is
invariant under S. For one row e = c (cos t u_1 + sin t u_2) the difference is
|lambda_1 - lambda_2| |cos t sin t| / (|c| (lambda_1 cos^2 t + lambda_2 sin^2 t)).

Tolerances: `gradient_tolerance` / `loss_tolerance` for evaluation, plus the
first-order effect of the rounding of the computed D^+ (`pinv_numerics.pinv_error`
of tests/properties/conftest.py: Wedin's bound with the SVD's backward error).
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify import (
    covariance_spectrum,
    gradient_tolerance,
    loss_tolerance,
    untied_gradient,
    untied_loss,
)
from verify.strategies import data_matrices, full_rank_non_orthonormal, orthogonal_matrices

_EPS = float(np.finfo(float).eps)
_UNIT = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def _problem(draw, covariance):
    """Data X (d x n) and a decoder D (d x k) of full column rank that is not orthonormal."""
    X = draw(data_matrices(covariance=covariance, max_dimension=4))
    d = X.shape[0]
    core = draw(full_rank_non_orthonormal(max_rows=d, low=0.5, high=2.0))
    # full_rank_non_orthonormal draws its own row count d' <= d: an orthonormal embedding
    # into d rows keeps the singular values.
    embed = draw(orthogonal_matrices(d))[:, : core.shape[0]]
    return X, embed @ core


def _encoder_gradient_tolerance(X, D, E, pinv_error):
    # grad_E = -2 D^T (I - D E) S moves by 2 ||D||^2 ||S|| ||dE|| when E moves by dE.
    moved = 2.0 * np.linalg.norm(D, 2) ** 2 * np.linalg.norm(X, 2) ** 2 * pinv_error(D)
    return gradient_tolerance(X, D, E) + moved


@given(_problem("definite"), st.data())
def test_a1_pseudo_inverse_is_the_unique_best_encoder_for_definite_data(
    pinv_numerics, problem, data
):
    X, D = problem
    E = np.linalg.pinv(D)
    _, grad_E = untied_gradient(D, E, X)
    gradient_bound = _encoder_gradient_tolerance(X, D, E, pinv_numerics.pinv_error)
    assert np.linalg.norm(grad_E) <= gradient_bound
    delta = data.draw(arrays(np.float64, E.shape, elements=_UNIT))
    increase = untied_loss(D, E + delta, X) - untied_loss(D, E, X)
    predicted = float(np.linalg.norm(D @ delta @ X) ** 2)
    tolerance = 2 * loss_tolerance(X, D, E + delta) + gradient_bound * np.linalg.norm(delta)
    assert abs(increase - predicted) <= tolerance
    sigma_min = np.linalg.svd(D, compute_uv=False)[-1]
    lambda_min = covariance_spectrum(X)[0][-1]
    assert increase >= sigma_min**2 * lambda_min * np.linalg.norm(delta) ** 2 - tolerance


@given(_problem("singular"), st.data())
def test_a1_singular_data_every_pseudo_inverse_plus_z_with_zx_zero_is_optimal(
    pinv_numerics, problem, data
):
    X, D = problem
    eigenvalues, U = covariance_spectrum(X)
    rank = int(np.count_nonzero(eigenvalues > eigenvalues[0] * 1e-8))  # exact zeros vs >= 0.5
    null_space = U[:, rank:]
    mixing = data.draw(arrays(np.float64, (D.shape[1], null_space.shape[1]), elements=_UNIT))
    mixing[0, 0] = 1.0  # Z != 0
    Z = mixing @ null_space.T
    E = np.linalg.pinv(D)
    assert np.linalg.norm(Z) >= 0.5  # a different encoder (row 0 of mixing has a 1) ...
    same = untied_loss(D, E + Z, X) - untied_loss(D, E, X)
    assert abs(same) <= 2 * loss_tolerance(X, D, E + Z)  # ... with the same loss
    _, grad_E = untied_gradient(D, E + Z, X)
    assert np.linalg.norm(grad_E) <= _encoder_gradient_tolerance(
        X, D, E + Z, pinv_numerics.pinv_error
    )


def test_a1_z_outside_the_null_space_of_x_raises_the_loss():
    # Contrast for the test above: with S positive definite no Z != 0 has Z X = 0.
    X = np.diag([2.0, 1.0])
    D = np.array([[1.0], [1.0]])
    Z = np.array([[0.5, -0.5]])  # Z D = 0 but Z X != 0
    assert untied_loss(D, np.linalg.pinv(D) + Z, X) > untied_loss(D, np.linalg.pinv(D), X) + 1


def _gamma(n):
    return n * _EPS / 2 / (1 - n * _EPS / 2)


def _best_decoder_gap_error(X, E, best, eigenvalues, angle, scale, pinv_numerics):
    """First-order bound on `|computed ||best - pinv(E)||_2 - predicted|` (replaces 32 m eps).

    (d, n: the shape of X; p = svd_backward_error(X) / ||X||_2, the SVD's relative
    backward error, 2 d n eps ||X||_F / ||X||_2.)

    - pinv(E): `pinv_numerics.pinv_error(E)` (Wedin with the SVD's backward error);
    - best = S E^T / (E S E^T): S = X X^T within `gamma_n ||X||_F^2` (Higham eq. 3.13),
      the product S E^T within `d gamma_d ||S||_2 ||E||_2` more, the scalar E S E^T within
      `||E||_2` times that plus `d gamma_d ||E||_2 ||S E^T||`, the division `u`:
      relative `e_v + e_q + u` of `||best||_2`;
    - the prediction assumes exact eigenpairs: the computed ones (SVD of X) have
      residuals `||S u_i - lambda_i u_i|| <= 2 ||X||_2^2 p` and eigenvalues within
      `2 lambda_1 p`; through `best = scale (c lambda_1 u_1 + s lambda_2 u_2) / (scale^2 q)`,
      `q = lambda_1 c^2 + lambda_2 s^2 >= lambda_2`, the residuals move best by at most
      `2 (2 lambda_1 p) / (scale q)` plus the same relative change of q, and the
      eigenvalues move the predicted gap by at most `(2 lambda_1 p) (|cs| / (scale q))
      (2 + 2 lambda_1 / q)`; the eigenvectors' orthonormality defect (at most p) enters E,
      and so pinv(E), by `p / scale`.
    """
    d, n = X.shape
    p = pinv_numerics.svd_backward_error(X) / np.linalg.norm(X, 2)
    lambda_1, lambda_2 = eigenvalues[:2]
    S = X @ X.T
    norm_s, norm_e = np.linalg.norm(S, 2), np.linalg.norm(E, 2)
    error_s = _gamma(n) * np.linalg.norm(X) ** 2
    error_v = error_s * norm_e + d * _gamma(d) * norm_s * norm_e
    v = S @ E.T
    q_scaled = float((E @ v).item())
    error_q = norm_e * error_v + d * _gamma(d) * norm_e * np.linalg.norm(v)
    relative_best = error_v / np.linalg.norm(v) + error_q / q_scaled + _EPS / 2
    c, s = np.cos(angle), np.sin(angle)
    q = lambda_1 * c**2 + lambda_2 * s**2
    eigen = 2 * lambda_1 * p
    from_residuals = 2 * eigen / (scale * q) * (1 + np.linalg.norm(best) * scale)
    from_eigenvalues = eigen * abs(c * s) / (scale * q) * (2 + 2 * lambda_1 / q)
    return (pinv_numerics.pinv_error(E) + relative_best * np.linalg.norm(best, 2)
            + from_residuals + from_eigenvalues + 2 * p / scale)


@given(
    X=data_matrices(covariance="singular", max_dimension=4),
    angle=st.floats(0.2, 1.37),
    scale=st.floats(0.5, 2.0),
)
def test_a1_best_decoder_for_a_fixed_encoder_is_not_its_pseudo_inverse(
    X, angle, scale, pinv_numerics
):
    eigenvalues, U = covariance_spectrum(X)  # d >= 2; lambda_2 may be 0 (rank 1 data)
    lambda_1, lambda_2 = eigenvalues[:2]
    E = scale * (np.cos(angle) * U[:, :1] + np.sin(angle) * U[:, 1:2]).T  # 1 x d
    S = X @ X.T
    best = S @ E.T / (E @ S @ E.T)
    grad_D, _ = untied_gradient(best, E, X)
    m = max(X.shape)
    # grad_D = -2 (I - D E) S E^T moves by 2 ||E||^2 ||S|| ||dD||; best carries relative
    # rounding of at most 2 m eps (one product and one division per entry, u_i residuals).
    moved = 2 * np.linalg.norm(E) ** 2 * lambda_1 * 2 * m * _EPS * np.linalg.norm(best)
    assert np.linalg.norm(grad_D) <= gradient_tolerance(X, best, E) + moved
    gap = np.linalg.norm(best - np.linalg.pinv(E), 2)
    quadratic = lambda_1 * np.cos(angle) ** 2 + lambda_2 * np.sin(angle) ** 2
    predicted = abs(lambda_1 - lambda_2) * abs(np.cos(angle) * np.sin(angle)) / (scale * quadratic)
    tolerance = _best_decoder_gap_error(X, E, best, eigenvalues, angle, scale, pinv_numerics)
    assert abs(gap - predicted) <= tolerance
    assert predicted >= 0.5 * 0.19 / (scale * lambda_1)  # separation >= 1/2, |sin 2t| / 2 >= 0.19
    assert gap > tolerance  # so the best decoder is not E^+
