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


def _scaling_error(A, c):
    """How far the P5 gap of the float64 `W = A diag(1, ..., 1, c)` may be from `|c - 1/c|`.

    The computed eigenvectors `A = [u_1, ..., u_r, v]` are orthonormal only to
    `delta = ||A^T A - I||_2` (measured, plus its own tolerance). Then `A =
    Q (I + F)` with `Q` orthonormal and `||F||_2 <= delta` (polar
    decomposition: the singular values of `A` lie in `[sqrt(1 - delta),
    sqrt(1 + delta)]`), so `A D = Q D + Q F D` with `D = diag(1, ..., 1, c)`,
    and by Weyl each singular value of `W` is within `p = delta max(1, |c|) +
    u |c|` of `1` or `|c|` (the second term: rounding `c v`). On `sigma >=
    s - p`, `|sigma - 1/sigma|` moves by at most `(1 + 1/(s - p)^2) p`;
    evaluating `|c - 1/c|` adds `3 u (|c| + 1/|c|)`.
    """
    delta = orthonormality_defect(A) + orthonormality_tolerance(A)
    perturbation = delta * max(1.0, abs(c)) + _EPS / 2 * abs(c)
    smallest = min(1.0, abs(c)) - perturbation
    rounding = 3 * _EPS / 2 * (abs(c) + 1 / abs(c))
    return (1 + 1 / smallest**2) * perturbation + rounding


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
def test_f1_null_space_column_gives_a_zero_loss_critical_point_that_is_not_a_partial_isometry(case):
    X, eigenvectors, c = case
    W = eigenvectors * np.append(np.ones(eigenvectors.shape[1] - 1), c)
    assert np.linalg.norm(tied_gradient(W, X)) <= gradient_tolerance(X, W)
    assert tied_loss(W, X) <= loss_tolerance(X, W)  # a global minimum: the loss is 0
    assert abs(orthonormality_defect(W) - abs(c**2 - 1)) <= orthonormality_tolerance(W)
    assert not is_partial_isometry(W)
    gap, gap_error, _ = gap_with_error_bound(W)
    assert abs(gap - abs(abs(c) - 1 / abs(c))) <= gap_error + _scaling_error(eigenvectors, c)
    # The Sylvester step of A4 needs W^T S W positive definite; here it is singular.
    S = X @ X.T
    rounding = 8 * max(X.shape) * _EPS * np.linalg.norm(X, 2) ** 2 * max(1, c**2)
    assert np.linalg.eigvalsh(W.T @ S @ W)[0] <= rounding


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
    norms = np.linalg.norm(W, axis=0)
    off_unit = np.abs(norms - 1) > 1e-12
    assert off_unit.any()
    null_tolerance = 8 * max(X.shape) * _EPS * np.linalg.norm(X, 2) ** 2 * norms.max()
    assert np.all(np.linalg.norm(S @ W[:, off_unit], axis=0) <= null_tolerance)  # in null(S)


def test_f1_the_same_search_on_definite_data_finds_nothing_a4():
    search = _scaled_eigenvectors(("definite",))
    with pytest.raises(NoSuchExample):
        find(search, _critical_but_not_partial_isometry, settings=_SEARCH)
