"""verify.cli with the files people have: several weights give one table; the stored
dtype, --data and --tolerance reach `diagnose`; usage errors and bad files are one line
on stderr with exit 2; --version."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from verify import cli
from verify._claims import where_to_read
from verify.diagnosis import diagnose

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
ORTHONORMAL = np.linalg.qr(np.random.default_rng(1).standard_normal((6, 3)))[0]


def _run(capsys, *argv):
    status = cli.main([*map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def _save(path, array):
    np.save(path, array, allow_pickle=False)
    return path


@pytest.fixture
def calls(monkeypatch):
    """Replace `diagnose` by one with the full keyword set; record the keywords it gets."""
    recorded = []

    def full_diagnose(W, *, orientation="decoder", unit_roundoff=None, tolerance=None,
                      tolerance_reason=None, data=None, dtype_name=None):
        recorded.append({"W": W, "orientation": orientation, "unit_roundoff": unit_roundoff,
                         "tolerance": tolerance, "tolerance_reason": tolerance_reason,
                         "data": data, "dtype_name": dtype_name})
        return diagnose(np.asarray(W, dtype=np.float64), orientation=orientation)

    monkeypatch.setattr(cli, "diagnose", full_diagnose)
    return recorded


def _verdict(W, **options):
    found = diagnose(W, **options)
    return f"{found.verdict} ({found.claim})"


def test_several_files_give_one_table_with_every_verdict(tmp_path, capsys):
    first = _save(tmp_path / "a.npy", ORTHONORMAL)
    second = tmp_path / "b.npz"
    np.savez(second, decayed=0.7 * ORTHONORMAL, bias=np.zeros(3))
    status, out, err = _run(capsys, "check", first, second)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert re.fullmatch(r"Weights +d x k +Stored +Rank +Singular values +Defect +Tolerance "
                        r"+Verdict", lines[0])
    assert _verdict(ORTHONORMAL) == "orthonormal columns (P1)"
    assert re.fullmatch(rf"{re.escape(str(first))} +6 x 3 +float64 +3 +1 +\S+ +\S+ +"
                        r"orthonormal columns \(P1\)", lines[1])
    decayed = _verdict(0.7 * ORTHONORMAL)
    assert re.fullmatch(rf"{re.escape(str(second))} \[decayed\] +6 x 3 +float64 +3 +0\.7 +0\.51 "
                        rf"+\S+ +{re.escape(decayed)}", lines[2])
    assert any(line.startswith("Skipped 1 tensor not 2-D (biases") and
               line.endswith(f": {second} [bias] (shape (3,))") for line in lines)
    assert 'P1: see section "P1. The transpose is the pseudo-inverse" of the derivations' in out
    assert 'F4: see section "F4. Weight decay"' in out  # F4 is among the explanations


def test_one_file_with_several_weights_gives_a_table_and_key_picks_one(capsys):
    path = DATA / "tied_linear.safetensors"
    status, out, _ = _run(capsys, "check", path, "--orientation", "encoder")
    assert status == 0
    assert [line.split()[1] for line in out.splitlines()[1:4]] == [
        "[decayed.weight]", "[encoder.weight]", "[encoder_bf16.weight]"]
    assert "bfloat16" in out.splitlines()[3]
    status, out, _ = _run(capsys, "check", path, "--key", "decayed.weight",
                          "--orientation", "encoder")
    assert status == 0 and out.startswith(f"Weights: {path} [decayed.weight]\n")
    assert "Shape: 6 x 3" in out and "Verdict: neither (" in out and "F4" in out


def test_a_bad_file_among_good_ones_is_one_line_and_exit_2(tmp_path, capsys):
    good = _save(tmp_path / "good.npy", ORTHONORMAL)
    bad = _save(tmp_path / "bad.npy", np.array([[np.nan, 1.0]]))
    status, out, err = _run(capsys, "check", good, bad, tmp_path / "missing.csv")
    assert status == 2
    assert f"{good}" in out and "orthonormal columns (P1)" in out and "bad.npy" not in out
    assert err.splitlines() == [
        f"tied-weights: error: {bad}: W must have finite entries; got nan at index (0, 0) in a "
        "2-D array of shape (1, 2) and dtype float64. Remove or replace NaN and infinite values.",
        f"tied-weights: error: {tmp_path / 'missing.csv'}: no such file"]


def test_json_for_several_weights_is_a_list_naming_each(tmp_path, capsys):
    first = _save(tmp_path / "a.npy", ORTHONORMAL)
    second = _save(tmp_path / "b.npy", 0.5 * ORTHONORMAL)
    status, out, _ = _run(capsys, "check", first, second, "--json")
    reports = json.loads(out)
    assert status == 0 and [r["weights"] for r in reports] == [str(first), str(second)]
    claims = [diagnose(ORTHONORMAL).claim, diagnose(0.5 * ORTHONORMAL).claim]
    assert [r["claim"] for r in reports] == claims and "F4" in claims[1]
    assert reports[1]["see"] == where_to_read(claims[1])
    assert '"F4. Weight decay"' in reports[1]["see"]


def test_the_stored_precision_reaches_diagnose_only_where_it_differs(calls, tmp_path, capsys):
    float32 = _save(tmp_path / "W32.npy", ORTHONORMAL.astype(np.float32))
    text = tmp_path / "W.csv"
    np.savetxt(text, ORTHONORMAL, delimiter=",", fmt="%.6f")
    status, _, _ = _run(capsys, "check", float32, text, DATA / "tied_linear.safetensors",
                        "--key", "encoder_bf16.weight")
    # --key applies to every file: the .npy and .csv do not take one.
    assert status == 2 and len(calls) == 1
    assert calls[0]["dtype_name"] == "bfloat16" and calls[0]["unit_roundoff"] == 2.0**-8
    assert calls[0]["W"].dtype == np.float32
    calls.clear()
    assert _run(capsys, "check", float32, text)[0] == 0
    (as_float32, as_text) = calls
    assert (as_float32["dtype_name"], as_float32["unit_roundoff"]) == ("float32", None)
    assert as_float32["W"].dtype == np.float32  # not widened: precision follows the data
    assert (as_text["dtype_name"], as_text["unit_roundoff"]) == (
        "text (6 significant digits)", 5e-06)


def test_data_and_tolerance_reach_diagnose(calls, tmp_path, capsys):
    X = np.random.default_rng(2).standard_normal((20, 6))
    data = tmp_path / "X.csv"
    np.savetxt(data, X, delimiter=",", header="x0,x1,x2,x3,x4,x5", comments="")
    W = _save(tmp_path / "W.npy", ORTHONORMAL)
    status, out, err = _run(capsys, "check", W, "--data", data, "--tolerance", "1e-6",
                            "--tolerance-reason", "trained in float32")
    assert (status, err) == (0, "")
    (call,) = calls
    np.testing.assert_allclose(call["data"], X, rtol=1e-15)
    assert (call["tolerance"], call["tolerance_reason"]) == (1e-6, "trained in float32")
    assert f"Note: --data {data}: skipped a header row: 'x0,x1,x2,x3,x4,x5'" in out


def test_data_with_several_arrays_needs_data_key(calls, tmp_path, capsys):
    data = tmp_path / "X.npz"
    np.savez(data, train=np.ones((4, 6)), test=np.ones((3, 6)))
    W = _save(tmp_path / "W.npy", ORTHONORMAL)
    status, out, err = _run(capsys, "check", W, "--data", data)
    assert (status, out) == (2, "")
    assert "several arrays (train, test); choose one with --data-key" in err
    assert _run(capsys, "check", W, "--data", data, "--data-key", "test")[0] == 0
    assert calls[-1]["data"].shape == (3, 6)


def _one_line_usage_error(capsys, argv, words, prog="tied-weights check"):
    status, out, err = _run(capsys, *argv)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"{prog}: error: ") and err.endswith(f"(see {prog} --help)\n")
    assert words in err


@pytest.mark.parametrize(("argv", "words"), [
    (["check"], "the following arguments are required: FILE"),
    (["check", "W.npy", "--orientation", "sideways"], "invalid choice: 'sideways'"),
    (["check", "W.npy", "--max-bytes", "lots"], "expected a positive number of bytes"),
    (["check", "W.npy", "--tolerance", "-1"], "expected a positive finite number; got '-1'"),
    (["check", "W.npy", "--tolerance", "nan"], "expected a positive finite number"),
])
def test_usage_errors_are_one_line_pointing_to_help(capsys, argv, words):
    _one_line_usage_error(capsys, argv, words)


def test_a_missing_command_an_unknown_one_and_unknown_options_are_one_line(capsys):
    _one_line_usage_error(capsys, ["check", "W.npy", "--nonsense"],
                          "unrecognized arguments: --nonsense", prog="tied-weights")
    _one_line_usage_error(capsys, ["inspect"], "invalid choice: 'inspect'", prog="tied-weights")
    status, out, err = _run(capsys)
    assert (status, out) == (2, "")
    assert err == "tied-weights: error: a command is required: check (see tied-weights --help)\n"


def test_tolerance_needs_a_reason(tmp_path, capsys):
    W = _save(tmp_path / "W.npy", ORTHONORMAL)
    status, out, err = _run(capsys, "check", W, "--tolerance", "1e-6")
    assert (status, out) == (2, "") and len(err.splitlines()) == 1
    assert "--tolerance and --tolerance-reason go together" in err


def test_version_is_the_package_version(capsys):
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    status, out, err = _run(capsys, "--version")
    assert (status, out, err) == (0, f"tied-weights {version}\n", "")


def test_header_row_is_noted_in_the_report(tmp_path, capsys):
    path = tmp_path / "W.csv"
    np.savetxt(path, ORTHONORMAL, delimiter=",", header="u1,u2,u3", comments="", fmt="%.17g")
    status, out, _ = _run(capsys, "check", path)
    assert status == 0
    assert out.splitlines()[:2] == [f"Weights: {path}", "Note: skipped a header row: 'u1,u2,u3'"]


def test_numpy_warnings_go_into_the_report_not_stderr(tmp_path, capsys):
    # Rank-deficient with a tiny (normal) singular value: 1/sigma^2 overflows on the SVD route.
    status, out, err = _run(capsys, "check", _save(tmp_path / "W.npy", np.diag([1e-300, 0.0])))
    assert (status, err) == (0, "")
    assert "Verdict:" in out


def _neither_verdict(capsys, path):
    """The one outcome for a matrix whose singular values are all far from 1 (tiny or huge):
    a report (exit 0, nothing on stderr, NumPy's warnings at most notes in it) whose verdict
    is neither P1 nor P3, since no singular value is 1 and none is numerically 0."""
    status, out, err = _run(capsys, "check", path)
    assert (status, err) == (0, ""), err
    (verdict,) = [line for line in out.splitlines() if line.startswith("Verdict: ")]
    assert verdict.startswith("Verdict: neither ("), verdict
    return verdict


@pytest.mark.parametrize("array", [
    np.full((3, 2), 1e-310), np.full((3, 2), 5e-324), np.eye(3, 2) * 1e-310,
    np.full((3, 2), 1e-40, dtype=np.float32), np.eye(2, dtype=np.float16) * 6e-8,
])
def test_subnormal_matrices_get_the_verdict_neither(tmp_path, capsys, array):
    # Entries of 1e-310 or less: every nonzero singular value is below 1e-7, far from 1.
    _neither_verdict(capsys, _save(tmp_path / "W.npy", array))


def test_entries_above_the_magnitude_limit_are_one_line(tmp_path, capsys):
    status, out, err = _run(capsys, "check", _save(tmp_path / "W.npy", np.array([[1e154] * 3])))
    assert (status, out) == (2, "") and len(err.splitlines()) == 1
    assert "would overflow" in err


def test_a_directory_and_an_unreadable_file_are_one_line(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "W.npy"
    folder.mkdir()
    status, out, err = _run(capsys, "check", folder)
    assert (status, out, err) == (2, "", f"tied-weights: error: {folder}: not a regular file\n")
    path = _save(tmp_path / "V.npy", ORTHONORMAL)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    import verify.load as load_module

    monkeypatch.setattr(load_module, "open", refuse, raising=False)
    status, out, err = _run(capsys, "check", path)
    assert (status, out) == (2, "")
    assert err == f"tied-weights: error: {path}: cannot read the file (Permission denied)\n"


def test_float32_and_bfloat16_orthonormal_weights_are_orthonormal_columns(capsys):
    status, out, _ = _run(capsys, "check", DATA / "tied_linear.safetensors", "--orientation",
                          "encoder")
    assert status == 0
    verdicts = {line.split()[1]: line for line in out.splitlines()[1:4]}
    assert "orthonormal columns (P1)" in verdicts["[encoder.weight]"]
    assert "orthonormal columns (P1)" in verdicts["[encoder_bf16.weight]"]
    assert "neither (" in verdicts["[decayed.weight]"] and "F4" in verdicts["[decayed.weight]"]


def test_a_csv_with_six_decimals_of_orthonormal_weights_is_orthonormal_columns(tmp_path, capsys):
    path = tmp_path / "W.csv"
    np.savetxt(path, ORTHONORMAL, delimiter=",", fmt="%.6f")
    status, out, _ = _run(capsys, "check", path)
    assert status == 0 and "Verdict: orthonormal columns (P1)" in out


def test_readme_strategies_example_runs_and_its_tests_pass():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- strategies-example -->", 1)[1].split("```python\n", 1)[1]
    namespace = {}
    # A pseudo-filename: inspect (which Hypothesis calls) must not read README.md's lines.
    exec(compile(block.split("```", 1)[0], "<README strategies example>", "exec"),  # noqa: S102
         namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 2
    for test in tests:
        test()


def test_pointers_to_the_uninstalled_docs_become_section_titles():
    report = "Verdict: neither (F3/F4)\n  See docs/derivations.md#f3 and docs/derivations.md#f4"
    assert cli._point_to_claims(report).splitlines()[1] == (
        '  See sections "F3. Away from critical points" and "F4. Weight decay" of the '
        "derivations, which python -m derivations writes to docs/")
    assert cli._point_to_claims("  See the docs") == "  See the docs"


def test_section_titles_are_those_the_derivations_render():
    from verify._claims import SECTION_TITLES

    rendered = dict(re.findall(r"(?m)^## ([A-Z]\d+)\. (.+)$",
                               (ROOT / "docs" / "derivations.md").read_text(encoding="utf-8")))
    assert {claim: rendered.get(claim) for claim in SECTION_TITLES} == SECTION_TITLES


@pytest.mark.parametrize("shape", [(1, 1), (1, 3), (3, 1), (2, 2)])
def test_entries_near_the_magnitude_limit_get_the_verdict_neither(tmp_path, capsys, shape):
    # 1e154 with d k <= 3 passed validation and raised OverflowError in the Gram route.
    W = np.full(shape, 0.99 * np.sqrt(np.finfo(np.float64).max / (shape[0] * shape[1])))
    # Its largest singular value is about 1e154, far from 1: neither P1 nor P3.
    _neither_verdict(capsys, _save(tmp_path / "W.npy", W))
