"""Exact models of the claims' hypotheses: Hypothesis strategies of concrete sizes and values.

Each function returns a strategy of :class:`~derivations.engine.models.Model` objects whose
values satisfy one claim's hypotheses exactly, built on the exact rational strategies of
:mod:`verify.rational_strategies` (Cayley transforms for orthonormal columns, ``Q R`` for
full column rank, ``M M^T + I`` for positive definite matrices). The claim's checker
verifies the hypotheses at every drawn model before it evaluates the proof there.
"""

from __future__ import annotations

import sympy
from hypothesis import strategies as st

from derivations.engine.models import Model

__all__ = ["orthonormal_columns"]


def _rs():
    from verify import rational_strategies

    return rational_strategies


def orthonormal_columns(W, d, k):
    """``W`` (``d x k``) with ``W^T W = I_k``: the first columns of a Cayley transform."""
    return _rs().rational_orthonormal_columns(max_rows=4).map(
        lambda value: Model({d: value.shape[0], k: value.shape[1]}, {W: value}))
