"""The kinds of section a document holds besides claims: essays, figures, trusted facts.

Kept apart from :mod:`derivations.document` so that a module that builds a
section (the answer, the setup) never imports the document that contains it.

>>> Essay(anchor="a", title="A", paragraphs=(prose("text"),)).items
()
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Basic

from derivations.engine import Prose, prose


def as_text(value) -> Prose:
    """Reading text from a string, a SymPy object (a statement) or prose.

    A claim's statement or hypothesis may be prose or, once the engine states
    claims as SymPy objects, the object itself: both render the same way.

    >>> from sympy import Symbol
    >>> as_text(Symbol("x")), as_text("words"), as_text(("a ", Symbol("b")))
    ((x,), ('words',), ('a ', b))
    """
    if isinstance(value, (str, Basic)):
        return (value,)
    return tuple(value)


def paragraphs(value) -> tuple[Prose, ...]:
    """Paragraphs from one prose, one string or object, or several paragraphs.

    >>> paragraphs(("one ", "text")), paragraphs(()), len(paragraphs((("a",), ("b",))))
    ((('one ', 'text'),), (), 2)
    """
    if not value:
        return ()
    if isinstance(value, (str, Basic)) or all(isinstance(part, (str, Basic)) for part in value):
        return (as_text(value),)
    return tuple(as_text(paragraph) for paragraph in value)

__all__ = ["Essay", "Figure", "TrustedFact", "as_text", "paragraphs", "prose"]


@dataclass(frozen=True)
class Essay:
    """A section of reading text (no checked steps), with an anchor.

    ``table`` holds rows ``(notation, meaning)`` shown as a two-column table
    after the paragraphs; ``items`` holds ``(anchor, text)`` entries shown as a
    numbered list, each with its own anchor (references, trusted facts).
    """

    anchor: str
    title: str
    paragraphs: tuple[Prose, ...]
    table: tuple[tuple[Prose, Prose], ...] = ()
    items: tuple[tuple[str, Prose], ...] = ()


@dataclass(frozen=True)
class Figure:
    """A figure shown beside a claim: an SVG under ``docs/`` and its caption.

    ``file`` is relative to the rendered documents (``figures/....svg``);
    ``python -m derivations.render.figures`` regenerates every file from fixed seeds.
    """

    file: str
    alt: str
    caption: Prose


@dataclass(frozen=True)
class TrustedFact:
    """A fact the document cites without proof: its name, statement, source and users.

    >>> fact = TrustedFact("SVD", prose("every real matrix has one"), "Golub and Van Loan 2013",
    ...                    ("P3",))
    >>> fact.anchor
    'fact-svd'
    """

    name: str
    statement: Prose
    source: str
    used_in: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return "fact-" + "-".join("".join(c for c in self.name.lower() if c.isalnum() or c == " ")
                                  .split())
