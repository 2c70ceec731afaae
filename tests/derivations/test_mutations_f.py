"""Mutations of the F claims: each changes a statement, a hypothesis, a step, a formula or a
rewrite rule, and each must make ``check()`` raise ``DerivationError`` (issue 10, item 7).

Every mutation is built through the claim's builder or by replacing one conclusion or one
proof item of the checked claim; the docs are not involved.
"""

import dataclasses

import pytest
from sympy import Eq, Identity, Q, ZeroMatrix, symbols

from derivations.claims import f1_rank_deficient_data as f1
from derivations.claims import f2_rank_deficient_weights as f2
from derivations.claims import f3_away_from_critical_points as f3
from derivations.claims import f4_weight_decay as f4
from derivations.claims import f5_rank_deficient_untied as f5
from derivations.claims import f6_product_regularisation as f6
from derivations.claims import f7_conditioning as f7
from derivations.engine import Assume, Chain, Define, DerivationError, Link
from derivations.engine.prose import plain_text
from derivations.mathematics.losses import (
    D,
    E,
    S,
    X,
    tied_loss_with_decay,
    untied_loss_with_decay,
)
from derivations.notation import LARGEST, PseudoInverse, SpectralNorm, W


def _item(claim, heading):
    """The proof item whose heading starts with ``heading``, and its index."""
    for index, item in enumerate(claim.proof):
        if plain_text(item.heading).startswith(heading):
            return index, item
    raise LookupError(f"{claim.id} has no proof item headed {heading!r}")


def _replace_item(claim, heading, new):
    index, old = _item(claim, heading)
    proof = claim.proof[:index] + (new,) + claim.proof[index + 1:]
    derived = getattr(old, "derives", None)
    conclusions = tuple(new.derives if c is derived or c == derived else c
                        for c in claim.conclusions) if hasattr(new, "derives") else \
        claim.conclusions
    return dataclasses.replace(claim, proof=proof, conclusions=conclusions)


def _replace_conclusion(claim, index, new):
    conclusions = list(claim.conclusions)
    conclusions[index] = new
    return dataclasses.replace(claim, conclusions=tuple(conclusions))


def _without_rules(chain, *, keep=()):
    """The same chain with every rewrite rule of its links dropped but ``keep``."""
    links = tuple(Link(step.rhs, step.because, using=tuple(r for r in step.using if r in keep),
                       relation=step.relation) for step in chain.steps)
    return Chain(chain.heading, chain.steps[0].lhs, links)


# --- statements and hypotheses --------------------------------------------------------------

def f1_partial_isometry_statement():
    """F1 states W^T W = I instead of diag(I_r, c^2)."""
    return _replace_conclusion(f1.CLAIM, 2, Eq(W.T * W, Identity(W.shape[1]), evaluate=False))


def f1_null_vector_not_orthogonal():
    """F1 without the hypothesis that v is orthogonal to the columns of U_r."""
    return f1.rank_deficient_data(orthogonal=())


def f2_transpose_statement():
    """F2 states W^+ = W^T (the conclusion it refutes)."""
    return _replace_conclusion(f2.CLAIM, 2, Eq(PseudoInverse(f2.W), f2.W.T, evaluate=False))


def f2_longer_column():
    """F2 with w^T w = 2 instead of a unit vector."""
    return f2.repeated_unit_column(unit=Eq(f2.w.T * f2.w, 2 * Identity(1)))


def f3_defect_vanishes_statement():
    """F3 states that from a zero column the defect along it is 0."""
    premise, conclusion = f3.CLAIM.conclusions[3].args
    wrong = Eq(conclusion.lhs, ZeroMatrix(1, 1), evaluate=False)
    return _replace_conclusion(f3.CLAIM, 3, premise >> wrong)


def f4_wrong_eigenvector_hypothesis():
    """F4 with S u_i = 2 lambda_i u_i."""
    return f4.weight_decay(eigenvector=Eq(S * f4.u, 2 * f4.lam * f4.u))


def f5_transpose_is_critical_statement():
    """F5 states that E = D^T is a critical encoder for every decoder."""
    premise, conclusion = f5.CLAIM.conclusions[0].args
    return _replace_conclusion(f5.CLAIM, 0, Eq(E, D.T) >> conclusion)


def f6_strength_not_positive():
    """F6 without mu > 0: the resolvent's inverse is no longer licensed."""
    return f6.product_regularisation(positive=Q.positive(symbols("nu")))


def f6_data_not_a_gram_matrix():
    """F6 with S = 2 X X^T stated instead of S = X X^T."""
    return f6.product_regularisation(gram=Eq(S, 2 * X * X.T))


def f7_norm_of_pinv_is_largest():
    """F7 states ||W^+||_2 = 1 / sigma_max."""
    return _replace_conclusion(
        f7.CLAIM, 1, Eq(SpectralNorm(PseudoInverse(W)), 1 / LARGEST(f7.Sigma), evaluate=False))


# --- steps, formulas and rules --------------------------------------------------------------

def _redefine(claim, new):
    """Replace the claim's ``Define`` by ``new`` and every later use of the old definition."""
    index, old = _item(claim, "Define")
    swap = {old.definition: new.definition}

    def rebuilt(item):
        if not isinstance(item, Chain):
            return item
        links = tuple(Link(step.rhs, step.because,
                           using=tuple(swap.get(rule, rule) for rule in step.using),
                           relation=step.relation) for step in item.steps)
        return Chain(item.heading, item.steps[0].lhs, links)

    proof = claim.proof[:index] + (new,) + tuple(rebuilt(i) for i in claim.proof[index + 1:])
    return dataclasses.replace(claim, proof=proof)


def f1_candidate_scales_the_wrong_way():
    """F1's candidate pseudo-inverse with c e v^T instead of e v^T / c."""
    return _redefine(f1.CLAIM, Define(f1.G, f1.J * f1.U.T + f1.c * f1.e * f1.v.T))


def f2_candidate_is_the_transpose():
    """F2's candidate G = W^T instead of W^T / 2."""
    return _redefine(f2.CLAIM, Define(f2.G, f2.W.T))


def f3_zero_column_without_its_rule():
    """F3's zero-column step without the rule W e = 0."""
    index, stays = _item(f3.CLAIM, "If ")
    chain = _without_rules(stays.parts[0])
    return _replace_item(f3.CLAIM, "If ", Assume(stays.assumption, (chain,), stays.concludes,
                                                 heading=stays.heading))


def f4_quarter_instead_of_half():
    """F4's headline edited to 1 - mu / (4 lambda_i), statement and steps together.

    As if the scalar loss were typed with penalty mu / 2: the direction's contribution no
    longer has the matrix gradient's coefficient as its derivative.
    """
    claim = f4.CLAIM
    coefficient = 2 * f4.sigma * (2 * f4.lam * (f4.sigma**2 - 1) + f4.mu)
    derivative, off, kept = f4.direction_regimes(
        f4.mu / 2, 4 * f4.lam + f4.beta, 4 * f4.lam - f4.gamma, "tied", coefficient)
    for heading, new in (("The direction's contribution to the loss (tied", derivative),
                         ("tied: if Eq(mu, beta", off), ("tied: if Eq(mu, -gamma", kept)):
        claim = _replace_item(claim, heading, new)
    return claim


def f4_gradient_coefficient_edited():
    """F4's gradient along a direction with mu / 2 in place of mu."""
    _, direction = _item(f4.CLAIM, "Tied: the gradient along one direction")
    (chain,) = direction.parts
    (step,) = chain.steps
    wrong = 2 * f4.sigma * (2 * f4.lam * (f4.sigma**2 - 1) + f4.mu / 2)
    new_chain = Chain(chain.heading, step.lhs, (Link(wrong * f4.u, step.because,
                                                     using=step.using),))
    new = Assume(direction.assumption, (new_chain,), Eq(step.lhs, wrong * f4.u, evaluate=False),
                 heading=direction.heading)
    return _replace_item(f4.CLAIM, "Tied: the gradient along one direction", new)


def f4_factor_two_dropped():
    """F4 states that the balanced untied loss is the tied loss with the same penalty mu."""
    _, restriction = _item(f4.CLAIM, "The factor 2")
    (chain,) = restriction.parts
    wrong = Eq(untied_loss_with_decay(D, E, f4.mu), tied_loss_with_decay(D, f4.mu),
               evaluate=False)
    new_chain = Chain(chain.heading, wrong.lhs,
                      (Link(wrong.rhs, "the penalty counted once", using=chain.steps[0].using),))
    new = Assume(restriction.assumption, (new_chain,), wrong, heading=restriction.heading)
    return _replace_item(f4.CLAIM, "The factor 2", new)


def f5_without_the_normal_equation():
    """F5's critical-encoder step without the rule D^T D D^+ = D^T."""
    _, encoders = _item(f5.CLAIM, "Every ")
    (chain,) = encoders.parts
    kept = chain.steps[0].using
    new = Assume(encoders.assumption, (_without_rules(chain, keep=kept),), encoders.concludes,
                 heading=encoders.heading)
    return _replace_item(f5.CLAIM, "Every ", new)


def f6_unlicensed_inverse():
    """F6 without the fact that makes S + mu I positive definite: its inverse is unlicensed."""
    claim = f6.CLAIM
    dropped = {_item(claim, "A Gram matrix plus")[0], _item(claim, "Hence")[0]}
    proof = tuple(item for index, item in enumerate(claim.proof) if index not in dropped)
    conclusions = tuple(c for c in claim.conclusions if not isinstance(c, type(Q.positive(S))))
    return dataclasses.replace(claim, proof=proof, conclusions=conclusions)


def f7_norm_step_with_the_wrong_invariance():
    """F7's norm of W^+ using the invariance rule of the transpose."""
    _, norm_T = _item(f7.CLAIM, "The transpose has norm")
    _, norm_P = _item(f7.CLAIM, "The pseudo-inverse has norm")
    links = list(Link(step.rhs, step.because, using=step.using) for step in norm_P.steps)
    links[1] = Link(norm_P.steps[1].rhs, "orthogonal invariance", using=norm_T.steps[1].using)
    new = Chain(norm_P.heading, norm_P.steps[0].lhs, tuple(links))
    return _replace_item(f7.CLAIM, "The pseudo-inverse has norm", new)


def f7_rank_does_not_drop():
    """F7's family with a second singular value that stays 1."""
    return f7.conditioning(smallest=lambda t: 1 + 0 * t)


MUTATIONS = [
    f1_partial_isometry_statement,
    f1_null_vector_not_orthogonal,
    f2_transpose_statement,
    f2_longer_column,
    f3_defect_vanishes_statement,
    f4_wrong_eigenvector_hypothesis,
    f5_transpose_is_critical_statement,
    f6_strength_not_positive,
    f6_data_not_a_gram_matrix,
    f7_norm_of_pinv_is_largest,
    f1_candidate_scales_the_wrong_way,
    f2_candidate_is_the_transpose,
    f3_zero_column_without_its_rule,
    f4_quarter_instead_of_half,
    f4_gradient_coefficient_edited,
    f4_factor_two_dropped,
    f5_without_the_normal_equation,
    f6_unlicensed_inverse,
    f7_norm_step_with_the_wrong_invariance,
    f7_rank_does_not_drop,
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_mutation_fails_the_check(mutation):
    with pytest.raises(DerivationError):
        mutation().check()


def test_the_unmutated_claims_check():
    for module in (f1, f2, f3, f4, f5, f6, f7):
        assert module.CLAIM.check() > 10


def test_an_unlicensed_inverse_is_named():
    with pytest.raises(DerivationError, match="unjustified inverse"):
        f6_unlicensed_inverse().check()


def test_the_quarter_edit_fails_where_the_loss_meets_the_matrix_gradient():
    with pytest.raises(DerivationError, match="The direction's contribution to the loss"):
        f4_quarter_instead_of_half().check()
