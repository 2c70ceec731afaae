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


# Macros of GitHub's MathJax (TeX input with its base, AMS and text packages) that the
# document may use. A macro outside this list is shown on GitHub as a red error (``\nobreak``
# was one: SymPy prints it in the range of an index), so a new one is added here only after
# checking it against MathJax's list of supported TeX commands.
GITHUB_MATHJAX_MACROS = frozenset("""
    alpha beta gamma delta epsilon eta theta lambda mu nu rho sigma tau phi chi psi omega xi
    zeta kappa iota pi omicron upsilon varepsilon varphi vartheta
    Gamma Delta Theta Lambda Sigma Phi Psi Omega Pi Xi Upsilon
    left right begin end frac sqrt sum prod lim max min sup inf det exp log ln
    quad qquad text mathrm mathbf mathit mathbb mathcal operatorname mathrel
    Rightarrow Leftrightarrow Leftarrow rightarrow leftarrow to mapsto wedge vee neg
    geq leq neq ge le ne approx sim equiv cdot cdots ldots dots vdots ddots times
    in notin subset subseteq cup cap infty partial nabla circ otimes
    langle rangle lbrace rbrace lVert rVert Vert vert mid prime hat bar tilde overline
""".split())

_MACRO = re.compile(r"\\([A-Za-z]+)")
_FENCE_AFTER_TEXT = re.compile(r"^.*\S.*```", re.MULTILINE)


def github_problems(text: str) -> list[str]:
    r"""Fences GitHub does not open and macros its MathJax does not know, in ``text``.

    GitHub opens a fence only at the start of a line (after indentation); after text on
    the same line the TeX shows raw.

    >>> github_problems("*Step 2.* ```math\nx\n```\n")
    ['fence after text: *Step 2.* ```']
    >>> github_problems("```math\n1 \\mathrel{..}\\nobreak k\n```\n")
    ['unknown macro: \\nobreak']
    >>> github_problems("a $`\\alpha`$\n\n  ```math\n\\frac{1}{2}\n  ```\n")
    []
    """
    problems = [f"fence after text: {line.strip()}" for line in _FENCE_AFTER_TEXT.findall(text)
                if not line.lstrip().startswith("```")]
    math = MATH_BLOCK.findall(text) + INLINE_MATH.findall(MATH_BLOCK.sub("", text))
    for formula in math:
        # '\\' ends a row (w_{11} \\ w_{21}): it is not the macro \w.
        for name in _MACRO.findall(formula.replace("\\\\", " ")):
            if name not in GITHUB_MATHJAX_MACROS:
                problems.append(f"unknown macro: \\{name}")
    return sorted(set(problems))


def test_committed_markdown_has_no_broken_fence_or_unknown_macro(markdown):
    """Item 5 of issue 21: every fence opens a line, every macro is one GitHub's MathJax knows."""
    assert github_problems(markdown) == []


def test_a_display_that_opens_a_step_goes_below_its_label():
    # The pattern that broke F2 (Step 2) and F3 (Step 1): a step whose reason is a display.
    from derivations.render.markdown import _labelled

    text = _labelled("*Step 2.*", inline((ImmutableMatrix([[Symbol("a"), 1], [2, 3]]),)))
    assert github_problems(text) == [] and "```" in text
