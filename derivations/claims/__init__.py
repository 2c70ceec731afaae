"""The claims, one leaf module each, and the one table that places them in sections.

Every claim module defines ``CLAIM``, a checked :class:`~derivations.engine.Claim`,
and a builder whose keyword arguments are its hypotheses, so that a test can
weaken a hypothesis and watch the check fail. A claim module imports the
engine, the notation and :mod:`derivations.mathematics`, and another claim only to
:class:`~derivations.engine.Use` it, which only a claim placed before it may be.

:data:`SECTIONS` is the table of contents: adding a claim is one module and one
line here. A module under ``derivations/claims/`` that the table does not
place is an error, not a silent omission.
"""

from __future__ import annotations

import importlib
import pkgutil

from derivations.engine import Claim

__all__ = ["SECTIONS", "all_claims", "claim_by_id", "claims_in"]

#: The sections in reading order: (anchor, title, claim modules in order).
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("pseudo-inverse", "The pseudo-inverse", (
        "p2_uniqueness",
        "p1_transpose_is_pseudo_inverse",
        "p3_characterisation",
        "p4_inverse_becomes_pseudo_inverse",
        "p5_transpose_pseudo_inverse_gap",
    )),
    ("linear-autoencoder", "The linear autoencoder", (
        "a1_best_encoder",
        "a2_untied_optimum",
        "a3_tied_gradient",
        "a4_tied_critical_points",
        "a5_tied_optimum",
        "a6_weight_decay_picks_transpose",
        "a7_pinv_decoder",
    )),
    ("deep", "Deep tied autoencoders: the asker's N layers", (
        "d1_end_to_end_tied",
        "d2_not_layer_by_layer",
        "d3_balanced_layers",
        "d4_imbalance_conserved",
        "d5_layerwise_pseudo_inverse",
    )),
    ("transpose-origin", "Where the transpose comes from", (
        "r1_rbm_conditionals",
    )),
    ("failures", "Where the transpose is not the pseudo-inverse", (
        "f1_rank_deficient_data",
        "f2_rank_deficient_weights",
        "f3_away_from_critical_points",
        "f4_weight_decay",
        "f5_rank_deficient_untied",
        "f6_product_regularisation",
        "f7_conditioning",
    )),
)


def _placed() -> tuple[str, ...]:
    return tuple(module for _, _, modules in SECTIONS for module in modules)


def _check_table() -> None:
    placed = set(_placed())
    present = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    unplaced, missing = sorted(present - placed), sorted(placed - present)
    if unplaced or missing:
        raise RuntimeError(
            f"derivations.claims.SECTIONS is out of step with the claim modules: "
            f"not placed {unplaced}, placed but missing {missing}")


def _load(module_name: str) -> Claim:
    claim = importlib.import_module(f"{__name__}.{module_name}").CLAIM
    expected = module_name.split("_", 1)[0].upper()
    if claim.id != expected:
        raise RuntimeError(f"module {module_name} defines claim {claim.id}, expected {expected}")
    return claim


def claims_in(anchor: str) -> tuple[Claim, ...]:
    """The claims of one section, in reading order."""
    _check_table()
    for section_anchor, _, modules in SECTIONS:
        if section_anchor == anchor:
            return tuple(_load(m) for m in modules)
    raise KeyError(f"anchor={anchor!r} is not a section; known: "
                   f"{', '.join(a for a, _, _ in SECTIONS)}")


def all_claims() -> tuple[Claim, ...]:
    """Every claim of the package, in reading order."""
    _check_table()
    return tuple(_load(m) for m in _placed())


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
