"""Exact models of a claim's hypotheses, and every step of its proof evaluated at them.

A :class:`Model` gives every size symbol a concrete integer and every matrix or scalar
symbol an exact value (rational, or algebraic where a square root is needed). The
evaluator here substitutes a model into a SymPy relation or predicate and decides it
with exact arithmetic, no tolerance: matrix products, sums, transposes, traces and
inverses are computed on explicit matrices by this module (an inverse of a singular
matrix is an error, never cancelled), and a pseudo-inverse by the full-rank factorisation
``A = F G``, ``A^+ = G^T (G G^T)^{-1} (F^T F)^{-1} F^T`` (Ben-Israel and Greville,
Generalized Inverses, 2nd ed., Theorem 1.5), not by SymPy's ``pinv``. So the models check
each proof a second way, independently of SymPy's simplification and assumptions.

What cannot be evaluated at a model (a set, a derivative, a limit, "is a saddle", a symbol
the model does not give) raises :class:`NotEvaluated` with the reason.

>>> from sympy import Eq, Identity, ImmutableMatrix, MatrixSymbol, Rational, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W = MatrixSymbol("W", d, k)
>>> model = Model({d: 2, k: 1}, {W: ImmutableMatrix([[Rational(3, 5)], [Rational(4, 5)]])})
>>> decide(Eq(W.T * W, Identity(k)), model), decide(Eq(W * W.T, Identity(d)), model)
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy
from sympy import Basic
from sympy.logic.boolalg import And, BooleanFalse, BooleanTrue, Equivalent, Implies, Not, Or

__all__ = ["Model", "ModelError", "NotEvaluated", "decide", "draw_models", "evaluate",
           "pseudo_inverse"]


class NotEvaluated(Exception):
    """An object that has no exact value at a model; ``str()`` says why."""


class ModelError(ArithmeticError):
    """Evaluation met an undefined operation (an inverse of a singular matrix)."""


@dataclass
class Model:
    """Concrete sizes (``{d: 3, k: 2}``) and exact values (``{W: ImmutableMatrix(...)}``)."""

    sizes: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    def with_values(self, extra: dict) -> Model:
        return Model(dict(self.sizes), {**self.values, **extra})

    def describe(self) -> str:
        sizes = ", ".join(f"{s} = {v}" for s, v in self.sizes.items())
        values = "; ".join(f"{sympy.sstr(s)} = {sympy.sstr(_plain(v))}"
                           for s, v in self.values.items())
        return f"sizes {sizes or '(none)'}; values {values or '(none)'}"

    def size_text(self) -> str:
        return ", ".join(f"{s}={v}" for s, v in sorted(self.sizes.items(), key=lambda p: str(p[0])))


def _plain(value):
    if isinstance(value, sympy.MatrixBase):
        return value.tolist()
    return value


def _size(expr, model: Model) -> int:
    value = sympy.sympify(expr).xreplace({s: sympy.Integer(v) for s, v in model.sizes.items()})
    value = value.xreplace({s: v for s, v in model.values.items()
                            if isinstance(s, sympy.Symbol) and not isinstance(v, sympy.MatrixBase)})
    if not value.is_Integer:
        raise NotEvaluated(f"the size {sympy.sstr(expr)} is not given by the model")
    return int(value)


def _exact(x):
    """``x`` with algebraic numbers brought to a canonical form (rationals stay as they are)."""
    x = sympy.sympify(x)
    if x.is_Rational:
        return x
    return sympy.radsimp(sympy.expand(x))


def _is_zero(x) -> bool:
    x = _exact(x)
    if x.is_Rational:
        return x == 0
    if x.free_symbols:
        raise NotEvaluated(f"{sympy.sstr(x)} is not a number at the model")
    verdict = sympy.simplify(x).is_zero
    if verdict is None:
        raise NotEvaluated(f"cannot decide exactly whether {sympy.sstr(x)} is 0")
    return bool(verdict)


def _sign(x) -> int:
    x = _exact(x)
    if x.free_symbols or not x.is_real:
        raise NotEvaluated(f"{sympy.sstr(x)} is not a real number at the model")
    if _is_zero(x):
        return 0
    if x.is_positive:
        return 1
    if x.is_negative:
        return -1
    raise NotEvaluated(f"cannot decide exactly the sign of {sympy.sstr(x)}")


def inverse(matrix: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """The exact inverse by Gauss-Jordan elimination; :class:`ModelError` when singular."""
    rows, columns = matrix.shape
    if rows != columns:
        raise ModelError(f"the inverse of a {rows} x {columns} matrix")
    augmented = sympy.Matrix.hstack(sympy.Matrix(matrix), sympy.eye(rows))
    reduced, pivots = augmented.rref(iszerofunc=lambda e: _is_zero(e), simplify=_exact)
    if tuple(pivots) != tuple(range(rows)):
        raise ModelError(f"the inverse of the singular matrix {sympy.sstr(matrix.tolist())}")
    return sympy.ImmutableMatrix(reduced[:, rows:].applyfunc(_exact))


def pseudo_inverse(matrix: sympy.MatrixBase) -> sympy.ImmutableMatrix:
    """The Moore-Penrose inverse of an explicit matrix by the full-rank factorisation.

    ``A = F G`` with ``F`` the pivot columns of ``A`` (full column rank) and ``G`` the
    nonzero rows of its reduced row echelon form (full row rank); then
    ``A^+ = G^T (G G^T)^{-1} (F^T F)^{-1} F^T`` exactly (Ben-Israel and Greville,
    Theorem 1.5). The zero matrix's pseudo-inverse is the zero matrix of the transposed
    shape.

    >>> pseudo_inverse(sympy.Matrix([[1, 1], [1, 1]]))
    Matrix([
    [1/4, 1/4],
    [1/4, 1/4]])
    """
    A = sympy.Matrix(matrix)
    reduced, pivots = A.rref(iszerofunc=lambda e: _is_zero(e), simplify=_exact)
    if not pivots:
        return sympy.ImmutableMatrix(sympy.zeros(A.shape[1], A.shape[0]))
    F = A[:, list(pivots)]
    G = reduced[: len(pivots), :]
    result = G.T * inverse(G * G.T) * inverse(F.T * F) * F.T
    return sympy.ImmutableMatrix(result.applyfunc(_exact))


def evaluate(expr, model: Model):
    """The exact value of ``expr`` at ``model``: an ``ImmutableMatrix`` or a number."""
    from derivations.notation import Entry, PseudoInverse, SpectralNorm  # noqa: F401

    expr = sympy.sympify(expr)
    if expr in model.values:
        return model.values[expr]
    if isinstance(expr, sympy.MatrixBase):
        return sympy.ImmutableMatrix(expr.applyfunc(lambda e: _exact(evaluate(e, model))))
    if isinstance(expr, sympy.MatrixSymbol):
        raise NotEvaluated(f"the model gives no value for {sympy.sstr(expr)}")
    if isinstance(expr, sympy.Identity):
        return sympy.ImmutableMatrix(sympy.eye(_size(expr.shape[0], model)))
    if isinstance(expr, sympy.ZeroMatrix):
        return sympy.ImmutableMatrix(sympy.zeros(_size(expr.shape[0], model),
                                                 _size(expr.shape[1], model)))
    if isinstance(expr, sympy.MatMul):
        result = None
        for factor in expr.args:
            value = evaluate(factor, model)
            result = value if result is None else _times(result, value)
        return _tidy(result)
    if isinstance(expr, sympy.MatAdd):
        values = [evaluate(term, model) for term in expr.args]
        total = values[0]
        for value in values[1:]:
            if total.shape != value.shape:
                raise ModelError(f"a sum of {total.shape} and {value.shape} matrices")
            total = total + value
        return _tidy(total)
    if isinstance(expr, sympy.Transpose):
        return evaluate(expr.arg, model).T
    if isinstance(expr, sympy.Inverse):
        value = evaluate(expr.arg, model)
        if isinstance(value, sympy.MatrixBase):
            return inverse(value)
        if _is_zero(value):
            raise ModelError(f"1/{sympy.sstr(expr.arg)} with {sympy.sstr(expr.arg)} = 0")
        return 1 / value
    if isinstance(expr, sympy.MatPow):
        base = evaluate(expr.base, model)
        power = evaluate(expr.exp, model)
        if not sympy.sympify(power).is_Integer:
            raise NotEvaluated(f"the matrix power {sympy.sstr(expr)} has a non-integer exponent")
        if power < 0:
            base, power = inverse(base), -power
        result = sympy.ImmutableMatrix(sympy.eye(base.shape[0]))
        for _ in range(int(power)):
            result = result * base
        return _tidy(result)
    if isinstance(expr, sympy.Trace):
        value = evaluate(expr.arg, model)
        return _exact(sum((value[i, i] for i in range(value.shape[0])), sympy.Integer(0)))
    if isinstance(expr, PseudoInverse):
        return pseudo_inverse(evaluate(expr.arg, model))
    if isinstance(expr, sympy.matrices.expressions.matexpr.MatrixElement):
        value = evaluate(expr.parent, model)
        i, j = (evaluate(x, model) for x in (expr.i, expr.j))
        return value[int(i), int(j)]
    if isinstance(expr, Entry):
        value = evaluate(expr.matrix, model)
        i, j = (evaluate(x, model) for x in (expr.row, expr.column))
        return value[int(i) - 1, int(j) - 1]
    if isinstance(expr, sympy.Symbol):
        if expr in model.sizes:
            return sympy.Integer(model.sizes[expr])
        raise NotEvaluated(f"the model gives no value for {sympy.sstr(expr)}")
    if isinstance(expr, sympy.Number) or expr.is_NumberSymbol:
        if isinstance(expr, sympy.Float):
            raise NotEvaluated(f"the float {expr} is not exact")
        return expr
    if getattr(expr, "is_Matrix", False):
        raise NotEvaluated(f"{type(expr).__name__} ({sympy.sstr(expr)}) has no exact value here")
    if isinstance(expr, (sympy.Add, sympy.Mul)):
        values = [evaluate(a, model) for a in expr.args]
        if isinstance(expr, sympy.Add):
            total = values[0]
            for value in values[1:]:
                total = total + value
            return _tidy(total)
        product = values[0]
        for value in values[1:]:
            product = _times(product, value)
        return _tidy(product)
    if isinstance(expr, sympy.Pow):
        base, power = evaluate(expr.base, model), evaluate(expr.exp, model)
        if isinstance(base, sympy.MatrixBase):
            raise NotEvaluated(f"the power {sympy.sstr(expr)} of a matrix")
        if power.is_negative and _is_zero(base):
            raise ModelError(f"{sympy.sstr(expr)}: division by {sympy.sstr(expr.base)} = 0")
        return _exact(base ** power)
    if isinstance(expr, (sympy.Abs, sympy.Max, sympy.Min, sympy.sign)):
        return _exact(type(expr)(*(evaluate(a, model) for a in expr.args)))
    if isinstance(expr, (sympy.exp, sympy.log)):
        return type(expr)(evaluate(expr.args[0], model))
    raise NotEvaluated(f"{type(expr).__name__} ({sympy.sstr(expr)[:60]}) is not evaluated at "
                       "models")


def _times(a, b):
    a_matrix, b_matrix = isinstance(a, sympy.MatrixBase), isinstance(b, sympy.MatrixBase)
    if a_matrix and b_matrix:
        if a.shape[1] != b.shape[0]:
            raise ModelError(f"a product of {a.shape} and {b.shape} matrices")
        return a * b
    if a_matrix:
        return a.applyfunc(lambda e: e * b)
    if b_matrix:
        return b.applyfunc(lambda e: a * e)
    return a * b


def _tidy(value):
    if isinstance(value, sympy.MatrixBase):
        return sympy.ImmutableMatrix(value.applyfunc(_exact))
    return _exact(value)


def _equal(a, b) -> bool:
    a_matrix, b_matrix = isinstance(a, sympy.MatrixBase), isinstance(b, sympy.MatrixBase)
    if a_matrix != b_matrix:
        # A 1 x 1 matrix and a scalar are compared as the scalar (a trace written as x^T x).
        if a_matrix and a.shape == (1, 1):
            return _is_zero(a[0, 0] - b)
        if b_matrix and b.shape == (1, 1):
            return _is_zero(a - b[0, 0])
        if not (a_matrix and _is_scalar_zero(b) or b_matrix and _is_scalar_zero(a)):
            raise ModelError("a matrix compared with a scalar")
        return all(_is_zero(e) for e in (a if a_matrix else b))
    if a_matrix:
        if a.shape != b.shape:
            raise ModelError(f"a {a.shape} matrix compared with a {b.shape} matrix")
        return all(_is_zero(x - y) for x, y in zip(a, b))
    return _is_zero(a - b)


def _is_scalar_zero(x) -> bool:
    return not isinstance(x, sympy.MatrixBase) and _is_zero(x)


def _scalar(x):
    if isinstance(x, sympy.MatrixBase):
        if x.shape != (1, 1):
            raise ModelError(f"an order between {x.shape} matrices")
        return x[0, 0]
    return x


_ORDERS = {sympy.StrictGreaterThan: lambda s: s > 0, sympy.GreaterThan: lambda s: s >= 0,
           sympy.StrictLessThan: lambda s: s < 0, sympy.LessThan: lambda s: s <= 0}


def _symmetric_part(matrix):
    return (matrix + matrix.T) / 2


def _positive_definite(matrix) -> bool:
    """Sylvester's criterion on the symmetric part: every leading principal minor > 0."""
    if matrix.shape[0] != matrix.shape[1]:
        return False
    if not _equal(matrix, matrix.T):
        return False
    m = _symmetric_part(matrix)
    return all(_sign(m[:i, :i].det(method="bareiss")) > 0 for i in range(1, m.shape[0] + 1))


def _predicate(expr, model: Model) -> bool:
    name = expr.function.name if hasattr(expr.function, "name") else str(expr.function)
    (arg,) = expr.arguments
    value = evaluate(arg, model)
    matrix = isinstance(value, sympy.MatrixBase)
    if name == "positive_definite" and matrix:
        return _positive_definite(value)
    if name == "invertible":
        if matrix:
            return value.shape[0] == value.shape[1] and not _is_zero(value.det(method="bareiss"))
        return not _is_zero(value)
    if name == "symmetric" and matrix:
        return value.shape[0] == value.shape[1] and _equal(value, value.T)
    if name == "diagonal" and matrix:
        return all(_is_zero(value[i, j]) for i in range(value.shape[0])
                   for j in range(value.shape[1]) if i != j)
    if name == "orthogonal" and matrix:
        return value.shape[0] == value.shape[1] and _equal(value.T * value,
                                                           sympy.eye(value.shape[0]))
    if not matrix:
        tests = {"positive": lambda s: s > 0, "negative": lambda s: s < 0,
                 "nonnegative": lambda s: s >= 0, "nonpositive": lambda s: s <= 0,
                 "nonzero": lambda s: s != 0, "zero": lambda s: s == 0}
        if name in tests:
            return tests[name](_sign(value))
    raise NotEvaluated(f"the predicate Q.{name} is not evaluated at models")


def decide(relation, model: Model) -> bool:
    """Whether ``relation`` holds at ``model``, exactly; :class:`NotEvaluated` if undecidable.

    Raises :class:`ModelError` when evaluation meets an undefined operation.
    """
    relation = sympy.sympify(relation)
    if isinstance(relation, BooleanTrue):
        return True
    if isinstance(relation, BooleanFalse):
        return False
    if isinstance(relation, sympy.Eq) or isinstance(relation, sympy.Ne):
        if isinstance(relation.lhs, sympy.Set) or isinstance(relation.rhs, sympy.Set):
            raise NotEvaluated("a relation between sets is not evaluated at models")
        equal = _equal(evaluate(relation.lhs, model), evaluate(relation.rhs, model))
        return equal if isinstance(relation, sympy.Eq) else not equal
    if type(relation) in _ORDERS:
        difference = _scalar(evaluate(relation.lhs, model)) - _scalar(evaluate(relation.rhs, model))
        return _ORDERS[type(relation)](_sign(difference))
    if isinstance(relation, sympy.AppliedPredicate):
        return _predicate(relation, model)
    if isinstance(relation, Not):
        return not decide(relation.args[0], model)
    if isinstance(relation, (And, Or)):
        verdicts, reasons = [], []
        for arg in relation.args:
            try:
                verdicts.append(decide(arg, model))
            except NotEvaluated as reason:
                reasons.append(str(reason))
        if isinstance(relation, And) and False in verdicts:
            return False
        if isinstance(relation, Or) and True in verdicts:
            return True
        if reasons:
            raise NotEvaluated(reasons[0])
        return isinstance(relation, And)
    if isinstance(relation, Implies):
        premise, consequence = relation.args
        if not decide(premise, model):
            return True
        return decide(consequence, model)
    if isinstance(relation, Equivalent):
        verdicts = [decide(a, model) for a in relation.args]
        return len(set(verdicts)) == 1
    raise NotEvaluated(f"{type(relation).__name__} is not evaluated at models")


def draw_models(strategy, count: int, *, derandomize: bool = True) -> list[Model]:
    """``count`` models drawn from the Hypothesis ``strategy`` (fixed seed by default)."""
    from hypothesis import HealthCheck, Phase, given, settings

    drawn: list[Model] = []

    @settings(max_examples=count, derandomize=derandomize, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(model):
        drawn.append(model)

    collect()
    return drawn[:count]


#: A claim's ``models``: a function returning a Hypothesis strategy of :class:`Model`.
ModelSource = Callable[[], object]


class Refuted(AssertionError):
    """A relation of a proof is false at a model: ``where``, the relation, both sides."""

    def __init__(self, where: str, relation, model: Model, detail: str = ""):
        self.where, self.relation, self.model = where, relation, model
        sides = ""
        if isinstance(relation, sympy.core.relational.Relational):
            try:
                left = _plain(evaluate(relation.lhs, model))
                right = _plain(evaluate(relation.rhs, model))
                sides = f"; left {sympy.sstr(left)}, right {sympy.sstr(right)}"
            except (NotEvaluated, ModelError):
                pass
        self.detail = (f"{detail or 'false at an exact model'}: {sympy.sstr(relation)}{sides}; "
                       f"model: {model.describe()}")
        super().__init__(f"{where}: {self.detail}")


@dataclass(frozen=True)
class ModelReport:
    """What the models of one claim evaluated: plain data (it crosses processes)."""

    models: int = 0
    sizes: tuple[str, ...] = ()
    evaluated: int = 0
    not_evaluated: tuple[tuple[str, str], ...] = ()
    reason: str = ""

    def summary(self) -> str:
        if not self.models:
            return f"no exact models ({self.reason})" if self.reason else "no exact models"
        sizes = "; ".join(dict.fromkeys(self.sizes))
        text = (f"{self.models} exact models ({sizes}), {self.evaluated} relations evaluated")
        if self.not_evaluated:
            text += f", {len(self.not_evaluated)} not evaluated"
        return text


@dataclass
class _Walk:
    evaluated: int = 0
    not_evaluated: dict = field(default_factory=dict)

    def check(self, relation, model: Model, where: str, detail: str = "") -> bool | None:
        """Decide ``relation``; raise :class:`Refuted` if false; ``None`` if not evaluated."""
        try:
            verdict = decide(relation, model)
        except NotEvaluated as reason:
            self.not_evaluated.setdefault(where, str(reason))
            return None
        except ModelError as error:
            raise Refuted(where, relation, model, f"undefined at an exact model ({error})") \
                from None
        self.evaluated += 1
        if not verdict:
            raise Refuted(where, relation, model, detail)
        return True

    def condition(self, relation, model: Model, where: str) -> bool | None:
        """Whether an assumption or case condition holds at ``model`` (``None``: unknown)."""
        try:
            return decide(relation, model)
        except NotEvaluated as reason:
            self.not_evaluated.setdefault(where, f"its assumption: {reason}")
            return None
        except ModelError:
            return False


def _walk(parts, model: Model, walk: _Walk, where: str) -> Model:
    """Evaluate every item of ``parts`` at ``model``; return the model with the definitions."""
    from derivations.engine import proof
    from derivations.engine.prose import plain_text

    for number, part in enumerate(parts, start=1):
        here = f"{where}{number} ({plain_text(part.heading)})"
        kind = type(part)
        if kind is proof.Define:
            name, value = part.definition.lhs, part.definition.rhs
            try:
                model = model.with_values({name: evaluate(value, model)})
                walk.evaluated += 1
            except NotEvaluated as reason:
                walk.not_evaluated.setdefault(here, str(reason))
            except ModelError as error:
                raise Refuted(here, part.definition, model,
                              f"undefined at an exact model ({error})") from None
        elif kind is proof.Cite:
            for relation in part.relations:
                walk.check(relation, model, here, f"the cited fact {part.fact.name} is false "
                           "at an exact model")
        elif kind is proof.Conclude:
            walk.check(part.implication.args[1], model, here)
        elif kind is proof.Assume:
            if walk.condition(part.assumption, model, here):
                _walk(part.parts, model, walk, here + ".")
            walk.check(part.derives, model, here)
        elif kind is proof.Iff:
            _walk(part.parts, model, walk, here + ".")
            walk.check(part.derives, model, here)
        elif kind is proof.Cases:
            for case, (condition, inner) in enumerate(part.cases, start=1):
                if walk.condition(condition, model, f"{here}, case {case}"):
                    _walk(inner, model, walk, f"{here}, case {case}.")
            walk.check(part.concludes, model, here)
        elif kind is proof.ForEvery:
            try:
                shape = [_size(s, model) for s in part.concludes.lhs.shape]
            except NotEvaluated as reason:
                walk.not_evaluated.setdefault(here, str(reason))
                continue
            import itertools

            ranges = [range(n) for n in shape[: len(part.indices)]]
            for values in itertools.product(*ranges):
                entry = model.with_values({i: sympy.Integer(v)
                                           for i, v in zip(part.indices, values)})
                _walk(part.parts, entry, walk, here + ".")
            walk.check(part.concludes, model, here)
        elif kind is proof.Specialise:
            walk.check(part.concludes, model, here)
        elif kind is proof.Induction:
            walk.not_evaluated.setdefault(here, "an induction holds for every integer; its "
                                          "steps are not evaluated at models")
        elif kind in (proof.Chain, proof.Part):
            for step_number, step in enumerate(part.steps, start=1):
                walk.check(step.statement, model, f"{here}, step {step_number}")
        else:
            walk.not_evaluated.setdefault(here, f"{kind.__name__} is not evaluated at models")
    return model


def evaluate_claim(claim, models) -> ModelReport:
    """Check ``claim`` at each model: hypotheses first, then every item, then conclusions.

    Raises :class:`Refuted` (with the place) when a hypothesis, a step or a conclusion is
    false at a model.
    """
    walk, sizes = _Walk(), []
    for model in models:
        for number, hypothesis in enumerate(claim.hypotheses, start=1):
            if walk.check(hypothesis, model, f"hypothesis {number}",
                          "the drawn model does not satisfy the hypothesis") is None:
                raise Refuted(f"hypothesis {number}", hypothesis, model,
                              "a model whose hypotheses cannot be evaluated")
        final = _walk(claim.proof, model, walk, "Proof, part ")
        for number, conclusion in enumerate(claim.conclusions, start=1):
            walk.check(conclusion, final, f"conclusion {number}")
        sizes.append(model.size_text())
    return ModelReport(models=len(models), sizes=tuple(sizes), evaluated=walk.evaluated,
                       not_evaluated=tuple(walk.not_evaluated.items()))
