"""The document's order and the hooks the claims fill: idea, trusted facts, symbols."""

import functools

from sympy import Eq, Symbol

from derivations.document import SYMBOLS, assumptions, document, setup
from derivations.engine import Claim, Part, Step, prose
from derivations.render.html import claim_body as html_claim
from derivations.render.html import render_html
from derivations.render.markdown import claim_body as markdown_claim
from derivations.render.markdown import render_markdown
from derivations.sections import TrustedFact

x = Symbol("x")


ClaimWithIdea = functools.partial(Claim, conclusions=(Eq(x + x, 2 * x, evaluate=False),))


def toy(**fields):
    return ClaimWithIdea(id="X9", title="toy", statement=prose("toy ", x),
                         proof=(Part(heading="part", steps=(Step(x + x, 2 * x, "add"),)),),
                         **fields)


def test_sections_come_in_reading_order():
    anchors = [getattr(s, "anchor", None) or s.id for s in document()]
    assert anchors[:3] == ["the-question", "the-answer", "setup"]
    assert anchors[-2:] == ["assumptions", "references"]


def test_idea_follows_the_statement_in_both_formats():
    claim = toy(idea=prose("double ", x, " is ", 2 * x))
    html = "\n".join(html_claim(claim, {"X9": 1}, {}))
    assert '<p class="idea"><strong>Idea.</strong> double <math><mi>x</mi></math>' in html
    assert html.index('class="statement"') < html.index('class="idea"') < html.index("<h3")
    markdown = "\n".join(markdown_claim(claim, {"X9": 1}, {}))
    assert "*Idea.* double $`x`$ is $`2 x`$" in markdown


def test_the_idea_is_one_paragraph():
    claim = toy(idea=prose("one ", x, " two"))
    html = "\n".join(html_claim(claim, {"X9": 1}, {}))
    assert html.count('class="idea"') == 1


def test_a_claim_without_idea_renders_without_one():
    assert 'class="idea"' not in render_html((toy(),), {"X9": 1})


def test_trusted_facts_render_with_source_and_the_claims_that_use_them():
    facts = [TrustedFact("Spectral theorem", prose("symmetric matrices diagonalise"),
                         "Penrose 1955", ("P1", "A4")),
             ("Plain fact", "it holds", "a textbook", ["F7"])]
    essay = assumptions(facts)
    assert [anchor for anchor, _ in essay.items] == ["fact-spectral-theorem", "fact-plain-fact"]
    markdown = render_markdown((essay,), {})
    assert ('<a id="fact-spectral-theorem"></a>**Spectral theorem.** symmetric matrices '
            "diagonalise. Source: [Penrose 1955](#ref-penrose-1955); used in [P1](#p1), "
            "[A4](#a4).") in markdown
    assert "Source: a textbook; used in [F7](#f7)." in markdown
    assert '<li id="fact-plain-fact">' in render_html((essay,), {})


def test_setup_table_holds_every_symbol_row_and_takes_more():
    essay = setup(SYMBOLS + ((prose(Symbol("N")), prose("number of layers")),))
    html = render_html((essay,), {})
    assert html.count("<tr>") == len(SYMBOLS) + 2  # header and the new row
    assert "number of layers" in html


def test_a_statement_and_hypotheses_given_as_sympy_objects_render_as_formulas():
    claim = ClaimWithIdea(id="X9", title="toy", statement=prose(Eq(2 * x, x + x, evaluate=False)),
                          hypotheses=(x > 0,),
                          proof=(Part(heading="part", steps=(Step(x + x, 2 * x, "add"),)),))
    html = "\n".join(html_claim(claim, {"X9": 1}, {}))
    assert "<strong>Claim X9.</strong> <math><mrow><mrow><mn>2</mn>" in html
    assert "<li><math><mrow><mi>x</mi><mo>&gt;</mo><mn>0</mn></mrow></math></li>" in html
    markdown = "\n".join(markdown_claim(claim, {"X9": 1}, {}))
    assert "**Claim X9.** $`2 x = 2 x`$" in markdown
    assert "**Hypotheses.** $`x > 0`$." in markdown
