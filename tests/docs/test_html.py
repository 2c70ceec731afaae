"""The HTML page: self-contained, valid, every formula the human printer's MathML."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy
from sympy import Eq, Identity, ImmutableMatrix, MatrixSymbol, Symbol, ZeroMatrix

import derivations.render.html as render_html_module
from derivations.claims import all_claims
from derivations.document import FIGURES, REFERENCES, document, figure_numbers, reference_anchor
from derivations.engine import Claim, Part, Step, prose
from derivations.notation import FrobeniusNorm, PseudoInverse, SpectralNorm, W, k
from derivations.render.html import inline_svg, math, render_html
from derivations.render.printer import mathml as mathml_body
from derivations.sections import Figure

ROOT = Path(__file__).resolve().parents[2]


def mathml(expr, *, display=False):
    return math(mathml_body(expr), display=display)

# HTML elements that have no closing tag.
VOID = {"meta", "br", "img", "hr", "link", "input", "path", "use", "stop", "rect", "circle",
        "line", "polyline", "polygon", "ellipse", "image"}


@pytest.fixture(scope="module")
def page():
    # The committed page: test_command.py's freshness test (and CI's `python -m derivations
    # --check`) fails unless it is exactly what the checked derivations render, so reading
    # it spares this process checking every claim again (seconds).
    return (ROOT / "docs" / "derivations.html").read_text(encoding="utf-8"), document()


def toy_claim(claim_id="X9", title="toy", **fields):
    x = Symbol("x")
    fields.setdefault("proof", (Part(heading="part", steps=(Step(x + x, 2 * x, "add"),)),))
    fields.setdefault("conclusions", (Eq(x + x, 2 * x, evaluate=False),))
    return Claim(id=claim_id, title=title, statement=prose("toy ", x), **fields)


class TagBalance(HTMLParser):
    """Records unclosed and mismatched tags (SVG self-closing tags count as closed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def test_page_is_self_contained_without_scripts_or_network(page):
    text, _ = page
    assert text.startswith("<!DOCTYPE html>\n")
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()
    assert not re.search(r'(src|href)="(https?:)?//', text), "the page must not fetch anything"
    assert "<style>" in text


def test_page_is_well_formed_with_unique_ids(page):
    parser = TagBalance()
    parser.feed(page[0])
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    assert len(parser.ids) == len(set(parser.ids)), "duplicate ids"


def test_every_internal_link_has_its_anchor(page):
    text = page[0]
    anchors = set(re.findall(r'\bid="([^"]+)"', text))
    targets = set(re.findall(r'href="#([^"]+)"', text))
    assert targets, "the contents must link to the sections"
    assert targets <= anchors


def test_every_claim_has_lowercase_anchor_contents_entry_and_check_status(page):
    text, sections = page
    for claim in (s for s in sections if isinstance(s, Claim)):
        assert f'<section id="{claim.id.lower()}" class="claim">' in text
        assert f'<a href="#{claim.id.lower()}">' in text
        # The count itself is the check's: the freshness test compares the whole page.
        count = re.search(rf"Checked: all (\d+) steps of {claim.id} hold\.", text)
        assert count and int(count.group(1)) > 0, claim.id


def test_every_step_is_displayed_as_block_mathml_from_the_printer(page):
    text = page[0]
    for claim in all_claims():
        for _, step in claim.steps():
            assert render_html_module.display(step.lhs, step.relation, step.rhs) in text


def test_no_latex_source_reaches_the_page(page):
    text = re.sub(r"<style>.*?</style>", "", page[0], flags=re.DOTALL)
    for latex_mark in (r"\frac", r"\left", "$$", r"\mathbb", "^{"):
        assert latex_mark not in text


def test_references_are_rendered_in_full_each_with_an_id(page):
    text = page[0]
    assert '<section id="references">' in text
    for name, entry in REFERENCES.items():
        assert f'<li id="{reference_anchor(name)}">{name}: ' in text
        assert entry.replace("&", "&amp;") in text


def test_every_heading_has_an_id(page):
    headings = re.findall(r"<h[1-6]([^>]*)>", page[0])
    assert headings and all('id="' in attributes or attributes == "" for attributes in headings)
    # h2 headings sit directly in a section that carries the id.
    bare = [m.start() for m in re.finditer(r"<h[3-6]>", page[0])]
    assert bare == [], "an h3/h4 without an id"


def test_no_raw_angle_bracket_inside_mathml_operators(page):
    assert re.search(r"<mo>[<>]", page[0]) is None


def test_mathml_is_presentation_mathml_wrapped_in_math():
    expr = W.T * W
    assert mathml(expr) == f"<math>{sympy.mathml(expr, printer='presentation')}</math>"
    assert mathml(expr, display=True).startswith('<math display="block">')


def test_page_names_a_math_font_stack_with_stretchy_glyphs(page):
    style = page[0].split("<style>", 1)[1].split("</style>", 1)[0]
    fonts = re.search(r"math \{ font-family: ([^;]+);", style).group(1)
    assert fonts.index("Latin Modern Math") < fonts.index("DejaVu Math TeX Gyre")
    assert "STIX Two Math" in fonts


def test_rewriting_rules_are_secondary_in_a_details_element(page):
    text = page[0]
    assert '<details class="rules"><summary>rewriting with' in text
    assert "; rewriting with" not in text


def test_document_opens_with_question_answer_then_setup(page):
    text = page[0]
    order = [text.index(f'<section id="{anchor}"') for anchor in
             ("the-question", "the-answer", "setup", "p1", "assumptions", "references")]
    assert order == sorted(order)
    assert '<table class="symbols">' in text

def test_pseudo_inverse_and_spectral_norm_print_as_superscript_plus_and_double_bars():
    assert mathml(PseudoInverse(W)) == "<math><msup><mi>W</mi><mo>+</mo></msup></math>"
    norm = mathml(SpectralNorm(W.T - PseudoInverse(W)))
    assert norm.count("&#8214;") == 2 and "<mn>2</mn>" in norm


def test_power_of_a_norm_stacks_exponent_over_subscript_like_latex():
    squared = mathml(FrobeniusNorm(W) ** 2)
    assert "<msubsup><mo>&#8214;</mo><mi>F</mi><mn>2</mn></msubsup>" in squared
    assert "<msup>" not in squared


def test_sympy_numeric_references_are_terminated_and_minus_is_a_minus_sign():
    # SymPy 1.14 prints ZeroMatrix as '&#x1D7D8' with no ';'.
    zero = mathml(ZeroMatrix(2, 2))
    assert re.search(r"&#x?[0-9A-Fa-f]+(?![0-9A-Fa-f;])", zero) is None
    assert "<mo>&#x2212;</mo>" in mathml(Symbol("a") - Symbol("b"))
    assert "<mn>&#x2212;1</mn>" in mathml(sympy.Inverse(W.T * W))


def test_text_is_escaped_and_markdown_marks_become_html():
    claim = toy_claim(title="<b>&co", remarks=(prose("a < b & `python -m x` is **bold**"),))
    text = render_html((claim,), {"X9": 1})
    assert "<h2>X9. &lt;b&gt;&amp;co</h2>" in text
    assert "a &lt; b &amp; <code>python -m x</code> is <strong>bold</strong>" in text


def test_rule_defining_a_named_explicit_matrix_reads_as_defined_above():
    Q = MatrixSymbol("Q", 2, 2)
    definition = Eq(Q, ImmutableMatrix([[0, 1], [1, 0]]))
    step = Step(Q * Q, Identity(2), "a swap squared", using=(definition, Eq(W.T * W, Identity(k))))
    claim = toy_claim(proof=(Part(heading="p", steps=(step,)),))
    text = render_html((claim,), {"X9": 1})
    assert "</summary><math><mi>Q</mi></math> as defined above, <math>" in text
    assert "<mtable" not in text.split("<summary>", 1)[1].split("</details>", 1)[0]


def test_figures_are_inlined_beside_their_claim_with_unique_ids(monkeypatch, tmp_path):
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg">'
           '<defs><clipPath id="p1"><rect/></clipPath></defs><g clip-path="url(#p1)"/></svg>')
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "toy.svg").write_text(svg, encoding="utf-8")
    figure = Figure(file="figures/toy.svg", alt="a toy <plot>", caption=prose("of ", W))
    monkeypatch.setattr(render_html_module, "FIGURE_ROOT", tmp_path)
    monkeypatch.setitem(FIGURES, "X9", (figure,))
    other = Figure(file="figures/toy.svg", alt="again", caption=prose("twice"))
    (tmp_path / "figures" / "toy2.svg").write_text(svg, encoding="utf-8")
    second = Figure(file="figures/toy2.svg", alt="second", caption=prose("of ", W))
    monkeypatch.setitem(FIGURES, "X8", (other, second))
    text = render_html((toy_claim("X9"), toy_claim("X8")), {"X9": 1, "X8": 1})
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text
    assert 'id="figure1-p1"' in text and 'url(#figure2-p1)' in text
    assert 'aria-label="a toy &lt;plot&gt;"' in text
    first = text.index('<section id="x9"')
    assert first < text.index('<figure id="figure-1">') < text.index('<section id="x8"')
    assert "<strong>Figure 2.</strong> of <math><mi>W</mi></math>" in text
    # A figure already drawn beside an earlier claim is referred to, not drawn again.
    assert text.count('<figure id="figure-1">') == 1 and "twice" not in text
    assert ('<a href="#figure-1">Figure 1</a>, beside <a href="#x9">X9</a>, illustrates X8 '
            "too.") in text


def test_the_gradient_descent_figure_is_drawn_beside_f3_and_linked_from_a4(page):
    text, sections = page[0], page[1]
    number, beside = figure_numbers(sections)["figures/f3_gradient_descent.svg"]
    assert beside == "F3"
    a4, f3 = text.index('<section id="a4"'), text.index('<section id="f3"')
    figure = text.index(f'<figure id="figure-{number}">')
    assert f3 < figure and text.count(f'<figure id="figure-{number}">') == 1
    assert text.index(f'<a href="#figure-{number}">Figure {number}</a>, beside '
                      '<a href="#f3">F3</a>', a4) < f3


def test_missing_figure_file_falls_back_to_a_relative_image(monkeypatch, tmp_path):
    monkeypatch.setattr(render_html_module, "FIGURE_ROOT", tmp_path)
    monkeypatch.setitem(FIGURES, "X9", (Figure("figures/none.svg", "gone", prose("c")),))
    text = render_html((toy_claim(),), {"X9": 1})
    assert '<img src="figures/none.svg" alt="gone">' in text


def test_inline_svg_prefixes_every_id_and_reference():
    svg = '<svg><g id="a"/><g id="ab" clip-path="url(#a)"/><use xlink:href="#ab"/></svg>'
    out = inline_svg(svg, prefix="f-")
    assert out == ('<svg><g id="f-a"/><g id="f-ab" clip-path="url(#f-a)"/>'
                   '<use xlink:href="#f-ab"/></svg>')
