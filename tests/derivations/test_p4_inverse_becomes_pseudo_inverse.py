"""P4: full column rank gives the left inverse and the projector; without it the checks fail."""

import dataclasses

import pytest
from sympy import Determinant, Eq, Identity, ImmutableMatrix, Inverse, MatrixSymbol, Q, Rational

from derivations.claims.p4_inverse_becomes_pseudo_inverse import (
    CLAIM,
    FULL_RANK_INSTANCE,
    left_inverse,
    symbolic_matrix,
)
from derivations.engine import DerivationError
from derivations.notation import PseudoInverse, W, k


def test_p4_checks():
    assert CLAIM.check() == 32


def test_p4_the_candidate_for_a_wide_matrix_fails_on_a_tall_one():
    # W^T (W W^T)^{-1} would be the right-inverse formula; for a tall W, W W^T is singular.
    with pytest.raises(DerivationError, match=r"claim P4, Proof.*unjustified inverse: "
                                              r"\(W\*W\.T\)\*\*\(-1\)"):
        left_inverse(candidate=W.T * Inverse(W * W.T)).check()


def test_p4_fails_without_an_inverse_of_the_gram_matrix():
    # An arbitrary k x k matrix in place of (W^T W)^{-1}: nothing makes it a left inverse.
    with pytest.raises(DerivationError, match="claim P4, Proof, part 2"):
        left_inverse(candidate=MatrixSymbol("M", k, k) * W.T).check()


@pytest.mark.parametrize("weaker", [Q.positive_definite(W * W.T), Q.symmetric(W.T * W)],
                         ids=["row-gram", "symmetric-only"])
def test_p4_fails_when_full_column_rank_is_not_assumed(weaker):
    with pytest.raises(DerivationError, match=r"unjustified inverse: \(W\.T\*W\)\*\*\(-1\)"):
        left_inverse(full_column_rank=weaker).check()


def test_p4_a_changed_conclusion_fails():
    wrong = Eq(PseudoInverse(W), W.T * Inverse(W * W.T), evaluate=False)
    with pytest.raises(DerivationError, match="does not derive its statement"):
        dataclasses.replace(CLAIM, conclusions=(wrong,)).check()


def test_p4_fails_on_an_instance_without_full_column_rank():
    rank_one = ImmutableMatrix([[1, 2], [2, 4], [0, 0]])
    with pytest.raises(DerivationError, match="claim P4, Exact instances, part 3"):
        left_inverse(instance=rank_one).check()


@pytest.mark.parametrize("instance", [
    [[1, 0], [0, 1], [0, 0], [0, 0]],
    [[Rational(1, 2), 3], [-2, 0], [7, Rational(-5, 3)]],
])
def test_p4_other_full_rank_instances_check(instance):
    assert left_inverse(instance=instance).check() == CLAIM.check()


def test_p4_rejects_a_matrix_that_is_not_tall():
    with pytest.raises(ValueError, match=r"instance has shape \(2, 2\)"):
        left_inverse(instance=[[1, 0], [0, 1]])


def test_p4_wide_gram_determinant_vanishes_identically():
    wide = symbolic_matrix("w", 2, 3)
    assert (wide.T * wide).det().expand() == 0
    # while a square Gram matrix does not vanish identically
    square = symbolic_matrix("w", 2, 2)
    assert (square.T * square).det().expand() != 0


def test_p4_left_inverse_formula_is_pinv_on_the_default_instance():
    Q_ = FULL_RANK_INSTANCE
    assert Q_.pinv() == (Q_.T * Q_).inv() * Q_.T
    assert Q_.pinv() * Q_ == Identity(2).as_explicit()
    assert Determinant(Q_ * Q_.pinv()).doit() == 0

