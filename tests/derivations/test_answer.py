"""The opening sections: the question, then the answer, linking real claims."""

import re

from derivations.answer import the_answer, the_question
from derivations.claims import all_claims
from derivations.document import document
from derivations.engine import plain_text
from derivations.sections import Essay

LINK = re.compile(r"\[([A-Z]\d)\]\(#([a-z]\d)\)")


def _text(essay: Essay) -> str:
    return "\n".join(plain_text(paragraph) for paragraph in essay.paragraphs)


def test_question_and_answer_open_the_document_before_the_setup():
    anchors = [getattr(section, "anchor", None) for section in document()]
    assert anchors[:3] == ["the-question", "the-answer", "setup"]
    assert anchors[-2:] == ["assumptions", "references"]


def test_question_is_asked_in_the_askers_layer_notation():
    assert "W[-L + N + 1], W_L.T" in _text(the_question())


def test_answer_links_every_claim_to_its_own_anchor():
    links = LINK.findall(_text(the_answer()))
    assert all(anchor == claim_id.lower() for claim_id, anchor in links)
    linked = {claim_id for claim_id, _ in links}
    ids = {claim.id for claim in all_claims()}
    assert linked <= ids
    # The argument of the answer: P4, P1/P3/P5, A2, A4/A5, every failure case, F7.
    assert {"P1", "P3", "P4", "P5", "A2", "A4", "A5"} | {f"F{i}" for i in range(1, 8)} <= linked


def test_answer_formulas_are_sympy_objects_not_typed_text():
    for paragraph in the_answer().paragraphs:
        formulas = [part for part in paragraph if not isinstance(part, str)]
        assert formulas, "every paragraph states something with a printed formula"
        for part in paragraph:
            if isinstance(part, str):
                assert "^T" not in part and "W^+" not in part and "= " not in part
