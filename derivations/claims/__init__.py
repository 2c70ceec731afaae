"""The claims, one module each, named after their id (``p1_...``, ``a4_...``).

Every module defines ``CLAIM``, a checked :class:`~derivations.engine.Claim`,
and a builder function whose keyword arguments are the claim's hypotheses, so
that a test can weaken a hypothesis and watch the check fail.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from derivations.engine import Claim

__all__ = ["all_claims", "claim_by_id"]

# The reading order of the sections: the pseudo-inverse, the autoencoder, the failures.
_SECTION_ORDER = "PAF"
_MODULE_NAME = re.compile(r"^([paf])(\d+)_\w+$")


def _sort_key(claim: Claim) -> tuple[int, int]:
    return (_SECTION_ORDER.index(claim.id[0]), int(claim.id[1:]))


def all_claims() -> tuple[Claim, ...]:
    """Every claim of the package, in reading order (P1..P5, A1..A5, F1..F7)."""
    claims = []
    for module in pkgutil.iter_modules(__path__):
        match = _MODULE_NAME.match(module.name)
        if match is None:
            continue
        claim = importlib.import_module(f"{__name__}.{module.name}").CLAIM
        expected = (match.group(1) + match.group(2)).upper()
        if claim.id != expected:
            raise RuntimeError(
                f"module {module.name} defines claim {claim.id}, expected {expected}"
            )
        claims.append(claim)
    return tuple(sorted(claims, key=_sort_key))


def claim_by_id(claim_id: str) -> Claim:
    """The claim with this id.

    >>> claim_by_id("P1").title
    'The transpose is the pseudo-inverse'
    """
    for claim in all_claims():
        if claim.id == claim_id:
            return claim
    known = ", ".join(claim.id for claim in all_claims())
    raise KeyError(f"claim_id={claim_id!r} is not a claim of this package; known: {known}")
