"""Render the document as one self-contained HTML page with presentation MathML.

Every formula is printed by :mod:`derivations.render.printer` from the
checked object and wrapped in ``<math>``: browsers lay MathML out natively, so
the page needs no script and no network. The style sheet names math fonts with
stretchy glyphs (brackets as tall as the matrix they enclose); a display too
wide for a phone is broken into aligned lines by the printer, and a formula too
large for running text is shown as a display. Figures are inlined as SVG, and
the output is byte-identical across runs.

>>> from sympy import Symbol
>>> inline(("if ", Symbol("x"), " then <y>"))
'if <math><mi>x</mi></math> then &lt;y&gt;'
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import sympy
from sympy import Basic

from derivations.document import ALSO_ILLUSTRATES, FIGURES, TITLE, figure_numbers
from derivations.document import reference_anchor as _reference_anchor
from derivations.engine import Claim, Prose, plain_text
from derivations.render.layout import (
    Layout,
    Words,
    layout,
    needs_display,
    reading_pieces,
)
from derivations.render.printer import RELATION_MATHML, mathml
from derivations.sections import Essay, Figure, as_text, paragraphs

__all__ = ["claim_body", "display", "inline", "inline_svg", "math", "render_html"]

#: The committed SVG figures, inlined when present (they live beside the rendered docs).
FIGURE_ROOT = Path(__file__).resolve().parents[2] / "docs"

# The few Markdown marks the prose uses, so both renderers show the same emphasis.
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

#: Math fonts with the OpenType MATH table, so brackets and bars stretch: Latin Modern
#: and STIX Two where installed, DejaVu Math TeX Gyre (Debian: fonts-dejavu-extra) else.
MATH_FONTS = ('"Latin Modern Math", "STIX Two Math", "DejaVu Math TeX Gyre", "Cambria Math", '
              "math")

STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5a5a66; --rule: #d8d8e0;
  --accent: #1f4e8c; --paper: #fdfdfb; --panel: #f3f4f7; }
html { background: var(--paper); }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 4rem; color: var(--ink);
  font: 17px/1.6 "Charter", "Georgia", "DejaVu Serif", serif; overflow-wrap: break-word; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1.5rem; }
h2 { font-size: 1.45rem; margin: 3rem 0 0.75rem; padding-top: 0.5rem;
  border-top: 1px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 2rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.5rem 0 0.5rem; color: var(--muted); }
a { color: var(--accent); }
code { font: 0.9em "DejaVu Sans Mono", monospace; background: var(--panel);
  padding: 0 0.2em; border-radius: 3px; }
math { font-family: MATH_FONTS; font-size: 1.05em; }
math[display="block"] { margin: 0.5rem 0 0.75rem; max-width: 100%; overflow-x: auto;
  overflow-y: hidden; padding: 0.2rem 0; font-size: calc(1.05em * var(--desktop, 1)); }
/* The lines of a broken display: flush left, each laid out like a display of its own. */
mtable.lines > mtr > mtd { text-align: left; math-style: normal; }
nav { background: var(--panel); padding: 0.75rem 1rem; border-radius: 6px; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav .essays li { display: inline; }
nav .essays li + li::before { content: " · "; color: var(--muted); }
nav .claims { columns: 15rem; column-gap: 2rem; margin-top: 0.5rem; }
nav .claims li { break-inside: avoid; }
nav .claims .id { font-weight: bold; }
.statement { background: var(--panel); border-left: 4px solid var(--accent);
  padding: 0.6rem 1rem; }
.idea { font-style: italic; }
.step { margin: 1rem 0; }
.step p { margin-bottom: 0; }
.rules { font-size: 0.85rem; color: var(--muted); }
.rules summary { cursor: pointer; }
.status { color: #1c5e2f; font-size: 0.95rem; border-top: 1px dashed var(--rule);
  padding-top: 0.5rem; }
table.symbols { border-collapse: collapse; width: 100%; }
table.symbols th, table.symbols td { text-align: left; vertical-align: top;
  padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--rule); }
figure { margin: 1.5rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 0.92rem; color: var(--muted); }
ol.items li { margin-bottom: 0.5rem; }
footer { margin-top: 3rem; font-size: 0.85rem; color: var(--muted); }
@media (max-width: 40rem) {
  body { font-size: 16px; padding: 1rem 1rem 3rem; }
  h1 { font-size: 1.5rem; }
  math { font-size: 1em; }
  math[display="block"] { font-size: calc(1em * var(--phone, 1)); }
  nav .claims .title { display: none; }
  nav .claims { columns: auto; display: flex; flex-wrap: wrap; gap: 0.25rem 0.9rem; }
}
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
  .step, .statement, figcaption, tr { break-inside: avoid; }
  figure svg { max-height: 8.5cm; }
  math[display="block"] { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 18mm 16mm; }
""".replace("MATH_FONTS", MATH_FONTS)


def math(body: str, *, display: bool = False) -> str:
    """MathML ``body`` wrapped in a ``<math>`` element."""
    return f'<math display="block">{body}</math>' if display else f"<math>{body}</math>"


def _text(text: str) -> str:
    escaped = html.escape(text, quote=True)
    escaped = _CODE.sub(r"<code>\1</code>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _EMPHASIS.sub(r"<em>\1</em>", escaped)
    return _LINK.sub(r'<a href="\2">\1</a>', escaped)


def inline(text: Prose) -> str:
    """Reading text: strings escaped, formulas as inline MathML (displays when too large).

    Punctuation right after a display moves into it, as in print.
    """
    out = []
    for piece in reading_pieces(text):
        if piece.kind == "text":
            out.append(_text(piece.content))
        elif piece.kind == "display":
            out.append(_display(layout(piece.content), trailing=piece.trailing))
        elif piece.joined:
            # Two formulas side by side (a product written in two parts) share one element.
            out[-1] = out[-1][:-len("</math>")] + mathml(piece.content) + "</math>"
        else:
            out.append(math(mathml(piece.content)))
    return "".join(out)


def _lines_mathml(lines, *, trailing: str = "") -> str:
    """Lines ``(indent, ((lead, expr), ...))`` as MathML: one row, or a left-aligned table."""
    def row(pieces, end="") -> str:
        out = []
        for lead, expr in pieces:
            if isinstance(lead, Words):
                space = '<mspace width="0.3em"></mspace>' if out else ""
                out.append(f'{space}<mtext>{html.escape(lead.text)}</mtext>'
                           '<mspace width="0.5em"></mspace>')
            elif lead:
                # A sign or relation that starts a line is still a binary operator:
                # form="infix" keeps its spacing (as a prefix it would hug the term).
                symbol = {"-": "&#x2212;"}.get(lead, RELATION_MATHML.get(lead, lead))
                out.append(f'<mo form="infix">{symbol}</mo>')
            if expr is not None:
                out.append(mathml(expr))
        return "<mrow>" + "".join(out) + end + "</mrow>"

    end = f"<mo>{trailing}</mo>" if trailing else ""
    if len(lines) == 1:
        return row(lines[0][1], end)
    rows = "".join(f'<mtr><mtd><mspace width="{1.5 * indent:g}em"></mspace>'
                   f'{row(pieces, end if number == len(lines) else "")}</mtd></mtr>'
                   for number, (indent, pieces) in enumerate(lines, start=1))
    return f'<mtable class="lines" columnalign="left">{rows}</mtable>'


def _display(shape: Layout, *, trailing: str = "") -> str:
    body = _lines_mathml([(line.indent, line.pieces) for line in shape.lines], trailing=trailing)
    if shape.phone == shape.desktop == 1:
        return math(body, display=True)
    # Scaled by the style sheet where the column is narrower than the formula.
    return (f'<math display="block" style="--phone: {shape.phone:g}; '
            f'--desktop: {shape.desktop:g}">{body}</math>')


def display(lhs: Basic, relation: str, rhs: Basic) -> str:
    """``lhs <relation> rhs`` as a display, broken into aligned lines when long."""
    return _display(layout(lhs, relation, rhs))


def _rule(relation) -> str:
    """A rewrite rule as the reader sees it; a named explicit matrix by its name only."""
    if isinstance(relation.rhs, sympy.MatrixBase) and relation.lhs.is_symbol:
        return f"{math(mathml(relation.lhs))} as defined above"
    if needs_display(relation):
        return f"{math(mathml(relation.lhs))} as stated above"
    return math(mathml(relation))


_SVG_START = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_SVG_COMMENT = re.compile(r"[ \t]*<!--.*?-->\n?", re.DOTALL)
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^"\)]+)(?=["\)])')


def inline_svg(svg: str, *, prefix: str) -> str:
    """An SVG file's markup for inlining: no prolog or comments, ids unique per figure.

    Matplotlib names clip paths and glyphs by hash, so two inlined figures
    could share ids; every id and every reference to it gets ``prefix``.

    >>> svg = '<?xml version="1.0"?>\\n<svg><!-- $x$ --><g id="a" clip-path="url(#a)"/></svg>'
    >>> inline_svg(svg, prefix="fig1-")
    '<svg><g id="fig1-a" clip-path="url(#fig1-a)"/></svg>'
    """
    # matplotlib leaves the LaTeX of every label in a comment: not for readers.
    svg = _SVG_COMMENT.sub("", _SVG_START.sub("", svg, count=1)).strip()
    ids = set(_SVG_ID.findall(svg))

    def renamed(match: re.Match) -> str:
        opening, name = match.groups()
        return opening + prefix + name if name in ids else match.group(0)

    return _SVG_REFERENCE.sub(renamed, svg)


def _figure(figure: Figure, number: int) -> list[str]:
    path = FIGURE_ROOT / figure.file
    label = html.escape(figure.alt, quote=True)
    if path.is_file():
        svg = inline_svg(path.read_text(encoding="utf-8"), prefix=f"figure{number}-")
        picture = f'<div role="img" aria-label="{label}">{svg}</div>'
    else:
        # Outside a source checkout (no docs/figures) link the file instead.
        picture = f'<img src="{html.escape(figure.file, quote=True)}" alt="{label}">'
    return [f'<figure id="figure-{number}">', picture,
            f"<figcaption><strong>Figure {number}.</strong> {inline(figure.caption)}"
            "</figcaption>", "</figure>"]


def _figures(key: str, numbers: dict[str, tuple[int, str]]) -> list[str]:
    """The figures drawn beside the claim (or essay) ``key``, and links to those drawn elsewhere."""
    lines = []
    for figure in FIGURES.get(key, ()):
        if numbers[figure.file][1] == key:
            lines += _figure(figure, numbers[figure.file][0])
    # A figure drawn beside another claim is referred to, never drawn twice.
    again = [f.file for f in FIGURES.get(key, ()) if numbers[f.file][1] != key]
    for file in again + list(ALSO_ILLUSTRATES.get(key, ())):
        if file in numbers:
            number, beside = numbers[file]
            lines.append(f'<p><a href="#figure-{number}">Figure {number}</a>, beside '
                         f'<a href="#{beside.lower()}">{beside}</a>, illustrates {key} '
                         "too.</p>")
    return lines


def _step(number: int, step) -> list[str]:
    lines = ['<div class="step">', f"<p><em>Step {number}.</em> {inline((*step.because, '.'))}</p>",
             display(step.lhs, step.relation, step.rhs)]
    if step.using:
        rules = ", ".join(map(_rule, step.using))
        count = len(step.using)
        lines.append(f'<details class="rules"><summary>rewriting with {count} '
                     f'rule{"s" if count > 1 else ""}</summary>{rules}</details>')
    return lines + ["</div>"]


def _part(part, anchor: str, *, level: int) -> list[str]:
    """A part of a proof, and the parts nested in it (cases, directions, entrywise steps)."""
    heading = min(level, 6)
    lines = [f'<h{heading} id="{anchor}">{inline(part.heading)}</h{heading}>']
    if part.text:
        lines.append(f"<p>{inline(part.text)}</p>")
    for step_number, step in enumerate(part.steps, start=1):
        lines += _step(step_number, step)
    nested = getattr(part, "parts", ())
    if nested:
        lines.append('<div class="nested">')
        for number, sub in enumerate(nested, start=1):
            lines += _part(sub, f"{anchor}-{number}", level=level + 1)
        lines.append("</div>")
    if part.conclusion:
        lines.append(f"<p>{inline(part.conclusion)}</p>")
    return lines


def _statement(claim: Claim, anchor: str) -> list[str]:
    """The claim as checked objects: what it concludes, and what is generic."""
    lines = []
    if claim.conclusions:
        lines += [f'<h3 id="{anchor}-conclusions">Conclusion</h3>', "<ul>"]
        lines += [f"<li>{inline(as_text(conclusion))}</li>" for conclusion in claim.conclusions]
        lines.append("</ul>")
    if claim.generality:
        lines.append(f'<p class="generality"><strong>What is proved in general.</strong> '
                     f"{inline(claim.generality)}</p>")
    return lines


def claim_body(claim: Claim, checked: dict[str, int],
               numbers: dict[str, tuple[int, str]]) -> list[str]:
    """One claim: heading, statement, idea, hypotheses, the checked steps, figures, status."""
    anchor = claim.id.lower()
    lines = [f'<section id="{anchor}" class="claim">',
             f"<h2>{claim.id}. {_text(claim.title)}</h2>",
             f'<p class="statement"><strong>Claim {claim.id}.</strong> '
             f"{inline(as_text(claim.statement))}</p>"]
    for paragraph in paragraphs(getattr(claim, "idea", ())):
        lines.append(f'<p class="idea"><strong>Idea.</strong> {inline(paragraph)}</p>')
    if claim.hypotheses:
        lines += [f'<h3 id="{anchor}-hypotheses">Hypotheses</h3>', "<ul>"]
        lines += [f"<li>{inline(as_text(hypothesis))}</li>" for hypothesis in claim.hypotheses]
        lines.append("</ul>")
    lines += _statement(claim, anchor)
    for section, parts in claim.sections():
        if not parts:
            continue
        slug = f"{anchor}-{section.lower().replace(' ', '-')}"
        lines.append(f'<h3 id="{slug}">{claim.id}: {section}</h3>')
        for number, part in enumerate(parts, start=1):
            lines += _part(part, f"{slug}-{number}", level=4)
    for remark in claim.remarks:
        lines.append(f"<p>{inline(remark)}</p>")
    lines += _figures(claim.id, numbers)
    status = f"Checked: all {checked[claim.id]} steps of {claim.id} hold."
    if claim.sources:
        status += " Sources: " + "; ".join(
            f'<a href="#{_reference_anchor(source)}">{html.escape(source)}</a>'
            for source in claim.sources) + "."
    lines += [f'<p class="status">{status}</p>', "</section>"]
    return lines


def _essay(essay: Essay, numbers: dict[str, tuple[int, str]]) -> list[str]:
    lines = [f'<section id="{html.escape(essay.anchor, quote=True)}">',
             f"<h2>{_text(essay.title)}</h2>"]
    lines += [f"<p>{inline(paragraph)}</p>" for paragraph in essay.paragraphs]
    if essay.table:
        lines += ['<table class="symbols">',
                  "<thead><tr><th>Symbol</th><th>Meaning</th></tr></thead>", "<tbody>"]
        lines += [f"<tr><td>{inline(symbol)}</td><td>{inline(meaning)}</td></tr>"
                  for symbol, meaning in essay.table]
        lines += ["</tbody>", "</table>"]
    if essay.items:
        lines.append('<ol class="items">')
        lines += [f'<li id="{html.escape(anchor, quote=True)}">{inline(text)}</li>'
                  for anchor, text in essay.items]
        lines.append("</ol>")
    lines += _figures(essay.anchor, numbers)
    return lines + ["</section>"]


def _contents(sections) -> list[str]:
    essays = [s for s in sections if not isinstance(s, Claim)]
    claims = [s for s in sections if isinstance(s, Claim)]
    lines = ['<nav aria-label="Contents">', '<ul class="essays">']
    lines += [f'<li><a href="#{html.escape(s.anchor, quote=True)}">{_text(s.title)}</a></li>'
              for s in essays]
    lines += ["</ul>", '<ul class="claims">']
    lines += [f'<li><a href="#{c.id.lower()}"><span class="id">{c.id}</span>'
              f'<span class="title"> {_text(c.title)}</span></a></li>' for c in claims]
    return lines + ["</ul>", "</nav>"]


def render_html(sections, checked: dict[str, int]) -> str:
    """The HTML page; ``checked`` maps claim id to the number of steps checked."""
    sections = tuple(sections)
    numbers = figure_numbers(sections)
    total = sum(checked.values())
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_text(TITLE)}</title>",
             f'<meta name="description" content="{html.escape(plain_text((TITLE,)))}">',
             f"<style>{STYLE}</style>", "</head>", "<body>",
             "<!-- Generated by `python -m derivations`; do not edit. -->",
             "<main>", f'<h1 id="top">{_text(TITLE)}</h1>']
    lines += _contents(sections)
    for section in sections:
        if isinstance(section, Claim):
            lines += claim_body(section, checked, numbers)
        else:
            lines += _essay(section, numbers)
    lines += ["</main>",
              f"<footer>Every formula on this page is printed by SymPy from the object "
              f"that was checked; {total} steps in {len(checked)} claims hold.</footer>",
              "</body>", "</html>"]
    return "\n".join(lines) + "\n"
