"""verify.cli: `tied-weights check FILE` reports a verdict (exit 0) or refuses unusable
input with one line on stderr (exit 2), never a traceback. In-process through
`cli.main(argv)`, plus two subprocess runs of `python -m verify`."""

import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from verify import cli
from verify._claims import where_to_read
from verify.diagnosis import diagnose

ROOT = Path(__file__).resolve().parents[2]
ORTHONORMAL = np.linalg.qr(np.random.default_rng(1).standard_normal((6, 3)))[0]


def _run(capsys, *argv):
    status = cli.main(["check", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def _save(path, array):
    np.save(path, array, allow_pickle=False)
    return path


def _expected_json(path, W, **options):
    """The JSON report of one weight: a list of one `Diagnosis.to_dict()`, with the schema
    version and the weight's name, pointing to the claim's section by name."""
    report = diagnose(W, **options).to_dict()
    return [{"schema": cli.JSON_SCHEMA, "weights": str(path), **report,
             "see": where_to_read(report["claim"])}]


def test_orthonormal_weights_get_the_p1_verdict(tmp_path, capsys):
    status, out, err = _run(capsys, _save(tmp_path / "W.npy", ORTHONORMAL))
    assert (status, err) == (0, "")
    assert "Verdict: orthonormal columns (P1)" in out
    assert "Shape: 6 x 3" in out and "Numerical rank: 3 of 3" in out


def test_weight_decayed_weights_get_f4_and_name_its_section(tmp_path, capsys):
    status, out, _ = _run(capsys, _save(tmp_path / "W.npy", 0.7 * ORTHONORMAL))
    claim = diagnose(0.7 * ORTHONORMAL).claim
    assert status == 0 and "F4" in claim
    assert f"Verdict: neither ({claim})" in out
    # docs/derivations.md is not installed with the package: name the section instead.
    assert f"  See {where_to_read(claim)}" in out and '"F4. Weight decay"' in out
    assert "docs/derivations.md" not in out and "MATH" not in out


def test_json_round_trips_to_the_diagnosis(tmp_path, capsys):
    W = np.diag([0.5, 2.0, 1.0])
    path = _save(tmp_path / "W.npy", W)
    status, out, _ = _run(capsys, path, "--json")
    assert status == 0
    assert json.loads(out) == _expected_json(path, W)
    (report,) = json.loads(out)
    assert report["schema"] == 1
    assert report["singular_values"] == pytest.approx([2.0, 1.0, 0.5], rel=4e-16, abs=0)


def test_encoder_orientation_transposes_the_stored_matrix(tmp_path, capsys):
    path = _save(tmp_path / "E.npy", ORTHONORMAL.T)  # k x d: an encoder
    # Read as given, wide with orthonormal rows: P4 says the columns cannot be orthonormal.
    as_decoder = _run(capsys, path, "--orientation", "decoder")[1]
    assert "Verdict: partial isometry (P3)" in as_decoder and "encoder orientation" in as_decoder
    status, out, _ = _run(capsys, path, "--orientation", "encoder", "--json")
    assert status == 0
    (report,) = json.loads(out)
    assert [report] == _expected_json(path, ORTHONORMAL.T, orientation="encoder")
    assert (report["verdict"], report["d"], report["k"]) == ("orthonormal columns", 6, 3)


def test_npz_key_picks_the_array(tmp_path, capsys):
    path = tmp_path / "model.npz"
    np.savez(path, encoder=ORTHONORMAL.T, decoder=ORTHONORMAL)
    status, out, _ = _run(capsys, path, "--key", "decoder")
    assert status == 0 and "Weights: " + str(path) + " [decoder]" in out
    assert "orthonormal columns" in out


def test_csv_with_a_given_delimiter(tmp_path, capsys):
    path = tmp_path / "W.txt"
    np.savetxt(path, ORTHONORMAL, delimiter="\t", fmt="%.17g")
    status, out, _ = _run(capsys, path, "--delimiter", r"\t")
    assert status == 0 and "orthonormal columns" in out


def test_help_explains_the_orientation(capsys):
    assert cli.main(["check", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "'auto' (default): PyTorch's convention, the smaller side is the code" in text
    assert "'decoder': a d x k matrix W" in text and "transposed first" in text


def test_usage_errors_exit_2(capsys):
    assert cli.main([]) == 2
    assert cli.main(["check", "W.npy", "--max-bytes", "lots"]) == 2
    assert "--max-bytes" in capsys.readouterr().err


def test_max_bytes_understands_binary_suffixes():
    parser = cli.build_parser()
    assert parser.parse_args(["check", "W.npy", "--max-bytes", "3KiB"]).max_bytes == 3 * 1024
    assert parser.parse_args(["check", "W.npy"]).max_bytes == 2 * 1024**3


def _bad_inputs(tmp_path):
    """(name, path, extra arguments, words the one-line message must contain)."""
    cases = []

    def npy(name, array, *words):
        cases.append((name, _save(tmp_path / f"{name}.npy", array), [], words))

    npy("one_dimensional", np.ones(3), "1-D", "shape (3,)")
    npy("three_dimensional", np.ones((2, 2, 2)), "3-D")
    npy("empty", np.ones((0, 3)), "shape (0, 3)")
    npy("nan", np.array([[1.0, np.nan]]), "finite", "nan")
    npy("infinity", np.array([[np.inf, 1.0]]), "finite", "inf")
    npy("complex", np.eye(2, dtype=complex), "complex")
    npy("near_overflow", np.array([[1e160, 0.0], [0.0, 1.0]]), "overflow")
    npy("strings", np.array([["a", "b"]]), "dtype <U1")
    cases.append(("missing", tmp_path / "missing.npy", [], ("no such file",)))
    unknown = tmp_path / "W.pkl"
    unknown.write_bytes(b"\x80\x04")
    cases.append(("unknown_extension", unknown, [], ("unknown file extension '.pkl'",)))
    big = _save(tmp_path / "big.npy", np.eye(20))
    cases.append(("too_large", big, ["--max-bytes", "1KiB"], ("limit of 1024 bytes",)))
    text = tmp_path / "words.csv"
    text.write_text("weights,here\nand,here\n")  # one header row is fine, two are not
    cases.append(("not_numbers", text, [], ("not a valid .csv file",)))
    empty_text = tmp_path / "empty.csv"
    empty_text.write_text("")
    cases.append(("empty_text", empty_text, [], ("the file is empty",)))
    return cases


BAD_INPUT_NAMES = ["one_dimensional", "three_dimensional", "empty", "nan", "infinity", "complex",
                   "near_overflow", "strings", "missing", "unknown_extension", "too_large",
                   "not_numbers", "empty_text"]


@pytest.mark.parametrize("name", BAD_INPUT_NAMES)
def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, capsys, name):
    cases = {case[0]: case for case in _bad_inputs(tmp_path)}
    _, path, extra, words = cases[name]
    status, out, err = _run(capsys, path, *extra)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("tied-weights: error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in err


def test_bad_input_cases_are_all_run(tmp_path):
    assert [case[0] for case in _bad_inputs(tmp_path)] == sorted(
        BAD_INPUT_NAMES, key=[case[0] for case in _bad_inputs(tmp_path)].index)
    assert len(BAD_INPUT_NAMES) == len(_bad_inputs(tmp_path))


class _CreatesMarkerWhenUnpickled:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickle_payload_is_refused_and_never_executed(tmp_path, capsys):
    path, marker = tmp_path / "evil.npy", tmp_path / "marker"
    np.save(path, np.array([_CreatesMarkerWhenUnpickled(marker), None], dtype=object),
            allow_pickle=True)
    status, out, err = _run(capsys, path)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and "pickled object array" in err
    assert not marker.exists()
    # The payload is live: unpickling it (which the command never does) creates the marker.
    np.load(path, allow_pickle=True)[0].close()
    assert marker.exists()


def _python_m_verify(*argv):
    return subprocess.run([sys.executable, "-m", "verify", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_python_m_verify_check_prints_json(tmp_path):
    W = np.diag([1.0, 0.0])
    path = _save(tmp_path / "W.npy", W)
    done = _python_m_verify("check", path, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == _expected_json(path, W)


def test_python_m_verify_refuses_bad_input_in_one_line(tmp_path):
    path = _save(tmp_path / "W.npy", np.array([[np.nan]]))
    done = _python_m_verify("check", path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"python -m verify: error: {path}: W must have finite entries")
    assert len(done.stderr.splitlines()) == 1


def test_console_script_is_declared():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["tied-weights"] == "verify.cli:main"


def test_readme_example_is_what_the_command_prints(tmp_path, capsys, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("<!-- check-example -->", 1)[1]
    commands, output = (block.split("\n", 1)[1] for block in example.split("```")[1:4:2])
    setup, check = commands.strip().splitlines()
    assert check == "tied-weights check W.npy"
    monkeypatch.chdir(tmp_path)
    program, *arguments = shlex.split(setup)
    assert program == "python3"
    subprocess.run([sys.executable, *arguments], check=True, timeout=60)
    assert cli.main(check.split()[1:]) == 0
    assert capsys.readouterr().out == output


def test_closed_output_pipe_ends_quietly(tmp_path):
    # The reader is gone before the report is written (as with `| head` exiting early).
    process = subprocess.Popen(
        [sys.executable, "-m", "verify", "check", str(_save(tmp_path / "W.npy", ORTHONORMAL))],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()
    error = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == cli.EXIT_BROKEN_PIPE
    assert error == ""
