"""Mutations of the claims P1-P5: each changes one statement, hypothesis, step, formula or
rewrite rule, and each must make ``check()`` fail with a :class:`DerivationError`.

Every mutation is built through the claim's builder, through ``dataclasses.replace`` of
its conclusions, or by replacing one proof item; the docs play no part.
"""

import dataclasses

import pytest
from sympy import Abs, And, Eq, Identity, IndexedBase, Inverse, Q, Rational
from sympy.logic.boolalg import Equivalent

from derivations.claims import (
    p1_transpose_is_pseudo_inverse as p1,
)
from derivations.claims import (
    p2_uniqueness as p2,
)
from derivations.claims import (
    p3_characterisation as p3,
)
from derivations.claims import (
    p4_inverse_becomes_pseudo_inverse as p4,
)
from derivations.claims import (
    p5_transpose_pseudo_inverse_gap as p5,
)
from derivations.engine import (
    Assume,
    Chain,
    Cite,
    DerivationError,
    ForEvery,
    Iff,
    Link,
)
from derivations.mathematics.facts import ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM
from derivations.mathematics.svd import Sigma, SigmaPlus, U, V, i, r, sigma
from derivations.notation import LargestOver, PseudoInverse, W, k


def _relinked(chain: Chain, number: int, **changes) -> Chain:
    """``chain`` with link ``number`` (from 0) changed: ``expr``, ``using`` or ``relation``."""
    links = [Link(step.rhs, step.because, using=step.using, relation=step.relation)
             for step in chain.steps]
    links[number] = dataclasses.replace(links[number], **changes)
    return Chain(chain.heading, chain.steps[0].lhs, links)


def _with_item(claim, index, item):
    proof = list(claim.proof)
    proof[index] = item
    return dataclasses.replace(claim, proof=tuple(proof))


def _p1_statement_w_plus_is_w():
    return dataclasses.replace(p1.CLAIM, conclusions=(Eq(PseudoInverse(W), W, evaluate=False),))


def _p1_rule_not_a_hypothesis():
    # Penrose condition 1 rewritten with W W^T = I_d, which is not the hypothesis.
    index = next(n for n, item in enumerate(p1.CLAIM.proof) if isinstance(item, Chain))
    chain = p1.CLAIM.proof[index]
    rules = (chain.steps[0].using[0], Eq(W * W.T, Identity(W.shape[0])))
    return _with_item(p1.CLAIM, index, _relinked(chain, 0, using=rules))


def _p2_links_swapped():
    # Two links of the chain exchanged: the steps no longer connect as the rules need.
    chain = p2.CLAIM.proof[-1]
    links = [Link(step.rhs, step.because, using=step.using) for step in chain.steps]
    links[1], links[2] = links[2], links[1]
    return _with_item(p2.CLAIM, -1, Chain(chain.heading, chain.steps[0].lhs, links))


def _p2_other_candidates_rule():
    chain = p2.CLAIM.proof[-1]
    (rule,) = chain.steps[0].using
    swapped = rule.xreplace({p2.G: p2.H, p2.H: p2.G})
    return _with_item(p2.CLAIM, -1, _relinked(chain, 0, using=(swapped,)))


def _p3_square_is_four():
    # The key scalar step sigma_i^2 = 1 changed to sigma_i^2 = 4.
    iff = next(item for item in p3.CLAIM.proof if isinstance(item, Iff))
    forward = iff.forward
    entrywise = next(part for part in forward.parts if isinstance(part, ForEvery))
    square, *rest = entrywise.parts
    changed = _relinked(square, len(square.steps) - 1, expr=4)
    entrywise = ForEvery(entrywise.indices, (changed, *rest), entrywise.concludes)
    parts = tuple(entrywise if isinstance(part, ForEvery) else part for part in forward.parts)
    forward = Assume(forward.assumption, parts, forward.concludes)
    index = p3.CLAIM.proof.index(iff)
    return _with_item(p3.CLAIM, index, Iff(forward, iff.backward))


def _p3_without_the_svd():
    return dataclasses.replace(p3.CLAIM, proof=p3.CLAIM.proof[1:])


def _p3_statement_orthonormal_columns():
    wrong = Equivalent(p3.TRANSPOSE_IS_PSEUDO_INVERSE, Eq(W.T * W, Identity(k), evaluate=False),
                       evaluate=False)
    return dataclasses.replace(p3.CLAIM, conclusions=(wrong,))


def _p4_symmetric_projector_formula():
    # The projector W (W^T W)^{-1} W^T "equals" its Gram-reversed product.
    index = next(n for n, item in enumerate(p4.CLAIM.proof)
                 if isinstance(item, Chain) and "symmetric" in str(item.heading))
    chain = p4.CLAIM.proof[index]
    return _with_item(p4.CLAIM, index,
                      _relinked(chain, 0, expr=Inverse(W.T * W) * W.T * W * W.T))


def _p5_invariance_cited_for_the_wrong_factors():
    index = next(n for n, item in enumerate(p5.CLAIM.proof)
                 if isinstance(item, Cite) and item.fact is ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM)
    wrong = Cite(ORTHONORMAL_COLUMNS_KEEP_THE_2_NORM, U, Sigma.T - SigmaPlus, V)
    return _with_item(p5.CLAIM, index, wrong)


def _p5_near_one(lower, upper):
    """P5 with the sides of ``|sigma_i^2 - 1| <= delta`` replaced (``c_1, c_2 >= 0``)."""
    s = sigma[i]
    return p5.transpose_pseudo_inverse_gap(near_one=And(
        Eq(s**2, lower + p5._c1, evaluate=False), Eq(s**2, upper - p5._c2, evaluate=False)))


def _p5_gap_of_the_squares():
    wrong = Eq(p5.GAP_FORMULA.lhs, LargestOver(Abs(sigma[i] ** 2 - 1), i, r), evaluate=False)
    return dataclasses.replace(p5.CLAIM, conclusions=(wrong,))


MUTATIONS = {
    # Statements and hypotheses.
    "P1 statement W^+ = W": _p1_statement_w_plus_is_w,
    "P1 hypothesis W^T W = 2 I": lambda: p1.orthonormal_columns(
        hypothesis=Eq(W.T * W, 2 * Identity(k))),
    "P2 hypothesis without condition 3": lambda: p2.uniqueness(conditions={1, 2, 4}),
    "P3 statement: orthonormal columns for every rank": _p3_statement_orthonormal_columns,
    "P3 hypothesis: singular values only real": lambda: p3.characterisation(
        singular_values=IndexedBase("sigma", real=True)),
    "P4 hypothesis W W^T positive definite": lambda: p4.left_inverse(
        full_column_rank=Q.positive_definite(W * W.T)),
    "P5 hypothesis delta = 1 + rho^2": lambda: p5.transpose_pseudo_inverse_gap(
        below_one=Eq(p5.delta, 1 + p5.rho**2)),
    "P5 statement max |sigma_i^2 - 1|": _p5_gap_of_the_squares,
    # Steps, formulas and rewrite rules.
    "P1 rule W W^T = I": _p1_rule_not_a_hypothesis,
    "P2 links out of order": _p2_links_swapped,
    "P2 the other candidate's condition": _p2_other_candidates_rule,
    "P3 step sigma_i^2 = 4": _p3_square_is_four,
    "P3 proof without the SVD": _p3_without_the_svd,
    "P4 candidate W^T (W W^T)^{-1}": lambda: p4.left_inverse(
        candidate=W.T * Inverse(W * W.T)),
    "P4 projector formula reversed": _p4_symmetric_projector_formula,
    "P5 bound nine tenths": lambda: p5.transpose_pseudo_inverse_gap(
        bound=Rational(9, 10) * p5.BOUND),
    "P5 invariance cited for swapped factors": _p5_invariance_cited_for_the_wrong_factors,
    # sigma^2 >= rho^2 / 2 does not give sigma >= rho; sigma^2 <= 3 - rho^2 not sigma <= 1/rho.
    "P5 covered values from a weaker lower side": lambda: _p5_near_one(p5.rho**2 / 2,
                                                                     2 - p5.rho**2),
    "P5 covered values from a weaker upper side": lambda: _p5_near_one(p5.rho**2,
                                                                     3 - p5.rho**2),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_fails_the_check(name):
    mutated = MUTATIONS[name]()
    with pytest.raises(DerivationError, match=f"claim {name[:2]}"):
        mutated.check()


def test_the_unjustified_inverse_is_named():
    with pytest.raises(DerivationError, match=r"unjustified inverse: \(W\*W\.T\)\*\*\(-1\)"):
        MUTATIONS["P4 candidate W^T (W W^T)^{-1}"]().check()


def test_the_unmutated_claims_check():
    for claim in (p1.CLAIM, p2.CLAIM, p3.CLAIM, p4.CLAIM, p5.CLAIM):
        assert claim.check() > 0


def test_enough_mutations_of_statements_and_hypotheses():
    names = [name for name in MUTATIONS if "statement" in name or "hypothesis" in name]
    assert len(names) >= 3 and len(MUTATIONS) >= 8
