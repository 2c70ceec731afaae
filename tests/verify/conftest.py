"""Shared by tests/verify: moving one sigma^2 of a matrix by an exactly known amount."""

import math
import types
from fractions import Fraction

import numpy as np
import pytest


def rayleigh_excess(W, v):
    """`||W v||^2 / ||v||^2 - 1` in exact rational arithmetic.

    By the Rayleigh quotient it is at most `sigma_max^2 - 1` and at least
    `sigma_min^2 - 1` (over all `k` singular values, zeros included), so its
    size bounds `||W^T W - I||_2` from below.
    """
    v = [Fraction(float(x)) for x in v]
    image = [sum(Fraction(float(w)) * x for w, x in zip(row, v, strict=True)) for row in W]
    return sum(y * y for y in image) / sum(x * x for x in v) - 1


def column_moved(Q, amount, dtype=np.float64):
    """`Q` stored as `dtype`, column 0 scaled so that `||w_1||^2 - 1` is past `amount` exactly.

    Rounding the scaled column can undo a part of the move as large as a few
    ulps: the entry of largest magnitude is stepped outwards (or inwards) until
    the exact excess is past `amount`, with its sign.
    """
    moved = Q.copy()
    moved[:, 0] *= math.sqrt(1 + amount)
    moved = moved.astype(dtype)
    unit = np.eye(moved.shape[1])[0]
    i = int(np.argmax(np.abs(moved[:, 0])))
    toward = np.copysign(np.inf, moved[i, 0] * amount).astype(dtype)
    while not rayleigh_excess(moved, unit) * math.copysign(1, amount) > abs(amount):
        moved[i, 0] = np.nextafter(moved[i, 0], toward)
    return moved


def direction_stretched(W, amount):
    """`W + (s - 1) sigma_1 u_1 v_1^T` with the exact Rayleigh excess along `v_1` past `amount > 0`.

    For a partial isometry `W` this moves its largest singular value `1` to `s`
    with `s^2 - 1` just past `amount`; `s` is increased by ulps until exact
    arithmetic confirms it.
    """
    U, s, Vt = np.linalg.svd(W)
    stretch = math.sqrt(1 + amount)
    while True:
        moved = W + (stretch - 1) * s[0] * np.outer(U[:, 0], Vt[0])
        if rayleigh_excess(moved, Vt[0]) > amount:
            return moved
        stretch = float(np.nextafter(stretch, np.inf))


@pytest.fixture(scope="session")
def exact_moves():
    """`.rayleigh_excess`, `.column_moved`, `.direction_stretched` (see each)."""
    return types.SimpleNamespace(rayleigh_excess=rayleigh_excess, column_moved=column_moved,
                                 direction_stretched=direction_stretched)
