"""The human printer and the layout: each rule in LaTeX and MathML, no raw SymPy anywhere."""

import re
from pathlib import Path

import pytest
import sympy
from sympy import (
    BlockMatrix,
    Eq,
    FiniteSet,
    ImmutableMatrix,
    Interval,
    KroneckerDelta,
    MatrixSymbol,
    Piecewise,
    Rational,
    Symbol,
    Trace,
    oo,
    sqrt,
    symbols,
)

from derivations.claims import all_claims
from derivations.notation import FrobeniusNorm, PseudoInverse, SolutionSet, W, d, k
from derivations.render.layout import (
    DISPLAY_WIDTH_EM,
    display_lines,
    layout,
    needs_display,
    width_em,
)
from derivations.render.printer import latex, mathml

decay, eigenvalue, eta = symbols("lambda lambda_i eta", positive=True)
K, G, W_0 = MatrixSymbol("K", d, d), MatrixSymbol("G", d, k), MatrixSymbol("W_0", d, k)
s = Symbol("s", positive=True)

#: SymPy class names and Python values that must never reach a reader.
RAW = re.compile(r"(?i:solutionset|blockmatrix|piecewise|conditionset|matrixsymbol|"
                 r"kroneckerdelta|indexedbase|immutabledensematrix|\bpinv\(|\bnorm_?[2F]\()|"
                 r"Lambda\(|\bTrue\b|\bFalse\b|\bNone\b|\bdiagonal\(|<mi>diagonal</mi>|\u21a6|"
                 r"\\left\(-1\\right\)|<mo>\(</mo><mn>-1</mn>|<mn>&#x2212;1</mn><mo>\)")


def both(expr) -> tuple[str, str]:
    return latex(expr), mathml(expr)


@pytest.mark.parametrize(("expr", "tex"), [
    (1 - decay / (2 * eigenvalue), r"1 - \frac{\lambda}{2 \lambda_{i}}"),
    (W.T - PseudoInverse(W), "W^{T} - W^{+}"),
    (-eta * G + W_0, r"W_{0} - \eta G"),
])
def test_a_sum_starts_with_a_term_that_is_added(expr, tex):
    assert latex(expr) == tex
    assert not mathml(expr).startswith("<mrow><mo>&#x2212;"), "MathML starts with it too"
    assert not mathml(expr).startswith("<mrow><mrow><mo>&#x2212;")


def test_all_subtracted_terms_keep_their_order():
    a, b = symbols("a b")
    assert latex(-a - b) == "- a - b"


def test_a_scalar_factor_of_a_matrix_product_is_a_plain_coefficient():
    for expr, tex in ((-decay * K, r"- \lambda K"), (Rational(1, 2) * W.T, r"\frac{1}{2} W^{T}"),
                      (-eta * (G + W_0), r"- \eta \left(G + W_{0}\right)")):
        printed_tex, printed_mathml = both(expr)
        assert printed_tex == tex
        assert "<mn>&#x2212;1</mn>" not in printed_mathml and "<mo>(</mo><mfrac>" not in \
            printed_mathml


def test_a_solution_set_is_set_builder_notation():
    tex, markup = both(SolutionSet(s, Eq(s**2, 1), Interval.open(0, oo)))
    assert tex == r"\left\{s \in \left(0, \infty\right) : s^{2} = 1\right\}"
    assert markup.startswith("<mrow><mo>{</mo><mi>s</mi><mo>&#8712;</mo>") or \
        markup.startswith("<mrow><mo>{</mo><mi>s</mi><mo>\u2208</mo>")
    assert "solutionset" not in markup.lower()


def test_a_block_matrix_is_bracketed_blocks():
    u = MatrixSymbol("u", 3, 1)
    tex, markup = both(BlockMatrix([[u, u]]))
    assert tex == r"\left[\, u \;\; u \,\right]"
    assert markup == ("<mrow><mo>[</mo><mtable columnalign=\"center\"><mtr><mtd><mi>u</mi></mtd>"
                      "<mtd><mi>u</mi></mtd></mtr></mtable><mo>]</mo></mrow>")


def test_vectorisation_is_the_upright_operator_vec():
    tex, markup = both(MatrixSymbol("vec_M", 4, 1))
    assert tex == r"\operatorname{vec}\left(M\right)"
    assert '<mi mathvariant="normal">vec</mi><mrow><mo>(</mo><mi>M</mi><mo>)</mo></mrow>' in markup


def test_piecewise_is_cases_ending_in_otherwise():
    tex, markup = both(Piecewise((1, s > 1), (0, True)))
    assert tex == r"\begin{cases} 1 & \text{if } s > 1 \\ 0 & \text{otherwise} \end{cases}"
    assert "<mtext>otherwise</mtext>" in markup and "piecewise" not in markup.lower()


def test_booleans_print_as_words_never_as_python_values():
    assert both(sympy.true) == (r"\text{true}", "<mtext>true</mtext>")
    assert both(sympy.false) == (r"\text{false}", "<mtext>false</mtext>")


def test_trace_determinant_kronecker_delta_and_norms_in_standard_notation():
    assert latex(Trace(W * W.T)) == r"\operatorname{tr}\left(W W^{T}\right)"
    assert '<mi mathvariant="normal">tr</mi>' in mathml(Trace(W * W.T))
    assert latex(sympy.Determinant(K)) == r"\det\left(K\right)"
    i, j = symbols("i j")
    assert "<mi>&#948;</mi>" in mathml(KroneckerDelta(i, j)) or "\u03b4" in mathml(
        KroneckerDelta(i, j))
    assert "<msubsup><mo>&#8214;</mo><mi>F</mi><mn>2</mn></msubsup>" in mathml(
        FrobeniusNorm(W) ** 2)


def test_a_word_subscript_is_upright():
    assert latex(Symbol("sigma_max")) == r"\sigma_{\mathrm{max}}"
    # ... also in the name of an applied function, sigma_max(Sigma) of F7.
    largest = sympy.Function("sigma_max")(sympy.MatrixSymbol("Sigma", 2, 2))
    assert latex(largest).startswith(r"\sigma_{\mathrm{max}}")


def test_relations_in_mathml_are_escaped():
    assert "<mo>&lt;</mo>" in mathml(s < 1) and "<mo>&gt;</mo>" in mathml(s > 1)


def test_a_long_display_is_broken_into_lines_that_each_fit():
    long_sum = sum(symbols("a_1:30"))
    lines = display_lines(Symbol("x"), "=", long_sum)
    assert len(lines) > 2 and lines[1].pieces[0][0] == "=" and lines[2].pieces[0][0] == "+"
    for line in lines:
        assert sum(width_em(expr) for _, expr in line.pieces) <= DISPLAY_WIDTH_EM
    assert len(display_lines(Symbol("x"), "=", Symbol("y"))) == 1


def test_a_wide_unbreakable_formula_is_scaled_to_fit():
    entry = sympy.Add(*(Symbol(f"b_{i}") ** 2 for i in range(2)))
    wide = ImmutableMatrix([[entry, 2 * entry, 3 * entry]])
    shape = layout(MatrixSymbol("B", 1, 3), "=", wide)
    assert shape.phone < 1 and shape.phone <= shape.desktop
    assert layout(Symbol("x")).phone == 1


def test_matrices_and_wide_formulas_leave_running_text_for_a_display():
    assert needs_display(ImmutableMatrix([[1], [2]]))
    assert not needs_display(ImmutableMatrix([[1, 2]]))
    assert needs_display(sum(symbols("c_1:40")))
    assert not needs_display(FiniteSet(1))


@pytest.fixture(scope="module")
def outputs():
    # The committed documents, which the freshness test (test_command.py) and CI's
    # `python -m derivations --check` hold to exactly what the checked claims render.
    docs = Path(__file__).resolve().parents[2] / "docs"
    return {name: (docs / name).read_text(encoding="utf-8")
            for name in ("derivations.md", "derivations.html")}


def _without_figures_and_style(text: str) -> str:
    text = re.sub(r"<svg\b.*?</svg>", "", text, flags=re.DOTALL)
    return re.sub(r"<style>.*?</style>", "", text, flags=re.DOTALL)


@pytest.mark.parametrize("name", ["derivations.md", "derivations.html"])
def test_no_raw_sympy_name_or_python_value_in_any_rendered_output(outputs, name):
    text = _without_figures_and_style(outputs[name])
    found = sorted({match.group(0) for match in RAW.finditer(text)})
    assert found == []


def test_the_raw_name_check_catches_what_sympy_prints_raw():
    for raw in (sympy.mathml(SolutionSet(s, Eq(s, 1), Interval(0, 1)), printer="presentation"),
                sympy.latex(sympy.false), sympy.mathml(Piecewise((1, s > 1), (0, True)),
                                                         printer="presentation"),
                sympy.mathml(-decay * K, printer="presentation")):
        assert RAW.search(raw), raw


def _formulas(text):
    for part in text:
        if isinstance(part, sympy.Basic):
            yield part


def _prose_of(claim):
    yield claim.statement
    yield from ((h,) for h in claim.hypotheses + claim.conclusions)
    yield claim.idea
    yield claim.generality
    yield from claim.remarks
    for _, parts in claim.sections():
        for part in parts:
            yield from _part_prose(part)


def _part_prose(part):
    yield from (part.heading, part.text, part.conclusion)
    for step in part.steps:
        yield step.because
    for nested in part.parts:
        yield from _part_prose(nested)


def test_no_claim_prose_holds_a_bare_boolean():
    bare = sorted({claim.id for claim in all_claims() for text in _prose_of(claim)
                   for formula in _formulas(text) if isinstance(formula, sympy.logic.boolalg
                                                                .BooleanAtom)})
    assert bare == []


def test_sqrt_of_a_difference_reads_one_minus():
    assert latex(sqrt(1 - decay / (2 * eigenvalue))) == r"\sqrt{1 - \frac{\lambda}{2 \lambda_{i}}}"


def test_a_common_denominator_is_pulled_out_of_an_explicit_matrix():
    matrix = ImmutableMatrix([[Rational(167, 193), Rational(84, 193)],
                              [Rational(12, 193), Rational(-113, 193)]])
    assert latex(matrix) == (r"\frac{1}{193} \left[\begin{matrix}167 & 84\\12 & -113"
                             r"\end{matrix}\right]")
    assert mathml(matrix).startswith("<mrow><mfrac><mn>1</mn><mn>193</mn></mfrac>")
    a, b = symbols("a b", positive=True)
    mixed = ImmutableMatrix([[1 / a, 0], [0, 1 / b]])
    assert latex(mixed).startswith(r"\left[")


def test_a_matrix_too_wide_for_a_phone_is_listed_entry_by_entry():
    entry = sympy.Add(*(Symbol(f"b_{i}") ** 2 for i in range(8)))
    wide = ImmutableMatrix([[entry, 2 * entry], [3 * entry, 0]])
    shape = layout(MatrixSymbol("B", 2, 2), "=", wide)
    leads = [piece[0] for line in shape.lines for piece in line.pieces]
    words = [lead.text for lead in leads if hasattr(lead, "text")]
    assert words[0] == "the 2 by 2 matrix with 1 zero entry and"
    assert words[1:] == ["(1, 1):", "(1, 2):", "(2, 1):"]
    assert shape.phone >= 0.55


#: Machine notation a reader must not see (issue 21, item 2), one rule of the printer each:
#: the double-struck zero SymPy prints for the zero matrix, I_1 for the number 1, the wedge
#: and vee of logic for "and" and "or", Euler's number as the double-struck e, and an
#: index's range printed into its subscript (``i_{0..k-1}``, MathML ``idx(i,(0,k-1))``).
MACHINE_NOTATION = {
    "zero matrix as a double-struck 0": re.compile(r"&#x1D7D8;?|\U0001d7d8|\\mathbb\{0\}"),
    "1 x 1 identity as I_1": re.compile(r"I_\{1\}|<msub><mi>I</mi><mn>1</mn></msub>"),
    "wedge or vee for and/or": re.compile(r"\\wedge|\\vee|&#x2227;|&#x2228;|\u2227|\u2228"),
    "double-struck e": re.compile(r"&ExponentialE;|&#x2147;|\u2147"),
    "index range in a subscript": re.compile(r"\\mathrel\{\.\.\}|\bidx\(|\\nobreak"),
}


@pytest.mark.parametrize("name", ["derivations.md", "derivations.html"])
@pytest.mark.parametrize("pattern", sorted(MACHINE_NOTATION))
def test_no_machine_notation_in_the_rendered_docs(outputs, name, pattern):
    text = _without_figures_and_style(outputs[name])
    found = MACHINE_NOTATION[pattern].findall(text)
    assert found == [], f"{len(found)} times {pattern} in {name}"


def test_each_machine_notation_rule_of_the_printer():
    i, j = sympy.Idx("i", (0, k - 1)), sympy.Idx("j", (0, k - 1))
    a, b = Symbol("a"), Symbol("b")
    cases = [sympy.ZeroMatrix(d, k), sympy.Identity(1), sympy.And(Eq(a, b), Eq(b, 1)),
             sympy.Or(Eq(a, 0), Eq(b, 0)), sympy.exp(a), sympy.IndexedBase("alpha")[i],
             KroneckerDelta(i, j)]
    printed = " ".join(text for case in cases for text in both(case))
    for pattern, rule in MACHINE_NOTATION.items():
        assert not rule.search(printed), pattern
    # SymPy's own printers show them (and this printer printed I_1): the patterns match.
    raw = " ".join([sympy.mathml(sympy.ZeroMatrix(d, k), printer="presentation"),
                    "I_{1}", sympy.latex(cases[2]), sympy.latex(cases[3]),
                    sympy.mathml(sympy.E, printer="presentation"),
                    sympy.latex(sympy.IndexedBase("alpha")[i])])
    for pattern, rule in MACHINE_NOTATION.items():
        assert rule.search(raw), pattern
    assert latex(sympy.Identity(1)) == "1" and latex(sympy.ZeroMatrix(d, k)) == "0"
    assert latex(cases[2]) == r"a = b \ \text{and}\ b = 1"
    assert latex(KroneckerDelta(i, j)) == r"\delta_{i j}"
