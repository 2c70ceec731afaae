"""F1: with singular S, tied critical points (even global minima) need not be partial isometries.

With r = rank S and v in the null space of S, W = [u_1, ..., u_r, c v] is a
critical point with loss 0, yet W^T W = diag(1, ..., 1, c^2): W^T != W^+ for
c not in {0, 1, -1}, and ||W^T - W^+||_2 = |c - 1/c| (P5). A4's Sylvester step
fails because W^T S W is singular.

A search (`hypothesis.find`) over data of both kinds, code sizes and weights
made of scaled eigenvectors looks for a counterexample to "every tied critical
point is a partial isometry"; the example it finds must lie in the class above:
singular S, every column that is not a unit vector in the null space of S.
The same search restricted to positive definite S finds nothing (A4).

Rank of the drawn data: `data_matrices(covariance="singular")` has nonzero
eigenvalues >= 1/2 and exact zeros, which float64 returns at most
m eps ||X||_2^2 in size; any cutoff in between separates them: 1e-8 lambda_1.
"""

import numpy as np
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from verify import (
    covariance_spectrum,
    gap_with_error_bound,
    gradient_tolerance,
    is_partial_isometry,
    loss_tolerance,
    orthonormality_defect,
    orthonormality_tolerance,
    tied_gradient,
    tied_loss,
)
from verify.strategies import data_matrices

_EPS = float(np.finfo(float).eps)


def _rank(eigenvalues):
    return int(np.count_nonzero(eigenvalues > 1e-8 * eigenvalues[0]))


def _gamma(n):
    return n * _EPS / 2 / (1 - n * _EPS / 2)


def _singular_to_rounding(X, W, svd_error):
    """Upper bound on the computed smallest eigenvalue of `W.T @ (X @ X.T) @ W`, `k > rank S`.

    Exactly, `W^T S W` is singular up to `S`'s small eigenvalues: the range of
    `W` (dimension `k`) meets the span of the eigenvectors of `S` beyond the
    first `r < k` (dimension `d - r`), so Courant-Fischer gives
    `lambda_min(W^T S W) <= lambda_(r+1)(S) ||W||_2^2`, and `sqrt(lambda_(r+1)(S))
    = sigma_(r+1)(X)` is at most its computed value plus the SVD's backward
    error. Forming `S` (inner dimension n) and then `(W^T S) W` (inner
    dimension d twice) changes the matrix by at most `(gamma_n + gamma_d (2 +
    gamma_d)(1 + gamma_n)) ||W||_F^2 ||X||_F^2` (Higham, eq. 3.13, in the
    Frobenius norm), and eigvalsh adds `k u ||W^T S W||_2` (backward error
    `p(k) u`, with `p(k) = k` as in `verify.gram_error_bound`).
    """
    d, n = X.shape
    k = W.shape[1]
    eigenvalues, _ = covariance_spectrum(X)
    sigma_next = np.sqrt(eigenvalues[k - 1]) + svd_error(X)  # r + 1 = k here
    courant_fischer = sigma_next**2 * np.linalg.norm(W, 2) ** 2
    size = np.linalg.norm(W) ** 2 * np.linalg.norm(X) ** 2
    products = (_gamma(n) + _gamma(d) * (2 + _gamma(d)) * (1 + _gamma(n))) * size
    eigensolver = k * _EPS / 2 * size
    return courant_fischer + products + eigensolver


# c away from {0, 1, -1} by a margin, either sign.  Strategies are built once, at import:
# find() draws thousands of times.
_SCALE = st.tuples(
    st.one_of(st.floats(0.1, 0.8), st.floats(1.25, 3.0)), st.sampled_from([1.0, -1.0])
).map(lambda pair: pair[0] * pair[1])
_COLUMN_SCALE = st.one_of(st.sampled_from([1.0, -1.0]), _SCALE)
_EIGENVALUE = st.floats(0.5, 4.0)


@st.composite
def _null_space_extension(draw):
    X = draw(data_matrices(covariance="singular", max_dimension=4))
    eigenvalues, U = covariance_spectrum(X)
    rank = _rank(eigenvalues)
    nullity = X.shape[0] - rank
    mix = np.array(draw(st.lists(st.floats(-1, 1), min_size=nullity, max_size=nullity)))
    mix[0] = 1.0  # v != 0
    v = U[:, rank:] @ (mix / np.linalg.norm(mix))
    return X, np.column_stack([U[:, :rank], v]), draw(_SCALE)


@given(_null_space_extension())
def test_f1_null_space_column_gives_a_zero_loss_critical_point_that_is_not_a_partial_isometry(
    scaled_gap_error, pinv_numerics, case
):
    X, eigenvectors, c = case
    scales = np.append(np.ones(eigenvectors.shape[1] - 1), c)
    W = eigenvectors * scales
    assert np.linalg.norm(tied_gradient(W, X)) <= gradient_tolerance(X, W)
    assert tied_loss(W, X) <= loss_tolerance(X, W)  # a global minimum: the loss is 0
    assert abs(orthonormality_defect(W) - abs(c**2 - 1)) <= orthonormality_tolerance(W)
    assert not is_partial_isometry(W)
    gap, gap_error, _ = gap_with_error_bound(W)
    assert abs(gap - abs(abs(c) - 1 / abs(c))) <= gap_error + scaled_gap_error(eigenvectors, scales)
    # The Sylvester step of A4 needs W^T S W positive definite; here it is singular. First,
    # S has rank k - 1: its k-th eigenvalue is the square of a rounding-level singular value
    # of X (construction and SVD errors, each a few d n eps ||X||_F), far below eps ||X||_F^2.
    assert covariance_spectrum(X)[0][W.shape[1] - 1] <= _EPS * np.linalg.norm(X) ** 2
    S = X @ X.T
    bound = _singular_to_rounding(X, W, pinv_numerics.svd_backward_error)
    assert np.linalg.eigvalsh(W.T @ S @ W)[0] <= bound


@st.composite
def _scaled_eigenvectors(draw, covariances):
    """The search space: data of a drawn kind and W = [c_1 u_(j_1), ..., c_k u_(j_k)].

    The data are X = [diag(sqrt(lambda)), -diag(sqrt(lambda))] / sqrt(2) (centred,
    S = diag(lambda), eigenvectors the coordinate axes): no loss of generality,
    since L(Q W; Q X) = L(W; X) for orthogonal Q, and cheap enough for find() to
    shrink. Singular data have some lambda_i = 0, definite data all in [1/2, 4].
    """
    singular = draw(st.sampled_from(covariances)) == "singular"
    d = draw(st.integers(2 if singular else 1, 4))
    eigenvalues = [draw(_EIGENVALUE) for _ in range(d)]
    if singular:
        for i in draw(st.lists(st.integers(0, d - 1), min_size=1, max_size=d - 1, unique=True)):
            eigenvalues[i] = 0.0
    root = np.diag(np.sqrt(eigenvalues))
    X = np.hstack([root, -root]) / np.sqrt(2)
    k = draw(st.integers(1, d))
    columns = draw(st.permutations(range(d)))[:k]
    scales = [draw(_COLUMN_SCALE) for _ in range(k)]
    return X, np.eye(d)[:, columns] * np.array(scales)


def _critical_but_not_partial_isometry(case):
    X, W = case
    critical = np.linalg.norm(tied_gradient(W, X)) <= gradient_tolerance(X, W)
    return critical and not is_partial_isometry(W)


# A fixed, derandomised search; without the shrink phase find() returns the first example it
# meets (a typical one rather than the simplest, which also keeps the search fast).
_SEARCH = settings(
    max_examples=200, derandomize=True, database=None, deadline=None, phases=[Phase.generate]
)


def test_f1_search_finds_a_non_partial_isometry_critical_point_and_it_is_the_predicted_class():
    search = _scaled_eigenvectors(("definite", "singular"))
    X, W = find(search, _critical_but_not_partial_isometry, settings=_SEARCH)
    eigenvalues, _ = covariance_spectrum(X)
    assert _rank(eigenvalues) < X.shape[0]  # S is singular
    S = X @ X.T
    # Every column is +-e_j times 1 or a _SCALE value, at least 0.2 away from 1 in size.
    off_unit = np.abs(np.linalg.norm(W, axis=0) - 1) > 0.1
    assert off_unit.any()
    # In null(S), exactly: the null coordinates' rows of X, hence of S, are exact zeros.
    assert np.all(S @ W[:, off_unit] == 0)


def test_f1_the_same_search_on_definite_data_finds_nothing_a4():
    search = _scaled_eigenvectors(("definite",))
    with pytest.raises(NoSuchExample):
        find(search, _critical_but_not_partial_isometry, settings=_SEARCH)
