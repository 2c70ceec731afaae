"""The one human printer: every formula of every document, as people write it.

SymPy's printers show an expression in SymPy's canonical order and with
SymPy's names. The two printers here (LaTeX for Markdown, presentation MathML
for HTML) share one set of rules, decided once in :class:`HumanRules`:

* a sum starts with a term that is not subtracted: ``1 - lambda/(2 lambda_i)``,
  ``W^T - W^+``, ``W_0 - eta G`` (:func:`reader_order`);
* a scalar factor of a matrix product is a plain coefficient: ``-lambda K``,
  ``1/2 R^T``, never ``(-1) lambda K`` or ``(1/2) R^T`` (:func:`split_coefficient`);
* a solution set is set-builder notation ``{s in (0, oo) : s^2 = 1}``, a block
  matrix is bracketed blocks ``[u  u]``, a matrix symbol named ``vec_M`` is the
  upright operator ``vec(M)``, a trace is ``tr(...)``, a determinant ``det(...)``,
  a ``Piecewise`` is a brace of cases ending in "otherwise", ``KroneckerDelta`` is
  ``delta_ij``, and a bare boolean prints as the word, never Python's ``True``;
* an explicit matrix whose entries share a denominator is printed ``1/q [...]``;
* the zero matrix is ``0``, a ``1 x 1`` identity is ``1``, Euler's number is ``e``, and
  a conjunction (disjunction) reads "and" ("or"), never the logician's wedge (vee);
* an index is its letter (``alpha_i``, ``delta_ij``): its range is said once in words.

Where a formula is too wide for a phone, :mod:`derivations.render.layout`
breaks it into lines; both renderers typeset the same lines.

>>> from sympy import MatrixSymbol, Symbol, symbols
>>> from derivations.notation import PseudoInverse, W
>>> decay, eigenvalue = symbols("lambda lambda_i", positive=True)
>>> latex(1 - decay / (2 * eigenvalue))
'1 - \\\\frac{\\\\lambda}{2 \\\\lambda_{i}}'
>>> latex(W.T - PseudoInverse(W))
'W^{T} - W^{+}'
>>> latex(-decay * MatrixSymbol("K", 2, 2)), latex(sympy.Rational(1, 2) * W.T)
('- \\\\lambda K', '\\\\frac{1}{2} W^{T}')
>>> from derivations.notation import SolutionSet
>>> s = Symbol("s", positive=True)
>>> latex(SolutionSet(s, sympy.Eq(s**2, 1), sympy.Interval.open(0, sympy.oo)))
'\\\\left\\\\{s \\\\in \\\\left(0, \\\\infty\\\\right) : s^{2} = 1\\\\right\\\\}'
>>> u = MatrixSymbol("u", 3, 1)
>>> latex(sympy.BlockMatrix([[u, u]]))
'\\\\left[\\\\, u \\\\;\\\\; u \\\\,\\\\right]'
>>> latex(MatrixSymbol("vec_M", 4, 1))
'\\\\operatorname{vec}\\\\left(M\\\\right)'
>>> latex(sympy.Piecewise((1, s > 1), (0, True)))
'\\\\begin{cases} 1 & \\\\text{if } s > 1 \\\\\\\\ 0 & \\\\text{otherwise} \\\\end{cases}'
>>> latex(sympy.false), mathml(sympy.true)
('\\\\text{false}', '<mtext>true</mtext>')
"""

from __future__ import annotations

import functools
import re
from xml.dom.minidom import Element

import sympy
from sympy import Basic, MatAdd, Mul, S
from sympy.core.function import _coeff_isneg
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.latex import LatexPrinter
from sympy.printing.mathml import MathMLPresentationPrinter

from derivations.notation import FrobeniusNorm, SpectralNorm

_Norm = (SpectralNorm, FrobeniusNorm)
_Connective = (sympy.And, sympy.Or, sympy.Implies, sympy.Equivalent)

__all__ = [
    "HumanLatexPrinter",
    "HumanMathMLPrinter",
    "RELATION_LATEX",
    "RELATION_MATHML",
    "common_denominator",
    "latex",
    "mathml",
    "reader_order",
    "split_coefficient",
    "subtracted",
    "vectorised",
]

RELATION_LATEX = {"=": "=", "!=": r"\neq", ">=": r"\geq", ">": ">", "<=": r"\leq", "<": "<",
                  "=>": r"\Rightarrow", "<=>": r"\Leftrightarrow", "&": r"\text{and}\ "}
RELATION_MATHML = {"=>": "\u21d2", "<=>": "\u21d4", "&": "and",
                   "=": "=", "!=": "\u2260", ">=": "\u2265", ">": "&gt;", "<=": "\u2264",
                   "<": "&lt;"}

_VECTORISED_NAME = re.compile(r"^vec_?\(?(\w+?)\)?$")
_WORD_SUBSCRIPT = re.compile(r"_\{([A-Za-z]{2,})\}")


def subtracted(term: Basic) -> bool:
    """Whether a term of a sum is printed with a minus sign (as SymPy's printers decide)."""
    return bool(_coeff_isneg(term))


def reader_order(terms: list[Basic]) -> list[Basic]:
    """Terms of a sum in the order people write them: a term that is added comes first.

    SymPy often puts a subtracted term first (``-W^+ + W^T``); the first term
    that is not subtracted moves to the front, the others keep their order.

    >>> from sympy import Symbol
    >>> a, b = Symbol("a"), Symbol("b")
    >>> reader_order([-a, b])
    [b, -a]
    >>> reader_order([-a, -b])
    [-a, -b]
    """
    first = next((i for i, term in enumerate(terms) if not subtracted(term)), 0)
    return [terms[first], *terms[:first], *terms[first + 1:]]


def split_coefficient(product: Basic) -> tuple[bool, Basic, list[Basic]]:
    """A matrix product as (negative, scalar coefficient, matrix factors).

    >>> from sympy import Rational, Symbol
    >>> from derivations.notation import W
    >>> split_coefficient(-Symbol("eta") * W)
    (True, eta, [W])
    >>> split_coefficient(Rational(1, 2) * W.T)
    (False, 1/2, [W.T])
    """
    scalars = [arg for arg in product.args if not getattr(arg, "is_Matrix", False)]
    matrices = [arg for arg in product.args if getattr(arg, "is_Matrix", False)]
    coefficient = Mul(*scalars)
    negative = bool(coefficient.could_extract_minus_sign())
    return negative, (-coefficient if negative else coefficient), matrices


def vectorised(symbol: Basic) -> str | None:
    """The matrix a symbol named ``vec_M`` (or ``vec(M)``) stacks, else None.

    >>> from sympy import MatrixSymbol
    >>> vectorised(MatrixSymbol("vec_M", 4, 1)), vectorised(MatrixSymbol("M", 2, 2))
    ('M', None)
    """
    match = _VECTORISED_NAME.match(getattr(symbol, "name", ""))
    return match.group(1) if match else None


def common_denominator(matrix: sympy.MatrixBase) -> tuple[Basic, sympy.MatrixBase] | None:
    """``(q, q M)`` when the entries of ``M`` share a denominator ``q``, printed ``1/q (q M)``.

    People write ``1/193 [167 84; ...]``, not a fraction in every entry; a common
    symbolic denominator (a Cayley transform's ``a^2 + b^2 + c^2 + 1``) too.

    >>> common_denominator(sympy.ImmutableMatrix([[sympy.Rational(1, 2)], [sympy.Rational(1, 3)]]))
    (6, Matrix([
    [3],
    [2]]))
    >>> common_denominator(sympy.ImmutableMatrix([[1, 2]])) is None
    True
    """
    entries = [entry for entry in matrix if entry != 0]
    if len(entries) < 2 or any(not isinstance(entry, sympy.Expr) or entry.has(MatrixExpr)
                               for entry in entries):
        return None
    fractions = [sympy.fraction(sympy.together(entry)) for entry in entries]
    denominators = [q for _, q in fractions]
    if all(q.is_Integer for q in denominators):
        if sum(1 for q in denominators if q != 1) < 2:
            return None
        common = functools.reduce(sympy.lcm, denominators)
    elif len(set(denominators)) == 1 and len(entries) == len(matrix):
        # A symbolic denominator is pulled out only when every entry has exactly it.
        common = denominators[0]
    else:
        return None
    if common == 1 or subtracted(common):
        return None
    scaled = matrix.applyfunc(lambda entry: _times(entry, common))
    return common, scaled


def _times(entry: Basic, common: Basic) -> Basic:
    """``entry * common`` where ``common`` is a multiple of the entry's denominator."""
    numerator, denominator = sympy.fraction(sympy.together(entry))
    return numerator * sympy.cancel(common / denominator)


#: How an assumption predicate reads: ``Q.positive_definite(S)`` is "S is positive definite".
PREDICATE_WORDS = {
    "positive_definite": "is positive definite",
    "positive_semidefinite": "is positive semidefinite",
    "invertible": "is invertible",
    "orthogonal": "is orthogonal",
    "symmetric": "is symmetric",
    "nonzero": "is nonzero",
    "positive": "is positive",
    "nonnegative": "is nonnegative",
    "negative": "is negative",
    "real": "is real",
    "diagonal": "is diagonal",
    "square": "is square",
    "singular": "is singular",
    "unitary": "is unitary",
    "integer": "is an integer",
}


def predicate_words(expr) -> str:
    """The words after the argument of an applied predicate.

    >>> predicate_words(sympy.Q.positive_definite(sympy.Symbol("x")))
    'is positive definite'
    """
    name = expr.function.name
    return PREDICATE_WORDS.get(name, "is " + name.replace("_", " "))


def diagonal_ends(matrix: Basic) -> tuple[Basic, Basic] | None:
    """The first and last diagonal entries of a diagonal ``FunctionMatrix``, or ``None``.

    A ``FunctionMatrix`` with entries ``delta_ab f(a)`` is ``diag(f(1), ..., f(n))``
    (1-based, as the reader counts); any other matrix is not diagonal here.
    """
    if not isinstance(matrix, sympy.FunctionMatrix):
        return None
    (a, b), body = matrix.lamda.args[0], matrix.lamda.args[1]
    deltas = body.atoms(sympy.KroneckerDelta)
    if len(deltas) != 1:
        return None
    delta = next(iter(deltas))
    if set(delta.args[:2]) != {a, b}:
        return None
    entry = body.subs(delta, 1)
    if entry.has(b) or sympy.simplify(body - entry * delta) != 0:
        return None
    return entry.subs(a, 1), entry.subs(a, matrix.rows)


class HumanRules:
    """The ordering and naming rules shared by both printers (mixed into each)."""

    def _as_ordered_terms(self, expr, order=None):
        return reader_order(list(super()._as_ordered_terms(expr, order=order)))

    def _print_MatAdd(self, expr):
        return self._print_Add(expr, order="none")


class HumanLatexPrinter(HumanRules, LatexPrinter):
    """LaTeX for the Markdown document (and matplotlib's mathtext in the figures)."""

    def _print_Identity(self, expr):
        if expr.rows == 1:  # a 1 x 1 identity is the number 1
            return "1"
        return r"I_{%s}" % self._print(expr.rows)

    def _print_ZeroMatrix(self, expr):
        return "0"

    def _words(self, expr, word: str) -> str:
        # A statement that is itself a conjunction or disjunction keeps its brackets.
        parts = [r"\left(%s\right)" % self._print(arg) if isinstance(arg, _Connective)
                 else self._print(arg) for arg in expr.args]
        return (r" \ \text{%s}\ " % word).join(parts)

    def _print_And(self, expr):
        return self._words(expr, "and")

    def _print_Or(self, expr):
        return self._words(expr, "or")

    def _print_Idx(self, expr):
        # An index is its letter; its range is stated once in words, never in a subscript.
        return self._print(expr.label)

    def _print_Add(self, expr, order=None):
        tex = ""
        for position, term in enumerate(self._as_ordered_terms(expr, order=order)):
            if position:
                tex += " - " if subtracted(term) else " + "
                term = -term if subtracted(term) else term
            printed = self._print(term)
            tex += r"\left(%s\right)" % printed if self._needs_add_brackets(term) else printed
        return tex

    def _print_MatMul(self, expr):
        negative, coefficient, matrices = split_coefficient(expr)
        parts = [] if coefficient == 1 else [self.parenthesize(coefficient, 45, False)]
        parts += [self.parenthesize(m, 50, False) if isinstance(m, MatAdd) or m.is_Add
                  else self._print(m) for m in matrices]
        return ("- " if negative else "") + " ".join(parts)

    def _print_MatrixSymbol(self, expr):
        stacked = vectorised(expr)
        if stacked is not None:
            return r"\operatorname{vec}\left(%s\right)" % self._print(sympy.Symbol(stacked))
        return super()._print_MatrixSymbol(expr)

    def _print_Symbol(self, expr, style="plain"):
        # A word as a subscript (sigma_max) is a label, upright, as MathML shows it.
        return _WORD_SUBSCRIPT.sub(r"_{\\mathrm{\1}}", super()._print_Symbol(expr, style))

    def _print_Function(self, expr, exp=None):
        # The same for the name of an applied function: sigma_max(Sigma).
        return _WORD_SUBSCRIPT.sub(r"_{\\mathrm{\1}}", super()._print_Function(expr, exp))

    def _print_ConditionSet(self, expr):
        variable = self._print(expr.sym)
        if expr.base_set is not S.UniversalSet:
            variable += r" \in " + self._print(expr.base_set)
        return r"\left\{%s : %s\right\}" % (variable, self._print(expr.condition))

    def _print_BlockMatrix(self, expr):
        rows = [" & ".join(self._print(block) for block in expr.blocks.row(i))
                for i in range(expr.blocks.rows)]
        if len(rows) == 1:
            # One row of blocks needs no array: inline math that GitHub renders safely.
            return r"\left[\, %s \,\right]" % r" \;\; ".join(
                self._print(block) for block in expr.blocks.row(0))
        return r"\left[\begin{matrix}%s\end{matrix}\right]" % r" \\ ".join(rows)

    def _print_Determinant(self, expr):
        return r"\det\left(%s\right)" % self._print(expr.arg)

    def _print_FunctionMatrix(self, expr):
        ends = diagonal_ends(expr)
        if ends is None:
            return super()._print_FunctionMatrix(expr)
        return r"\operatorname{diag}\left(%s, \ldots, %s\right)" % tuple(map(self._print, ends))

    def _print_MatrixBase(self, expr):
        factored = common_denominator(expr)
        if factored is None:
            return super()._print_MatrixBase(expr)
        common, scaled = factored
        return r"\frac{1}{%s} %s" % (self._print(common), super()._print_MatrixBase(scaled))

    def _print_Trace(self, expr):
        return r"\operatorname{tr}\left(%s\right)" % self._print(expr.arg)

    def _print_AppliedPredicate(self, expr):
        return r"%s\ \text{%s}" % (self._print(expr.arguments[0]), predicate_words(expr))

    def _print_BooleanTrue(self, expr):
        return r"\text{true}"

    def _print_BooleanFalse(self, expr):
        return r"\text{false}"

    def _print_Piecewise(self, expr):
        rows = []
        for value, condition in expr.args:
            when = (r"\text{otherwise}" if condition == sympy.true
                    else r"\text{if } " + self._print(condition))
            rows.append(f"{self._print(value)} & {when}")
        return r"\begin{cases} %s \end{cases}" % r" \\ ".join(rows)


class HumanMathMLPrinter(HumanRules, MathMLPresentationPrinter):
    """Presentation MathML for the HTML document, by the same rules as the LaTeX."""

    def _element(self, tag: str, *children, text: str | None = None, **attributes) -> Element:
        element = self.dom.createElement(tag)
        for name, value in attributes.items():
            element.setAttribute(name.replace("_", ""), value)
        if text is not None:
            element.appendChild(self.dom.createTextNode(text))
        for child in children:
            element.appendChild(child)
        return element

    def _operator(self, text: str, **attributes) -> Element:
        return self._element("mo", text=text, **attributes)

    def _fenced(self, inner: Element, opening="(", closing=")") -> Element:
        return self._element("mrow", self._operator(opening), inner, self._operator(closing))

    def _named(self, name: str, argument: Element) -> Element:
        return self._element("mrow", self._element("mi", text=name, mathvariant="normal"),
                             self._fenced(argument))

    def _print_Identity(self, expr):
        if expr.rows == 1:
            return self._element("mn", text="1")
        return self._element("msub", self._element("mi", text="I"), self._print(expr.rows))

    def _print_ZeroMatrix(self, expr):
        return self._element("mn", text="0")

    def _print_Exp1(self, expr):
        return self._element("mi", text="e", mathvariant="normal")

    def _words(self, expr, word: str) -> Element:
        row = self._element("mrow")
        for position, arg in enumerate(expr.args):
            if position:
                row.appendChild(self._element("mtext", text=f"\u00a0{word}\u00a0"))
            printed = self._print(arg)
            row.appendChild(self._fenced(printed) if isinstance(arg, _Connective) else printed)
        return row

    def _print_And(self, expr):
        return self._words(expr, "and")

    def _print_Or(self, expr):
        return self._words(expr, "or")

    def _print_Idx(self, expr):
        return self._print(expr.label)

    def _print_Add(self, expr, order=None):
        row = self._element("mrow")
        for position, term in enumerate(self._as_ordered_terms(expr, order=order)):
            if position:
                row.appendChild(self._operator("-" if subtracted(term) else "+"))
                term = -term if subtracted(term) else term
            row.appendChild(self._print(term))
        return row

    def _print_MatMul(self, expr):
        negative, coefficient, matrices = split_coefficient(expr)
        row = self._element("mrow")
        if negative:
            row.appendChild(self._operator("-"))
        factors = ([] if coefficient == 1 else [coefficient]) + matrices
        for position, factor in enumerate(factors):
            if position:
                row.appendChild(self._operator("&InvisibleTimes;"))
            printed = self._print(factor)
            if isinstance(factor, MatAdd) or factor.is_Add:
                printed = self._fenced(printed)
            row.appendChild(printed)
        return row

    def _print_MatrixSymbol(self, expr):
        stacked = vectorised(expr)
        if stacked is not None:
            return self._named("vec", self._print(sympy.Symbol(stacked)))
        return super()._print_MatrixSymbol(expr)

    def _print_Pow(self, expr):
        # ||W||_F^2 stacks the exponent over the subscript, as LaTeX does; SymPy's
        # printer would raise the whole norm, putting the 2 after the F.
        if not isinstance(expr.base, _Norm):
            return super()._print_Pow(expr)
        row = self._print(expr.base)
        subscript = row.lastChild
        stacked = self.dom.createElement("msubsup")
        for child in list(subscript.childNodes):
            stacked.appendChild(child)
        stacked.appendChild(self._print(expr.exp))
        row.replaceChild(stacked, subscript)
        return row

    def _print_ConditionSet(self, expr):
        row = self._element("mrow", self._operator("{"), self._print(expr.sym))
        if expr.base_set is not S.UniversalSet:
            row.appendChild(self._operator("\u2208"))
            row.appendChild(self._print(expr.base_set))
        row.appendChild(self._operator(":"))
        row.appendChild(self._print(expr.condition))
        row.appendChild(self._operator("}"))
        return row

    def _table(self, rows, *, columnalign="center") -> Element:
        table = self._element("mtable", columnalign=columnalign)
        for cells in rows:
            table.appendChild(self._element("mtr", *(self._element("mtd", c) for c in cells)))
        return table

    def _print_MatrixBase(self, expr):
        factored = common_denominator(expr)
        if factored is not None:
            common, scaled = factored
            fraction = self._element("mfrac", self._element("mn", text="1"), self._print(common))
            return self._element("mrow", fraction, self._print_MatrixBase(scaled))
        table = self._table([[self._print(expr[i, j]) for j in range(expr.cols)]
                             for i in range(expr.rows)])
        return self._fenced(table, "[", "]")

    def _print_BlockMatrix(self, expr):
        blocks = expr.blocks
        table = self._table([[self._print(blocks[i, j]) for j in range(blocks.cols)]
                             for i in range(blocks.rows)])
        return self._fenced(table, "[", "]")

    def _print_Determinant(self, expr):
        return self._named("det", self._print(expr.arg))

    def _print_FunctionMatrix(self, expr):
        ends = diagonal_ends(expr)
        if ends is None:
            return super()._print_FunctionMatrix(expr)
        first, last = map(self._print, ends)
        inner = self._element("mrow", first, self._operator(","), self._operator("\u2026"),
                              self._operator(","), last)
        return self._element("mrow", self._element("mi", text="diag", mathvariant="normal"),
                             self._fenced(inner))

    def _print_Trace(self, expr):
        return self._named("tr", self._print(expr.arg))

    def _print_AppliedPredicate(self, expr):
        return self._element("mrow", self._print(expr.arguments[0]),
                             self._element("mtext", text="\u00a0" + predicate_words(expr)))

    def _print_KroneckerDelta(self, expr):
        indices = self._element("mrow", *(self._print(index) for index in expr.args))
        return self._element("msub", self._element("mi", text="\u03b4"), indices)

    def _print_BooleanTrue(self, expr):
        return self._element("mtext", text="true")

    def _print_BooleanFalse(self, expr):
        return self._element("mtext", text="false")

    def _print_Piecewise(self, expr):
        rows = []
        for value, condition in expr.args:
            if condition == sympy.true:
                when = self._element("mtext", text="otherwise")
            else:
                when = self._element("mrow", self._element("mtext", text="if\u00a0"),
                                     self._print(condition))
            rows.append([self._print(value), when])
        return self._element("mrow", self._operator("{"),
                             self._table(rows, columnalign="left left"))


@functools.cache
def latex(expr: Basic) -> str:
    """``expr`` in LaTeX by the human rules (cached: a rule is printed beside many steps)."""
    return HumanLatexPrinter().doprint(expr)


# SymPy 1.14 prints some numeric character references without their ';' (ZeroMatrix).
_UNTERMINATED_REFERENCE = re.compile(r"(&#x?[0-9A-Fa-f]+)(?![0-9A-Fa-f;])")
# SymPy writes its text nodes unescaped: a relation '<' would be a raw '<' in the HTML.
_RAW_ANGLE = re.compile(r"<mo>([<>])(=?)</mo>")


@functools.cache
def mathml(expr: Basic) -> str:
    """``expr`` as presentation MathML (the inside of a ``<math>`` element).

    >>> from sympy import Symbol
    >>> mathml(Symbol("a") < Symbol("b"))
    '<mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow>'
    """
    body = _UNTERMINATED_REFERENCE.sub(r"\1;", HumanMathMLPrinter().doprint(expr))
    body = _RAW_ANGLE.sub(lambda m: "<mo>" + {"<": "&lt;", ">": "&gt;"}[m.group(1)]
                          + m.group(2) + "</mo>", body)
    # SymPy prints the hyphen-minus; typeset the minus sign U+2212.
    return body.replace("<mo>-</mo>", "<mo>&#x2212;</mo>").replace("<mn>-", "<mn>&#x2212;")
