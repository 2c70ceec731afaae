"""``python -m derivations``: every claim checks, the committed docs are fresh, exit codes.

The committed docs were rendered by another process, so their freshness check
is also the check that rendering is deterministic across processes.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sympy import Eq

import derivations.__main__ as command
from derivations.claims import all_claims, claim_by_id
from derivations.engine import Claim, DerivationError, Part, Step, prose

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("claim", all_claims(), ids=lambda claim: claim.id)
def test_every_claim_checks(claim):
    assert claim.check() > 0


def test_claims_come_in_reading_order():
    ids = [claim.id for claim in all_claims()]
    # P2 (uniqueness) comes first: P1 and the later claims Use it.
    assert ids[:2] == ["P2", "P1"]
    assert len(ids) == len(set(ids))
    for position, claim in enumerate(all_claims()):
        assert all(ids.index(used) < position for used in claim.uses()), claim.id


def test_unknown_claim_id_is_named():
    with pytest.raises(KeyError, match="'Z7'"):
        claim_by_id("Z7")


def test_committed_docs_are_fresh():
    # One process: a pytest (xdist) worker runs threads, and forking one is unsafe.
    assert command.main(["--check", "--docs", str(ROOT / "docs"), "--processes", "1"]) == 0


def test_check_fails_on_stale_docs(tmp_path, capsys):
    shutil.copytree(ROOT / "docs", tmp_path, dirs_exist_ok=True)
    (tmp_path / "derivations.md").write_text("stale\n", encoding="utf-8")
    assert command.main(["--check", "--docs", str(tmp_path), "--processes", "1"]) == 1
    assert "STALE" in capsys.readouterr().err


def test_check_fails_on_stale_figure_numbers(tmp_path, monkeypatch, capsys):
    # The documents are taken as fresh (none rendered), so only the figures' numbers,
    # recomputed with NumPy, decide: one number moved far beyond its tolerance is stale.
    true = Claim(id="P9", title="true", statement=prose("true"),
                 conclusions=(Eq(1, 1, evaluate=False),),
                 proof=(Part(heading="h", steps=(Step(1, 1, "one is one"),)),))
    monkeypatch.setattr(command, "document", lambda: (true,))
    monkeypatch.setattr(command, "render_all", lambda sections, checked: {})
    shutil.copytree(ROOT / "docs" / "figures", tmp_path / "figures")
    assert command.main(["--check", "--docs", str(tmp_path), "--processes", "1"]) == 0
    numbers = tmp_path / "figures" / "f7_conditioning.json"
    numbers.write_text(numbers.read_text(encoding="utf-8").replace("[1.0,", "[1.5,", 1),
                       encoding="utf-8")
    assert command.main(["--check", "--docs", str(tmp_path), "--processes", "1"]) == 1
    err = capsys.readouterr().err
    assert "f7_conditioning.json" in err and "derivations.render.figures" in err


def test_check_fails_on_a_false_step(monkeypatch, capsys):
    false = Claim(id="P9", title="false", statement=prose("false"),
                  conclusions=(Eq(1, 2, evaluate=False),),
                  proof=(Part(heading="h", steps=(Step(1, 2, "one is two"),)),))
    monkeypatch.setattr(command, "document", lambda: (false,))
    assert command.main(["--check", "--processes", "1"]) == 1
    err = capsys.readouterr().err
    assert "claim P9" in err and "one is two" in err


def test_false_step_raises_derivation_error():
    false = Step(1, 2, "one is two")
    with pytest.raises(DerivationError, match="claim P9"):
        Claim(id="P9", title="f", statement=prose("f"), conclusions=(Eq(1, 2, evaluate=False),),
              proof=(Part(heading="h", steps=(false,)),)).check()


def test_command_line_usage_exit_codes():
    # The full run in a fresh process is what CI does (`python -m derivations --check`);
    # here only the entry point and argparse's exit codes, which need no checking.
    run = [sys.executable, "-m", "derivations"]
    helped = subprocess.run(run + ["--help"], cwd=ROOT, capture_output=True, text=True)
    assert helped.returncode == 0 and "--check" in helped.stdout
    usage = subprocess.run(run + ["--no-such-option"], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == 2 and "--no-such-option" in usage.stderr


# Checks toy claims in forked processes, from a fresh (single-threaded) interpreter.
_IN_PROCESSES = """
import sys
from sympy import Eq
from derivations.__main__ import check_all
from derivations.engine import Claim, DerivationError, Part, Step, prose

def toy(claim_id, lhs, rhs):
    return Claim(id=claim_id, title="t", statement=prose("t"),
                 conclusions=(Eq(lhs, rhs, evaluate=False),),
                 proof=(Part(heading="h", steps=(Step(lhs, rhs, "arithmetic"),)),))

good = [toy("X1", 2 + 2, 4), toy("X2", 3 * 3, 9), toy("X3", 1, 1)]
assert check_all(good, processes=2) == check_all(good) == {"X1": 1, "X2": 1, "X3": 1}
try:
    check_all(good + [toy("X4", 1, 2)], processes=2)
except DerivationError as error:
    print(error)
"""


def test_claims_checked_in_several_processes_count_and_fail_as_in_one():
    done = subprocess.run([sys.executable, "-c", _IN_PROCESSES], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("claim X4, Proof, part 1 (h), step 1: after rewriting")


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test_a_bad_process_count_is_a_usage_error(bad, capsys):
    with pytest.raises(SystemExit) as exit_status:
        command.main(["--processes", bad])
    assert exit_status.value.code == 2
    assert f"expected a whole number of processes >= 1, got '{bad}'" in capsys.readouterr().err
