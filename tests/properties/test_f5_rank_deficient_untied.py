"""F5: for a rank-deficient decoder the critical encoders E = D^+ + (I - D^+ D) Z are not just D^+.

With S positive definite, grad_E = -2 D^T (I - D E) S vanishes iff D^T D E = D^T.
D^+ solves it, and so does D^+ + Z for every Z whose columns lie in the null
space of D (then D Z = 0 and (I - D^+ D) Z = Z): a whole affine family of
critical encoders, all with the same loss, with ||E - D^+|| = ||Z||. For D of
full column rank the null space is {0} and D^+ is the only one (A1).

Rounding: D is a thin product with nonzero singular values in [1/4, 4] and
rank-deficient exactly; its pseudo-inverse is cut at sqrt(eps) sigma_max and
carries the error `pinv_numerics.pinv_error(D)` (Wedin, equal ranks; both in
tests/properties/conftest.py). The null-space basis N comes from the same SVD,
with D N of the size of the SVD's backward error.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify import gradient_tolerance, loss_tolerance, untied_gradient, untied_loss
from verify.strategies import data_matrices, orthogonal_matrices, rank_deficient

_EPS = float(np.finfo(float).eps)
_CUTOFF = np.sqrt(_EPS)  # the pinv_numerics cutoff: strategies cannot take fixtures
_UNIT = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def _problem(draw):
    X = draw(data_matrices(max_dimension=4).filter(lambda X: X.shape[0] >= 2))
    d = X.shape[0]
    core = draw(rank_deficient(max_rows=d))  # d' x k with d' <= d, rank < k
    D = draw(orthogonal_matrices(d))[:, : core.shape[0]] @ core  # same singular values
    _, sigma, right = np.linalg.svd(D)
    rank = int(np.count_nonzero(sigma > _CUTOFF * sigma[0]))
    null_space = right[rank:].T  # k x (k - rank)
    mixing = draw(arrays(np.float64, (null_space.shape[1], d), elements=_UNIT))
    mixing[0, 0] = 1.0  # Z != 0
    return X, D, null_space @ mixing


@given(_problem())
def test_f5_rank_deficient_decoder_has_a_family_of_critical_encoders_beyond_the_pseudo_inverse(
    pinv_numerics, problem
):
    X, D, Z = problem
    pinv = np.linalg.pinv(D, rcond=pinv_numerics.cutoff)
    pinv_error = pinv_numerics.pinv_error(D)
    E = pinv + (np.eye(D.shape[1]) - pinv @ D) @ Z
    norm_S = np.linalg.norm(X, 2) ** 2
    # Rounding of pinv and of the null space moves D^T D E - D^T by ||D||^2 times it.
    equation_bound = 4 * np.linalg.norm(D, 2) ** 2 * (pinv_error * (1 + np.linalg.norm(Z)))
    assert np.abs(D.T @ D @ E - D.T).max() <= equation_bound
    _, grad_E = untied_gradient(D, E, X)
    assert np.linalg.norm(grad_E) <= gradient_tolerance(X, D, E) + 2 * norm_S * equation_bound
    assert abs(untied_loss(D, E, X) - untied_loss(D, pinv, X)) <= 2 * loss_tolerance(X, D, E)
    # Z has a unit entry and lies in the null space of D: E is at least that far from D^+.
    assert np.linalg.norm(E - pinv) >= 1 - pinv_error * np.linalg.norm(Z)


@given(data_matrices(max_dimension=4), st.data())
def test_f5_full_rank_decoder_has_only_the_pseudo_inverse_as_critical_encoder_a1(X, data):
    # Contrast: with D of full column rank, D^T D E = D^T forces E = (D^T D)^{-1} D^T = D^+,
    # and any E != D^+ has a nonzero gradient (the same Z as above is no longer invisible).
    d = X.shape[0]
    D = data.draw(orthogonal_matrices(d))[:, : data.draw(st.integers(1, d))]
    Z = data.draw(arrays(np.float64, (D.shape[1], d), elements=_UNIT))
    Z[0, 0] = 1.0
    _, grad_E = untied_gradient(D, D.T + Z, X)
    # grad_E = 2 D^T D Z S = 2 Z S here (D^T D = I): at least 2 lambda_min(S) ||Z||_F >= 1.
    assert np.linalg.norm(grad_E) >= 2 * 0.5 * np.linalg.norm(Z) - gradient_tolerance(X, D, D.T + Z)
