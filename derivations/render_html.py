"""Render the document as one self-contained HTML page with presentation MathML.

Every formula is printed by SymPy's presentation MathML printer from
the checked object and wrapped in ``<math>``: browsers lay MathML out natively,
so the page needs no script, no web font and no network. Figures are inlined
as SVG, the style sheet is inline, and the output is byte-identical across runs.

>>> from sympy import Symbol
>>> inline(("if ", Symbol("x"), " then <y>"))
'if <math><mi>x</mi></math> then &lt;y&gt;'
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path

import sympy
from sympy import Basic
from sympy.printing.mathml import MathMLPresentationPrinter

from derivations.document import FIGURES, TITLE, Essay, Figure, figure_numbers
from derivations.engine import Claim, Prose, Step, plain_text
from derivations.notation import FrobeniusNorm, SpectralNorm
from derivations.render_markdown import positive_terms_first

__all__ = ["render_html"]

#: The committed SVG figures, inlined when present (they live beside the rendered docs).
FIGURE_ROOT = Path(__file__).resolve().parents[1] / "docs"

_MATHML_RELATION = {"=": "=", "!=": "\u2260", ">=": "\u2265", ">": "&gt;", "<=": "\u2264",
                    "<": "&lt;"}

# SymPy 1.14 prints some numeric character references without their ';' (ZeroMatrix).
_UNTERMINATED_REFERENCE = re.compile(r"(&#x?[0-9A-Fa-f]+)(?![0-9A-Fa-f;])")

# The few Markdown marks the prose uses, so both renderers show the same emphasis.
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")

STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5a5a66; --rule: #d8d8e0;
  --accent: #1f4e8c; --paper: #fdfdfb; --panel: #f3f4f7; }
html { background: var(--paper); }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 4rem; color: var(--ink);
  font: 17px/1.6 "Charter", "Georgia", "DejaVu Serif", serif; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1.5rem; }
h2 { font-size: 1.45rem; margin: 3rem 0 0.75rem; padding-top: 0.5rem;
  border-top: 1px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 2rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.5rem 0 0.5rem; color: var(--muted); }
a { color: var(--accent); }
code { font: 0.9em "DejaVu Sans Mono", monospace; background: var(--panel);
  padding: 0 0.2em; border-radius: 3px; }
math { font-size: 1.05em; }
math[display="block"] { margin: 0.4rem 0 1rem; overflow-x: auto; overflow-y: hidden;
  padding: 0.2rem 0; }
nav ol { columns: 2; column-gap: 3rem; padding-left: 1.5rem; margin: 0; }
nav { background: var(--panel); padding: 1rem 1.25rem; border-radius: 6px; }
nav h2 { border: 0; margin: 0 0 0.5rem; padding: 0; font-size: 1.1rem; }
.statement { background: var(--panel); border-left: 4px solid var(--accent);
  padding: 0.6rem 1rem; }
.step p { margin-bottom: 0; }
.status { color: #1c5e2f; font-size: 0.95rem; border-top: 1px dashed var(--rule);
  padding-top: 0.5rem; }
figure { margin: 1.5rem 0; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 0.92rem; color: var(--muted); }
.references li { margin-bottom: 0.5rem; }
footer { margin-top: 3rem; font-size: 0.85rem; color: var(--muted); }
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  nav ol { columns: 2; column-gap: 3rem; }
  h2, h3, h4 { break-after: avoid; }
  .step, figure, .statement { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 18mm 16mm; }
"""


def mathml(expr: Basic, *, display: bool = False) -> str:
    """``expr`` as a ``<math>`` element, printed by SymPy's presentation printer."""
    return _math(_mathml_body(expr), display=display)


class _PresentationPrinter(MathMLPresentationPrinter):
    """SymPy's presentation printer; a power of a norm sets its exponent over the subscript.

    The stock printer raises the whole ``||W||_F`` as a base, placing the
    exponent after the subscript; LaTeX's ``\\|W\\|_F^2`` stacks them.
    """

    def _print_MatAdd(self, expr):
        return self._print_Add(positive_terms_first(expr), order="none")

    def _print_Identity(self, expr):
        # Like the LaTeX, I_k: the size of an identity matrix is part of the statement.
        identity = self.dom.createElement("msub")
        letter = self.dom.createElement("mi")
        letter.appendChild(self.dom.createTextNode("I"))
        identity.appendChild(letter)
        identity.appendChild(self._print(expr.rows))
        return identity

    def _print_Pow(self, expr):
        if not isinstance(expr.base, (SpectralNorm, FrobeniusNorm)):
            return super()._print_Pow(expr)
        row = self._print(expr.base)
        subscript = row.lastChild
        stacked = self.dom.createElement("msubsup")
        for child in list(subscript.childNodes):
            stacked.appendChild(child)
        stacked.appendChild(self._print(expr.exp))
        row.replaceChild(stacked, subscript)
        return row


@functools.cache
def _mathml_body(expr: Basic) -> str:
    body = _UNTERMINATED_REFERENCE.sub(r"\1;", _PresentationPrinter().doprint(expr))
    # SymPy prints the hyphen-minus; typeset the minus sign U+2212.
    return body.replace("<mo>-</mo>", "<mo>&#x2212;</mo>").replace("<mn>-", "<mn>&#x2212;")


def _math(body: str, *, display: bool) -> str:
    return f'<math display="block">{body}</math>' if display else f"<math>{body}</math>"


def _text(text: str) -> str:
    escaped = html.escape(text, quote=True)
    escaped = _CODE.sub(r"<code>\1</code>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _EMPHASIS.sub(r"<em>\1</em>", escaped)
    return _LINK.sub(r'<a href="\2">\1</a>', escaped)


def inline(text: Prose) -> str:
    """Reading text: strings escaped, SymPy objects as inline MathML."""
    return "".join(_text(part) if isinstance(part, str) else mathml(part) for part in text)


def rule(relation) -> str:
    """A rewrite rule as the reader sees it; a named explicit matrix by its name only."""
    if isinstance(relation.rhs, sympy.MatrixBase) and relation.lhs.is_symbol:
        return f"{mathml(relation.lhs)} as defined above"
    return mathml(relation)


def display_step(step: Step) -> str:
    relation = f"<mo>{_MATHML_RELATION[step.relation]}</mo>"
    body = f"<mrow>{_mathml_body(step.lhs)}{relation}{_mathml_body(step.rhs)}</mrow>"
    return _math(body, display=True)


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


def _claim(claim: Claim, checked: dict[str, int],
           numbers: dict[str, tuple[int, str]]) -> list[str]:
    anchor = claim.id.lower()
    lines = [f'<section id="{anchor}" class="claim">',
             f"<h2>{claim.id}. {_text(claim.title)}</h2>",
             f'<p class="statement"><strong>Claim {claim.id}.</strong> '
             f"{inline(claim.statement)}</p>"]
    if claim.hypotheses:
        lines += ["<h3>Hypotheses</h3>", "<ul>"]
        lines += [f"<li>{inline(hypothesis if isinstance(hypothesis, tuple) else (hypothesis,))}</li>" for hypothesis in claim.hypotheses]
        lines.append("</ul>")
    for section, parts in claim.sections():
        if not parts:
            continue
        lines.append(f"<h3>{claim.id}: {section}</h3>")
        for part in parts:
            lines.append(f"<h4>{inline(part.heading)}</h4>")
            if part.text:
                lines.append(f"<p>{inline(part.text)}</p>")
            for number, step in enumerate(part.steps, start=1):
                uses = ""
                if step.using:
                    uses = "; rewriting with " + ", ".join(map(rule, step.using))
                lines += ['<div class="step">',
                          f"<p><em>Step {number}.</em> {inline(step.because)}{uses}.</p>",
                          display_step(step), "</div>"]
            if part.conclusion:
                lines.append(f"<p>{inline(part.conclusion)}</p>")
    for remark in claim.remarks:
        lines.append(f"<p>{inline(remark)}</p>")
    for figure in FIGURES.get(claim.id, ()):
        number, beside = numbers[figure.file]
        if beside == claim.id:
            lines += _figure(figure, number)
        else:
            lines.append(f'<p><a href="#figure-{number}">Figure {number}</a>, beside '
                         f'<a href="#{beside.lower()}">{beside}</a>, illustrates {claim.id} '
                         "too.</p>")
    status = f"Checked: all {checked[claim.id]} steps of {claim.id} hold."
    if claim.sources:
        status += (" Sources: " + "; ".join(map(html.escape, claim.sources))
                   + ' (see <a href="#references">References</a>).')
    lines += [f'<p class="status">{status}</p>', "</section>"]
    return lines


def _essay(essay: Essay) -> list[str]:
    lines = [f'<section id="{html.escape(essay.anchor, quote=True)}">',
             f"<h2>{_text(essay.title)}</h2>"]
    if essay.anchor == "references":
        lines.append('<ol class="references">')
        lines += [f"<li>{inline(paragraph)}</li>" for paragraph in essay.paragraphs]
        lines.append("</ol>")
    else:
        lines += [f"<p>{inline(paragraph)}</p>" for paragraph in essay.paragraphs]
    return lines + ["</section>"]


def _contents(sections) -> list[str]:
    lines = ['<nav aria-label="Contents">', "<h2>Contents</h2>", "<ol>"]
    for section in sections:
        if isinstance(section, Claim):
            lines.append(f'<li><a href="#{section.id.lower()}">{section.id}. '
                         f"{_text(section.title)}</a></li>")
        else:
            lines.append(f'<li><a href="#{html.escape(section.anchor, quote=True)}">'
                         f"{_text(section.title)}</a></li>")
    return lines + ["</ol>", "</nav>"]


def render_html(sections, checked: dict[str, int]) -> str:
    """The HTML page; ``checked`` maps claim id to the number of steps checked."""
    numbers = figure_numbers(sections)
    total = sum(checked.values())
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_text(TITLE)}</title>",
             f'<meta name="description" content="{html.escape(plain_text((TITLE,)))}">',
             f"<style>{STYLE}</style>", "</head>", "<body>",
             "<!-- Generated by `python -m derivations`; do not edit. -->",
             "<main>", f"<h1>{_text(TITLE)}</h1>"]
    lines += _contents(sections)
    for section in sections:
        if isinstance(section, Claim):
            lines += _claim(section, checked, numbers)
        else:
            lines += _essay(section)
    lines += ["</main>",
              f"<footer>Every formula on this page is printed by SymPy from the object "
              f"that was checked; {total} steps in {len(checked)} claims hold.</footer>",
              "</body>", "</html>"]
    return "\n".join(lines) + "\n"
