"""Displays that fit: width estimates, line breaks, and what becomes a display.

One layout serves both renderers and every width: a display line is kept
within a phone's column (:data:`DISPLAY_WIDTH_EM`), a formula too large for
running text becomes a display (:func:`needs_display`), a long one is broken
into aligned lines at the terms of its sums (:func:`display_lines`), an
explicit matrix too wide for any column is listed entry by entry, and what
still does not fit carries the font scale at which it does (:class:`Layout`).

>>> from sympy import symbols
>>> x, y = symbols("x y")
>>> len(layout(x, "=", y).lines)
1
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import sympy
from sympy import Basic, MatAdd

from derivations.render.printer import HumanLatexPrinter, HumanMathMLPrinter, subtracted

__all__ = [
    "DESKTOP_WIDTH_EM",
    "DISPLAY_WIDTH_EM",
    "ENTRY_LISTING_SCALE",
    "INLINE_WIDTH_EM",
    "Layout",
    "Line",
    "PUNCTUATION",
    "Words",
    "display_lines",
    "layout",
    "needs_display",
    "width_em",
]

#: Widths in em of the math font. A phone's column is 358 px of 16 px type (22 em, 19 em in
#: a statement's panel, and the estimate runs up to 10 % short), a
#: desktop column 736 px of 17.9 px type (41 em). A display line wider than
#: DISPLAY_WIDTH_EM is broken; an inline formula wider than INLINE_WIDTH_EM becomes a
#: display; what still does not fit is scaled down to fit (:class:`Layout`).
DISPLAY_WIDTH_EM = 17.0
INLINE_WIDTH_EM = 14.0
DESKTOP_WIDTH_EM = 39.0

#: Punctuation that, right after a display, moves into it.
PUNCTUATION = ".,;:"

# Rough advance widths, in em, of a math font: enough to decide where to break a line.
_GLYPH_EM = {"mi": 0.55, "mn": 0.5, "mtext": 0.5}
_SCRIPT = 0.7
# Measured in Chromium with DejaVu Math TeX Gyre over every step of every claim: the
# glyph sums above fall short of the laid-out width by a factor 1.26 (median) to 1.43;
# the gradient and property notation of F4 needs up to 1.5, the largest factor seen.
_CALIBRATION = 1.5


def _node_width(node) -> float:
    if node.nodeType == node.TEXT_NODE:
        return 0.0
    tag = node.tagName
    children = [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]
    text = "".join(c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE)
    if tag in _GLYPH_EM:
        return _GLYPH_EM[tag] * len(re.sub(r"&[^;]+;", "x", text))
    if tag == "mo":
        if text in ("&InvisibleTimes;", "&#x2061;"):
            return 0.17
        return 0.45 if text in "()[]{}|,:" or text == "&#8214;" else 1.0
    if tag == "mfrac":
        return max(map(_node_width, children)) + 0.3
    if tag in ("msub", "msup"):
        return _node_width(children[0]) + _SCRIPT * _node_width(children[1])
    if tag == "msubsup":
        return _node_width(children[0]) + _SCRIPT * max(map(_node_width, children[1:]))
    if tag in ("munder", "munderover", "mover"):
        return max([_node_width(children[0])] + [_SCRIPT * _node_width(c) for c in children[1:]])
    if tag in ("msqrt", "mroot"):
        return 1.0 + sum(map(_node_width, children))
    if tag == "mtable":
        rows = [[c for c in row.childNodes if c.nodeType == c.ELEMENT_NODE] for row in children]
        columns = max((len(row) for row in rows), default=0)
        widths = [max((_node_width(row[j]) for row in rows if j < len(row)), default=0.0)
                  for j in range(columns)]
        return sum(widths) + 0.8 * max(columns - 1, 0)
    if tag == "mspace":
        return float(node.getAttribute("width").rstrip("em") or 0)
    return sum(map(_node_width, children))


@functools.cache
def width_em(expr: Basic) -> float:
    """An estimate of the printed width of ``expr`` in em (its MathML's glyphs and scripts).

    >>> from sympy import Symbol
    >>> 1.5 < width_em(Symbol("a") + Symbol("b")) < 3.5
    True
    """
    printer = HumanMathMLPrinter()
    return _CALIBRATION * _node_width(printer._print(expr))


def _explicit_rows(expr: Basic) -> int:
    """The most rows of any explicit matrix (or matrix of blocks) inside ``expr``."""
    return max((node.rows if isinstance(node, sympy.MatrixBase) else node.blocks.rows
                for node in sympy.preorder_traversal(expr)
                if isinstance(node, (sympy.MatrixBase, sympy.BlockMatrix))), default=0)


def needs_display(expr: Basic) -> bool:
    """Whether a formula met in running text is better shown as a display.

    An explicit matrix (or matrix of blocks) of two or more rows, or anything wider than
    :data:`INLINE_WIDTH_EM`, would push the text apart or out of a phone's column.

    >>> from sympy import Symbol
    >>> needs_display(Symbol("x")), needs_display(sympy.ImmutableMatrix([[1], [2]]))
    (False, True)
    """
    return _explicit_rows(expr) >= 2 or width_em(expr) > INLINE_WIDTH_EM


@dataclass(frozen=True)
class Words:
    """Upright words leading a piece of a display line (a matrix entry's position)."""

    text: str


@dataclass(frozen=True)
class Line:
    """One line of a display: pieces ``(lead, formula)``.

    A lead is a relation, a sign, ``""`` or :class:`Words`; a formula may be
    None when the lead says it all.

    ``indent`` is the depth: 0 for the first line, one more for the line that
    starts with the relation, and one more again for the continuation of a sum.
    """

    indent: int
    pieces: tuple[tuple[str, Basic], ...]


def _is_statement(expr: Basic) -> bool:
    """A relation or a logical formula (a Symbol is a SymPy Boolean too, but not this)."""
    from sympy.assumptions.assume import AppliedPredicate
    return isinstance(expr, (sympy.core.relational.Relational,
                             sympy.logic.boolalg.BooleanFunction, AppliedPredicate))


def _terms(expr: Basic) -> list[Basic]:
    if isinstance(expr, sympy.And):
        return list(expr.args)
    if isinstance(expr, (sympy.Add, MatAdd)):
        printer = HumanLatexPrinter()
        return printer._as_ordered_terms(expr, order="none" if isinstance(expr, MatAdd) else None)
    return [expr]


def _sum(terms: list[Basic]) -> Basic:
    if len(terms) == 1:
        return terms[0]
    if all(_is_statement(term) for term in terms):
        return sympy.And(*terms, evaluate=False)
    if any(getattr(term, "is_Matrix", False) for term in terms):
        return MatAdd(*terms, evaluate=False)
    return sympy.Add(*terms, evaluate=False)


def _signed(terms: list[Basic]) -> tuple[str, Basic]:
    """A continuation line's lead, the sign of its first term, and the terms without it."""
    first = terms[0]
    if _is_statement(first):
        return "&", _sum(terms)
    if subtracted(first):
        return "-", _sum([-first, *terms[1:]])
    return "+", _sum(terms)


def _pack(expr: Basic, lead: str, indent: int, budget: float) -> list[Line]:
    """``expr`` after ``lead``, its top-level terms packed greedily into lines of ``budget``.

    Continuation lines are indented one level deeper and lead with their sign.
    """
    terms = _terms(expr)
    room = budget - 1.5 * (indent + 1) - 1
    if len(terms) == 1 or width_em(expr) <= room:
        return [Line(indent, ((lead, expr),))]
    groups: list[list[Basic]] = [[]]
    for term in terms:
        if groups[-1] and width_em(_sum(groups[-1] + [term])) > room:
            groups.append([])
        groups[-1].append(term)
    lines = [Line(indent, ((lead, _sum(groups[0])),))]
    return lines + [Line(indent + 1, (_signed(group),)) for group in groups[1:]]


def display_lines(lhs: Basic, relation: str, rhs: Basic, *,
                  budget: float = DISPLAY_WIDTH_EM) -> list[Line]:
    """``lhs <relation> rhs`` as the lines of a display no wider than ``budget`` em.

    One line when it fits; else ``lhs`` on the first line, the relation and
    ``rhs`` below it, and a long sum continued term by term on further lines.
    The Markdown (``aligned``) and the HTML (``mtable``) renderers typeset the
    same lines.

    >>> from sympy import symbols
    >>> x, y = symbols("x y")
    >>> [[lead for lead, _ in line.pieces] for line in display_lines(x, "=", y)]
    [['', '=']]
    >>> long = sum(symbols("a_1:9"))
    >>> [line.pieces[0][0] for line in display_lines(x, "=", long, budget=8)][:3]
    ['', '=', '+']
    """
    if width_em(lhs) + 1.5 + width_em(rhs) <= budget:
        return [Line(0, (("", lhs), (relation, rhs)))]
    left = _pack(lhs, "", 0, budget)
    # Below a broken left side the relation starts a line of its own, flush left.
    return [*left, *_pack(rhs, relation, 0 if len(left) > 1 else 1, budget)]


def _lead_width(lead) -> float:
    if isinstance(lead, Words):
        return 0.5 * len(lead.text) + 0.5
    return 1.2 if lead else 0.0


def _line_width(line: Line) -> float:
    return 1.5 * line.indent + sum(_lead_width(lead) + (0.0 if expr is None else width_em(expr))
                                   for lead, expr in line.pieces)


#: A matrix that would need scaling below this to fit a phone is listed entry by entry.
ENTRY_LISTING_SCALE = 0.55


def _entries(matrix: sympy.MatrixBase, relation: str, indent: int) -> list[Line]:
    """An explicit matrix too wide for any column, as its nonzero entries one per line."""
    rows, columns = matrix.shape
    zeros = sum(1 for entry in matrix if entry == 0)
    words = f"the {rows} by {columns} matrix with entries" if not zeros else (
        f"the {rows} by {columns} matrix with {zeros} zero "
        f"{'entry' if zeros == 1 else 'entries'} and")
    lines = [Line(indent, ((relation, None), (Words(words), None)))]
    for i in range(rows):
        for j in range(columns):
            if matrix[i, j] != 0:
                lines += _pack(matrix[i, j], Words(f"({i + 1}, {j + 1}):"), indent + 1,
                               DISPLAY_WIDTH_EM)
    return lines


@dataclass(frozen=True)
class Layout:
    """A display's lines and the font scale (at most 1) at which its widest line fits.

    ``phone`` is the scale in a phone's column, ``desktop`` in a desktop's: a
    formula that no line break can narrow (a wide explicit matrix) is scaled
    rather than left to overflow.
    """

    lines: tuple[Line, ...]
    phone: float
    desktop: float


def layout(expr: Basic, relation: str | None = None, rhs: Basic | None = None) -> Layout:
    """The display of ``expr`` (or of ``expr <relation> rhs``): lines and scales.

    An explicit matrix so wide that it would have to shrink below
    :data:`ENTRY_LISTING_SCALE` to fit a phone is listed entry by entry instead.

    >>> from sympy import Symbol
    >>> layout(Symbol("x")).phone
    1.0
    """
    if relation is None and isinstance(expr, sympy.Equality):
        expr, relation, rhs = expr.lhs, "=", expr.rhs
    elif relation is None and isinstance(expr, (sympy.Implies, sympy.Equivalent)) \
            and len(expr.args) == 2:
        # An implication breaks at its arrow, as an equation at its sign.
        relation = "=>" if isinstance(expr, sympy.Implies) else "<=>"
        expr, rhs = expr.args
    lines = (display_lines(expr, relation, rhs) if relation is not None
             else _pack(expr, "", 0, DISPLAY_WIDTH_EM))
    widest = max(map(_line_width, lines))
    if (DISPLAY_WIDTH_EM / widest < ENTRY_LISTING_SCALE and relation == "="
            and isinstance(rhs, sympy.MatrixBase)):
        left = _pack(expr, "", 0, DISPLAY_WIDTH_EM)
        lines = [*left, *_entries(rhs, relation, 0 if len(left) > 1 else 1)]
        widest = max(map(_line_width, lines))
    return Layout(tuple(lines), round(min(1.0, DISPLAY_WIDTH_EM / widest), 2),
                  round(min(1.0, DESKTOP_WIDTH_EM / widest), 2))


@dataclass(frozen=True)
class Piece:
    """One piece of reading text: ``kind`` is "text", "inline" or "display".

    ``trailing`` is the punctuation a display takes over from the text after
    it, as in print; ``joined`` marks an inline formula written right after
    another (a product in two parts), which the renderers set as one formula.
    """

    kind: str
    content: object
    trailing: str = ""
    joined: bool = False


def reading_pieces(text) -> list[Piece]:
    """Prose as text, inline formulas and displays: the one rule both renderers follow.

    >>> from sympy import Symbol
    >>> [p.kind for p in reading_pieces(("x is ", Symbol("x"), "."))]
    ['text', 'inline', 'text']
    >>> wide = sympy.ImmutableMatrix([[1], [2]])
    >>> [(p.kind, p.trailing) for p in reading_pieces(("M is ", wide, ". Then"))]
    [('text', ''), ('display', '.'), ('text', '')]
    >>> reading_pieces(("M is ", wide, ". Then"))[-1].content
    'Then'
    """
    parts, pieces = list(text), []
    for position, part in enumerate(parts):
        if isinstance(part, str):
            if part:
                pieces.append(Piece("text", part))
        elif needs_display(part):
            trailing = ""
            if position + 1 < len(parts) and isinstance(parts[position + 1], str):
                following = parts[position + 1]
                if following[:1] in tuple(PUNCTUATION):
                    trailing, following = following[0], following[1:]
                parts[position + 1] = following.lstrip()
            pieces.append(Piece("display", part, trailing))
        else:
            joined = bool(pieces) and pieces[-1].kind == "inline" and position > 0 \
                and not isinstance(parts[position - 1], str)
            pieces.append(Piece("inline", part, joined=joined))
    return pieces
