"""--nonlinear: the linear theory assumes linear layers, and every report says so once."""

import math

import numpy as np

from verify import cli
from verify.diagnosis import LINEAR_FOOTER, diagnose

# Singular values 0.5 and 2 (built so): not all 1, not all below 1, F3 for a linear layer.
UNCONVERGED = np.diag([0.5, 2.0, 0.0])[:, :2]


def _run(capsys, *argv):
    status = cli.main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_linear_layer_gets_f3_and_the_footer_once():
    found = diagnose(UNCONVERGED)
    assert found.claim == "F3" and not found.nonlinear
    assert found.report().count(LINEAR_FOOTER) == 1
    assert found.report().splitlines()[-1] == LINEAR_FOOTER


def test_a_nonlinear_layer_gets_no_f3_verdict_only_the_gap():
    found = diagnose(UNCONVERGED, nonlinear=True)
    assert found.nonlinear and found.verdict == "neither" and found.claim == "P5"
    assert "the linear theory assumes linear layers" in found.explanation.lower()
    assert "not converged" not in found.explanation
    gap = max(abs(s - 1 / s) for s in (0.5, 2.0))  # P5: max |sigma - 1/sigma| = 1.5
    assert math.isclose(found.transpose_pseudo_inverse_gap, gap, rel_tol=1e-15)
    assert f"= {gap:g} (P5)" in found.explanation


def test_nonlinear_does_not_run_the_data_check():
    samples = np.vstack([np.diag([3.0, 2.0, 1.0]), -np.diag([3.0, 2.0, 1.0])])
    found = diagnose(np.diag([0.9, 0.8, 0.0])[:, :2], data=samples, nonlinear=True)
    assert found.data is None and "was not run" in found.explanation


def test_orthonormal_weights_stay_p1_with_nonlinear():
    found = diagnose(np.eye(3, 2), nonlinear=True)
    assert (found.verdict, found.claim) == ("orthonormal columns", "P1")
    assert "linear theory assumes linear layers" in found.explanation


def test_the_command_takes_nonlinear_and_every_report_has_the_footer(tmp_path, capsys):
    path = tmp_path / "W.npy"
    np.save(path, UNCONVERGED)
    status, out, _ = _run(capsys, path)
    assert status == 0 and "Verdict: neither (F3)" in out and out.count(LINEAR_FOOTER) == 1
    status, out, _ = _run(capsys, path, "--nonlinear")
    assert status == 0 and "Verdict: neither (P5)" in out and "not converged" not in out
    assert out.count(LINEAR_FOOTER) == 1
    status, out, _ = _run(capsys, path, path)  # the table
    assert status == 0 and out.count(LINEAR_FOOTER) == 1
