"""Reading text: plain strings interleaved with SymPy objects.

The renderers print the SymPy objects as inline math; formulas are never typed
into the strings.

>>> from sympy import Symbol
>>> prose("for every ", Symbol("x"), " it holds")
('for every ', x, ' it holds')
>>> plain_text(prose("x is ", Symbol("x")))
'x is x'
"""

from __future__ import annotations

from fractions import Fraction

import sympy
from sympy import Basic

__all__ = ["Prose", "as_prose", "plain_text", "prose"]

#: A piece of reading text: strings and SymPy objects.
Prose = tuple[str | Basic, ...]


def prose(*parts: str | Basic) -> Prose:
    """Bundle text and SymPy objects into reading text (a :data:`Prose`)."""
    parts = tuple(sympy.sympify(p) if isinstance(p, (int, Fraction)) else p for p in parts)
    for part in parts:
        if isinstance(part, sympy.logic.boolalg.BooleanAtom):
            raise TypeError(
                f"a formula in prose evaluated to {part}: write the relation with "
                "evaluate=False (Eq(mu, 0, evaluate=False)) so the reader sees it")
        if not isinstance(part, (str, Basic)):
            raise TypeError(
                f"prose parts must be str or SymPy objects, got {type(part).__name__}: {part!r}"
            )
    return tuple(parts)


def as_prose(text: str | Prose) -> Prose:
    """A string or a :data:`Prose` as a :data:`Prose`."""
    return prose(text) if isinstance(text, str) else prose(*text)


def plain_text(text: Prose) -> str:
    """Prose as one line of plain text, formulas in SymPy's string form."""
    return "".join(part if isinstance(part, str) else sympy.sstr(part) for part in text)
