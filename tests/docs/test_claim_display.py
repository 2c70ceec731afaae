"""A claim in a notebook and a terminal (issue 21, item 6).

``Claim`` has a short ``repr``, ``_repr_markdown_`` and ``_repr_latex_`` by the
document's printer; ``python -m derivations list`` and ``show ID`` read the claims;
``verify.strategies`` names its public strategies in ``__all__``.
"""

import inspect
import re
import sys
from pathlib import Path

import pytest

import derivations.__main__ as command
from derivations.claims import all_claims, claim_by_id

sys.path.insert(0, str(Path(__file__).parent))
from test_markdown import github_problems, unsafe_math  # noqa: E402

# SymPy's own names, which a reader should never see in the text of a claim.
SYMPY_NAMES = re.compile(r"Lambda\(|Eq\(|KroneckerDelta\(|pinv\(|Transpose\(|MatMul\(|\*\*|"
                         r"Identity\(|Q\.")


def test_repr_is_short_and_names_the_claim():
    claim = claim_by_id("P3")
    assert repr(claim) == f"<Claim P3: {claim.title}>"
    assert str(claim) == repr(claim)  # print(claim) was 9,206 characters of dataclass


@pytest.mark.parametrize("claim_id", ["P1", "P3", "A4", "F2"])
def test_markdown_has_statement_hypotheses_conclusion_idea_and_proof(claim_id):
    claim = claim_by_id(claim_id)
    text = claim._repr_markdown_()
    assert text.startswith(f"# {claim_id}. {claim.title}\n")
    for label in (f"**Claim {claim_id}.**", "*Idea.*", "**Conclusion.**", f"## {claim_id}: Proof"):
        assert label in text, label
    if claim.hypotheses:
        assert "**Hypotheses.**" in text
    # Safe on GitHub and in Jupyter's Markdown: the document's own checks.
    assert unsafe_math(text) == [] and github_problems(text) == []
    assert "Checked:" not in text  # nothing was checked to show it


def test_latex_is_text_with_math_and_no_markdown():
    text = claim_by_id("P1")._repr_latex_()
    assert text.startswith(r"\textbf{P1. The transpose is the pseudo-inverse}")
    assert r"\textbf{Claim P1.}" in text and r"\emph{Idea.}" in text
    assert "$W^{+} = W^{T}$" in text and r"\[" in text
    for markdown in ("```", "$`", "**", "<sub>", "](#"):
        assert markdown not in text, markdown
    assert text.count("{") == text.count("}")


def test_list_prints_every_claim_with_its_title(capsys):
    assert command.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [claim.id for claim in all_claims()]
    assert lines[0] == "P2  " + claim_by_id("P2").title


def test_show_prints_one_claim_as_readable_text(capsys):
    assert command.main(["show", "p3"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("P3. The transpose is the pseudo-inverse exactly")
    assert "Claim P3." in text and "Proof" in text and "Idea." in text
    assert "Wᵀ = W⁺ ⇔ W Wᵀ W = W" in text  # the conclusion, in a student's notation
    assert "diag(" in text or "σᵢ" in text
    assert SYMPY_NAMES.findall(text) == []
    assert max(map(len, text.splitlines())) <= 100


@pytest.mark.parametrize("argv", [["show"], ["show", "Z9"], ["show", "P1", "P2"], ["list", "x"]])
def test_show_and_list_refuse_bad_input_in_one_line(argv, capsys):
    assert command.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1


def test_strategies_name_every_public_strategy_in_all():
    import verify.strategies as strategies

    public = {name for name, value in vars(strategies).items()
              if not name.startswith("_") and callable(value)
              and getattr(value, "__module__", None) == strategies.__name__}
    assert public and public <= set(strategies.__all__)
    assert all(getattr(strategies, name) is not None for name in strategies.__all__)
    assert not any(inspect.ismodule(getattr(strategies, name)) for name in strategies.__all__)
