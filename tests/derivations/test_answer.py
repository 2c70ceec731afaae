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


def _answer_formulas():
    return [part for paragraph in the_answer().paragraphs for part in paragraph
            if not isinstance(part, str)]


def test_answer_weight_decay_formulas_are_the_ones_each_penalty_gives():
    # The untied penalty mu (||D||^2 + ||E||^2) of A6 gives sigma^2 = 1 - mu/lambda; the tied
    # penalty mu ||W||^2 gives 1 - mu/(2 lambda). Exactly, on S = diag(3, 2, 1), k = 1, along
    # the top eigenvector (D = s e_1, E = s e_1^T; W = s e_1): the untied loss is critical at
    # s^2 = 1 - mu/3 and not at the tied value 1 - mu/6, which the answer once applied to it.
    from sympy import Eq, Matrix, Rational, diag, diff, solve, symbols

    s = symbols("s", positive=True)
    mu = Rational(1)
    covariance, e1 = diag(3, 2, 1), Matrix([1, 0, 0])
    D, E = s * e1, s * e1.T
    residual = Matrix.eye(3) - D * E
    untied = (residual * covariance * residual.T).trace() + mu * (
        (D.T * D).trace() + (E * E.T).trace())
    tied = (residual * covariance * residual.T).trace() + mu * (D.T * D).trace()
    assert solve(diff(untied, s), s) == [(1 - mu / 3) ** Rational(1, 2)]
    assert solve(diff(tied, s), s) == [(1 - mu / 6) ** Rational(1, 2)]
    assert diff(untied, s).subs(s, (1 - mu / 6) ** Rational(1, 2)) != 0
    # The answer states each formula for its own penalty: both appear, as SymPy objects.
    lam, mu_symbol = symbols("lambda_i mu", positive=True)
    sigma = symbols("sigma_i", positive=True)
    formulas = _answer_formulas()
    untied_formula = Eq(sigma**2, 1 - mu_symbol / lam, evaluate=False)
    tied_formula = Eq(sigma**2, 1 - mu_symbol / (2 * lam), evaluate=False)
    assert untied_formula in formulas and tied_formula in formulas
    text = _text(the_answer())
    untied_at, tied_at = (text.index(str(f.rhs)) for f in (untied_formula, tied_formula))
    assert text.index("untied network") < untied_at < text.index("tied layer") < tied_at
    assert "Neither formula is claimed here for each layer" in text


def test_answer_says_training_is_measured_not_proved():
    text = _text(the_answer())
    assert "Training puts the network there" not in text
    assert "measured, not proved" in text and "every run measured here" in text


def test_answer_states_d2_as_an_existence_statement():
    text = _text(the_answer())
    assert "layers that are not partial isometries" not in text
    assert "need not have partial isometries as layers, and may ([D2](#d2))" in text


def test_answer_history_and_hypotheses():
    text = _text(the_answer())
    assert "Smolensky" in text and "older than 2006" in text
    assert "lambda_k > lambda_k+1" in text  # the optimum is PCA only with a gap
    assert "N, 2*m" in text  # the symmetric network has an even number of layers


def test_readme_answer_carries_the_same_corrections():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    answer = readme[readme.index("**The answer**"):readme.index("## Set up")]
    for wrong in ("Training puts the network there", "the usual initialisations",
                  "layers that are not partial isometries"):
        assert wrong not in readme
    assert "`sigma_i^2 = 1 - mu/lambda_i`" in answer and "1 - mu/(2 lambda_i)" in answer
    assert "measured, not proved" in answer and "`N = 2m`" in answer
    assert "lambda_k > lambda_(k+1)" in answer and "O(eps^2)" in answer


def test_answer_states_the_layerwise_proposal_for_n_layers():
    text = _text(the_answer())
    assert "[D5](#d5)" in text and "oblique" in text
    assert "Ne(pinv(W_1)*pinv(W_2), pinv(W_2*W_1))" in text
