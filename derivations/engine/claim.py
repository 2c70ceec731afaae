"""A claim: a statement made of SymPy objects, and a proof that derives it.

``Claim.check()`` walks the proof from the hypotheses. Each item may use only
what is known at its place (hypotheses, definitions, cited trusted facts,
earlier results), every inverse must be licensed, and at the end each of the
statement's conclusions must be among what the proof derived. A proof of any
other statement is refused, whatever its steps prove.

>>> from sympy import Eq, Identity, MatrixSymbol, symbols
>>> from derivations.engine.proof import Chain, Link
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W = MatrixSymbol("W", d, k)
>>> orthonormal = Eq(W.T * W, Identity(k))
>>> def claim(conclusion):
...     return Claim(id="X1", title="example", statement=("W W^T W = W",),
...                  hypotheses=(orthonormal,), conclusions=(conclusion,),
...                  proof=(Chain("collapse", W * W.T * W,
...                               (Link(W, "the middle factor", using=(orthonormal,)),)),))
>>> claim(Eq(W * W.T * W, W, evaluate=False)).check()
1
>>> claim(Eq(W * W.T * W, 2 * W, evaluate=False)).check()  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derivations.engine.claim.DerivationError: claim X1: does not derive its statement: W*W.T*W = 2*W ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import sympy
from sympy import Basic, Q

from derivations.engine import models as _models
from derivations.engine.proof import Cite, Context, Link, Part, ProofError, same_relation
from derivations.engine.prose import Prose, as_prose, plain_text
from derivations.engine.step import Step

__all__ = ["Claim", "DerivationError"]


class DerivationError(AssertionError):
    """A claim does not check: the message names the claim, the place and both sides."""

    def __init__(self, claim_id: str, where: str, detail: str, step: Step | None = None):
        self.claim_id = claim_id
        self.where = where
        self.step = step
        lines = [f"claim {claim_id}{', ' + where if where else ''}: {detail}"]
        if step is not None:
            lines.insert(1, f"  step: {plain_text(step.because)}")
            lines.insert(2, f"  statement: {sympy.sstr(step.lhs)} {step.relation} "
                            f"{sympy.sstr(step.rhs)}")
        super().__init__("\n".join(lines))


def _show(relations) -> str:
    return ", ".join(_relation_text(r) for r in relations)


def _relation_text(relation: Basic) -> str:
    symbols = {"Equality": "=", "Unequality": "!=", "GreaterThan": ">=",
               "StrictGreaterThan": ">", "LessThan": "<=", "StrictLessThan": "<"}
    name = type(relation).__name__
    if name in symbols:
        return f"{sympy.sstr(relation.lhs)} {symbols[name]} {sympy.sstr(relation.rhs)}"
    return sympy.sstr(relation)


@dataclass(frozen=True, repr=False)
class Claim:
    """A claim with an id (``P1``, ``A4``, ``D2``, ...) that checks itself.

    ``hypotheses`` and ``conclusions`` are SymPy objects: relations
    (``Eq(W.T*W, Identity(k))``) and assumption predicates
    (``Q.positive_definite(S)``); ``statement`` says the same in words for
    reading. ``idea`` is the proof's idea in two or three sentences.
    ``proof`` derives every conclusion from the hypotheses; ``generality`` says
    what is proved for symbolic sizes and what only at fixed sizes.
    ``instances`` are exact concrete instances and ``failures`` the
    counterexamples where the claim stops holding; both are checked, neither
    is a proof.
    """

    id: str
    title: str
    statement: Prose
    hypotheses: tuple[Basic, ...] = ()
    conclusions: tuple[Basic, ...] = ()
    proof: tuple[Part, ...] = ()
    idea: Prose = ()
    generality: Prose = ()
    instances: tuple[Part, ...] = ()
    failures: tuple[Part, ...] = ()
    remarks: tuple[Prose, ...] = ()
    sources: tuple[str, ...] = ()
    #: A function returning a Hypothesis strategy of exact
    #: :class:`~derivations.engine.models.Model` objects satisfying the hypotheses; the
    #: proof is then also evaluated at a few of them (``None``: the claim has no models).
    models: Callable[[], object] | None = None

    def __post_init__(self):
        for name in ("hypotheses", "conclusions", "proof", "instances", "failures",
                     "remarks", "sources"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("statement", "idea", "generality"):
            object.__setattr__(self, name, as_prose(getattr(self, name)))
        if not self.proof:
            raise ValueError(f"claim {self.id} has no proof")
        if not self.conclusions:
            raise ValueError(f"claim {self.id} states no conclusion (conclusions=())")
        for hypothesis in self.hypotheses:
            if hypothesis.has(Q.fullrank):
                raise ValueError(
                    f"claim {self.id}: Q.fullrank is not sound for non-square matrices in "
                    "SymPy's ask; write full column rank as Q.positive_definite(W.T*W)")

    def __repr__(self) -> str:
        """Short: ``<Claim P3: title>`` (``print(claim_by_id("P3"))`` was 9,206 characters)."""
        return f"<Claim {self.id}: {self.title}>"

    def _repr_markdown_(self) -> str:
        """The claim as Jupyter shows it: statement, hypotheses, conclusion, idea, proof."""
        from derivations.render.markdown import claim_markdown

        return claim_markdown(self)

    def _repr_latex_(self) -> str:
        """The same as LaTeX text (formulas by the document's printer), for nbconvert's PDF."""
        from derivations.render.markdown import claim_latex

        return claim_latex(self)

    def sections(self) -> tuple[tuple[str, tuple[Part, ...]], ...]:
        return (("Proof", self.proof), ("Exact instances", self.instances),
                ("Where it fails", self.failures))

    def steps(self):
        """Every step with its location, e.g. ``('Proof, part 2 (...), step 3', step)``."""
        def walk(parts, prefix):
            for number, part in enumerate(parts, start=1):
                here = f"{prefix}.{number}" if "." in prefix or prefix[-1].isdigit() \
                    else f"{prefix}, part {number}"
                for step_number, step in enumerate(part.steps, start=1):
                    yield f"{here} ({plain_text(part.heading)}), step {step_number}", step
                yield from walk(part.parts, here)
        for section, parts in self.sections():
            yield from walk(parts, section)

    def check(self, symbolic: bool = True) -> int:
        """Check the proof, the instances and the failures; return how many steps checked.

        Raises :class:`DerivationError` when a step does not hold, a rule is
        not known, an inverse is not licensed, or the proof does not derive
        the statement. The proof is checked twice: by SymPy's algebra, step by
        step, and by exact evaluation of every item at the claim's
        :attr:`models` (:mod:`derivations.engine.models`); ``symbolic=False``
        skips SymPy's algebra of each step (the structural checks stay) and
        relies on the models alone. A claim is immutable, so it is checked
        once per process.
        """
        count = _checked_step_count(self, symbolic)
        self.model_report()
        return count

    def model_report(self) -> _models.ModelReport:
        """The proof evaluated at the claim's exact models (raises :class:`DerivationError`
        when a relation is false at one); a claim without models says so."""
        return _model_checked(self)

    def theorem(self):
        """The :class:`~derivations.engine.kernel.Theorem` this claim establishes, after
        :meth:`check` (which raises when the claim does not check); other claims
        :class:`~derivations.engine.proof.Use` it."""
        from derivations.engine.kernel import theorem_of

        return theorem_of(self)

    def uses(self) -> tuple[str, ...]:
        """The ids of the earlier claims this claim's proof uses, in proof order."""
        from derivations.engine.proof import Use

        used = []

        def walk(parts):
            for part in parts:
                if isinstance(part, Use) and part.claim_id not in used:
                    used.append(part.claim_id)
                walk(part.parts)
        walk(self.proof)
        return tuple(used)

    def citations(self) -> tuple:
        """The trusted facts this claim's proof cites, in proof order, without repeats.

        Read off the proof's items (every :class:`Cite` in it, nested ones included),
        so listing them needs no check; :meth:`check` establishes every item of the
        proof, so they are the facts the checked proof uses (the engine tests compare
        the two lists for every claim).
        """
        cited = []

        def walk(parts):
            for part in parts:
                if isinstance(part, Cite) and part.fact not in cited:
                    cited.append(part.fact)
                walk(part.parts)
        walk(self.proof)
        return tuple(cited)


# Reading text: its formulas are printed, not checked. (`used` is the claim a Use item
# applies: its objects are that claim's, named in its own statement.)
_PROSE = frozenset({"heading", "text", "conclusion", "because"})
_OTHER_CLAIM = frozenset({"used"})


def _expressions(obj, seen: set, *, prose_too: bool = True):
    """Every SymPy object in ``obj`` (parts, steps, links, tuples), with or without the
    formulas of its reading text."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, Basic):
        yield obj
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            yield from _expressions(item, seen, prose_too=prose_too)
    elif isinstance(obj, (Claim, Part, Step, Link)):
        for key, value in vars(obj).items():
            if (prose_too or key not in _PROSE) and key not in _OTHER_CLAIM:
                yield from _expressions(value, seen, prose_too=prose_too)


def _describe(symbol: Basic) -> str:
    if isinstance(symbol, sympy.MatrixSymbol):
        return f"a {sympy.sstr(symbol.shape[0])} x {sympy.sstr(symbol.shape[1])} matrix"
    given = dict(getattr(symbol, "_assumptions_orig", {}))
    given.pop("commutative", None)
    flags = ", ".join(f"{key}={value}" for key, value in sorted(given.items()))
    return f"a {type(symbol).__name__}" + (f" ({flags})" if flags else " (no assumptions)")


def _by_name(expressions) -> dict[str, set]:
    printed: dict[str, set] = {}
    for expr in expressions:
        for symbol in expr.free_symbols:
            printed.setdefault(sympy.sstr(symbol), set()).add(symbol)
    return printed


def _clash(name: str, symbols) -> str:
    kinds = " and ".join(sorted(_describe(s) for s in symbols))
    return (f"two different symbols print as {name} ({kinds}): the statement would read as "
            "another one")


def _form_problem(claim: Claim) -> str | None:
    """Why the claim's objects cannot be read as they print, or ``None``.

    A float rounds (``1 + 10^-20`` is ``1.0``), so an equation between floats is not an
    equation between the numbers it prints: no float may occur anywhere in the claim. And
    a printed name means one symbol: two different symbols of the statement (hypotheses and
    conclusions) may not print alike (``x`` real and ``x`` positive would make "``x = -1``
    implies ``x > 0``" check), nor may a symbol of the proof print like a different symbol
    of the statement. (Exact instances and failures name their own concrete objects.)
    """
    for expr in _expressions(claim, set()):
        floats = expr.atoms(sympy.Float)
        if floats:
            return (f"{sympy.sstr(expr)} contains the float {sympy.sstr(min(floats, key=str))}: "
                    "floats round, so a claim writes exact numbers (Rational(1, 10), not 0.1)")
    statement = _by_name(claim.hypotheses + claim.conclusions)
    for name, symbols in statement.items():
        if len(symbols) > 1:
            return _clash(name, symbols)
    proof = _by_name(_expressions(claim.proof, set(), prose_too=False))
    for name, symbols in proof.items():
        if name in statement and symbols - statement[name]:
            return _clash(name, symbols | statement[name])
    return None


@functools.cache
def _checked(claim: Claim, symbolic: bool = True):
    problem = _form_problem(claim)
    if problem is not None:
        raise DerivationError(claim.id, "", problem)
    reserved = frozenset().union(*(h.free_symbols for h in claim.hypotheses + claim.conclusions))
    context = Context(claim.id, known=list(claim.hypotheses), reserved=reserved,
                      symbolic=symbolic)
    try:
        for number, part in enumerate(claim.proof, start=1):
            part.establish(context, f"Proof, part {number} ({plain_text(part.heading)})")
        derived = context.known
        for conclusion in claim.conclusions:
            if not any(same_relation(conclusion, known) for known in derived):
                found = [k for k in derived if k not in claim.hypotheses]
                raise DerivationError(
                    claim.id, "",
                    f"does not derive its statement: {_relation_text(conclusion)} is not among "
                    f"what the proof derives ({_show(found)})")
        instance_context = Context(claim.id, known=[], reserved=reserved)
        for section, parts in claim.sections()[1:]:
            for number, part in enumerate(parts, start=1):
                part.check_instance(instance_context,
                                    f"{section}, part {number} ({plain_text(part.heading)})")
    except ProofError as error:
        raise DerivationError(claim.id, error.where, error.detail, error.step) from None
    cited = []
    for fact, _ in context.citations:
        if fact not in cited:
            cited.append(fact)
    return context.steps + instance_context.steps, tuple(cited)


def _checked_step_count(claim: Claim, symbolic: bool = True) -> int:
    return _checked(claim, symbolic)[0]


#: Models drawn per claim: a few in the default run (fixed seed, so every run and
#: every process evaluates the same ones), many from fresh seeds in the thorough profile.
MODELS_PER_CLAIM = 3
THOROUGH_MODELS_PER_CLAIM = 30


def _thorough() -> bool:
    from hypothesis import settings

    return getattr(settings, "_current_profile", "default") == "thorough"


@functools.cache
def _model_checked(claim: Claim) -> _models.ModelReport:
    if claim.models is None:
        return _models.ModelReport(reason="the claim supplies no models of its hypotheses")
    thorough = _thorough()
    drawn = _models.draw_models(claim.models(),
                                THOROUGH_MODELS_PER_CLAIM if thorough else MODELS_PER_CLAIM,
                                derandomize=not thorough)
    if not drawn:
        raise DerivationError(claim.id, "models", "no model of the hypotheses could be drawn")
    try:
        return _models.evaluate_claim(claim, drawn)
    except _models.Refuted as error:
        raise DerivationError(claim.id, error.where, error.detail) from None
