"""Render the document as GitHub-flavoured Markdown.

Math uses only the two forms GitHub documents for formulas that Markdown would
otherwise mangle: inline math as ``$`...`$`` and display math as a fenced
``math`` block. Every formula is printed by :mod:`derivations.render.printer`
from the checked object; a formula too large for running text becomes a
display, and a long display is broken into ``aligned`` lines.

>>> from sympy import Symbol
>>> inline(("if ", Symbol("x_1"), " then"))
'if $`x_{1}`$ then'
"""

from __future__ import annotations

import re

import sympy
from sympy import Basic

from derivations.document import ALSO_ILLUSTRATES, FIGURES, TITLE, figure_numbers
from derivations.document import reference_anchor as _reference_anchor
from derivations.engine import Claim, Prose
from derivations.render.layout import Words, layout, needs_display, reading_pieces
from derivations.render.printer import RELATION_LATEX, latex
from derivations.sections import Essay, as_text, paragraphs

__all__ = ["claim_body", "claim_latex", "claim_markdown", "display", "inline", "render_markdown"]


def _block(tex: str) -> str:
    return f"\n\n```math\n{tex}\n```\n\n"


def inline(text: Prose) -> str:
    """Reading text; a formula as ``$`...`$``, or as a display when it is too large.

    Punctuation right after a display moves into it, as in print.
    """
    out = []
    for piece in reading_pieces(text):
        if piece.kind == "text":
            out.append(piece.content)
        elif piece.kind == "display":
            lines = [(line.indent, line.pieces) for line in layout(piece.content).lines]
            out.append(_block(_lines_tex(lines, trailing=piece.trailing)))
        elif piece.joined:
            # Two formulas side by side (a product written in two parts) share one span:
            # GitHub would read the '$$' between two spans as display math.
            out[-1] = out[-1][:-2] + " " + latex(piece.content) + "`$"
        else:
            out.append(f"$`{latex(piece.content)}`$")
    return "".join(out).strip("\n")


def _labelled(label: str, text: str) -> str:
    """``label`` before reading text; a display that opens the text goes below it.

    GitHub reads a fence only at the start of a line: ``*Step 2.* ```math`` shows raw TeX.

    >>> _labelled("*Step 2.*", "```math\\nx\\n```")
    '*Step 2.*\\n\\n```math\\nx\\n```'
    >>> _labelled("*Idea.*", "a")
    '*Idea.* a'
    """
    return label + ("\n\n" if text.startswith("```") else " ") + text


def _piece_tex(lead, expr) -> str:
    if isinstance(lead, Words):
        lead = r"\text{%s}\;" % lead.text
    else:
        lead = RELATION_LATEX.get(lead, lead)
    return " ".join(filter(None, (lead, None if expr is None else latex(expr))))


def _lines_tex(lines, *, trailing: str = "") -> str:
    """Lines ``(indent, ((lead, expr), ...))`` as one LaTeX display."""
    end = r"\," + trailing if trailing else ""
    if len(lines) == 1:
        return " ".join(_piece_tex(lead, expr) for lead, expr in lines[0][1]) + end
    rows = ["& " + (r"\quad " * indent) + " ".join(_piece_tex(lead, expr) for lead, expr in pieces)
            for indent, pieces in lines]
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + end + "\n\\end{aligned}"


def display(lhs: Basic, relation: str, rhs: Basic) -> str:
    """``lhs <relation> rhs`` as a fenced ``math`` block, broken into lines when long."""
    lines = [(line.indent, line.pieces) for line in layout(lhs, relation, rhs).lines]
    return f"```math\n{_lines_tex(lines)}\n```"


def _rule(relation) -> str:
    """A rewrite rule as the reader sees it; a named explicit matrix by its name only."""
    if isinstance(relation.rhs, sympy.MatrixBase) and relation.lhs.is_symbol:
        return f"$`{latex(relation.lhs)}`$ as defined above"
    if needs_display(relation):
        return f"$`{latex(relation.lhs)}`$ as stated above"
    return f"$`{latex(relation)}`$"


def _sources(claim: Claim) -> str:
    return "; ".join(f"[{source}](#{_reference_anchor(source)})" for source in claim.sources)


def _part(part, anchor: str, *, level: int) -> list[str]:
    """A part of a proof, and the parts nested in it (cases, directions, entrywise steps)."""
    lines = [f'<a id="{anchor}"></a>', "", f"{'#' * min(level, 6)} {inline(part.heading)}", ""]
    if part.text:
        lines += [inline(part.text), ""]
    for step_number, step in enumerate(part.steps, start=1):
        lines += [_labelled(f"*Step {step_number}.*", inline((*step.because, "."))), "",
                  display(step.lhs, step.relation, step.rhs), ""]
        if step.using:
            lines += ["<sub>Rewriting with " + ", ".join(map(_rule, step.using))
                      + ".</sub>", ""]
    for number, sub in enumerate(getattr(part, "parts", ()), start=1):
        lines += _part(sub, f"{anchor}-{number}", level=level + 1)
    if part.conclusion:
        lines += [inline(part.conclusion), ""]
    return lines


def _joined(label: str, items) -> str:
    """A labelled paragraph of formulas separated by semicolons.

    A display inside a Markdown list item would be indented, and GitHub then
    does not read it as math: so hypotheses and conclusions are one paragraph.
    """
    text: list = []
    for position, item in enumerate(items):
        text += ["; " if position else "", *as_text(item)]
    return _labelled(f"**{label}.**", inline((*text, ".")))


def _statement(claim: Claim) -> list[str]:
    """The claim as checked objects: what it concludes, and what is generic."""
    lines = []
    if claim.conclusions:
        lines += [_joined("Conclusion", claim.conclusions), ""]
    if claim.generality:
        lines += [_labelled("**What is proved in general.**", inline(claim.generality)), ""]
    return lines


def claim_body(claim: Claim, checked: dict[str, int] | None,
               numbers: dict[str, tuple[int, str]] | None) -> list[str]:
    """One claim: heading, statement, idea, hypotheses, the checked steps, figures, status.

    ``numbers=None`` leaves the figures out and ``checked=None`` the count of checked
    steps (a claim shown on its own, in a notebook, has neither checked nor drawn them).
    """
    anchor = claim.id.lower()
    lines = [f'<a id="{anchor}"></a>', "", f"## {claim.id}. {claim.title}", ""]
    lines += [_labelled(f"**Claim {claim.id}.**", inline(as_text(claim.statement))), ""]
    for paragraph in paragraphs(getattr(claim, "idea", ())):
        lines += [_labelled("*Idea.*", inline(paragraph)), ""]
    if claim.hypotheses:
        lines += [_joined("Hypotheses", claim.hypotheses), ""]
    lines += _statement(claim)
    for section, parts in claim.sections():
        if not parts:
            continue
        slug = section.lower().replace(" ", "-")
        lines += [f'<a id="{anchor}-{slug}"></a>', "", f"### {claim.id}: {section}", ""]
        for number, part in enumerate(parts, start=1):
            lines += _part(part, f"{anchor}-{slug}-{number}", level=4)
    for remark in claim.remarks:
        lines += [inline(remark), ""]
    if numbers is not None:
        lines += _figures(claim.id, numbers)
    status = [] if checked is None else [f"Checked: all {checked[claim.id]} steps of {claim.id} hold."]
    if claim.sources:
        status.append(f"Sources: {_sources(claim)}.")
    if status:
        lines += [f"> {' '.join(status)}", ""]
    return lines


def claim_markdown(claim: Claim) -> str:
    """One claim as Markdown on its own (a notebook's ``Claim._repr_markdown_``).

    Statement, idea, hypotheses, conclusion and proof as in the document, by the
    same printer; no figures, and no count of checked steps (``claim.check()`` checks).
    """
    lines = claim_body(claim, None, None)
    # Anchors and headings one level up: the claim is the page.
    lines = [line for line in lines if not line.startswith('<a id="')]
    return "\n".join(line[1:] if line.startswith("##") else line
                     for line in lines).strip("\n") + "\n"


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_INLINE_MATH = re.compile(r"\$`(.*?)`\$")
_FENCE = re.compile(r"^ *```math\n(.*?)\n *```$", re.DOTALL | re.MULTILINE)
_TEXT_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
                 "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}"}


def _latex_text(text: str) -> str:
    r"""Markdown reading text (no math) as LaTeX text.

    >>> print(_latex_text("**Claim P1.** see [Penrose 1955](#penrose-1955), 50% *here*"))
    \textbf{Claim P1.} see Penrose 1955, 50\% \emph{here}
    """
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"<sub>(.*?)</sub>", r"\1", text, flags=re.DOTALL)
    text = "".join(_TEXT_SPECIAL.get(char, char) for char in text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\\textbf{\1}", text)
    text = re.sub(r"\*(.+?)\*", r"\\emph{\1}", text)
    if text.startswith("> "):
        text = text[2:]
    return text


def claim_latex(claim: Claim) -> str:
    r"""One claim as LaTeX text (a notebook's ``Claim._repr_latex_``, and nbconvert's PDF).

    The Markdown of :func:`claim_markdown` with its formulas unchanged: inline math
    in ``$...$``, each display in ``\[...\]``, headings as bold paragraphs.
    """
    markdown = claim_markdown(claim)
    formulas: list[str] = []

    def keep(tex: str) -> str:
        formulas.append(tex)
        return f"\x00{len(formulas) - 1}\x00"

    # Formulas out of the way first: the text rules (escapes, emphasis) never touch them.
    markdown = _FENCE.sub(lambda m: keep(r"\[" + m.group(1) + r"\]"), markdown)
    markdown = _INLINE_MATH.sub(lambda m: keep("$" + m.group(1) + "$"), markdown)
    out = []
    for paragraph in markdown.split("\n\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        heading = re.match(r"^#+ (.*)$", paragraph, re.DOTALL)
        text = _latex_text(heading.group(1) if heading else paragraph)
        if heading:
            text = r"\textbf{%s}" % text
        out.append(re.sub(r"\x00(\d+)\x00", lambda m: formulas[int(m.group(1))], text))
    return "\n\n".join(out) + "\n"


def _figures(key: str, numbers: dict[str, tuple[int, str]]) -> list[str]:
    """The figures drawn beside the claim (or essay) ``key``, and links to those drawn elsewhere."""
    lines = []
    for figure in FIGURES.get(key, ()):
        number, beside = numbers[figure.file]
        if beside == key:
            lines += [f'<a id="figure-{number}"></a>', "", f"![{figure.alt}]({figure.file})", "",
                      f"*Figure {number}.* {inline(figure.caption)}", ""]
    # A figure drawn beside another claim is referred to, never drawn twice.
    again = [f.file for f in FIGURES.get(key, ()) if numbers[f.file][1] != key]
    for file in again + list(ALSO_ILLUSTRATES.get(key, ())):
        if file in numbers:
            number, beside = numbers[file]
            lines += [f"[Figure {number}](#figure-{number}), beside "
                      f"[{beside}](#{beside.lower()}), illustrates {key} too.", ""]
    return lines


def _list_item(marker: str, text: str) -> str:
    r"""A list item whose display blocks stay inside it: continuation lines indented.

    >>> print(_list_item("- ", "a\n\nb"))
    - a
    <BLANKLINE>
      b
    """
    indent = " " * len(marker)
    return marker + "\n".join(indent + line if line and number else line
                               for number, line in enumerate(text.split("\n")))


def _cell(text: Prose) -> str:
    r"""Prose for a table cell: every ``|`` escaped, GitHub's rule for pipes in a cell.

    >>> from derivations.notation import SpectralNorm, W
    >>> _cell((SpectralNorm(W),))
    '$`\\left\\\\|W\\right\\\\|_{2}`$'
    """
    return inline(text).replace("|", "\\|")


def _essay(essay: Essay, numbers: dict[str, tuple[int, str]]) -> list[str]:
    lines = [f'<a id="{essay.anchor}"></a>', "", f"## {essay.title}", ""]
    for paragraph in essay.paragraphs:
        lines += [inline(paragraph), ""]
    if essay.table:
        lines += ["| Symbol | Meaning |", "| --- | --- |"]
        # GitHub splits a table row at every '|', inside math too, unless it is escaped.
        lines += [f"| {_cell(symbol)} | {_cell(meaning)} |" for symbol, meaning in essay.table]
        lines.append("")
    for number, (anchor, text) in enumerate(essay.items, start=1):
        lines += [_list_item(f"{number}. ", f'<a id="{anchor}"></a>{inline(text)}')]
    if essay.items:
        lines.append("")
    return lines + _figures(essay.anchor, numbers)


def _contents(sections) -> list[str]:
    essays = [s for s in sections if not isinstance(s, Claim)]
    claims = [s for s in sections if isinstance(s, Claim)]
    first_claim = sections.index(claims[0]) if claims else len(sections)
    before = [f"[{s.title}](#{s.anchor})" for s in essays if sections.index(s) < first_claim]
    after = [f"[{s.title}](#{s.anchor})" for s in essays if sections.index(s) > first_claim]
    return ["**Contents:** " + " · ".join(before), "",
            "**Claims:** " + " · ".join(f"[{c.id}](#{c.id.lower()})" for c in claims), "",
            "**Then:** " + " · ".join(after), ""]


def render_markdown(sections, checked: dict[str, int]) -> str:
    """The Markdown text; ``checked`` maps claim id to the number of steps checked."""
    sections = tuple(sections)
    lines = [f"# {TITLE}", "", "<!-- Generated by `python -m derivations`; do not edit. -->", ""]
    lines += _contents(sections)
    numbers = figure_numbers(sections)
    for section in sections:
        if isinstance(section, Claim):
            lines += claim_body(section, checked, numbers)
        else:
            lines += _essay(section, numbers)
    return "\n".join(lines).rstrip("\n") + "\n"
