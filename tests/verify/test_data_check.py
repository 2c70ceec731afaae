"""verify.data_check: with the data, the verdict is decided (A5, F4, A4, F3 or F1).

Expected outcomes come from how the weights are built (optimum, weight-decay
optimum, saddle, untrained), not from the code under test.
"""

import json
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from verify import (
    InvalidMatrixError,
    covariance_spectrum,
    diagnose,
    optimal_tied_weights,
    train_tied,
    weight_decay_singular_values,
)
from verify.data_check import DATA_VERDICTS, check_with_data
from verify.strategies import data_matrices, orthogonal_matrices


@st.composite
def data_and_code_size(draw, **options):
    X = draw(data_matrices(max_dimension=6, **options))  # d x n, centred
    k = draw(st.integers(1, X.shape[0]))
    return X, k


@given(data_and_code_size(), st.data())
def test_a5_the_tied_optimum_is_converged(case, data):
    X, k = case
    W = optimal_tied_weights(X, k, rotation=data.draw(orthogonal_matrices(k)))
    found = diagnose(W, data=X.T)
    assert found.verdict == "orthonormal columns"
    assert (found.data.verdict, found.data.claim) == ("converged", "A5")
    assert abs(found.data.excess_loss) <= found.data.excess_tolerance
    assert max(found.data.principal_angles) <= 1e-6  # sqrt(eps)-level: the same subspace


@given(data_and_code_size(smallest=1.0), st.data())
def test_f4_the_weight_decay_optimum_is_weight_decay_with_its_lambda(case, data):
    X, k = case
    eigenvalues, U = covariance_spectrum(X)
    # lambda below 2 lambda_k, so no direction is switched off; sigma^2 at most 1 - 1/8.
    weight_decay = data.draw(st.floats(0.25, 1.5)) * eigenvalues[k - 1]
    sigmas = weight_decay_singular_values(eigenvalues[:k], weight_decay)
    W = (U[:, :k] * sigmas) @ data.draw(orthogonal_matrices(k))
    found = diagnose(W, data=X.T)
    assert (found.verdict, found.claim) == ("neither", "F4")
    assert found.data.verdict == "weight decay"
    assert found.data.fitted_weight_decay == pytest.approx(weight_decay, rel=1e-9, abs=0)
    np.testing.assert_allclose(found.data.implied_ratios, weight_decay / eigenvalues[:k],
                               rtol=1e-9, atol=0)


def test_f4_a_model_trained_with_weight_decay_gets_its_lambda_back():
    X = np.diag([3.0, 2.0, 1.0, 0.5]) @ np.linalg.qr(
        np.random.default_rng(0).standard_normal((4, 4)))[0]
    X = X - X.mean(axis=1, keepdims=True)
    result = train_tied(X, 2, steps=1000, weight_decay=0.5)
    found = diagnose(result.weights, data=X.T)
    assert found.claim == "F4"
    assert found.data.fitted_weight_decay == pytest.approx(0.5, rel=1e-6, abs=0)


def test_an_untrained_layer_is_not_weight_decay():
    rng = np.random.default_rng(7)
    data = rng.standard_normal((500, 64)) * np.linspace(3.0, 0.5, 64)
    d, k = 64, 10
    # PyTorch's nn.Linear(64, 10) initialisation: uniform in +-1/sqrt(64); the decoder is W^T.
    encoder = rng.uniform(-1 / math.sqrt(d), 1 / math.sqrt(d), size=(k, d))
    alone = diagnose(encoder, orientation="encoder")
    assert alone.claim == "F3/F4" and "untrained layer" in alone.explanation
    found = diagnose(encoder, orientation="encoder", data=data)
    assert (found.claim, found.data.verdict) == ("F3", "not converged")
    assert found.data.excess_loss > 100 * found.data.excess_tolerance


def test_a4_an_orthonormal_saddle_is_a_saddle_point_not_the_optimum():
    samples = np.vstack([np.diag([3.0, 2.0, 1.0])] * 2) * np.array([[1.0], [1], [1], [-1], [-1],
                                                                    [-1]])  # S = diag(18, 8, 2)
    W = np.eye(3)[:, [1]]  # the second eigenvector: a critical point, not the minimum
    found = diagnose(W, data=samples)
    assert found.verdict == "orthonormal columns"  # W^T = W^+ all the same
    assert (found.data.verdict, found.data.claim) == ("saddle point", "A4")
    assert found.data.excess_loss == pytest.approx(18.0 - 8.0, rel=1e-12, abs=0)
    assert found.data.principal_angles == pytest.approx([math.pi / 2], rel=1e-12, abs=0)


@st.composite
def _rank_deficient_case(draw):
    """`(X, W)`: centred `d x n` data of singular covariance and `0.9` times `k > rank S`
    orthonormal columns."""
    X = draw(data_matrices(covariance="singular", max_dimension=6))
    rank = int(np.count_nonzero(np.linalg.svd(X, compute_uv=False) > 1e-3))  # nonzero: >= 0.7
    k = draw(st.integers(rank + 1, X.shape[0]))
    return X, draw(orthogonal_matrices(X.shape[0]))[:, :k] * 0.9


# As found from a fresh seed (issue 22): a rank-1 covariance whose zero eigenvalue is not
# 0 but 6e-200 (there, 1e-134). 1 / (2 lambda) and a @ a of the F4 fit overflowed (a
# RuntimeWarning, "tolerance nan"). Rows: x = (1, 0, -1) and 1e-100 (1, -2, 1), orthogonal
# and of mean zero, so S = diag(2, 6e-200).
_TINY_EIGENVALUE = np.array([[1.0, 0.0, -1.0], [1e-100, -2e-100, 1e-100]])


@given(_rank_deficient_case())
@example((_TINY_EIGENVALUE, 0.9 * np.eye(2)))
def test_f1_code_size_above_the_data_rank_is_rank_deficient_data(case):
    X, W = case
    rank = int(np.count_nonzero(np.linalg.svd(X - X.mean(axis=1, keepdims=True),
                                              compute_uv=False) > 1e-3))
    found = check_with_data(W, X.T)  # warnings are errors in the tests: an overflow fails
    assert (found.verdict, found.claim, found.data_rank) == ("rank-deficient data", "F1", rank)
    assert math.isfinite(found.fit_tolerance) and math.isfinite(found.excess_tolerance)


def test_a_rounding_level_eigenvalue_is_zero_in_the_f4_fit_and_the_report(tmp_path, capsys):
    from verify import cli

    data, weights = tmp_path / "X.npy", tmp_path / "W.npy"
    np.save(data, _TINY_EIGENVALUE.T)
    np.save(weights, 0.9 * np.eye(2))
    status = cli.main(["check", str(weights), "--data", str(data)])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert "nan" not in out and "NumPy warned" not in out
    assert "From the data: rank-deficient data (F1)" in out
    # The fit uses the one nonzero eigenvalue lambda_1 = ||x||^2 = 2 (the tiny one is zero):
    # mu / (2 lambda_1) = 1 - 0.81, exactly, with no residual.
    found = check_with_data(0.9 * np.eye(2), _TINY_EIGENVALUE.T)
    top = 2.0
    assert found.fitted_weight_decay == pytest.approx(2 * top * (1 - 0.81), rel=1e-12, abs=0)


def test_the_data_are_centred_by_the_check():
    X = np.diag([3.0, 2.0, 1.0])
    W = np.eye(3)[:, :2]
    samples = np.vstack([X.T, -X.T])  # mean zero; S = 2 diag(9, 4, 1)
    moved = samples + [5.0, -2.0, 7.0]
    assert check_with_data(W, moved) == check_with_data(W, samples)
    assert check_with_data(W, moved).excess_loss == pytest.approx(0.0, abs=1e-12)
    assert "centred by the check" in diagnose(W, data=moved).report()


def test_report_and_json_carry_the_data_findings():
    samples = np.vstack([np.diag([3.0, 2.0, 1.0]), -np.diag([3.0, 2.0, 1.0])])
    found = diagnose(np.diag([0.9, 0.8, 0.0])[:, :2], data=samples)
    text = found.report()
    for words in ("Excess loss over the PCA optimum", "principal angle", "F4 fit",
                  "From the data:"):
        assert words in text
    dumped = found.to_dict()
    assert json.loads(json.dumps(dumped, allow_nan=False)) == dumped
    assert dumped["data"]["claim"] in DATA_VERDICTS.values()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (np.ones((10, 4)), r"data must be n x d with d = 3 columns"),
        (np.ones((3, 10)), r"data must be n x d with d = 3 columns.*Transpose"),
        (np.ones((1, 3)), r"data must have at least 2 samples"),
        (np.array([[1.0, np.nan, 0.0], [0.0, 1.0, 0.0]]), r"data must have finite entries"),
        (np.ones(3), r"data must be a 2-D real matrix"),
        ("X.npy", r"data must be a 2-D real matrix"),
    ],
)
def test_bad_data_is_refused_by_name(data, words):
    with pytest.raises(InvalidMatrixError, match=words):
        diagnose(np.eye(3, 2), data=data)


def _samples(eigenvalues):
    """Samples (rows) of mean zero whose S = X X^T is diag(eigenvalues), exactly up to rounding."""
    D = np.diag(np.sqrt(np.asarray(eigenvalues) / 2))
    return np.vstack([D, -D])


def test_f4_a_fit_that_moves_sigma_squared_less_than_the_tolerance_is_not_weight_decay():
    # Issue 22's early stop: a fitted mu moving sigma^2 by 1e-6, far below the tolerance,
    # was called weight decay. Here mu / (2 lambda_3) = 1e-5 by construction, tolerance 1e-3.
    eigenvalues = np.array([4.0, 2.0, 1.0, 0.5])
    weight_decay = 2e-5
    W = np.eye(4)[:, :3] * np.sqrt(1 - weight_decay / (2 * eigenvalues[:3]))
    found = diagnose(W, data=_samples(eigenvalues), tolerance=1e-3,
                     tolerance_reason="an early stop's accuracy")
    assert found.data.fitted_weight_decay == pytest.approx(weight_decay, rel=1e-6, abs=0)
    # The excess loss sum_i lambda_i (mu / (2 lambda_i))^2 is real, but not weight decay.
    excess = float(np.sum(eigenvalues[:3] * (weight_decay / (2 * eigenvalues[:3])) ** 2))
    assert found.data.excess_loss == pytest.approx(excess, rel=1e-3)
    assert found.data.excess_loss > found.data.excess_tolerance
    assert found.data.verdict != "weight decay" and found.claim != "F4"
    assert "not weight decay" in found.data.explanation


def test_a5_f3_the_loss_within_its_tolerance_but_the_wrong_space_cannot_tell():
    # lambda_2 - lambda_3 = 1e-14, below the loss's tolerance: W = (e1, e3) is a partial
    # isometry whose loss is the optimum's to within it, at a principal angle of pi / 2.
    eigenvalues = np.array([4.0, 1.0 + 1e-14, 1.0])
    W = np.eye(3)[:, [0, 2]]
    found = diagnose(W, data=_samples(eigenvalues))
    assert found.data.excess_loss <= found.data.excess_tolerance
    assert max(found.data.principal_angles) == pytest.approx(math.pi / 2, rel=1e-12, abs=0)
    assert (found.data.verdict, found.data.claim) == ("cannot tell at this precision", "A5/F3")
    assert "converged" not in found.data.verdict


def test_a5_f4_a_fit_between_rounding_and_the_tolerance_cannot_tell_in_float32():
    # mu / (2 lambda_3) = 1e-6: more than rounding to float32 explains (2e-7 here), less
    # than the float32 tolerance (5e-6): the optimum and weight decay both fit.
    eigenvalues = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.125])
    shrunk = np.sqrt(1 - 2e-6 / (2 * eigenvalues[:3]))
    W = (np.eye(6)[:, :3] * shrunk).astype(np.float32)
    found = diagnose(W, data=_samples(eigenvalues))
    assert found.rounding_tolerance < 1e-6 < found.tolerance
    assert found.verdict == "orthonormal columns"
    assert (found.data.verdict, found.data.claim) == ("cannot tell at this precision", "A5/F4")
    exact = diagnose(np.eye(6, 3, dtype=np.float32), data=_samples(eigenvalues))
    assert exact.data.verdict == "converged"
