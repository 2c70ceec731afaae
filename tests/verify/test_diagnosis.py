"""verify.diagnosis: the verdict on every matrix class, its claim, and agreement with verify.linalg.

Expected verdicts are decided independently of the code under test, from the
strategy's construction and NumPy's SVD.
"""

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify import _gram as gram_route
from verify import linalg
from verify import strategies as matrices
from verify._validation import InvalidMatrixError
from verify.diagnosis import VERDICTS, Diagnosis, diagnose

EPS = np.finfo(np.float64).eps
# Strategy singular values meant to be 0 come out at rounding level: the thin product
# (U_r Sigma_r) V_r^T of at most 8 x 8 orthonormal-to-rounding factors with sigma_max <= 4 is
# within 8 gamma_8 sigma_max + 2 sqrt(8) gamma_32 sigma_max (product rounding, Higham eq. 3.13,
# and the factors' own orthonormality defect) of the exact matrix, so by Weyl a zero singular
# value comes out below ZERO_LEVEL; nonzero ones are at least 0.05 (weight_decayed) or 0.25.
_GAMMA = lambda n: n * EPS / 2 / (1 - n * EPS / 2)  # noqa: E731
ZERO_LEVEL = (8 * _GAMMA(8) + 2 * math.sqrt(8) * _GAMMA(32)) * 4.0


def _svd(W):
    return np.linalg.svd(W, compute_uv=False)


@given(matrices.orthonormal_columns())
def test_p1_orthonormal_columns_get_the_orthonormal_verdict(W):
    found = diagnose(W)
    k = W.shape[1]
    assert (found.verdict, found.claim) == ("orthonormal columns", "P1")
    assert found.rank == k and found.near_one_count == k and found.zero_count == 0
    assert found.orthonormality_defect <= found.tolerance
    assert found.implied_weight_decay is None


@given(matrices.partial_isometries())
def test_p3_partial_isometries_get_the_partial_isometry_verdict(W):
    found = diagnose(W)
    rank = int(np.count_nonzero(_svd(W) > ZERO_LEVEL))
    assert (found.verdict, found.claim) == ("partial isometry", "P3")
    assert found.rank == rank < W.shape[1]
    assert found.zero_count == W.shape[1] - rank and found.near_one_count == rank


@given(matrices.rank_deficient())
def test_f2_rank_deficient_weights_are_neither_and_blamed_on_f2(W):
    found = diagnose(W)
    sigmas = _svd(W)
    nonzero = sigmas[sigmas > ZERO_LEVEL]
    assert found.verdict == "neither"
    assert found.rank == nonzero.size < W.shape[1]
    # All nonzero singular values below 1 is also the weight-decay shape (F4 allows zeros).
    # (A drawn singular value of exactly 1 is 1 to rounding: not "below 1".)
    # Below 1 by more than the tolerance: not decidable from W alone (F3 or F4).
    assert found.claim == ("F3/F4" if nonzero.max() ** 2 < 1 - found.tolerance else "F2")


def test_f2_repeated_unit_column():
    w = np.array([[0.6], [0.8]])
    found = diagnose(np.hstack([w, w]))  # singular values sqrt(2), 0: W^+ = W^T / 2
    assert (found.verdict, found.claim, found.rank, found.zero_count) == ("neither", "F2", 1, 1)
    assert found.transpose_pseudo_inverse_gap == pytest.approx(math.sqrt(2) - 1 / math.sqrt(2),
                                                               rel=4 * EPS, abs=0)
    assert "F2" in found.explanation and found.see == "docs/derivations.md#f2"


@given(matrices.weight_decayed())
def test_weight_decayed_weights_list_f4_with_the_implied_decay_but_do_not_decide(W):
    found = diagnose(W)
    sigmas = _svd(W)
    nonzero = sigmas[sigmas > ZERO_LEVEL]
    # Without the data, weight decay (F4), an unfinished run and an untrained layer (F3) fit.
    assert (found.verdict, found.claim) == ("neither", "F3/F4")
    for words in ("Weight decay (F4)", "unfinished run (F3)", "untrained layer", "data decide"):
        assert words in found.explanation
    assert found.rank == nonzero.size
    # F4, tied: sigma_i^2 = 1 - mu / (2 lambda_i), so mu / lambda_i = 2 (1 - sigma_i^2).
    # Error: 2 |mu_i - sigma_i^2| <= 2 (tolerance + 2 max(d, k) eps), the second term for the SVD.
    bound = 2 * (found.tolerance + 2 * max(W.shape) * EPS)
    np.testing.assert_allclose(found.implied_weight_decay, 2 * (1 - nonzero**2), rtol=0, atol=bound)


def test_f4_implied_decay_from_known_eigenvalues():
    # Tied optimum with lambda = 1 on eigenvalues 2 and 4: sigma^2 = 1 - 1/4, 1 - 1/8.
    W = np.diag(np.sqrt([1 - 1 / 8, 1 - 1 / 4]))
    found = diagnose(W)
    assert found.claim == "F3/F4"
    np.testing.assert_allclose(found.implied_weight_decay, [1 / 4, 1 / 2], rtol=0, atol=4 * EPS)


@given(matrices.wide_matrices())
def test_p4_wide_matrices_never_have_orthonormal_columns(W):
    found = diagnose(W, orientation="decoder")  # read as given: k > d code units
    if np.allclose(_svd(W), 1.0, rtol=0, atol=1e-12):  # the strategy's orthonormal rows
        assert (found.verdict, found.claim) == ("partial isometry", "P3")
    else:
        assert (found.verdict, found.claim) == ("neither", "P4")
    assert found.orthonormality_defect >= 1


@given(matrices.full_rank_non_orthonormal())
def test_f3_full_rank_non_orthonormal_is_f3_unless_shaped_like_f4(W):
    found = diagnose(W)
    sigmas = _svd(W)
    assert found.verdict == "neither" and found.rank == W.shape[1]
    assert found.claim == ("F3/F4" if sigmas.max() ** 2 < 1 - found.tolerance else "F3")


@given(matrices.near_singular(smallest=1e-6))
def test_near_singular_weights_have_full_rank_and_the_p5_gap(W):
    found = diagnose(W)
    sigmas = _svd(W)
    assert found.rank == W.shape[1] and found.verdict == "neither"
    # P5 through an independent SVD. A backward-stable SVD gives each sigma_i within
    # max(d, k) eps sigma_max of the exact one (Weyl), and sigma - 1/sigma has slope
    # 1 + 1/sigma^2: both routes (the check's and this one) within that of the exact gap.
    # With sigma_min = 1e-6 the bound is about 1e-8 relative to the gap of 1e6.
    expected = np.abs(sigmas - 1 / sigmas).max()
    bound = 2 * max(W.shape) * EPS * sigmas[0] * (1 + 1 / sigmas[-1] ** 2)
    assert abs(found.transpose_pseudo_inverse_gap - expected) <= bound
    assert bound <= 1e-7 * expected  # strict: a gap wrong in its eighth digit fails


_EVERY_CLASS = st.one_of(
    matrices.orthonormal_columns(), matrices.partial_isometries(), matrices.rank_deficient(),
    matrices.weight_decayed(), matrices.wide_matrices(), matrices.full_rank_non_orthonormal(),
    matrices.near_singular(smallest=1e-9),
)


@given(_EVERY_CLASS)
def test_every_number_agrees_with_verify_linalg(W):
    found = diagnose(W, orientation="decoder")  # verify.linalg reads W as d x k
    assert found.rank == linalg.numerical_rank(W)
    assert found.rank_cutoff == linalg.rank_cutoff(W)
    assert found.tolerance == linalg.orthonormality_tolerance(W)
    assert found.orthonormality_defect == linalg.orthonormality_defect(W)
    assert found.transpose_pseudo_inverse_gap == linalg.transpose_pseudo_inverse_gap(W)
    # The P5 gap against an independent SVD, to the accuracy the Gram route promises:
    # relative sqrt(eps) (the SVD's own error is far smaller where the Gram route is taken).
    sigmas = _svd(W)
    kept = sigmas[sigmas > found.rank_cutoff]
    expected = np.abs(kept - 1 / kept).max(initial=0.0)
    assert abs(found.transpose_pseudo_inverse_gap - expected) <= math.sqrt(EPS) * max(1, expected)
    assert (found.verdict == "orthonormal columns") == linalg.has_orthonormal_columns(W)
    # One rule for zeros (at or below the rank cutoff) in both: P3 as is_partial_isometry says.
    assert (found.verdict != "neither") == linalg.is_partial_isometry(W)
    assert found.see == " and ".join(
        "docs/derivations.md#" + claim.lower() for claim in found.claim.split("/"))


@given(_EVERY_CLASS)
def test_encoder_orientation_transposes_first(W):
    as_decoder = diagnose(W, orientation="decoder")
    as_encoder = diagnose(W.T, orientation="encoder")
    assert as_encoder.stored_shape == W.T.shape and as_encoder.orientation == "encoder"
    same = {**as_decoder.to_dict(), "orientation": "encoder", "stored_shape": list(W.T.shape)}
    assert as_encoder.to_dict() == same


@given(_EVERY_CLASS)
def test_to_dict_round_trips_through_json(W):
    data = diagnose(W).to_dict()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert set(data) == set(Diagnosis.__dataclass_fields__)


def test_infinite_gap_is_null_in_json():
    # Singular values of 1e-310: above the cutoff, and 1/sigma overflows float64.
    found = diagnose(np.eye(2) * 1e-310)
    assert found.transpose_pseudo_inverse_gap == math.inf
    assert found.to_dict()["transpose_pseudo_inverse_gap"] is None
    assert "too large for float64" in found.report()


def test_well_conditioned_weights_cost_one_gram_and_no_svd(monkeypatch):
    calls = {"gram": 0, "svd": 0}
    gram, svd = gram_route.gram, np.linalg.svd

    def counting_gram(W, **options):
        calls["gram"] += 1
        return gram(W, **options)

    def counting_svd(*args, **kwargs):
        calls["svd"] += 1
        return svd(*args, **kwargs)

    monkeypatch.setattr(gram_route, "gram", counting_gram)
    monkeypatch.setattr(np.linalg, "svd", counting_svd)
    W = np.linalg.qr(np.random.default_rng(0).standard_normal((50, 10)))[0] * 0.9
    assert diagnose(W).claim == "F3/F4"
    assert calls == {"gram": 1, "svd": 0}


def test_rank_deficient_weights_add_one_svd(monkeypatch):
    calls = []
    svd = np.linalg.svd
    monkeypatch.setattr(np.linalg, "svd", lambda *a, **kw: calls.append(1) or svd(*a, **kw))
    w = np.array([[0.6], [0.8]])
    assert diagnose(np.hstack([w, w])).claim == "F2"
    assert len(calls) == 1


def test_p3_uniformly_tiny_weights_are_not_called_a_partial_isometry():
    # sigma = 1e-10 everywhere: far above the rank cutoff, far from 1, gap 1e10 (P5).
    W = 1e-10 * np.eye(3, 2)
    found = diagnose(W)
    assert found.rank == 2 and found.zero_count == 0
    assert (found.verdict, found.claim) == ("neither", "F3/F4")
    assert found.transpose_pseudo_inverse_gap == pytest.approx(1e10, rel=1e-12, abs=0)


def test_zero_matrix_is_a_trivial_partial_isometry():
    found = diagnose(np.zeros((3, 2)))
    assert (found.verdict, found.rank, found.transpose_pseudo_inverse_gap) == (
        "partial isometry", 0, 0.0)
    assert "zero" in found.explanation


@pytest.mark.parametrize(
    ("W", "claim", "words"),
    [
        (np.eye(3, 2), "P1", "orthonormal"),
        (np.diag([1.0, 0.0]), "P3", "unused"),
        (np.ones((2, 3)) / 3, "P4", "encoder orientation"),
        (np.diag([0.5, 0.9]), "F3/F4", "Weight decay (F4)"),
        (np.hstack([np.eye(2, 1), np.eye(2, 1)]), "F2", "no left inverse"),
        (np.diag([0.5, 2.0]), "F3", "not converged"),
    ],
)
def test_report_names_the_claim_and_its_public_docs(W, claim, words):
    found = diagnose(W, orientation="decoder")
    text = found.report()
    assert found.claim == claim and words in found.explanation
    anchors = " and ".join(f"docs/derivations.md#{part.lower()}" for part in claim.split("/"))
    assert f"({claim})" in text and f"See {anchors}" in text
    assert "MATH" not in text and "shared" not in text
    assert str(found) == text
    assert found.verdict in VERDICTS


def test_unknown_orientation_is_refused_by_name():
    with pytest.raises(InvalidMatrixError, match=r"orientation must be one of 'auto', "
                                                 r"'decoder', 'encoder'; got 'transposed'"):
        diagnose(np.eye(2), orientation="transposed")


@pytest.mark.parametrize("bad", [np.ones(3), np.ones((2, 2, 2)), np.ones((0, 2)),
                                 np.array([[np.nan]]), np.eye(2, dtype=complex)])
def test_bad_matrices_raise_invalid_matrix_error(bad):
    with pytest.raises(InvalidMatrixError, match="W "):
        diagnose(bad)


def _f4_optimum(d, k, weight_decay, eigenvalues, seed=0):
    """The exact F4 optimum `U_k diag(sqrt(1 - mu / (2 lambda_i))) Q`, built, not trained."""
    rng = np.random.default_rng(seed)
    U = np.linalg.qr(rng.standard_normal((d, k)))[0]
    Q = np.linalg.qr(rng.standard_normal((k, k)))[0]
    return (U * np.sqrt(1 - weight_decay / (2 * eigenvalues))) @ Q


def test_f4_optimum_in_float32_lists_weight_decay_where_the_precision_cannot_tell():
    # Issue 22: 784 x 128, mu = 30: every sigma below 1, the largest within the float32
    # tolerance of 1. It was "not converged (F3)"; F4 fits as well as F3 does.
    eigenvalues = np.geomspace(25000.0, 207.0, 128)
    W = _f4_optimum(784, 128, 30.0, eigenvalues).astype(np.float32)
    found = diagnose(W)
    top = _svd(W.astype(np.float64))[0] ** 2
    assert 1 - top < found.tolerance  # the case: 1 - sigma_1^2 = 6e-4 within the tolerance
    assert 1 - top > found.rounding_tolerance  # ... but not within rounding alone
    assert found.claim == "F3/F4"
    assert "Cannot tell at this precision" in found.explanation
    assert "Weight decay (F4)" in found.explanation


def test_f3_a_singular_value_of_exactly_one_beside_one_below_is_f3():
    # sigma_1 = 1 exactly (1 at any precision), sigma_2 = 0.5: not a critical point, and F4
    # (every sigma below 1) is not the explanation.
    found = diagnose(np.diag([1.0, 0.5]))
    assert (found.verdict, found.claim) == ("neither", "F3")


def test_only_some_initialisations_give_singular_values_below_one():
    # The diagnosis once said "the usual initialisations give singular values below 1". At
    # 784 x 32, Glorot-uniform (U(-a, a), a = sqrt(6 / (784 + 32))) gives singular values
    # near sqrt(784 / 3) a (1 +- sqrt(32 / 784)), 1.11 to 1.67, all above 1; PyTorch's default
    # nn.Linear(784, 32) (U(-b, b), b = 1 / sqrt(784)) gives 0.46 to 0.70, all below 1.
    # Fixed seed; the margins to 1 are about 5 times the spread of the extreme values.
    rng = np.random.default_rng(2026)
    d, k = 784, 32
    glorot = rng.uniform(-1, 1, (d, k)) * np.sqrt(6 / (d + k))
    default = rng.uniform(-1, 1, (d, k)) / np.sqrt(d)
    glorot_values, default_values = (np.linalg.svd(w, compute_uv=False)
                                     for w in (glorot, default))
    assert glorot_values.min() > 1.05 and default_values.max() < 0.75
    found = diagnose(np.eye(4, 2) * [0.9, 0.6])
    assert "some initialisations" in found.explanation
    assert "the usual initialisations" not in found.explanation
