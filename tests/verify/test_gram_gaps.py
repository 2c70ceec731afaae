"""The mutation gaps of issue 17 in the Gram route (`verify._gram`): a test each that the
mutant fails. Expected values come from the textbook formulas in exact rationals
(`fractions.Fraction`) or from matrices built with a known spectrum, never from the
function under test.

- `gamma_n = n u / (1 - n u)` (Higham, Accuracy and Stability, Lemma 3.1);
- the squared singular values are clamped at 0 (a Gram matrix is positive semidefinite;
  `eigvalsh` returns small negatives for a rank-deficient one);
- the SVD route's gap bound uses `max(d, k) eps sigma_max` per singular value (the
  backward error of the SVD is `p(d, k) eps ||W||_2` with `p` growing with the larger
  dimension, not the smaller);
- an explicit cutoff is divided by the power-of-two scale, like the matrix.
"""

import math
from fractions import Fraction

import numpy as np
import pytest

from verify import gap_with_error_bound, measure_weights, numerical_rank
from verify._gram import gamma

EPS64 = Fraction(1, 2**52)


def textbook_gamma(n, u):
    """`gamma_n = n u / (1 - n u)` in exact rationals (Higham, Lemma 3.1); None where `n u >= 1`."""
    nu = n * Fraction(u)
    return nu / (1 - nu) if nu < 1 else None


# verify/_gram.py: gamma (the mutant writes 1 + nu in the denominator)


@pytest.mark.parametrize(("n", "u", "expected"), [
    (1, Fraction(1, 4), Fraction(1, 3)),
    (2, Fraction(1, 8), Fraction(1, 3)),
    (3, Fraction(1, 4), Fraction(3)),
    (1, Fraction(1, 3), Fraction(1, 2)),
    (1000, Fraction(1, 2**11), Fraction(1000, 2048 - 1000)),
    (2**20, Fraction(1, 2**24), Fraction(1, 15)),
])
def test_gamma_is_the_textbook_formula_at_coarse_unit_roundoffs(n, u, expected):
    assert textbook_gamma(n, u) == expected  # the rationals above are the formula's
    # gamma does three roundings (n u exact for these, 1 - n u, the division): 2 eps relative.
    assert abs(Fraction(gamma(n, float(u))) - expected) <= 2 * EPS64 * expected


@pytest.mark.parametrize("n", [1, 7, 4096, 2**30])
def test_gamma_at_double_precision_exceeds_n_u_by_its_second_order_term(n):
    # gamma_n - n u = (n u)^2 / (1 - n u) > 0; 1 + nu in the denominator would be below n u.
    u = Fraction(1, 2**53)
    expected = textbook_gamma(n, u)
    assert Fraction(gamma(n)) > n * u
    assert abs(Fraction(gamma(n)) - expected) <= 2 * EPS64 * expected


def test_gamma_is_inf_where_n_u_reaches_1():
    assert textbook_gamma(4, Fraction(1, 4)) is None
    assert gamma(4, 0.25) == math.inf and gamma(2**53, 2.0**-53) == math.inf


# verify/_gram.py: the eigenvalues of W^T W are clamped at 0


def _rank_two_with_dependent_columns(seed):
    """A 6 x 5 matrix of rank 2: three columns are combinations of the first two."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((6, 2))
    return np.hstack([A, A @ rng.standard_normal((2, 3))])


@pytest.mark.parametrize("seed", range(10))
def test_squared_singular_values_of_a_rank_deficient_matrix_are_nonnegative(seed):
    # eigvalsh of a singular Gram matrix returns values of either sign near 0 (about 1e-15
    # here); a sigma_i^2 below 0 is no squared singular value. The three exact zeros stay
    # within the Gram route's error of 0.
    W = _rank_two_with_dependent_columns(seed)
    measures = measure_weights(W)
    mu = np.array(measures.squared_singular_values)
    assert mu.shape == (5,) and np.all(mu >= 0.0)
    # The stated bound: gamma_n ||W||_F^2 for the product, m u ||G||_2 for eigvalsh.
    frobenius_squared = float(np.sum(W * W))
    error = float(textbook_gamma(6, Fraction(1, 2**53))) * frobenius_squared + 5 * 2.0**-53 * mu[0]
    assert np.all(mu[2:] <= error)
    assert measures.rank == 2 and numerical_rank(W) == 2


# verify/_gram.py: the SVD route's error bound uses max(d, k)


def _svd_route_bound(sigmas, shape, rank, eps):
    """The stated bound: each sigma_i within `a = max(d, k) eps sigma_max`; |s - 1/s| moves by
    at most `a (1 + 1/s^2)`, plus `3 eps / 2 (s + 1/s)` for rounding sqrt, 1/s and the
    difference."""
    a = max(shape) * eps * sigmas[0]
    kept = sigmas[:rank]
    return max(a * (1 + 1 / s**2) + 1.5 * eps * (s + 1 / s) for s in kept)


@pytest.mark.parametrize(("shape", "kept"), [
    ((60, 3), [1.0, 0.5]), ((3, 60), [2.0, 1.0]), ((40, 4), [1.0, 1.0, 1.0])])
def test_the_svd_route_bound_grows_with_the_larger_dimension(shape, kept):
    # Rank deficient (one zero singular value), so the SVD decides the rank and gives the gap.
    d, k = shape
    m = min(shape)
    rng = np.random.default_rng(d + k)
    U = np.linalg.qr(rng.standard_normal((d, m)))[0]
    V = np.linalg.qr(rng.standard_normal((k, m)))[0]
    sigma = np.array(kept + [0.0] * (m - len(kept)))
    W = (U * sigma) @ V.T
    gap, bound, route = gap_with_error_bound(W)
    assert route == "svd"
    expected_gap = max(abs(s - 1 / s) for s in kept)
    computed = np.linalg.svd(W, compute_uv=False)
    expected = _svd_route_bound(computed, shape, len(kept), 2.0**-52)
    assert bound == pytest.approx(expected, rel=1e-12, abs=0)
    # The bound must cover the gap's actual error from the exact singular values.
    assert abs(gap - expected_gap) <= bound
    # With min(d, k) in place of max(d, k) the absolute term would be m / n times smaller.
    assert bound >= max(shape) * 2.0**-52 * kept[0]


# verify/_gram.py: an explicit cutoff is in the units of W, divided by the scale


@pytest.mark.parametrize("magnitude", [2.0**-500, 2.0**-460, 2.0**450, 2.0**500])
def test_an_explicit_cutoff_on_a_rescaled_matrix_counts_the_right_singular_values(magnitude):
    # Entries outside [2^-400, 2^400] are rescaled by a power of two; the cutoff given in
    # W's units must be rescaled with them. sigma = magnitude (1, 1e-3): a cutoff between
    # them leaves rank 1, one above both rank 0, one below both rank 2.
    W = np.diag([1.0, 1e-3]) * magnitude
    assert numerical_rank(W, cutoff=1e-2 * magnitude) == 1
    assert numerical_rank(W, cutoff=2.0 * magnitude) == 0
    assert numerical_rank(W, cutoff=1e-5 * magnitude) == 2
    measures = measure_weights(W, cutoff=1e-2 * magnitude)
    assert measures.rank == 1 and measures.rank_cutoff == 1e-2 * magnitude
