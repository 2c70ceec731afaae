"""One claim as plain text for a terminal: ``python -m derivations show P3``.

The document's structure (statement, idea, hypotheses, conclusion, the proof's
parts and steps) with every formula drawn as
formula of one line of Unicode (``W Wᵀ W = W``, ``σᵢ²``), in the sentence, a step's
relation on a line of its own, indented. An assumption predicate reads as words
(``S is positive definite``), as in the document.

>>> from sympy import Symbol
>>> text_line(("if ", Symbol("x") > 1, " then"))
'if x > 1 then'
"""

from __future__ import annotations

import textwrap

import sympy
from sympy import Basic

from derivations.engine import Claim
from sympy import MatAdd
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from derivations.render.printer import diagonal_ends, predicate_words, split_coefficient
from derivations.sections import as_text, paragraphs

__all__ = ["claim_text", "formula", "text_line"]

#: Characters per line of reading text (a terminal's 80 columns, less the indentation).
WIDTH = 78

_RELATIONS = {"=>": "⇒", "<=>": "⇔", "&": "and", ">=": "≥", "<=": "≤", "!=": "≠"}


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT_CHARS = "0123456789aeijklmnoprstuvx"
_SUBSCRIPT = str.maketrans(_SUBSCRIPT_CHARS, "₀₁₂₃₄₅₆₇₈₉ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


class TextPrinter(StrPrinter):
    """One line of Unicode as a student writes it: ``W Wᵀ W = W``, ``W⁺``, ``σᵢ²``, ``I``."""

    def _print(self, expr, **kwargs):
        # A rule here for a class wins over the class's own ``_sympystr`` (``pinv(W)``).
        method = getattr(self, "_print_" + type(expr).__name__, None)
        if method is not None:
            return method(expr, **kwargs)
        return super()._print(expr, **kwargs)

    def _atom(self, expr) -> str:
        return pretty_symbol(expr.name)

    _print_Symbol = _atom
    _print_MatrixSymbol = _atom
    _print_Dummy = _atom

    def _print_Idx(self, expr):
        return self._print(expr.label)

    def _postfix(self, arg, mark: str) -> str:
        printed = self._print(arg)
        if not (arg.is_Atom or isinstance(arg, (sympy.MatrixSymbol, sympy.Indexed))):
            printed = f"({printed})"
        return printed + mark

    def _print_Transpose(self, expr):
        return self._postfix(expr.arg, "ᵀ")

    def _print_Inverse(self, expr):
        return self._postfix(expr.arg, "⁻¹")

    def _print_PseudoInverse(self, expr):
        return self._postfix(expr.args[0], "⁺")

    def _print_Identity(self, expr):
        return "I"

    def _print_ZeroMatrix(self, expr):
        return "0"

    def _print_MatMul(self, expr):
        negative, coefficient, matrices = split_coefficient(expr)
        parts = [] if coefficient == 1 else [self.parenthesize(coefficient, 45)]
        parts += [f"({self._print(m)})" if isinstance(m, MatAdd) or m.is_Add else self._print(m)
                  for m in matrices]
        return ("-" if negative else "") + " ".join(parts)

    def _print_Pow(self, expr, rational=False):
        if expr.exp.is_Integer and expr.exp != -1 or expr.exp == -1 and expr.base.is_Atom:
            base = self.parenthesize(expr.base, 60)
            return base + str(expr.exp).translate(_SUPERSCRIPT)
        return super()._print_Pow(expr, rational)

    def _print_MatPow(self, expr):
        if expr.exp.is_Integer:
            return self._postfix(expr.base, str(expr.exp).translate(_SUPERSCRIPT))
        return super()._print_MatPow(expr)

    def _print_Trace(self, expr):
        return f"tr({self._print(expr.arg)})"

    def _print_SpectralNorm(self, expr):
        return f"‖{self._print(expr.args[0])}‖₂"

    def _print_FrobeniusNorm(self, expr):
        return f"‖{self._print(expr.args[0])}‖_F"

    def _print_Mul(self, expr):
        # A product of scalars as a product is written: 2 σᵢ, not 2*σ[i].
        return super()._print_Mul(expr).replace("*", " ")

    def _print_KroneckerDelta(self, expr):
        # Its third argument is the range of the indices: stated in words, not printed.
        return "δ_" + "".join(self._print(index) for index in expr.args[:2])

    def _print_Indexed(self, expr):
        indices = "".join(map(self._print, expr.indices))
        subscript = indices.translate(_SUBSCRIPT)
        if all(char in _SUBSCRIPT_CHARS for char in indices):
            return self._print(expr.base.label) + subscript
        return f"{self._print(expr.base.label)}_{indices}"

    def _print_FunctionMatrix(self, expr):
        # diag(σ₁, …, σᵣ) for the diagonal matrix of entries δ_ab f(a); else the entry in brackets.
        (a, b), body = expr.lamda.args[0], expr.lamda.args[1]
        ends = diagonal_ends(expr)
        if ends is not None:
            return f"diag({self._print(ends[0])}, …, {self._print(ends[1])})"
        return f"[{self._print(body)}]_{self._print(a)}{self._print(b)}"

    def _infix(self, expr, symbol: str) -> str:
        return f"{self._print(expr.lhs)} {symbol} {self._print(expr.rhs)}"

    def _print_Relational(self, expr):
        symbols = {"==": "=", "!=": "≠", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}
        return self._infix(expr, symbols.get(expr.rel_op, expr.rel_op))

    _print_Equality = _print_Relational
    _print_Unequality = _print_Relational

    def _print_Implies(self, expr):
        return " ⇒ ".join(self._print(arg) for arg in expr.args)

    def _print_Equivalent(self, expr):
        return " ⇔ ".join(self._print(arg) for arg in expr.args)

    def _print_And(self, expr):
        return " and ".join(self._print(arg) for arg in expr.args)

    def _print_Or(self, expr):
        return " or ".join(self._print(arg) for arg in expr.args)

    def _print_AppliedPredicate(self, expr):
        return f"{self._print(expr.arguments[0])} {predicate_words(expr)}"

    def _print_BooleanTrue(self, expr):
        return "true"

    def _print_BooleanFalse(self, expr):
        return "false"

    def _print_Exp1(self, expr):
        return "e"


def formula(expr: Basic) -> str:
    """``expr`` on one line of Unicode (a student's notation, not SymPy's names).

    >>> W = sympy.MatrixSymbol("W", 3, 2)
    >>> formula(sympy.Eq(W * W.T * W, W))
    'W Wᵀ W = W'
    >>> formula(sympy.Q.positive_definite(W.T * W))
    'Wᵀ W is positive definite'
    """
    try:
        return TextPrinter().doprint(expr)
    except Exception:  # a notation this printer does not know: SymPy's string form
        return sympy.sstr(expr)


def text_line(text) -> str:
    """Reading text with its formulas, as one line."""
    return "".join(part if isinstance(part, str) else formula(part) for part in as_text(text))


def _paragraph(text, indent: str = "") -> list[str]:
    """Reading text wrapped to the terminal."""
    return textwrap.wrap(text_line(text), WIDTH - len(indent), initial_indent=indent,
                         subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False) or [indent]


def _relation(lhs: Basic, relation: str, rhs: Basic, indent: str) -> list[str]:
    """``lhs relation rhs`` on one line when it fits, else the relation starts the next."""
    left, right = formula(lhs), formula(rhs)
    symbol = _RELATIONS.get(relation, relation)
    if len(left) + len(right) + len(indent) + 8 <= WIDTH:
        return [f"{indent}    {left} {symbol} {right}"]
    return [f"{indent}    {left}", f"{indent}  {symbol} {right}"]


def _part(part, number: str, indent: str = "") -> list[str]:
    lines = ["", f"{indent}{number} {text_line(part.heading)}"]
    if part.text:
        lines += _paragraph(part.text, indent)
    for step_number, step in enumerate(part.steps, start=1):
        lines += _paragraph((f"Step {step_number}. ", *step.because, "."), indent)
        lines += _relation(step.lhs, step.relation, step.rhs, indent)
    for sub_number, sub in enumerate(getattr(part, "parts", ()), start=1):
        lines += _part(sub, f"{number}{sub_number}.", indent + "  ")
    if part.conclusion:
        lines += _paragraph(part.conclusion, indent)
    return lines


def claim_text(claim: Claim) -> str:
    """One claim as the document has it (statement, idea, hypotheses, conclusion, proof)."""
    lines = [f"{claim.id}. {claim.title}", "=" * min(WIDTH, len(claim.id) + 2 + len(claim.title)),
             ""]
    lines += _paragraph((f"Claim {claim.id}. ", *as_text(claim.statement)))
    for paragraph in paragraphs(claim.idea):
        lines += ["", *_paragraph(("Idea. ", *paragraph))]
    for label, items in (("Hypotheses", claim.hypotheses), ("Conclusion", claim.conclusions)):
        if items:
            lines += ["", f"{label}:"]
            for item in items:
                lines += _paragraph(("- ", *as_text(item)), "  ")
    if claim.generality:
        lines += ["", *_paragraph(("What is proved in general. ", *claim.generality))]
    lines += ["", "Proof", "-----"]
    for number, part in enumerate(claim.proof, start=1):
        lines += _part(part, f"{number}.")
    if claim.sources:
        lines += ["", "Sources: " + "; ".join(claim.sources) + "."]
    return "\n".join(lines) + "\n"
