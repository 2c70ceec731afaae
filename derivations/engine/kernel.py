"""Theorems: what a checked claim establishes, in a form other claims can use.

A :class:`Theorem` is ``hypotheses |- conclusions``: for every value of its free
symbols (sizes, matrices, scalars) that satisfies the symbols' declared assumptions,
the hypotheses imply the conclusions. Only this module makes theorems, and only from
a claim whose ``check()`` has passed (``claim.theorem()``); a theorem made any other
way is refused where it is used. :class:`~derivations.engine.proof.Use` instantiates a
theorem by a substitution of its symbols (:func:`instantiate`).

A claim may use only a claim placed before it in the table of sections
(``derivations.claims.SECTIONS``): the document reads front to back, and a
proof never leans on what comes after it. A claim outside the table (a test's
claim) comes after every claim of the table.

>>> from sympy import Eq, Identity, MatrixSymbol, symbols
>>> from derivations.claims import claim_by_id
>>> P2 = claim_by_id("P2").theorem()
>>> P2
<Theorem P2: 8 hypotheses |- G = H>
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass

import sympy
from sympy import Basic, MatAdd, MatMul

__all__ = ["Theorem", "instantiate", "position", "statement_symbols", "substitution_problem",
           "theorem_of"]

# Only the kernel holds this token; Theorem refuses to be made without it.
_KERNEL = object()
# The theorems the kernel has issued (by id), so a copy made by hand is recognised.
_ISSUED: dict[int, Theorem] = {}


@dataclass(frozen=True, eq=False)
class Theorem:
    """``hypotheses |- conclusions``, established by the checked claim ``claim_id``.

    Made only by :func:`theorem_of` (``Claim.theorem()``); ``title`` is the claim's.
    """

    claim_id: str
    title: str
    hypotheses: tuple[Basic, ...]
    conclusions: tuple[Basic, ...]
    _token: object = None

    def __post_init__(self):
        if self._token is not _KERNEL:
            raise TypeError("a Theorem is made only by the kernel, from a checked claim: "
                            "call claim.theorem()")

    def __repr__(self) -> str:
        shown = ", ".join(f"{sympy.sstr(c.lhs)} = {sympy.sstr(c.rhs)}"
                          if isinstance(c, sympy.Eq) else sympy.sstr(c)
                          for c in self.conclusions)
        return f"<Theorem {self.claim_id}: {len(self.hypotheses)} hypotheses |- {shown}>"

    @property
    def symbols(self) -> frozenset:
        """The free symbols the theorem holds for every value of."""
        return statement_symbols(self)

    @property
    def genuine(self) -> bool:
        """True when the kernel issued this very object."""
        return _ISSUED.get(id(self)) is self


@functools.cache
def theorem_of(claim) -> Theorem:
    """The theorem of ``claim``, after ``claim.check()`` has passed (it raises otherwise)."""
    claim.check()
    theorem = Theorem(claim.id, claim.title, tuple(claim.hypotheses), tuple(claim.conclusions),
                      _KERNEL)
    _ISSUED[id(theorem)] = theorem
    return theorem


def statement_symbols(statement) -> frozenset:
    """The free symbols of a claim's or theorem's hypotheses and conclusions, the sizes of
    its matrix symbols included (SymPy leaves ``d`` and ``k`` out of ``W.free_symbols``)."""
    found = set()
    for relation in tuple(statement.hypotheses) + tuple(statement.conclusions):
        for symbol in relation.free_symbols:
            found.add(symbol)
            if isinstance(symbol, sympy.MatrixSymbol):
                for size in symbol.shape:
                    found |= sympy.sympify(size).free_symbols
    return frozenset(found)


def position(claim_id: str) -> int | None:
    """The place of ``claim_id`` in the table of sections, or ``None`` outside it."""
    from derivations.claims import SECTIONS  # the table only: no claim module is loaded

    ids = [module.split("_", 1)[0].upper() for _, _, modules in SECTIONS for module in modules]
    return ids.index(claim_id) if claim_id in ids else None


def _rebuilt(expr):
    """``expr`` with its products and sums rebuilt as ``*`` and ``+`` build them.

    A substitution puts a product ``C E`` where a symbol ``W`` stood, leaving
    ``(C E) G (C E)``; writing the same relation directly gives the flat ``C E G C E``.
    Rebuilding is what ``*`` does, so the instance reads, and compares, as written.
    """
    if not isinstance(expr, Basic) or not expr.args:
        return expr
    args = [_rebuilt(a) for a in expr.args]
    if isinstance(expr, MatMul):
        return functools.reduce(operator.mul, args)
    if isinstance(expr, MatAdd):
        return functools.reduce(operator.add, args)
    if isinstance(expr, sympy.core.relational.Relational):
        return type(expr)(*args, evaluate=False)
    if isinstance(expr, sympy.logic.boolalg.BooleanFunction):
        return expr.func(*args, evaluate=False)
    return expr.func(*args) if args != list(expr.args) else expr


def _shape(value):
    return tuple(value.shape) if getattr(value, "is_Matrix", False) else None


def substitution_problem(symbols: frozenset, substitution: dict, facts=()) -> str | None:
    """Why ``substitution`` is not an instance of a theorem in ``symbols``, or ``None``.

    Every key is a free symbol of the theorem: a ``Symbol`` goes to a scalar, a
    ``MatrixSymbol`` to a matrix of its shape with the sizes substituted, and every
    assumption a symbol is declared with (``positive``, ``integer``, ...) must hold of
    its value by SymPy's assumptions (``facts`` adds known relations ``value > 0``).
    """
    for key, value in substitution.items():
        if key not in symbols:
            return (f"{sympy.sstr(key)} is not a symbol of the theorem "
                    f"(its symbols: {', '.join(sorted(map(sympy.sstr, symbols)))})")
        value = sympy.sympify(value)
        if isinstance(key, sympy.MatrixSymbol):
            wanted = tuple(sympy.sympify(s).xreplace(substitution) for s in key.shape)
            shape = _shape(value)
            if shape is None:
                return f"{sympy.sstr(key)} is a matrix and {sympy.sstr(value)} is not"
            if not all(sympy.expand(a - b) == 0 for a, b in zip(wanted, shape)):
                return (f"{sympy.sstr(key)} := {sympy.sstr(value)}: the value is "
                        f"{sympy.sstr(shape[0])} x {sympy.sstr(shape[1])}, the theorem needs "
                        f"{sympy.sstr(wanted[0])} x {sympy.sstr(wanted[1])}")
        elif isinstance(key, sympy.Symbol):
            if _shape(value) is not None or not isinstance(value, sympy.Expr):
                return f"{sympy.sstr(key)} is a scalar and {sympy.sstr(value)} is not"
            given = dict(getattr(key, "_assumptions_orig", key.assumptions0))
            given.pop("commutative", None)
            for name, truth in sorted(given.items()):
                if getattr(value, f"is_{name}", None) == truth:
                    continue
                if truth and _known(name, value, facts):
                    continue
                return (f"{sympy.sstr(key)} is declared {name}={truth} in the theorem, and "
                        f"its value {sympy.sstr(value)} is not known to be {name}")
        else:
            return (f"{sympy.sstr(key)} ({type(key).__name__}) cannot be substituted: only "
                    "Symbols and MatrixSymbols")
    return None


def _known(name: str, value, facts) -> bool:
    """``value`` is positive / nonnegative / nonzero by a known relation."""
    from derivations.engine.proof import same_relation

    wanted = {"positive": sympy.Gt(value, 0, evaluate=False),
              "nonnegative": sympy.Ge(value, 0, evaluate=False),
              "nonzero": sympy.Ne(value, 0, evaluate=False)}.get(name)
    return wanted is not None and any(same_relation(wanted, f) for f in facts)


def instantiate(theorem, substitution: dict) -> tuple[tuple, tuple]:
    """The hypotheses and conclusions of ``theorem`` (a Theorem or a Claim) with
    ``substitution`` applied at once (``d -> k, k -> d`` swaps the sizes)."""
    rule = {key: sympy.sympify(value) for key, value in substitution.items()}
    return (tuple(_rebuilt(h.xreplace(rule)) for h in theorem.hypotheses),
            tuple(_rebuilt(c.xreplace(rule)) for c in theorem.conclusions))
