"""The mutation gaps of issue 17 in diagnosis, data check and CLI: a test each that the
mutant fails. Expected values are restated from the bounds' stated formulas, or from
NumPy directly (SVD, least squares), not taken from the code under test."""

import json
import math

import numpy as np
import pytest

from verify import cli
from verify.data_check import check_with_data
from verify.diagnosis import diagnose

EPS64 = 2.0**-52


def _gamma(n, u):
    return n * u / (1 - n * u)


def _samples(eigenvalues):
    """Samples (rows) of mean zero whose S = X X^T is diag(eigenvalues)."""
    D = np.diag(np.sqrt(np.asarray(eigenvalues, dtype=np.float64) / 2))
    return np.vstack([D, -D])


# diagnosis: the narrow-format note ("more than rounding W to ... alone explains")


def test_float64_never_gets_the_narrow_format_note(exact_moves):
    # A float64 orthonormal W whose defect is past what rounding alone explains, within the
    # tolerance: P1, and no note (that note is for formats narrower than float64).
    Q = np.linalg.qr(np.random.default_rng(3).standard_normal((40, 20)))[0]
    plain = diagnose(Q)
    amount = (plain.rounding_tolerance + plain.tolerance) / 2
    W = exact_moves.column_moved(Q, amount)
    excess = exact_moves.rayleigh_excess(W, np.eye(20)[0])  # exact: a lower bound on the defect
    defect = np.abs(np.linalg.svd(W, compute_uv=False) ** 2 - 1).max()
    assert plain.rounding_tolerance < excess and defect < plain.tolerance
    found = diagnose(W)
    assert found.claim == "P1" and found.dtype == "float64"
    assert "alone explains" not in found.explanation


# diagnosis: which weight verdicts the data may replace


def test_a_wide_decoder_with_data_stays_p4():
    # k = 3 > d = 2: P4 from W alone; the data (rank 2 < k) must not turn it into F1.
    found = diagnose(np.ones((2, 3)) / 3, orientation="decoder", data=_samples([2.0, 1.0]))
    assert found.data.claim == "F1"
    assert (found.verdict, found.claim) == ("neither", "P4")


def test_a_repeated_unit_column_with_data_stays_f2():
    # W = [w, w]: F2 from W alone; data of full rank say "not converged" (F3): still F2.
    w = np.array([[0.6], [0.8]])
    found = diagnose(np.hstack([w, w]), data=_samples([2.0, 1.0]))
    assert found.data.claim == "F3"
    assert found.claim == "F2"


# data_check: the data's rank cutoff, max(d, n) 2 max(u_data, 2^-53) ||X||_2


@pytest.mark.parametrize(("dtype", "rank"), [(np.float64, 2), (np.float32, 1)])
def test_the_data_rank_cutoff_is_in_the_data_precision(dtype, rank):
    # Singular values sqrt(2) and sqrt(2) 1e-9 (rows +-e1, +-1e-9 e2). Cutoffs, restated:
    # float64: 4 * 2^-52 * sqrt(2) = 1.3e-15 (below 1.4e-9); float32: 4 * 2^-23 * sqrt(2)
    # = 6.7e-7 (above it).
    samples = _samples([2.0, 2e-18]).astype(dtype)
    sigmas = np.linalg.svd(samples.astype(np.float64), compute_uv=False)
    u = float(np.finfo(dtype).eps) / 2
    cutoff = max(samples.shape) * 2 * u * sigmas[0]
    assert int(np.count_nonzero(sigmas > cutoff)) == rank
    found = check_with_data(np.eye(2)[:, :1], samples)
    assert found.data_rank == rank


# data_check: the excess loss tolerance and the F4 fit, against their formulas


def test_the_excess_tolerance_is_the_stated_bound():
    # loss_tolerance: 10 m eps x^2 (1 + w^2)^2 (m the largest dimension, x = ||X||_F,
    # w = ||W||_F), plus 8 lambda_1 min(d, k) rho'^2 ||W||_2^2 with rho' = rho / (1 - rho),
    # rho = sqrt(min(d, k)) gamma_{4 max(d, k)}(2^-24) for float32 weights.
    eigenvalues = np.array([4.0, 2.0, 1.0, 0.5, 0.25])
    samples = _samples(eigenvalues)
    W = (np.eye(5)[:, :2] * [0.9, 0.7]).astype(np.float32)
    found = check_with_data(W, samples)
    X = samples.T
    d, k = W.shape
    weights = W.astype(np.float64)
    m = max(*X.shape, *W.shape)
    x, w = np.linalg.norm(X), np.linalg.norm(weights)
    rho = math.sqrt(min(d, k)) * _gamma(4 * max(d, k), 2.0**-24)
    rho = rho / (1 - rho)
    sigma_max = np.linalg.svd(weights, compute_uv=False)[0]
    expected = (10 * m * EPS64 * x**2 * (1 + w**2) ** 2
                + 8 * eigenvalues[0] * min(d, k) * rho**2 * sigma_max**2)
    assert found.excess_tolerance == pytest.approx(expected, rel=1e-12, abs=0)


def test_the_f4_fit_is_the_least_squares_fit_with_its_stated_tolerance():
    # sigma^2 = (0.81, 0.49) on lambda = (4, 2, 1): no one mu fits exactly, so the residual
    # is not 0. NumPy's least squares of y = 1 - sigma^2 on a = 1 / (2 lambda).
    eigenvalues = np.array([4.0, 2.0, 1.0])
    samples = _samples(eigenvalues).astype(np.float32)  # data stored at float32
    W = np.eye(3)[:, :2] * [0.9, 0.7]
    found = check_with_data(W, samples)
    exact = np.linalg.eigvalsh((samples.T.astype(np.float64)) @ samples.astype(np.float64))
    lam = np.sort(exact)[::-1][:2]
    a = 1 / (2 * lam)
    y = 1 - np.linalg.svd(W, compute_uv=False) ** 2
    mu = np.linalg.lstsq(a[:, None], y, rcond=None)[0][0]
    assert found.fitted_weight_decay == pytest.approx(mu, rel=1e-12, abs=0)
    assert found.fit_residual == pytest.approx(np.abs(y - mu * a).max(), rel=1e-9, abs=0)
    assert found.fit_residual > 1e-3
    # Tolerance: W's sigma^2 tolerance plus |mu| max_i e_i / (2 lambda_i^2), e_i = 2
    # sqrt(lambda_i) max(d, n) 2 max(u_data, 2^-53) sqrt(lambda_1), u_data = 2^-24 here.
    e = 2 * np.sqrt(lam) * max(samples.T.shape) * 2 * 2.0**-24 * np.sqrt(lam[0])
    measured = diagnose(W, orientation="decoder")
    expected = measured.tolerance + abs(mu) * float((e / (2 * lam**2)).max())
    assert found.fit_tolerance == pytest.approx(expected, rel=1e-9, abs=0)


# data_check: when it is weight decay


def test_f4_singular_values_above_one_are_not_weight_decay():
    # sigma_i^2 = 1 + c / (2 lambda_i) on lambda_1 = lambda_2 = 2: a perfect fit with mu = -c
    # < 0, in the top-2 eigenspace.
    eigenvalues = np.array([2.0, 2.0, 1.0])
    W = np.eye(3)[:, :2] * np.sqrt(1 + 0.5 / (2 * eigenvalues[:2]))
    found = check_with_data(W, _samples(eigenvalues))
    assert found.fitted_weight_decay == pytest.approx(-0.5, rel=1e-12)
    assert found.fit_residual <= found.fit_tolerance and max(found.principal_angles) < 1e-12
    assert found.verdict == "not converged"


def test_f4_values_outside_the_top_eigenspace_are_not_weight_decay():
    # The F4 singular values for lambda_1, lambda_2, on eigenvectors 2 and 3 (angle pi / 2).
    eigenvalues = np.array([4.0, 2.0, 1.0])
    shrunk = np.sqrt(1 - 0.5 / (2 * eigenvalues[:2]))
    W = np.eye(3)[:, [1, 2]] * shrunk
    found = check_with_data(W, _samples(eigenvalues))
    assert max(found.principal_angles) == pytest.approx(math.pi / 2, rel=1e-12)
    assert found.verdict == "not converged"


def test_f4_a_bad_fit_is_not_weight_decay():
    eigenvalues = np.array([4.0, 2.0, 1.0])
    found = check_with_data(np.eye(3)[:, :2] * [0.9, 0.7], _samples(eigenvalues))
    assert found.fitted_weight_decay > 0 and found.fit_residual > found.fit_tolerance
    assert found.verdict == "not converged"


# data_check: the saddle's gradient tolerance allows for W's float32 storage


def test_a4_a_float32_saddle_is_a_saddle():
    # S = diag(18, 8, 2); W = (eps, 1, 0) with eps = 1e-7, within float32's computed-weights
    # model of e2. The A3 gradient there is (-20 eps, O(eps^2), 0): 2e-6, far above the
    # float64 evaluation bound but within the storage term 4 lambda_1 (1 + 3 ||W||^2) sqrt(m)
    # rho' ||W||, about 2e-4.
    samples = np.vstack([np.diag([3.0, 2.0, 1.0])] * 2) * np.array([[1.0], [1], [1], [-1], [-1],
                                                                    [-1]])
    W = np.array([[1e-7], [1.0], [0.0]], dtype=np.float32)
    found = check_with_data(W, samples)
    assert found.excess_loss == pytest.approx(10.0, rel=1e-6)
    assert found.verdict == "saddle point"


# cli: --json on one file with several arrays


def test_json_of_one_file_with_several_arrays_lists_every_one(tmp_path, capsys):
    path = tmp_path / "model.npz"
    np.savez(path, first=np.eye(3, 2), second=0.5 * np.eye(3, 2))
    status = cli.main(["check", str(path), "--json"])
    reports = json.loads(capsys.readouterr().out)
    assert status == 0 and isinstance(reports, list)
    assert [report["weights"] for report in reports] == [f"{path} [first]", f"{path} [second]"]
    assert [report["claim"] for report in reports] == ["P1", "F3/F4"]
