"""The previous engine, kept only until every claim is written in the new one (then deleted).

A :class:`Step` is a SymPy statement ``lhs <relation> rhs`` with a one-line
justification and the relations (hypotheses, earlier results) it is allowed to
use as left-to-right rewrite rules. :meth:`Claim.check` checks every step with
SymPy and raises :class:`DerivationError`, naming the claim and the step and
printing both sides, at the first step that does not hold.

>>> from sympy import Eq, Identity, MatrixSymbol, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W = MatrixSymbol("W", d, k)
>>> orthonormal = Eq(W.T * W, Identity(k))
>>> step = Step(W * W.T * W, W, "the middle factor is the identity", using=(orthonormal,))
>>> step.holds()
True
>>> Step(W * W.T * W, W, "no hypothesis, no proof").holds()
False
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction

import sympy
from sympy import Basic, Eq
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = [
    "Claim",
    "DerivationError",
    "Part",
    "Prose",
    "Step",
    "as_prose",
    "plain_text",
    "prose",
]

#: A piece of reading text: plain strings interleaved with SymPy objects, which
#: the renderers print as inline math. Formulas are never typed into the strings.
Prose = tuple[str | Basic, ...]

RELATIONS = ("=", "!=", ">=", ">", "<=", "<")

# A rewrite loop that has not settled after this many rounds is cycling.
_MAX_REWRITE_ROUNDS = 25


def prose(*parts: str | Basic) -> Prose:
    """Bundle text and SymPy objects into reading text (a :data:`Prose`).

    >>> from sympy import Symbol
    >>> prose("for every ", Symbol("x"), " it holds")
    ('for every ', x, ' it holds')
    """
    parts = tuple(sympy.sympify(p) if isinstance(p, (int, Fraction)) else p for p in parts)
    for part in parts:
        if not isinstance(part, (str, Basic)):
            raise TypeError(
                f"prose parts must be str or SymPy objects, got {type(part).__name__}: {part!r}"
            )
    return tuple(parts)


def as_prose(text: str | Prose) -> Prose:
    """A string or a :data:`Prose` as a :data:`Prose`."""
    return prose(text) if isinstance(text, str) else prose(*text)


def plain_text(text: Prose) -> str:
    """Prose as one line of plain text, formulas in SymPy's string form.

    >>> from sympy import Symbol
    >>> plain_text(prose("x is ", Symbol("x")))
    'x is x'
    """
    return "".join(part if isinstance(part, str) else sympy.sstr(part) for part in text)


from derivations.engine.claim import DerivationError as _DerivationError  # noqa: E402


class DerivationError(_DerivationError):
    """A step of a derivation does not check.

    The message names the claim id, the step and its justification, and shows
    both sides as SymPy normalised them, so the failure can be read without a
    debugger.
    """

    def __init__(self, claim_id: str, where: str, step: Step, detail: str):
        self.claim_id = claim_id
        self.where = where
        self.step = step
        AssertionError.__init__(
            self,
            f"claim {claim_id}, {where} does not check: {plain_text(step.because)}\n"
            f"  statement: {sympy.sstr(step.lhs)} {step.relation} {sympy.sstr(step.rhs)}\n"
            f"  {detail}"
        )


def _multiply_out(expr: Basic) -> Basic:
    """Distribute products over sums in matrix expressions (also inside traces).

    SymPy does not multiply out ``W^T (A + B)`` when it simplifies a difference
    of matrix expressions, and leaves ``I + [explicit matrix]`` unevaluated at
    concrete sizes; both would make true steps fail to compare equal. Explicit
    matrices and plain scalars are left to the final ``simplify``: expanding
    their rational-function entries first only makes that slower.
    """
    if isinstance(expr, (sympy.MatrixBase, sympy.Set)) or not expr.has(MatrixExpr):
        return expr
    if expr.has(sympy.MatrixBase):
        expr = expr.replace(
            lambda e: isinstance(e, sympy.Identity) and sympy.sympify(e.shape[0]).is_Integer,
            lambda e: sympy.ImmutableMatrix(e.as_explicit()),
        ).doit()
        if isinstance(expr, sympy.MatrixBase):
            return expr
    return expr.expand()


def _rewrite(expr: Basic, rules: tuple[Eq, ...]) -> Basic:
    """Apply every rule ``lhs -> rhs`` until nothing changes; ``doit`` in between.

    ``doit`` expands transposes of products, ``(A B)^T -> B^T A^T``, so a rule
    such as ``W^T W -> I`` also fires inside ``(W^T W W^T)^T`` and inside longer
    products (SymPy's ``subs`` matches contiguous factors of a ``MatMul``).
    Each round first tries the rules on the expression as written, then
    multiplies it out, so a rule may fire either on a factored form or only
    after multiplying out (``K S`` inside ``D^T (...) S``).
    """
    current = expr.doit()
    for _ in range(_MAX_REWRITE_ROUNDS):
        updated = current
        for rule in rules:
            substituted = updated.subs(rule.lhs, rule.rhs)
            if substituted != updated:  # doit() is costly; only after a rule fired
                updated = substituted.doit()
        multiplied = _multiply_out(updated)
        if multiplied != updated:
            updated = multiplied.doit()
        if updated == current:
            return current
        current = updated
    raise RuntimeError(f"rewriting did not settle after {_MAX_REWRITE_ROUNDS} rounds: {current}")


def _is_explicit_matrix(expr: Basic) -> bool:
    return isinstance(expr, sympy.MatrixBase)


def _simplified_difference(lhs: Basic, rhs: Basic) -> Basic:
    """``lhs - rhs``, simplified entrywise for explicit matrices."""
    if isinstance(lhs, MatrixExpr) or isinstance(rhs, MatrixExpr):
        difference = (lhs - rhs).doit()
        if isinstance(difference, MatrixExpr) and not _is_explicit_matrix(difference):
            if all(sympy.sympify(dim).is_Integer for dim in difference.shape):
                difference = difference.as_explicit()
            else:
                return sympy.simplify(difference)
    else:
        difference = lhs - rhs
    if _is_explicit_matrix(difference):
        return sympy.ImmutableMatrix(difference.applyfunc(sympy.simplify))
    return sympy.simplify(difference)


def _is_zero(difference: Basic) -> bool:
    if isinstance(difference, sympy.ZeroMatrix):
        return True
    if _is_explicit_matrix(difference):
        return all(entry == 0 for entry in difference)
    return difference == 0


def _is_nonzero(difference: Basic) -> bool:
    """True only when SymPy proves the difference is not zero."""
    if _is_explicit_matrix(difference):
        return any(sympy.simplify(entry).is_zero is False for entry in difference)
    if isinstance(difference, MatrixExpr):
        return False
    return sympy.simplify(difference).is_zero is False


_ORDER_TESTS = {
    ">=": lambda d: d.is_nonnegative,
    ">": lambda d: d.is_positive,
    "<=": lambda d: d.is_nonpositive,
    "<": lambda d: d.is_negative,
}


@dataclass(frozen=True)
class Step:
    """One checked statement ``lhs <relation> rhs`` and why it holds.

    ``using`` lists the relations ``Eq(a, b)`` that the step may use, each as
    the rewrite ``a -> b`` applied to both sides before they are compared; a
    step with an empty ``using`` must hold by SymPy's algebra alone.

    Relations: ``"="`` (the simplified difference is zero, for scalars,
    explicit matrices, matrix expressions and sets alike), ``"!="`` (SymPy
    proves the difference nonzero: a counterexample), and the orders
    ``">=", ">", "<=", "<"`` (SymPy's assumptions decide the sign of the
    simplified difference).
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

    def failure(self) -> str | None:
        """``None`` when the step holds, else what SymPy saw instead."""
        lhs = _rewrite(self.lhs, self.using)
        rhs = _rewrite(self.rhs, self.using)
        if isinstance(lhs, sympy.Set) or isinstance(rhs, sympy.Set):
            same = sympy.simplify(lhs) == sympy.simplify(rhs)
            if same == (self.relation == "="):
                return None
            return f"after rewriting: {sympy.sstr(lhs)} versus {sympy.sstr(rhs)}"
        difference = _simplified_difference(lhs, rhs)
        if self.relation == "=":
            ok = _is_zero(difference)
        elif self.relation == "!=":
            ok = _is_nonzero(difference)
        else:
            ok = _ORDER_TESTS[self.relation](difference) is True
        if ok:
            return None
        return (
            f"after rewriting: left {sympy.sstr(lhs)}, right {sympy.sstr(rhs)}; "
            f"left - right = {sympy.sstr(difference)}"
        )

    def holds(self) -> bool:
        return self.failure() is None


@dataclass(frozen=True)
class Part:
    """A titled group of steps, with optional reading text before and after."""

    heading: str | Prose
    steps: tuple[Step, ...] = ()
    text: Prose = ()
    conclusion: Prose = ()

    def __post_init__(self):
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "heading", as_prose(self.heading))


from derivations.engine.claim import Claim as _Claim  # noqa: E402


@dataclass(frozen=True)
class Claim(_Claim):
    """A claim with an id (``P1``, ``A4``, ``F2``, ...) that checks itself.

    ``proof`` holds the general (dimension-generic where possible) argument,
    ``instances`` exact concrete instances, ``failures`` the counterexamples
    that show where the claim stops holding. All three are checked alike.
    """

    id: str
    title: str
    statement: Prose
    hypotheses: tuple[Prose, ...] = ()
    conclusions: tuple = ()
    proof: tuple[Part, ...] = ()
    instances: tuple[Part, ...] = ()
    failures: tuple[Part, ...] = ()
    remarks: tuple[Prose, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def __post_init__(self):
        for name in ("hypotheses", "proof", "instances", "failures", "remarks", "sources"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not self.proof:
            raise ValueError(f"claim {self.id} has no proof steps")

    def sections(self) -> tuple[tuple[str, tuple[Part, ...]], ...]:
        return (("Proof", self.proof), ("Exact instances", self.instances),
                ("Where it fails", self.failures))

    def steps(self):
        """Every step with its location, e.g. ``('Proof, part 2 (...), step 3', step)``."""
        for section, parts in self.sections():
            for part_number, part in enumerate(parts, start=1):
                for step_number, step in enumerate(part.steps, start=1):
                    heading = plain_text(part.heading)
                    where = f"{section}, part {part_number} ({heading}), step {step_number}"
                    yield where, step

    def check(self) -> int:
        """Check every step; return how many were checked.

        Raises :class:`DerivationError` at the first step that does not hold.
        A claim is immutable, so a claim that checked once is not checked again
        in the same process (the command, the docs and the tests share it).
        """
        return _checked_step_count(self)

    def citations(self) -> tuple:
        return ()


@functools.cache
def _checked_step_count(claim: Claim) -> int:
    count = 0
    for where, step in claim.steps():
        detail = step.failure()
        if detail is not None:
            raise DerivationError(claim.id, where, step, detail)
        count += 1
    return count
