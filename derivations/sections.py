"""The kinds of section a document holds besides claims: essays, figures, trusted facts.

Kept apart from :mod:`derivations.document` so that a module that builds a
section (the answer, the setup) never imports the document that contains it.

>>> Essay(anchor="a", title="A", paragraphs=(prose("text"),)).items
()
"""

from __future__ import annotations

from dataclasses import dataclass

from derivations.engine import Prose, prose

__all__ = ["Essay", "Figure", "TrustedFact", "prose"]


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
