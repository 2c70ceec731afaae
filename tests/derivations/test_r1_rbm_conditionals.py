"""R1: an RBM's two conditionals use W^T and W; checked against brute-force sums numerically."""

import itertools

import numpy as np
import pytest
from sympy import Eq

from derivations.claims.r1_rbm_conditionals import CLAIM, DRIVES, W, a_j, rbm_conditionals
from derivations.engine import DerivationError


def test_r1_checks():
    assert CLAIM.check() >= 8


@pytest.mark.parametrize("changed", [
    {"weights_up": 2 * W.T},  # a scaled matrix up: not the energy's
    {"drives": (Eq(a_j, -DRIVES[0].rhs), DRIVES[1])},  # the wrong sign of the drive
], ids=["scaled-up-weights", "negated-drive"])
def test_r1_refuses_other_weights_or_drives(changed):
    with pytest.raises(DerivationError, match="claim R1"):
        rbm_conditionals(**changed).check()


def test_r1_numerically_conditionals_from_brute_force_sums():
    rng = np.random.default_rng(9)
    d, k = 3, 4
    weights, vb, hb = rng.standard_normal((d, k)), rng.standard_normal(d), rng.standard_normal(k)
    hidden_states = np.array(list(itertools.product((0, 1), repeat=k)), dtype=float)
    eps = np.finfo(float).eps
    for visible in itertools.product((0, 1), repeat=d):
        v = np.array(visible, dtype=float)
        weights_of = np.exp(hidden_states @ (hb + weights.T @ v) + vb @ v)  # exp(-energy)
        marginal = weights_of @ hidden_states / weights_of.sum()  # p(h_j = 1 | v), all j
        predicted = 1 / (1 + np.exp(-(hb + weights.T @ v)))
        # 2^k positive terms summed: relative error at most about 2^k eps per ratio.
        assert np.allclose(marginal, predicted, rtol=4 * 2**k * eps, atol=0)


def test_r1_indices_are_one_based_as_printed():
    # The drive of hidden unit j is entry j of c + W^T v counted from 1: unit 1 is SymPy's
    # row 0. Printed, the drive shows that 1-based j and no 0-based sum over a dummy index.
    from sympy import ImmutableMatrix, symbols

    from derivations.claims.r1_rbm_conditionals import a_i, j
    from derivations.notation import Entry
    from derivations.render.printer import latex

    assert j.is_positive
    weights = ImmutableMatrix(2, 2, symbols("w_11 w_12 w_21 w_22"))
    visible, bias = ImmutableMatrix(symbols("v_1 v_2")), ImmutableMatrix(symbols("c_1 c_2"))
    first = Entry(bias + weights.T * visible, 1).doit()
    assert first == (bias + weights.T * visible)[0, 0] == bias[0] + (weights.T * visible)[0]
    for drive in DRIVES:
        text = latex(drive)
        assert "=0}" not in text and ",0}" not in text and "- 1" not in text
    assert latex(DRIVES[0]) == r"a_{j} = {\left(W^{T} v + c\right)}_{j}"
    assert DRIVES[1].lhs == a_i
