"""Where a report sends its reader: the claim and its section title in the derivations.

The derivations are not installed with the package as a document (they are
rendered by ``python -m derivations``, which writes ``docs/derivations.md`` and
``docs/derivations.html``), so a report names the claim and its section rather
than a path. The titles are those of the rendered sections (a test compares
them with ``docs/derivations.md``); a claim without one here is named alone.

>>> print(where_to_read("F4"))
section "F4. Weight decay" of the derivations, which python -m derivations writes to docs/
"""

from __future__ import annotations

__all__ = ["SECTION_TITLES", "where_to_read"]

#: Section titles of the claims a verdict can name, as the derivations render them.
SECTION_TITLES = {
    "P1": "The transpose is the pseudo-inverse",
    "P2": "The pseudo-inverse is unique",
    "P3": "The transpose is the pseudo-inverse exactly for partial isometries",
    "P4": 'Why "inverse" becomes "pseudo-inverse"',
    "P5": "How far the transpose is from the pseudo-inverse",
    "A1": "The best encoder for a fixed decoder is its pseudo-inverse",
    "A2": "The untied optimum (Baldi and Hornik)",
    "A3": "The gradient of the tied loss",
    "A4": "Every tied critical point is a partial isometry",
    "A5": "The tied optimum",
    "F1": "Rank-deficient data: critical points that are not partial isometries",
    "F2": "Rank-deficient weights: a repeated unit column",
    "F3": "Away from critical points",
    "F4": "Weight decay",
    "F5": "Rank-deficient untied critical points",
    "F6": "Product regularisation",
    "F7": "Conditioning: why the transpose is used in practice",
}


def where_to_read(claim: str) -> str:
    """One phrase naming ``claim`` (e.g. "F4", or "F3/F4" for several), its sections, and
    how to get the text.

    >>> print(where_to_read("F3/F4"))  # doctest: +NORMALIZE_WHITESPACE
    sections "F3. Away from critical points" and "F4. Weight decay" of the derivations,
    which python -m derivations writes to docs/
    """
    parts = [part.strip() for part in claim.split("/") if part.strip()]
    named = [_section(part) for part in parts]
    noun = "section" if len(named) == 1 else "sections"
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"{noun} {listed} of the derivations, which python -m derivations writes to docs/"


def _section(claim: str) -> str:
    title = SECTION_TITLES.get(claim)
    if title is None:
        return claim
    quote = "'" if '"' in title else '"'
    return f"{quote}{claim}. {title}{quote}"
