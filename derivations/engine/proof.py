"""The pieces of a proof, and what each one derives.

A proof is a sequence of *items*. Each item is checked against what is known
at its place (the claim's hypotheses and what earlier items derived) and adds
what it derives:

- :class:`Chain`: ``a = b = c <= d``, a ``calc`` block. Each step starts where
  the previous one ended; it derives the relation between the first and the
  last expression. Every rewrite rule a step uses must be known.
- :class:`Define`: names a fresh symbol, ``A := W^T S W``.
- :class:`Cite`: an instance of a :class:`~derivations.engine.trusted.TrustedFact`.
- :class:`Use`: an instance of an earlier claim's theorem, once its hypotheses are known.
- :class:`Conclude`: modus ponens; from a known ``A -> B`` and known ``A``, ``B``.
- :class:`Assume`: derives ``A -> B`` from a proof of ``B`` that may use ``A``.
- :class:`Iff`: both directions; derives ``A <-> B``.
- :class:`ForEvery`: a matrix equality ``M = N`` from one entrywise derivation
  ``M_ij = N_ij`` with symbolic indices ``i, j``.
- :class:`Cases`: a case split whose conditions cover every case; each case
  derives the same relation.
- :class:`Induction`: ``P(n)`` for every integer ``n >= n_0``, from a checked base
  case ``P(n_0)`` and a checked step ``P(n) -> P(n + 1)``.
- :class:`Specialise`: ``P(m)`` from an induction's ``P(n)``, for an integer
  ``m >= n_0``.

:class:`Part` is a group of independent checked steps; in a proof each step
derives its own relation, and it is the form of exact instances and failures.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import sympy
from sympy import Basic, Eq, Implies, Not, Or
from sympy.logic.boolalg import And, BooleanAtom, BooleanTrue, Equivalent
from sympy.tensor.indexed import Idx

from derivations.engine import kernel
from derivations.engine.licences import is_predicate
from derivations.engine.prose import Prose, as_prose, plain_text, prose
from derivations.engine.step import Step, relation_of
from derivations.engine.trusted import TrustedFact

__all__ = [
    "Assume",
    "Cases",
    "Chain",
    "Cite",
    "Conclude",
    "Define",
    "ForEvery",
    "Iff",
    "Induction",
    "Link",
    "Part",
    "ProofError",
    "Specialise",
    "Use",
    "same_relation",
]


class ProofError(AssertionError):
    """An item of a proof does not check: ``where`` says which, ``detail`` why."""

    def __init__(self, where: str, detail: str, step: Step | None = None):
        self.where = where
        self.detail = detail
        self.step = step
        super().__init__(f"{where}: {detail}")


@functools.lru_cache(maxsize=4096)  # the same relations are compared many times
def _key(relation: Basic):
    """A form in which equal relations compare equal (``a = b`` is ``b = a``, ``a < b`` is
    ``b > a``)."""
    if isinstance(relation, (sympy.Eq, sympy.Ne)):
        sides = sorted((relation.lhs, relation.rhs), key=sympy.srepr)
        return (type(relation).__name__, *sides)
    if isinstance(relation, sympy.StrictLessThan):
        return ("Gt", relation.rhs, relation.lhs)
    if isinstance(relation, sympy.LessThan):
        return ("Ge", relation.rhs, relation.lhs)
    if isinstance(relation, sympy.StrictGreaterThan):
        return ("Gt", relation.lhs, relation.rhs)
    if isinstance(relation, sympy.GreaterThan):
        return ("Ge", relation.lhs, relation.rhs)
    return ("other", relation)


def same_relation(a: Basic, b: Basic) -> bool:
    """True when ``a`` and ``b`` state the same relation.

    >>> from sympy import Eq, Lt, Gt, symbols
    >>> x, y = symbols("x y")
    >>> same_relation(Eq(x, y), Eq(y, x)), same_relation(Lt(x, y), Gt(y, x))
    (True, True)
    >>> same_relation(Eq(x, y), Eq(x, 2 * y))
    False
    """
    return _key(a) == _key(b)


@dataclass
class Context:
    """What is known at a place in a proof, and where that place is."""

    claim_id: str
    known: list = field(default_factory=list)
    reserved: frozenset = frozenset()
    citations: list = field(default_factory=list)
    steps: int = 0
    # (statement, variable, start) for each statement an Induction derived for every integer
    # variable >= start: what Specialise may instantiate.
    universal: list = field(default_factory=list)
    # The indices of the enclosing ForEvery items: generic, so nothing may define them or
    # induct on them.
    bound: frozenset = frozenset()
    # Known relations that hold for every value of the indices they mention: the instances
    # of trusted facts (schemas in their indices) and what Conclude draws from them under
    # premises that do not mention those indices. Only these may mention a ForEvery index.
    schematic: list = field(default_factory=list)
    # False: each step's SymPy algebra is skipped (its rules must still be known and its
    # inverses licensed); the claim's exact models then check the steps instead.
    symbolic: bool = True

    def is_schematic(self, relation: Basic) -> bool:
        return any(same_relation(relation, s) for s in self.schematic)

    def knows(self, relation: Basic) -> bool:
        if isinstance(relation, BooleanTrue):
            return True
        if any(same_relation(relation, k) for k in self.known):
            return True
        # A known conjunction gives each conjunct; a conjunction is known when each conjunct is.
        if isinstance(relation, And):
            return all(self.knows(arg) for arg in relation.args)
        return any(isinstance(k, And) and any(same_relation(relation, a) for a in k.args)
                   for k in self.known)

    def facts(self) -> tuple[Basic, ...]:
        """Known predicates and inequalities: what licenses inverses and decides signs."""
        return tuple(k for k in self.known if is_predicate(k) or isinstance(
            k, (sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan,
                sympy.LessThan)))

    def inner(self, *assumed: Basic, bound=()) -> Context:
        # A copy of `universal`, as of `known`: what an induction derives under an assumption
        # holds only there (`citations` is shared: every citation counts).
        return Context(self.claim_id, self.known + list(assumed), self.reserved,
                       self.citations, self.steps, list(self.universal),
                       self.bound | frozenset(bound), self.schematic, self.symbolic)

    def check_step(self, step: Step, where: str, *, rules_known: bool = True) -> None:
        if rules_known:
            for rule in step.using:
                if not self.knows(rule):
                    raise ProofError(where, f"uses the rule {sympy.sstr(rule)}, which is not a "
                                     "hypothesis, a definition, a cited fact or an earlier "
                                     "result", step)
        if not self.symbolic:
            detail = step.licence_failure(self.facts())
            if detail is not None:
                raise ProofError(where, detail, step)
            self.steps += 1
            return
        try:
            detail = step.failure(self.facts())
        except ProofError:
            raise
        except Exception as error:  # SymPy raising inside a check is a failed step
            detail = f"SymPy raised {type(error).__name__}: {error}"
        if detail is not None:
            raise ProofError(where, detail, step)
        self.steps += 1


@dataclass(frozen=True, eq=False)
class Part:
    """A titled group of independent checked steps, with reading text before and after.

    In a proof, each step derives its own relation from known rules. As an
    exact instance or a failure, a step's rules must define names
    (``Q = [explicit matrix]``): an instance checks concrete objects, it
    assumes nothing.
    """

    heading: str | Prose
    steps: tuple[Step, ...] = ()
    text: Prose = ()
    conclusion: Prose = ()

    def __post_init__(self):
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "heading", as_prose(self.heading))
        object.__setattr__(self, "text", as_prose(self.text))
        object.__setattr__(self, "conclusion", as_prose(self.conclusion))

    # Equality is identity (eq=False): the combinators below carry data that is not a
    # dataclass field, and two parts that merely print alike must not share a check.

    @property
    def parts(self) -> tuple[Part, ...]:
        """Nested items (for combinators); a plain part has none."""
        return ()

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        derived = []
        for number, step in enumerate(self.steps, start=1):
            context.check_step(step, f"{where}, step {number}")
            derived.append(step.statement)
        context.known.extend(derived)
        return tuple(derived)

    def check_instance(self, context: Context, where: str) -> None:
        """Check as an exact instance or failure: every rule defines a name."""
        for number, step in enumerate(self.steps, start=1):
            for rule in step.using:
                if not getattr(rule.lhs, "is_symbol", False):
                    raise ProofError(f"{where}, step {number}",
                                     f"an instance may only use definitions of names, not the "
                                     f"rule {sympy.sstr(rule)}", step)
            context.check_step(step, f"{where}, step {number}", rules_known=False)


@dataclass(frozen=True)
class Link:
    """One link of a :class:`Chain`: ``<relation> expr``, because ..., using rules."""

    expr: Basic
    because: str | Prose
    using: tuple[Eq, ...] = ()
    relation: str = "="


_INCREASING, _DECREASING = {"<", "<="}, {">", ">="}


def _composite(relations: list[str]) -> str:
    kinds = set(relations) - {"="}
    if not kinds:
        return "="
    if "!=" in kinds:
        if len(relations) > 1:
            raise ValueError("a chain with != must have that single step")
        return "!="
    if kinds <= _INCREASING:
        return "<" if "<" in kinds else "<="
    if kinds <= _DECREASING:
        return ">" if ">" in kinds else ">="
    raise ValueError(f"a chain cannot mix the directions {sorted(kinds)}")


class Chain(Part):
    """``start = e_1 = e_2 <= e_3``: connected steps, deriving ``start <rel> last``.

    >>> from sympy import symbols
    >>> x = symbols("x", positive=True)
    >>> chain = Chain("squares", (x + 1) ** 2, (
    ...     Link(x**2 + 2 * x + 1, "multiply out"),
    ...     Link(x**2 + 1, "drop 2x > 0", relation=">")))
    >>> chain.derives
    (x + 1)**2 > x**2 + 1
    """

    def __init__(self, heading, start, links, *, text: Prose = (), conclusion: Prose = ()):
        steps, previous = [], sympy.sympify(start)
        for link in links:
            steps.append(Step(previous, link.expr, link.because, using=link.using,
                              relation=link.relation))
            previous = steps[-1].rhs
        if not steps:
            raise ValueError("a chain needs at least one link")
        _composite([step.relation for step in steps])  # refuses a chain that mixes directions
        super().__init__(heading=heading, steps=tuple(steps), text=text, conclusion=conclusion)

    @property
    def derives(self) -> Basic:
        relation = _composite([s.relation for s in self.steps])
        return relation_of(self.steps[0].lhs, relation, self.steps[-1].rhs)

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        for number, step in enumerate(self.steps, start=1):
            context.check_step(step, f"{where}, step {number}")
        context.known.append(self.derives)
        return (self.derives,)


def _given_assumptions(symbol) -> dict:
    """The assumptions a symbol was declared with (``positive=True``, ...), without
    ``commutative``, which every scalar symbol has."""
    given = dict(getattr(symbol, "_assumptions_orig", symbol.assumptions0))
    given.pop("commutative", None)
    return given


def _same_size(a, b) -> bool:
    return sympy.expand(sympy.sympify(a) - sympy.sympify(b)) == 0


def _definition_problem(name: Basic, value: Basic) -> str | None:
    """Why ``name := value`` is not a definition of a new name, or ``None``.

    A definition names a value: the name is a plain ``Symbol`` (for a scalar) or a
    ``MatrixSymbol`` of the value's shape (for a matrix), it does not occur in the value,
    and the symbol's declared assumptions (``positive=True``, ...) hold for the value by
    SymPy's own assumptions, since the proof may use them of the name. Anything else
    (``W^T W := I``, ``2 x := 5``, ``W[0, 0] := 0``, ``f(x) := 0``) would assert a
    relation about objects that exist already.
    """
    value_is_matrix = bool(getattr(value, "is_Matrix", False))
    if isinstance(name, sympy.MatrixSymbol) != value_is_matrix:
        kinds = ("a matrix", "a scalar")
        return (f"{sympy.sstr(name)} is {kinds[not isinstance(name, sympy.MatrixSymbol)]} "
                f"and {sympy.sstr(value)} is {kinds[not value_is_matrix]}: a name takes the "
                "kind of its value")
    if not value_is_matrix and not isinstance(value, sympy.Expr):
        return (f"{sympy.sstr(value)} is a {type(value).__name__}, not a scalar expression: a "
                "Symbol names a scalar (the kind of its value)")
    if value_is_matrix and not all(_same_size(a, b) for a, b in zip(name.shape, value.shape)):
        return (f"{sympy.sstr(name)} has the shape {name.shape} and its value "
                f"{sympy.sstr(value)} the shape {value.shape}: a name takes the shape of its "
                "value")
    if value.has(name):
        return f"{sympy.sstr(name)} occurs in its value {sympy.sstr(value)}"
    if isinstance(name, sympy.Symbol):
        for key, truth in _given_assumptions(name).items():
            if getattr(value, f"is_{key}", None) != truth:
                return (f"{sympy.sstr(name)} is declared with the assumption {key}={truth}, "
                        f"which its value {sympy.sstr(value)} is not known to satisfy")
    return None


class Define(Part):
    """``name := value`` for a fresh name: a ``Symbol`` or a ``MatrixSymbol`` of the
    value's kind and shape, used by nothing known, by the statement, or by the value."""

    def __init__(self, name: Basic, value: Basic, *, text: Prose = ()):
        self.definition = Eq(name, value, evaluate=False)
        super().__init__(heading=prose("Define ", name),
                         text=prose("Let ", self.definition, ". ", *as_prose(text)))

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        name, value = self.definition.lhs, self.definition.rhs
        if type(name) not in (sympy.Symbol, sympy.MatrixSymbol):
            raise ProofError(where, f"Define names a fresh symbol (a Symbol or a MatrixSymbol), "
                             f"not {sympy.sstr(name)} ({type(name).__name__}): a definition "
                             "may not assert anything about objects that exist already")
        if name in context.reserved or name in context.bound or any(
                name in k.free_symbols or k.has(name) for k in context.known):
            raise ProofError(where, f"{sympy.sstr(name)} is not a fresh name here")
        problem = _definition_problem(name, value)
        if problem is not None:
            raise ProofError(where, problem)
        context.known.append(self.definition)
        return (self.definition,)


class Cite(Part):
    """An instance of a trusted fact, printed with the fact's name."""

    def __init__(self, fact: TrustedFact, *objects: Basic, text: Prose = ()):
        self.fact = fact
        self.relations = fact.instantiate(*objects)
        gives = []
        for relation in self.relations:
            gives += [", " if gives else "", relation]
        super().__init__(heading=prose(fact.title), text=text,
                         conclusion=prose("Cited without proof (see What this document "
                                          "assumes); here it gives ", *gives, "."))

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        context.citations.append((self.fact, context.claim_id))
        context.known.extend(self.relations)
        context.schematic.extend(self.relations)
        return self.relations


class Use(Part):
    """By an earlier claim: its theorem with ``substitution`` applied to its symbols.

    ``used`` is a :class:`~derivations.engine.claim.Claim` (checked when this item is) or
    the :class:`~derivations.engine.kernel.Theorem` it yields. ``substitution`` maps the
    theorem's symbols to this claim's objects, all at once: a matrix to a matrix of its
    shape (sizes substituted), a scalar to a value that has every assumption the symbol is
    declared with. Every instantiated hypothesis must be known here, as any rule; then the
    instantiated conclusions are known. ``name`` is the short name printed, "by Claim P2
    (uniqueness)"; the claim's title by default.

    >>> from derivations.claims import claim_by_id
    >>> from derivations.notation import PseudoInverse, W
    >>> from sympy import MatrixSymbol
    >>> P2 = claim_by_id("P2")
    >>> G, H = sorted((s for s in P2.conclusions[0].free_symbols), key=str)
    >>> Use(P2, {G: PseudoInverse(W), H: W.T}, name="uniqueness").relations
    (Eq(pinv(W), W.T),)
    """

    def __init__(self, used, substitution: dict, *, name: str | None = None,
                 text: Prose = ()):
        self.used = used
        self.substitution = {key: sympy.sympify(value) for key, value in substitution.items()}
        self.claim_id = used.claim_id if isinstance(used, kernel.Theorem) else used.id
        self.hypotheses, self.relations = kernel.instantiate(used, self.substitution)
        given = []
        for key, value in self.substitution.items():
            given += [", " if given else "", key, " := ", value]
        gives = []
        for relation in self.relations:  # a wrong substitution may evaluate; check() says why
            shown = str(relation) if isinstance(relation, BooleanAtom) else relation
            gives += [", " if gives else "", shown]
        label = name or used.title
        link = f"[Claim {self.claim_id}](#{self.claim_id.lower()})"
        super().__init__(heading=prose(f"By Claim {self.claim_id} ({label})"),
                         text=prose(f"Apply {link} ({label}) with ", *given, ". ",
                                    *as_prose(text)),
                         conclusion=prose(f"Its hypotheses hold here, so by {link} ", *gives,
                                          "."))

    def theorem(self, where: str) -> kernel.Theorem:
        if isinstance(self.used, kernel.Theorem):
            if not self.used.genuine:
                raise ProofError(where, f"the theorem of Claim {self.claim_id} was not made by "
                                 "the kernel from a checked claim")
            return self.used
        try:
            return self.used.theorem()
        except AssertionError as error:  # DerivationError: the used claim does not check
            first = str(error).splitlines()[0]
            raise ProofError(where, f"Claim {self.claim_id} does not check, so it cannot be "
                             f"used ({first})") from None

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        there, here = kernel.position(self.claim_id), kernel.position(context.claim_id)
        if there is None:
            raise ProofError(where, f"Claim {self.claim_id} is not in the table of sections: "
                             "a proof uses only claims of the document, placed before it")
        if here is not None and here <= there:
            raise ProofError(where, f"Claim {self.claim_id} does not come before Claim "
                             f"{context.claim_id} in the table of sections: a claim uses only "
                             "earlier claims")
        theorem = self.theorem(where)
        problem = kernel.substitution_problem(theorem.symbols, self.substitution,
                                              context.facts())
        if problem is not None:
            raise ProofError(where, f"not an instance of Claim {self.claim_id}: {problem}")
        hypotheses, conclusions = kernel.instantiate(theorem, self.substitution)
        for hypothesis in hypotheses:
            if not context.knows(hypothesis):
                raise ProofError(where, f"the hypothesis {sympy.sstr(hypothesis)} of Claim "
                                 f"{self.claim_id} is not known here")
        context.known.extend(conclusions)
        for conclusion in conclusions:
            indices = {s for s in conclusion.free_symbols if _index_like(s)}
            if all(context.is_schematic(h) or not h.free_symbols & indices for h in hypotheses):
                context.schematic.append(conclusion)
        return conclusions


class Conclude(Part):
    """From a known implication ``A -> B`` and known ``A``: ``B`` (modus ponens)."""

    def __init__(self, implication: Basic, *, text: Prose = ()):
        if not isinstance(implication, Implies):
            raise TypeError(f"Conclude needs an Implies, got {implication!r}")
        self.implication = implication
        premise, consequence = implication.args
        # Modus ponens as a textbook says it: "Since A, B." (the premise is known here).
        super().__init__(heading="Hence",
                         text=prose("Since ", premise, ", ", consequence, ". ",
                                    *as_prose(text)))

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        premise, consequence = self.implication.args
        if not context.knows(self.implication):
            raise ProofError(where, f"the implication {sympy.sstr(self.implication)} is not known")
        if not context.knows(premise):
            raise ProofError(where, f"the premise {sympy.sstr(premise)} is not known")
        context.known.append(consequence)
        indices = {s for s in consequence.free_symbols if _index_like(s)}
        if context.is_schematic(self.implication) and (
                context.is_schematic(premise) or not premise.free_symbols & indices):
            context.schematic.append(consequence)
        return (consequence,)


def _mentions(part, formula: Basic) -> bool:
    """True when the prose part ``part`` is ``formula`` (or states it as a conjunct)."""
    return isinstance(part, Basic) and (part == formula or any(
        same_relation(conjunct, formula) for conjunct in And.make_args(part)))


def _index_like(symbol) -> bool:
    return isinstance(symbol, Idx) or (isinstance(symbol, sympy.Symbol) and bool(symbol.is_integer))


def _establish_all(parts, context: Context, where: str) -> None:
    for number, part in enumerate(parts, start=1):
        part.establish(context, f"{where}.{number} ({plain_text(part.heading)})")


class Assume(Part):
    """Derives ``assumption -> concludes`` from ``parts``, which may use the assumption."""

    def __init__(self, assumption: Basic, parts, concludes: Basic, *, heading=None,
                 text: Prose = (), conclusion: Prose = ()):
        self.assumption, self.concludes = assumption, concludes
        self._parts = tuple(parts)
        heading = as_prose(heading) if heading else prose("Assume ", assumption)
        text = as_prose(text)
        # The assumption is stated once: by the heading, by the text, or else here.
        if not any(_mentions(part, assumption) for part in heading + text):
            text = prose("Assume ", assumption, ". ", *text)
        super().__init__(heading=heading, text=text,
                         conclusion=conclusion or prose("So ", assumption, " implies ",
                                                        concludes, "."))

    @property
    def parts(self):
        return self._parts

    @property
    def derives(self) -> Basic:
        return Implies(self.assumption, self.concludes, evaluate=False)

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        inner = context.inner(*And.make_args(self.assumption))
        _establish_all(self._parts, inner, where)
        context.steps = inner.steps
        if not inner.knows(self.concludes):
            raise ProofError(where, f"assuming {sympy.sstr(self.assumption)}, the steps do not "
                             f"reach {sympy.sstr(self.concludes)}")
        context.known.append(self.derives)
        return (self.derives,)


class Iff(Part):
    """Both directions of an equivalence: derives ``A <-> B``."""

    def __init__(self, forward: Assume, backward: Assume, *, heading="Both directions",
                 text: Prose = ()):
        if not (same_relation(forward.assumption, backward.concludes)
                and same_relation(forward.concludes, backward.assumption)):
            raise ValueError("Iff: the backward direction must assume what the forward one "
                             "concludes and conclude what it assumes")
        self.forward, self.backward = forward, backward
        super().__init__(heading=heading, text=text)

    @property
    def parts(self):
        return (self.forward, self.backward)

    @property
    def derives(self) -> Basic:
        return Equivalent(self.forward.assumption, self.forward.concludes, evaluate=False)

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        _establish_all(self.parts, context, where)
        context.known.append(self.derives)
        return (self.derives,)


class ForEvery(Part):
    """``M = N`` from one derivation of ``M[i, j] = N[i, j]`` for symbolic ``i, j``."""

    def __init__(self, indices, parts, concludes: Eq, *, heading=None, text: Prose = ()):
        self.indices = tuple(indices)
        self.concludes = concludes
        self._parts = tuple(parts)
        super().__init__(heading=heading or "Entry by entry",
                         text=prose("To show ", concludes, ", compare one entry with symbolic "
                                    "indices. ", *as_prose(text)))

    @property
    def parts(self):
        return self._parts

    def _index_problem(self, context: Context) -> str | None:
        """Why the indices are not generic row and column indices of the matrices, or
        ``None``: two distinct index symbols (one only for a column), each declared
        ``integer=True`` and nothing else (or an ``Idx`` over exactly the rows or columns),
        that neither the matrices nor anything known mention."""
        left, right = self.concludes.lhs, self.concludes.rhs
        shape = left.shape
        if len(self.indices) not in (1, 2):
            return "an entry has two indices (one for a column)"
        if len(self.indices) == 1 and not _same_size(shape[1], 1):
            return (f"one index compares only column 0 of the {shape[0]} x {shape[1]} "
                    "matrices: a matrix needs two indices, only a column takes one")
        for index, size in zip(self.indices, shape):
            if isinstance(index, Idx):
                label = index.label
                if index.lower is not None and not (
                        _same_size(index.lower, 0) and _same_size(index.upper, size - 1)):
                    return (f"the index {index} has the range {index.lower} .. {index.upper}, "
                            f"not the range 0 .. {sympy.sstr(size - 1)} of the matrices")
            elif type(index) is sympy.Symbol:
                label = index
            else:
                return (f"ForEvery needs index symbols, not {sympy.sstr(index)}: a number or an "
                        "expression is one entry, not every entry")
            if _given_assumptions(label) != {"integer": True}:
                return (f"the index {index} is declared with {_given_assumptions(label)}: an "
                        "index carries only integer=True (anything more skips rows)")
        if len(set(self.indices)) != len(self.indices):
            return (f"the indices {', '.join(map(sympy.sstr, self.indices))} are not distinct: "
                    "a repeated index compares only the diagonal")
        if any(left.has(i) or right.has(i) for i in self.indices):
            return "the indices must not occur in the matrices"
        for index in self.indices:
            mentioned = [known for known in context.known
                         if known.has(index) and not context.is_schematic(known)]
            if mentioned:
                return (f"the index {index} is not generic: what is known "
                        f"({sympy.sstr(mentioned[0])}) mentions it")
            if index in context.bound:
                return f"the index {index} is already an index of an enclosing ForEvery"
        return None

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        left, right = self.concludes.lhs, self.concludes.rhs
        problem = self._index_problem(context)
        if problem is not None:
            raise ProofError(where, problem)
        inner = context.inner(bound=self.indices)
        _establish_all(self._parts, inner, where)
        context.steps = inner.steps
        entry = (left[self.indices] if len(self.indices) == 2 else left[self.indices[0], 0],
                 right[self.indices] if len(self.indices) == 2 else right[self.indices[0], 0])
        for known in inner.known[len(context.known):]:
            if isinstance(known, sympy.Eq):
                for a, b in ((known.lhs, known.rhs), (known.rhs, known.lhs)):
                    if (Step(a, entry[0], "entry").holds() and Step(b, entry[1], "entry").holds()):
                        context.known.append(self.concludes)
                        return (self.concludes,)
        raise ProofError(where, f"no entrywise step reaches {sympy.sstr(entry[0])} = "
                         f"{sympy.sstr(entry[1])}")


def _covers(conditions, context: Context) -> bool:
    union = Or(*conditions)
    if sympy.simplify(union) is sympy.true:
        return True
    return any(same_relation(Not(a), b) or sympy.simplify(Not(a)) == b
               for a in conditions for b in conditions)


class Cases(Part):
    """A case split: each case derives ``concludes`` under its condition; the conditions cover."""

    def __init__(self, cases, concludes: Basic, *, heading=None, text: Prose = ()):
        self.cases = tuple((condition, tuple(parts)) for condition, parts in cases)
        self.concludes = concludes
        super().__init__(heading=heading or "By cases",
                         text=prose("To show ", concludes, ", split into cases that cover every "
                                    "possibility. ", *as_prose(text)))

    @property
    def parts(self):
        return tuple(Assume(condition, parts, self.concludes, heading=prose("Case ", condition))
                     for condition, parts in self.cases)

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        conditions = [condition for condition, _ in self.cases]
        if not _covers(conditions, context):
            raise ProofError(where, f"the cases {', '.join(map(sympy.sstr, conditions))} "
                             "do not cover every case")
        for number, (condition, parts) in enumerate(self.cases, start=1):
            inner = context.inner(*And.make_args(condition))
            _establish_all(parts, inner, f"{where}, case {number}")
            context.steps = inner.steps
            if not inner.knows(self.concludes):
                raise ProofError(f"{where}, case {number}",
                                 f"does not reach {sympy.sstr(self.concludes)}")
        context.known.append(self.concludes)
        return (self.concludes,)


def _at(statement: Basic, variable, value) -> Basic:
    """``statement`` with ``variable`` replaced by ``value``, a relation left unevaluated (a
    base case such as ``A X^1 = X^1 A`` must stay a relation to be shown and checked)."""
    if isinstance(statement, sympy.core.relational.Relational):
        return type(statement)(statement.lhs.subs(variable, value),
                               statement.rhs.subs(variable, value), evaluate=False)
    return statement.subs(variable, value)


class Induction(Part):
    """``statement`` for every integer ``variable >= start``, by induction on ``variable``.

    ``base`` derives ``statement`` at ``variable = start``; ``step``, which may use
    ``statement`` and ``variable >= start``, derives it at ``variable + 1``. The
    variable must be an integer symbol that nothing known mentions, so the step can
    use nothing about it but these two. Derives ``statement`` with the variable free,
    together with ``variable >= start``; :class:`Specialise` instantiates it.
    """

    def __init__(self, variable, statement: Basic, base, step, *, start=1, heading=None,
                 text: Prose = ()):
        self.variable, self.statement = variable, statement
        self.start = sympy.sympify(start)
        self.base, self.step = tuple(base), tuple(step)
        domain = sympy.Ge(variable, self.start, evaluate=False)
        super().__init__(heading=heading or prose("By induction on ", variable),
                         text=prose("To show ", statement, " for every integer ", domain,
                                    ": the case ", Eq(variable, self.start, evaluate=False),
                                    ", then from ", variable, " to ", variable + 1, ". ",
                                    *as_prose(text)),
                         conclusion=prose("So ", statement, " for every integer ", domain,
                                          "."))

    @property
    def parts(self):
        return self.base + self.step

    @property
    def at_start(self) -> Basic:
        return _at(self.statement, self.variable, self.start)

    @property
    def at_next(self) -> Basic:
        return _at(self.statement, self.variable, self.variable + 1)

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        variable = self.variable
        if not (type(variable) is sympy.Symbol and variable.is_integer
                and self.start.is_integer):
            raise ProofError(where, f"induction needs an integer symbol and an integer start, "
                             f"not {sympy.sstr(variable)} from {sympy.sstr(self.start)}")
        if _given_assumptions(variable) != {"integer": True}:
            raise ProofError(where, f"the induction variable {variable} is declared with "
                             f"{_given_assumptions(variable)}: it carries only integer=True, "
                             f"since the step may use nothing of it but {variable} >= "
                             f"{self.start}")
        if variable in context.bound:
            raise ProofError(where, f"{variable} is an index of an enclosing ForEvery: an "
                             "induction on it would derive the entry for some rows only")
        mentioned = [known for known in context.known if known.has(variable)]
        if mentioned:
            raise ProofError(where, f"the induction variable {variable} occurs in what is "
                             f"known ({', '.join(map(sympy.sstr, mentioned))}): the step could "
                             "use more than the induction hypothesis")
        domain = sympy.Ge(variable, self.start, evaluate=False)
        base = context.inner()
        _establish_all(self.base, base, f"{where}, base case")
        context.steps = base.steps
        if not base.knows(self.at_start):
            raise ProofError(f"{where}, base case", f"does not reach {sympy.sstr(self.at_start)}")
        step = context.inner(self.statement, domain)
        _establish_all(self.step, step, f"{where}, step")
        context.steps = step.steps
        if not step.knows(self.at_next):
            raise ProofError(f"{where}, step", f"assuming {sympy.sstr(self.statement)}, the "
                             f"steps do not reach {sympy.sstr(self.at_next)}")
        context.known.extend((self.statement, domain))
        context.universal.append((self.statement, variable, self.start))
        return (self.statement,)


class Specialise(Part):
    """``statement`` at ``variable = value``, from an :class:`Induction` that derived it for
    every integer ``variable >= start``; ``value`` must be an integer ``>= start``."""

    def __init__(self, statement: Basic, variable, value, *, start=1, heading=None,
                 text: Prose = ()):
        self.statement, self.variable, self.value = statement, variable, sympy.sympify(value)
        self.start = sympy.sympify(start)
        self.concludes = _at(statement, variable, self.value)
        super().__init__(heading=heading or prose("The case ", Eq(variable, self.value,
                                                                   evaluate=False)),
                         text=prose("By induction, ", statement, " for every integer ",
                                    sympy.Ge(variable, self.start, evaluate=False), "; here ",
                                    self.concludes, ". ", *as_prose(text)))

    def establish(self, context: Context, where: str) -> tuple[Basic, ...]:
        found = [start for statement, variable, start in context.universal
                 if variable == self.variable and same_relation(statement, self.statement)]
        if self.start not in found:
            raise ProofError(where, f"{sympy.sstr(self.statement)} was not derived by induction "
                             f"on {self.variable} from {self.start}")
        if not (self.value.is_integer and (self.value - self.start).is_nonnegative):
            raise ProofError(where, f"{sympy.sstr(self.value)} is not known to be an integer at "
                             f"least {self.start}, where the induction holds")
        context.known.append(self.concludes)
        return (self.concludes,)
