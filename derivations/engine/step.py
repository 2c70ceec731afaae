"""One checked statement ``lhs <relation> rhs``, its justification, and its rewrite rules.

>>> from sympy import Eq, Identity, MatrixSymbol, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W = MatrixSymbol("W", d, k)
>>> orthonormal = Eq(W.T * W, Identity(k))
>>> Step(W * W.T * W, W, "the middle factor is the identity", using=(orthonormal,)).holds()
True
>>> Step(W * W.T * W, W, "no hypothesis, no proof").holds()
False
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Basic, Eq

from derivations.engine.licences import unlicensed_inverses
from derivations.engine.prose import Prose, as_prose, plain_text
from derivations.engine.rewrite import difference, is_nonzero, is_zero, rewrite_forms

__all__ = ["RELATIONS", "Step", "relation_of"]

RELATIONS = ("=", "!=", ">=", ">", "<=", "<")

_ORDER_TESTS = {
    ">=": lambda d: d.is_nonnegative,
    ">": lambda d: d.is_positive,
    "<=": lambda d: d.is_nonpositive,
    "<": lambda d: d.is_negative,
}

_CONSTRUCTORS = {"=": sympy.Eq, "!=": sympy.Ne, ">=": sympy.Ge, ">": sympy.Gt,
                 "<=": sympy.Le, "<": sympy.Lt}


def relation_of(lhs: Basic, symbol: str, rhs: Basic) -> Basic:
    """The unevaluated SymPy relation ``lhs <symbol> rhs`` (``Eq(x, x)`` stays a relation)."""
    return _CONSTRUCTORS[symbol](lhs, rhs, evaluate=False)


@dataclass(frozen=True)
class Step:
    """One checked statement ``lhs <relation> rhs`` and why it holds.

    ``using`` lists the relations ``Eq(a, b)`` that the step may use, each as
    the rewrite ``a -> b`` applied to both sides before they are compared; a
    step with an empty ``using`` must hold by SymPy's algebra alone. Inside a
    proof each rule must be known there (a hypothesis, a definition, a cited
    trusted fact or an earlier result); :class:`~derivations.engine.claim.Claim`
    checks that.

    Relations: ``"="`` (the simplified difference is zero), ``"!="`` (SymPy
    proves the difference nonzero), and the orders ``">=", ">", "<=", "<"``
    (SymPy's assumptions decide the sign of the simplified difference), for
    scalars; ``"="`` and ``"!="`` also for matrices and sets.
    """

    lhs: Basic
    rhs: Basic
    because: str | Prose
    using: tuple[Eq, ...] = ()
    relation: str = "="

    def __post_init__(self):
        object.__setattr__(self, "lhs", sympy.sympify(self.lhs))
        object.__setattr__(self, "rhs", sympy.sympify(self.rhs))
        object.__setattr__(self, "using", tuple(self.using))
        object.__setattr__(self, "because", as_prose(self.because))
        if self.relation not in RELATIONS:
            raise ValueError(f"relation={self.relation!r} is not one of {RELATIONS}")
        if not plain_text(self.because).strip():
            raise ValueError("because='' : every step needs its justification")
        for rule in self.using:
            if not isinstance(rule, Eq):
                raise TypeError(f"using must hold Eq(a, b) rewrite rules, got {rule!r}")

    @property
    def statement(self) -> Basic:
        """The relation this step establishes, as an unevaluated SymPy relation."""
        return relation_of(self.lhs, self.relation, self.rhs)

    def licence_failure(self, facts: tuple[Basic, ...] = ()) -> str | None:
        """Why an inverse written in the step (sides or rules) is not licensed, or ``None``."""
        written = (self.lhs, self.rhs) + tuple(x for r in self.using for x in (r.lhs, r.rhs))
        for expr in written:
            bad = unlicensed_inverses(expr, facts)
            if bad:
                return _unlicensed(bad)
        return None

    def failure(self, facts: tuple[Basic, ...] = ()) -> str | None:
        """``None`` when the step holds, else what SymPy saw instead.

        ``facts`` are the assumption predicates that license inverses.
        """
        written = (self.lhs, self.rhs) + tuple(x for r in self.using for x in (r.lhs, r.rhs))
        for expr in written:
            bad = unlicensed_inverses(expr, facts)
            if bad:
                return _unlicensed(bad)
        forms = rewrite_forms(self.lhs, self.using), rewrite_forms(self.rhs, self.using)
        lhs, rhs = forms[0][-1], forms[1][-1]
        for expr in dict.fromkeys(forms[0][1:] + forms[1][1:]):
            bad = unlicensed_inverses(expr, facts)
            if bad:
                return _unlicensed(bad) + (
                    "" if expr in (lhs, rhs) else f" (it appears while rewriting, in "
                    f"{sympy.sstr(expr)})")
        if isinstance(lhs, sympy.Set) or isinstance(rhs, sympy.Set):
            if self.relation not in ("=", "!="):
                return f"sets are compared with = or != only, not {self.relation}"
            if self.relation == "=":
                if sympy.simplify(lhs) == sympy.simplify(rhs):
                    return None
                return f"after rewriting: {sympy.sstr(lhs)} versus {sympy.sstr(rhs)}"
            if _witness(lhs, rhs) is not None:
                return None
            return (f"no witness element shows {sympy.sstr(lhs)} != {sympy.sstr(rhs)}: sets that "
                    "are written differently may still be equal")
        diff = difference(lhs, rhs)
        if self.relation == "=":
            ok = is_zero(diff)
        elif self.relation == "!=":
            ok = is_nonzero(diff)
        else:
            ok = _ORDER_TESTS[self.relation](diff) is True or _asked(self.relation, diff, facts)
        if ok:
            return None
        return (
            f"after rewriting: left {sympy.sstr(lhs)}, right {sympy.sstr(rhs)}; "
            f"left - right = {sympy.sstr(diff)}"
        )

    def holds(self, facts: tuple[Basic, ...] = ()) -> bool:
        return self.failure(facts) is None


_ORDER_PREDICATES = {">=": sympy.Q.nonnegative, ">": sympy.Q.positive,
                     "<=": sympy.Q.nonpositive, "<": sympy.Q.negative}


def _asked(relation: str, diff: Basic, facts: tuple[Basic, ...]) -> bool:
    """The sign of ``diff`` from the known predicates and inequalities (a case's condition)."""
    usable = [f for f in facts if isinstance(f, (sympy.Rel, sympy.logic.boolalg.Boolean))
              and not isinstance(f, (sympy.Eq, sympy.Ne))]
    if not usable:
        return False
    return sympy.ask(_ORDER_PREDICATES[relation](diff), sympy.And(*usable)) is True


def _witness(lhs: Basic, rhs: Basic) -> Basic | None:
    """An element listed in one set that SymPy proves is not in the other, or ``None``.

    Two sets differ exactly when some element lies in one and not in the other; their
    printed forms differing proves nothing (``N_0 minus {0}`` is ``N``, and ``{x}`` is
    ``{y}`` at ``x = y``).
    """
    for one, other in ((lhs, rhs), (rhs, lhs)):
        if isinstance(one, sympy.FiniteSet):
            for element in one.args:
                if other.contains(element) is sympy.false:
                    return element
    return None


def _unlicensed(inverses) -> str:
    names = ", ".join(sympy.sstr(x) for x in inverses)
    return (f"unjustified inverse: {names} is used, but no hypothesis makes it exist "
            "(state Q.invertible(...) or Q.positive_definite(...), or a nonzero scalar)")
