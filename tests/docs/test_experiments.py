"""The experiments on the digits: committed numbers fresh, measurements stored but not compared.

A full recomputation takes minutes (thousands of steps on 1797 images), so the default run
recomputes a prefix of every curve (the same deterministic iteration, fewer steps) and the
`thorough` profile recomputes everything (as `python -m derivations.experiments --check`).
"""

import json
import os
from pathlib import Path

import numpy as np
import pytest

import derivations.experiments as experiments

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "docs" / "figures"


def _committed(name):
    return json.loads((FIGURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [experiments.A7_FILE, experiments.N1_FILE])
def test_experiment_numbers_and_figure_are_committed_with_a_plain_note(name):
    data = _committed(name)
    assert (FIGURES / f"{name}.svg").is_file()
    assert "It shows" in data["note"] and "does not show" in data["note"]
    assert data["seed"] == experiments.SEED


def test_a7_curve_prefix_recomputes_and_times_are_stored_not_compared():
    committed = _committed(experiments.A7_FILE)
    fresh = experiments.a7_digits_training(steps=50, time_it=False)
    assert fresh["optimum"] == pytest.approx(committed["optimum"], rel=1e-12)
    for name, curve in fresh["loss"].items():
        np.testing.assert_allclose(curve, committed["loss"][name][: len(curve)],
                                   rtol=experiments.RELATIVE_TOLERANCE)
    assert set(committed["seconds_per_step"]) == {"tied", "untied", "pseudo_inverse"}
    assert all(seconds > 0 for seconds in committed["seconds_per_step"].values())


def test_a7_committed_run_ends_at_the_pca_optimum_for_the_pseudo_inverse_decoder():
    data = _committed(experiments.A7_FILE)
    excess = {name: curve[-1] - data["optimum"] for name, curve in data["loss"].items()}
    # Rounding level: the loss is a difference of numbers of size tr S (the first tied loss).
    floor = 100 * np.finfo(float).eps * data["loss"]["tied"][0]
    assert abs(excess["pseudo_inverse"]) <= floor
    assert floor < excess["tied"] < excess["untied"]
    assert data["final"]["tied_orthonormality_defect"] < 1e-6


def test_n1_curve_prefix_recomputes():
    committed = _committed(experiments.N1_FILE)
    fresh = experiments.n1_nonlinear(steps=30)
    for run, saved in zip(fresh["runs"], committed["runs"], strict=True):
        assert (run["activation"], run["weight_decay"]) == (saved["activation"],
                                                            saved["weight_decay"])
        np.testing.assert_allclose(run["loss"], saved["loss"][: len(run["loss"])],
                                   rtol=experiments.RELATIVE_TOLERANCE)


def test_n1_committed_linear_control_is_near_orthonormal_and_the_nonlinear_runs_are_not():
    committed = _committed(experiments.N1_FILE)["runs"]
    runs = {(r["activation"], r["weight_decay"]): r for r in committed}
    assert runs["linear", 0.0]["orthonormality_defect"] < 1e-3
    for activation in ("tanh", "sigmoid"):
        assert runs[activation, 0.0]["orthonormality_defect"] > 0.1


@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE") != "thorough",
                    reason="full recomputation (minutes): HYPOTHESIS_PROFILE=thorough")
def test_every_committed_experiment_number_is_fresh():
    assert experiments.stale_experiments(FIGURES) == []


@pytest.mark.parametrize(("change", "stale"), [(1e-7, True), (1e-13, False)])
def test_numbers_are_stale_above_the_stated_tolerance_only(change, stale):
    committed = _committed(experiments.N1_FILE)
    moved = json.loads(json.dumps(committed))
    moved["runs"][0]["final_loss"] *= 1 + change
    assert experiments._close(moved, committed) is not stale


def test_measurements_are_never_compared():
    committed = _committed(experiments.A7_FILE)
    moved = json.loads(json.dumps(committed))
    moved["seconds_per_step"]["tied"] *= 10
    moved["machine"] = "another machine"
    assert experiments._close(moved, committed)


def test_missing_experiment_numbers_are_stale(tmp_path):
    assert len(experiments.stale_experiments(tmp_path, fresh={"x": {}})) == 2


@pytest.mark.parametrize("name", [experiments.A7_FILE, experiments.N1_FILE])
def test_committed_svg_is_redrawn_byte_for_byte_from_its_numbers(tmp_path, name):
    pytest.importorskip("matplotlib", reason="the docs extra (matplotlib) is not installed")
    experiments.write_svg(name, _committed(name), tmp_path / "figure.svg")
    text = (tmp_path / "figure.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in text and "Matplotlib v" not in text
    assert (tmp_path / "figure.svg").read_bytes() == (FIGURES / f"{name}.svg").read_bytes(), (
        f"docs/figures/{name}.svg is stale: run `python -m derivations.experiments --redraw`")
