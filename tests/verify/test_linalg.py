"""verify.linalg: the Gram-route measures agree with SVD references to their stated error bounds."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from verify import (
    gap_with_error_bound,
    gram_error_bound,
    has_orthonormal_columns,
    is_partial_isometry,
    measure_weights,
    numerical_rank,
    orthonormality_defect,
    orthonormality_tolerance,
    partial_isometry_tolerance,
    rank_cutoff,
    singular_values,
    transpose_pseudo_inverse_gap,
)
from verify._gram import EPS
from verify.diagnosis import diagnose
from verify.strategies import (
    _largest_exponent,
    full_rank_non_orthonormal,
    near_singular,
    orthogonal_matrices,
    orthonormal_columns,
    partial_isometries,
    rank_deficient,
    rescaled,
    subnormal_matrices,
    weight_decayed,
    wide_matrices,
)

any_class = st.one_of(
    orthonormal_columns(),
    partial_isometries(),
    full_rank_non_orthonormal(),
    rank_deficient(),
    wide_matrices(),
)


def stated_tolerance(W):
    """The bound `orthonormality_tolerance` documents, recomputed here from the SVD.

    `gamma_n ||W||_F^2 + m u ||W||_2^2 + u max(||W||_2^2, 1) + (2 rho' + rho'^2) ||W||_2^2`
    with `rho = sqrt(m) gamma_{4n}` and `rho' = rho / (1 - rho)` (float64 storage).
    """
    u = EPS / 2
    n, m = max(W.shape), min(W.shape)
    norm_squared = np.linalg.norm(W, 2) ** 2
    gamma_n, gamma_4n = n * u / (1 - n * u), 4 * n * u / (1 - 4 * n * u)
    rho = np.sqrt(m) * gamma_4n
    rho /= 1 - rho
    return (
        gamma_n * np.linalg.norm(W) ** 2
        + m * u * norm_squared
        + u * max(norm_squared, 1.0)
        + (2 * rho + rho**2) * norm_squared
    )


def svd_reference_gap(W, cutoff):
    s = np.linalg.svd(W, compute_uv=False)
    kept = s[s > cutoff]
    return float(np.abs(kept - 1 / kept).max(initial=0.0))


def svd_gap_error(W, cutoff):
    """Error bound of `svd_reference_gap`: each sigma within `max(d, k) eps sigma_max`."""
    s = np.linalg.svd(W, compute_uv=False)
    kept = s[s > cutoff]
    return float((max(W.shape) * EPS * s[0] * (1 + 1 / kept**2)).max(initial=0.0))


@given(any_class)
def test_singular_values_are_numpys_in_descending_order(W):
    s = singular_values(W)
    np.testing.assert_array_equal(s, np.linalg.svd(W, compute_uv=False))
    assert np.all(np.diff(s) <= 0)


@given(any_class)
def test_rank_cutoff_and_numerical_rank_follow_numpy_matrix_rank(W):
    s = np.linalg.svd(W, compute_uv=False)
    cutoff = rank_cutoff(W)
    # abs=0: the cutoff is about 1e-15, far below approx's default abs of 1e-12.
    assert cutoff == pytest.approx(max(W.shape) * EPS * s[0], rel=4 * max(W.shape) * EPS, abs=0)
    assert numerical_rank(W) == np.linalg.matrix_rank(W)


@given(any_class)
def test_orthonormality_defect_is_the_spectral_norm_of_the_gram_defect(W):
    k = W.shape[1]
    reference = np.linalg.norm(W.T @ W - np.eye(k), 2)
    # Each side: one Gram-route error, rounding of "- 1" (u max(||W||^2, 1)); the reference's
    # SVD-based 2-norm adds m u times the value.
    scale = max(np.linalg.norm(W, 2) ** 2, 1.0, reference)
    slack = 2 * gram_error_bound(W) + (2 + min(W.shape)) * EPS / 2 * scale
    assert abs(orthonormality_defect(W) - reference) <= slack


@given(any_class)
def test_gap_agrees_with_the_svd_value_within_both_error_bounds(W):
    cutoff = np.sqrt(partial_isometry_tolerance(W))  # rounding-level sigmas count as zero
    gap, bound, _ = gap_with_error_bound(W, cutoff=cutoff)
    assert gap == transpose_pseudo_inverse_gap(W, cutoff=cutoff)
    reference = svd_reference_gap(W, cutoff)
    assert abs(gap - reference) <= bound + svd_gap_error(W, cutoff)


@given(orthonormal_columns())
def test_gram_route_is_taken_for_orthonormal_columns(W):
    gap, bound, route = gap_with_error_bound(W)
    assert route == "gram"
    assert gap <= orthonormality_tolerance(W) and bound <= orthonormality_tolerance(W)


@pytest.mark.parametrize("smallest", [1e-5, 1e-9])
def test_gap_falls_back_to_the_svd_near_rank_deficiency(smallest):
    @given(near_singular(max_rows=6, smallest=smallest))
    def check(W):
        gap, bound, route = gap_with_error_bound(W)
        unresolved = smallest**2 <= 2 * gram_error_bound(W)  # sigma_min^2 lost in Gram rounding
        if W.shape[1] > 1 and unresolved:
            assert route == "svd"
        if route == "gram":
            assert bound <= np.sqrt(EPS) * gap
        # F7: the gap is dominated by 1 / sigma_min.
        assert gap == pytest.approx(1 / smallest - smallest, rel=1e-6, abs=0)

    check()


def test_gap_of_the_zero_matrix_is_zero_and_a_huge_gap_is_inf_not_an_error():
    assert transpose_pseudo_inverse_gap(np.zeros((4, 2))) == 0.0
    assert transpose_pseudo_inverse_gap(np.array([[5e-324 * 2**10]])) == np.inf


@given(any_class)
def test_tolerances_are_the_stated_bound(W):
    # The Gram route's ||W||_2 and ||W||_F are within rounding of the SVD's.
    assert orthonormality_tolerance(W) == pytest.approx(stated_tolerance(W), rel=1e-9, abs=0)
    assert partial_isometry_tolerance(W) == orthonormality_tolerance(W)


@given(data=st.data(), W=orthonormal_columns())
def test_tolerance_rejects_a_singular_value_moved_by_just_over_one_tolerance(data, W, exact_moves):
    # Tightness: a tolerance even 1.1 times too wide would accept some of these. The move is
    # confirmed in exact arithmetic (the Rayleigh quotient of column 0 bounds the defect).
    tolerance = stated_tolerance(W)
    factor = data.draw(st.floats(1.1, 2.0))
    sign = data.draw(st.sampled_from([1.0, -1.0]))
    moved = exact_moves.column_moved(W, sign * factor * tolerance)
    assert not has_orthonormal_columns(moved)
    assert has_orthonormal_columns(moved, tolerance=2 * factor * tolerance)


@given(data=st.data(), W=partial_isometries())
def test_partial_isometry_tolerance_rejects_a_unit_singular_value_moved_by_just_over_one(
    data, W, exact_moves
):
    tolerance = stated_tolerance(W)
    factor = data.draw(st.floats(1.1, 2.0))
    assert is_partial_isometry(W)
    moved = exact_moves.direction_stretched(W, factor * tolerance)
    assert not is_partial_isometry(moved)
    assert is_partial_isometry(moved, tolerance=2 * factor * tolerance)


@given(wide_matrices())
def test_wide_matrices_never_have_orthonormal_columns(W):
    assert orthonormality_defect(W) >= 1.0
    assert not has_orthonormal_columns(W, tolerance=0.99)


@given(st.integers(1, 6).flatmap(orthogonal_matrices))
def test_orthogonal_matrices_and_their_transposes_have_orthonormal_columns(Q):
    assert has_orthonormal_columns(Q) and has_orthonormal_columns(Q.T)
    assert is_partial_isometry(Q)


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        numerical_rank(np.eye(2), 0.5)
    with pytest.raises(TypeError):
        has_orthonormal_columns(np.eye(2), 0.5)
    with pytest.raises(TypeError):
        transpose_pseudo_inverse_gap(np.eye(2), 0.5)


def test_orthonormality_tolerance_grows_like_the_stated_bound():
    u = EPS / 2
    for d, k in [(1, 1), (8, 8), (64, 16)]:
        W = np.eye(d, k)
        n, m = d, k
        gamma = n * u / (1 - n * u)
        gamma_4n = 4 * n * u / (1 - 4 * n * u)
        rho = np.sqrt(m) * gamma_4n / (1 - np.sqrt(m) * gamma_4n)
        expected = gamma * k + m * u + u + 2 * rho + rho**2
        assert orthonormality_tolerance(W) == pytest.approx(expected, rel=1e-12, abs=0)


@given(any_class)
def test_measure_weights_agrees_with_the_separate_functions(W):
    # The single source: every separate function returns measure_weights' value ...
    measures = measure_weights(W)
    assert measures.shape == W.shape
    assert measures.orthonormality_defect == orthonormality_defect(W)
    assert measures.tolerance == orthonormality_tolerance(W)
    assert measures.has_orthonormal_columns == has_orthonormal_columns(W)
    assert measures.is_partial_isometry == is_partial_isometry(W)
    assert (measures.gap, measures.gap_error_bound, measures.gap_route) == gap_with_error_bound(W)
    assert measures.rank == numerical_rank(W) and measures.rank_cutoff == rank_cutoff(W)


@given(any_class)
def test_measure_weights_agrees_with_independent_svd_references(W):
    # ... and that value is checked here against NumPy's SVD and the stated formulas, not
    # against itself. The strategies keep every singular value either at rounding level or at
    # least 1/4, and |sigma^2 - 1| either within rounding or at least 1/8: no decision here
    # sits near its threshold, so the references decide the same.
    measures = measure_weights(W)
    s = np.linalg.svd(W, compute_uv=False)
    cutoff = max(W.shape) * EPS * s[0]
    assert measures.rank_cutoff == pytest.approx(cutoff, rel=4 * max(W.shape) * EPS, abs=0)
    assert measures.rank == np.linalg.matrix_rank(W, tol=cutoff)
    assert measures.tolerance == pytest.approx(stated_tolerance(W), rel=1e-9, abs=0)
    kept = s[s > cutoff]
    d, k = W.shape
    defect = max(np.abs(s**2 - 1).max(), 1.0 if k > d else 0.0, 1.0 if kept.size < k else 0.0)
    assert measures.has_orthonormal_columns == (k <= d and defect <= stated_tolerance(W))
    assert measures.is_partial_isometry == bool(np.all(np.abs(kept**2 - 1) <= stated_tolerance(W)))


@given(any_class)
def test_measure_weights_singular_values_are_the_svds_to_the_gram_or_svd_accuracy(W):
    measures = measure_weights(W)
    reference = np.linalg.svd(W, compute_uv=False)
    squared = np.asarray(measures.squared_singular_values)
    assert len(measures.singular_values) == len(squared) == min(W.shape)
    # sigma_i^2 from the Gram route: within gram_error_bound, plus the SVD's own error
    # (2 sigma_max times max(d, k) eps sigma_max) on the reference side.
    slack = gram_error_bound(W) + 2 * max(W.shape) * EPS * reference[0] ** 2
    np.testing.assert_allclose(squared, reference**2, rtol=0, atol=slack)
    # sigma_i: the SVD's own values, or square roots of the Gram ones (the same slack on
    # sigma^2; a sigma exactly 0 in the Gram route may come out sqrt(slack) from the SVD).
    sigmas = np.asarray(measures.singular_values)
    if measures.gap_route == "svd":
        np.testing.assert_array_equal(sigmas, reference)
    else:
        np.testing.assert_allclose(sigmas**2, reference**2, rtol=0, atol=2 * slack)
    assert np.all(np.diff(sigmas) <= 0) and np.all(np.diff(squared) <= 0)


@given(orthonormal_columns(), st.sampled_from([1e-10, 1e-6, 1e-3]))
def test_p3_small_nonzero_singular_values_are_directions_not_zeros(Q, scale):
    # sigma = scale for every column: far above the rank cutoff, so W^+ = Q^T / scale,
    # and ||W^T - W^+||_2 = 1/scale - scale (P5), although every sigma^2 is tiny.
    W = scale * Q
    assert not is_partial_isometry(W)
    assert numerical_rank(W) == W.shape[1]
    assert transpose_pseudo_inverse_gap(W) == pytest.approx(1 / scale - scale, rel=1e-9, abs=0)


@pytest.mark.parametrize("small", [1e-8, 1e-6, 1e-4])
def test_p3_one_unit_and_one_small_singular_value_is_not_a_partial_isometry(small):
    W = np.diag([1.0, small])  # W^+ = diag(1, 1/small): gap 1/small - small (P5)
    if small == 1e-8:  # sigma^2 = 1e-16 is within rounding of 0 for the Gram route ...
        assert small**2 <= partial_isometry_tolerance(W)
    assert not is_partial_isometry(W)  # ... yet sigma is far above the rank cutoff
    assert numerical_rank(W) == 2
    assert transpose_pseudo_inverse_gap(W) == pytest.approx(1 / small - small, rel=1e-12, abs=0)


@given(orthonormal_columns(max_rows=6).map(lambda Q: Q[:, :1]))
def test_p3_a_unit_column_beside_a_zero_column_is_a_partial_isometry(w):
    W = np.hstack([w, 0 * w])  # singular values 1 and exactly 0: W^+ = W^T
    assert is_partial_isometry(W) and numerical_rank(W) == 1
    assert not has_orthonormal_columns(W)


@given(st.one_of(partial_isometries(), orthonormal_columns()))
def test_p3_partial_isometries_and_orthonormal_columns_are_recognised(W):
    assert is_partial_isometry(W)
    measures = measure_weights(W)
    # Their zero singular values (rounding level) are at or below the cutoff; the rest are 1.
    assert measures.rank == int(np.count_nonzero(np.linalg.svd(W, compute_uv=False) > 0.5))


@given(
    st.one_of(
        orthonormal_columns(), partial_isometries(), full_rank_non_orthonormal(),
        rank_deficient(), weight_decayed(), wide_matrices(), near_singular(smallest=1e-6),
        near_singular(smallest=1e-9), orthonormal_columns().map(lambda Q: 1e-10 * Q),
    )
)
@example(np.diag([1.0, 1e-8]))
@example(1e-9 * np.eye(3, 1))
def test_p3_is_partial_isometry_agrees_with_the_diagnosis_verdict(W):
    found = diagnose(W)
    assert is_partial_isometry(W) == (found.verdict in ("orthonormal columns", "partial isometry"))


@given(st.one_of(rescaled(any_class), subnormal_matrices()))
def test_extreme_magnitudes_scale_exactly_and_without_warnings(W):
    check_scaled_measures(W)


# Where entries turn subnormal (-1022 - 52 .. -1022), where their squares underflow (-537,
# -511), far inside (0), and up to the magnitude limit (clipped by rescaled's own bound).
@pytest.mark.parametrize("exponent", [-1074, -1060, -1022, -600, -537, -520, 0, 400, 600])
@given(data=st.data())
def test_every_edge_of_the_exponent_range_scales_exactly(exponent, data):
    matrix = data.draw(any_class)
    check_scaled_measures(np.ldexp(matrix, min(exponent, _largest_exponent(matrix))))


def check_scaled_measures(W):
    # Subnormal and huge entries: the measures of W are those of W scaled to max |w_ij| in
    # [1/2, 1) (exact: a power of two), scaled back. Gram route: W^T W is formed from the
    # power-of-two-scaled W, so the sigma_i agree to the eigenvalue rounding; where an SVD is
    # taken, LAPACK's own scaling may differ by its error, max(d, k) eps sigma_max.
    exponent = math.frexp(float(np.abs(W).max()))[1]
    unit = np.ldexp(W, -exponent)  # exact: subnormals scale up exactly, huge values down
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        measures, reference = measure_weights(W), measure_weights(unit)
        assert math.isfinite(measures.tolerance) and math.isfinite(measures.rank_cutoff)
        assert not math.isnan(measures.gap) and not math.isnan(measures.gap_error_bound)
    # The same decisions: scaling by a power of two loses nothing the Gram route needs, so it
    # proves full rank (no SVD) exactly when it does for the unit-scaled copy. (The route of
    # the gap may differ where the gap itself overflows: an infinite gap needs no accuracy.)
    assert measures.rank == reference.rank
    if math.isfinite(measures.gap):
        assert measures.gap_route == reference.gap_route
    scaled_back = np.ldexp(np.asarray(reference.singular_values), exponent)
    # plus two spacings of the subnormal numbers, where the sigma_i themselves are subnormal
    slack = 4 * max(W.shape) * EPS * scaled_back[0] + 2 * np.finfo(np.float64).smallest_subnormal
    np.testing.assert_allclose(measures.singular_values, scaled_back, rtol=0, atol=slack)
