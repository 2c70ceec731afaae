"""F7: ||W^+||_2 = 1/sigma_min blows up and W -> W^+ jumps where the rank drops."""

import numpy as np
import pytest
from sympy import ImmutableMatrix, Integer, Matrix, Rational, symbols

from derivations.claims.f7_conditioning import (
    CLAIM,
    conditioning,
    largest_singular_value,
    norm_2,
)
from derivations.engine import DerivationError


def test_f7_checks():
    assert CLAIM.check() >= 20


@pytest.mark.parametrize("smallest", [Integer(1), Rational(1, 2)])
def test_f7_counterexample_needs_the_rank_to_drop(smallest):
    # A smallest singular value bounded away from 0 keeps W^+ bounded and continuous.
    with pytest.raises(DerivationError, match="an entry of the pseudo-inverse is large"):
        conditioning(smallest=lambda t: smallest).check()


def test_f7_norm_evaluates_only_when_the_order_is_decidable():
    t = symbols("t", positive=True)
    assert norm_2(ImmutableMatrix([[1 + t, 0], [0, t]])) == 1 + t
    assert largest_singular_value(ImmutableMatrix([[1, 0], [0, t]])) is None
    assert isinstance(norm_2(ImmutableMatrix([[1, 0], [0, t]])), norm_2)


def test_f7_generic_symbolic_pinv_is_wrong_where_the_rank_drops():
    # SymPy's pinv of a symbolic matrix assumes generic rank: substituting t = 0
    # afterwards divides by zero, while the rank-1 matrix has a finite pinv.
    t = symbols("t", positive=True)
    family = Matrix([[1 + t, 0], [0, t], [0, 0]])
    generic = family.pinv()
    assert generic[1, 1] == 1 / t
    assert family.subs(t, 0).pinv() == Matrix([[1, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize("t", [1e-1, 1e-4, 1e-8])
def test_f7_float_pinv_norm_is_one_over_the_smallest_singular_value(t):
    W = np.array([[1 + t, 0.0], [0.0, t], [0.0, 0.0]])
    # Diagonal input: numpy's SVD is exact up to one rounding per entry, so the
    # relative error of 1/sigma_min is a few eps.
    assert np.linalg.norm(np.linalg.pinv(W), 2) == pytest.approx(1 / t, rel=8 * np.finfo(float).eps)
    assert np.linalg.norm(W.T, 2) == pytest.approx(1 + t, rel=8 * np.finfo(float).eps)


def test_f7_the_entry_that_jumps_is_printed_one_based():
    # SymPy's [1, 1] is the (2, 2) entry; printed as its 0-based pair it read as the (1, 1)
    # entry, which does not jump: ((W_t)^+)_{1,1} = 1/(1 + t) tends to 1, not infinity.
    from sympy import ImmutableMatrix, limit, oo, symbols

    from derivations.notation import Entry, PseudoInverse
    from derivations.render.printer import latex, mathml

    t = symbols("t", positive=True)
    family = ImmutableMatrix([[1 + t, 0], [0, t], [0, 0]])
    pinv = family.pinv()
    assert limit(pinv[1, 1], t, 0, "+") == oo and limit(pinv[0, 0], t, 0, "+") == 1
    entry = Entry(PseudoInverse(family), 2, 2)
    assert entry.doit() == 1 / t
    (size, jump, _continuous) = (item for item in CLAIM.proof
                                 if getattr(item, "derives", None) is not None
                                 and item.derives.has(Entry))
    for item in (size, jump):
        assert "_{2,2}" in latex(item.derives) and "_{1,1}" not in latex(item.derives)
    assert "<mn>2</mn><mo>,</mo><mn>2</mn>" in mathml(entry)
