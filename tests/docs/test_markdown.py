"""docs/derivations.md uses only GitHub's safe math forms: $`...`$ inline, ```math blocks."""

import re
from pathlib import Path

import pytest
from sympy import ImmutableMatrix, Symbol

from derivations.render.markdown import display, inline

ROOT = Path(__file__).resolve().parents[2]
MARKDOWN = ROOT / "docs" / "derivations.md"

MATH_BLOCK = re.compile(r"^ *```math\n(.*?)\n *```$", re.DOTALL | re.MULTILINE)
INLINE_MATH = re.compile(r"\$`([^`]*)`\$")


def unsafe_math(text: str) -> list[str]:
    """Every piece of math in ``text`` that is not in one of GitHub's two safe forms.

    >>> unsafe_math("a $`x`$ b\\n\\n```math\\ny\\n```\\n")
    []
    >>> unsafe_math("a $x$ and $$y$$")
    ['$', '$', '$$', '$$']
    """
    problems = []
    # In a table row GitHub reads '\|' as '|' before it looks for math.
    text = "\n".join(line.replace("\\|", "|") if line.startswith("| ") else line
                     for line in text.splitlines())
    for block in MATH_BLOCK.findall(text):
        if "```" in block or "$" in block:
            problems.append(block)
    rest = MATH_BLOCK.sub("", text)
    for formula in INLINE_MATH.findall(rest):
        # Row breaks (matrices of several rows) belong in displays: inline they crowd the line.
        if r"\\" in formula:
            problems.append(formula)
    rest = INLINE_MATH.sub("", rest)
    problems += re.findall(r"\$+", rest)
    problems += re.findall(r"\\\(|\\\[|\\begin\{", rest)
    return problems


@pytest.fixture(scope="module")
def markdown() -> str:
    assert MARKDOWN.is_file(), "docs/derivations.md is missing: run `python -m derivations`"
    return MARKDOWN.read_text(encoding="utf-8")


def test_committed_markdown_uses_only_githubs_safe_math_forms(markdown):
    assert INLINE_MATH.search(markdown) and MATH_BLOCK.search(markdown)
    assert unsafe_math(markdown) == []


def test_the_check_catches_dollar_math_and_inline_matrices():
    assert unsafe_math(r"see $x_1$ here") == ["$", "$"]
    assert unsafe_math(r"see $`\begin{matrix}1\\2\end{matrix}`$") != []
    assert unsafe_math("$$\nx\n$$") == ["$$", "$$"]


def test_inline_math_is_backtick_dollar_and_a_matrix_becomes_a_display():
    assert inline(("x is ", Symbol("x"))) == "x is $`x`$"
    text = inline(("the matrix ", ImmutableMatrix([[1], [2]]), " here"))
    assert "\n\n```math\n" in text and "$`" not in text


def test_a_display_is_a_math_block_and_a_long_one_is_aligned():
    assert display(Symbol("x"), "=", Symbol("y")) == "```math\nx = y\n```"
    long = display(Symbol("x"), "=", sum(Symbol(f"a_{i}") for i in range(40)))
    assert long.startswith("```math\n\\begin{aligned}\n& x \\\\\n& \\quad = ")


def test_two_formulas_side_by_side_share_one_span():
    a, m = Symbol("A_0"), Symbol("M")
    assert inline((a, m, " + ", m, a)) == "$`A_{0} M`$ + $`M A_{0}`$"


def test_every_table_row_has_exactly_its_cells(markdown):
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert rows, "the symbol table is missing"
    # GitHub splits a row at each unescaped '|' (inside math too): two cells, three pipes.
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 3 for row in rows)
