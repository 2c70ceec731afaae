"""The practitioner's check: is a trained tied weight matrix at the orthonormal optimum?

`diagnose(W)` measures `W` (decoder orientation, `d x k`) and gives a verdict:

- ``"orthonormal columns"``: `W^T W = I_k`, so `W^T = W^+` (P1), as at the tied optimum (A5);
- ``"partial isometry"``: every nonzero singular value is 1, so still `W^T = W^+` (P3);
- ``"neither"``: `W^T != W^+`, with the claim that explains it: more code units than
  inputs (P4), singular values uniformly below 1 as weight decay leaves them (F4),
  rank-deficient weights (F2), or simply not (yet) a critical point of the tied loss (F3).

Every number comes from one call of `verify.linalg.measure_weights`: one Gram
matrix `W^T W` (or `W W^T` when `k > d`) and its `eigvalsh`, plus one SVD only
when that route cannot settle the rank or the P5 gap (near rank deficiency). So
each equals what the corresponding `verify.linalg` function returns, and the
verdict "orthonormal columns" or "partial isometry" is given exactly when
`verify.linalg.is_partial_isometry` holds.

>>> import numpy as np
>>> diagnose(np.eye(3, 2)).verdict
'orthonormal columns'
>>> found = diagnose(np.diag([0.6, 0.8]))       # sigma below 1: weight decay (F4)
>>> found.verdict, found.claim, [round(r, 6) for r in found.implied_weight_decay]
('neither', 'F4', [0.72, 1.28])
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix
from verify.linalg import WeightMeasures, measure_weights

__all__ = ["ORIENTATIONS", "VERDICTS", "Diagnosis", "diagnose"]

#: How a weight matrix may be stored: the decoder `W` (`d x k`) or the encoder `W^T` (`k x d`).
ORIENTATIONS = ("decoder", "encoder")
#: The three verdicts, from best to worst.
VERDICTS = ("orthonormal columns", "partial isometry", "neither")

_DOCS = "docs/derivations.md#"


@dataclass(frozen=True)
class Diagnosis:
    """What `diagnose` found. Singular values are those of `W` in decoder orientation.

    `tolerance` bounds `|sigma_i^2 - 1|` (and `sigma_i^2` for a zero) as in
    `verify.linalg.orthonormality_tolerance`; `rank_cutoff` is
    `max(d, k) eps sigma_max` (`verify.linalg.rank_cutoff`). `implied_weight_decay`
    holds, for the F4 verdict only, `lambda / lambda_i = 2 (1 - sigma_i^2)` for each
    nonzero singular value (descending `sigma_i`). A gap too large for float64
    is `math.inf` here and ``None`` in `to_dict()`.
    """

    orientation: str
    stored_shape: tuple[int, int]
    d: int
    k: int
    rank: int
    rank_cutoff: float
    singular_value_count: int
    sigma_min: float
    sigma_max: float
    near_one_count: int
    zero_count: int
    tolerance: float
    orthonormality_defect: float
    transpose_pseudo_inverse_gap: float
    verdict: str
    claim: str
    explanation: str
    implied_weight_decay: tuple[float, ...] | None
    see: str

    def to_dict(self) -> dict:
        """The diagnosis as JSON-ready builtins: lists for tuples, ``None`` for an infinite gap."""
        data = asdict(self)
        data["stored_shape"] = list(self.stored_shape)
        if self.implied_weight_decay is not None:
            data["implied_weight_decay"] = list(self.implied_weight_decay)
        if not math.isfinite(self.transpose_pseudo_inverse_gap):
            data["transpose_pseudo_inverse_gap"] = None
        return data

    def report(self) -> str:
        """A human-readable report, a few lines of text."""
        d, k = self.d, self.k
        if self.orientation == "encoder":
            stored = self.stored_shape
            layout = f"encoder, stored {stored[0]} x {stored[1]} and transposed: W is d x k"
        else:
            layout = "decoder: W is d x k"
        gap = ("too large for float64" if not math.isfinite(self.transpose_pseudo_inverse_gap)
               else _number(self.transpose_pseudo_inverse_gap))
        lines = [
            f"Shape: {d} x {k} ({layout}, {d} inputs, {k} code units)",
            f"Numerical rank: {self.rank} of {min(d, k)} (singular values above the cutoff "
            f"max(d, k) eps sigma_max = {_number(self.rank_cutoff)})",
            f"Singular values: {self.singular_value_count}, from {_number(self.sigma_min)} to "
            f"{_number(self.sigma_max)}; {self.near_one_count} equal to 1 "
            f"(|sigma^2 - 1| <= {_number(self.tolerance)}), {self.zero_count} zero",
            f"Orthonormality defect ||W^T W - I||_2: {_number(self.orthonormality_defect)} "
            f"(tolerance {_number(self.tolerance)})",
            f"Gap ||W^T - W^+||_2 = max |sigma_i - 1/sigma_i| (P5): {gap}",
            f"Verdict: {self.verdict} ({self.claim})",
        ]
        # One sentence a line: wrapping inside a formula would garble it.
        lines += ["  " + sentence for sentence in _sentences(self.explanation)]
        lines.append(f"  See {self.see}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def diagnose(W, *, orientation: str = "decoder") -> Diagnosis:
    """Measure `W` and say whether `W^T` is its pseudo-inverse, and if not, why.

    `orientation="decoder"` (default): `W` is `d x k`, the `W` of the tied
    autoencoder `x -> W W^T x`. `orientation="encoder"`: `W` is given as its
    `k x d` encoder `W^T` and is transposed first. Raises
    `verify._validation.InvalidMatrixError` for anything but a finite real
    non-empty 2-D matrix of safe magnitude, or an unknown orientation.

    >>> w = np.array([[0.6], [0.8]])
    >>> diagnose(np.hstack([w, w])).claim            # F2: W = [w, w]
    'F2'
    >>> diagnose(np.ones((2, 3)) / 3).claim           # 3 code units, 2 inputs
    'P4'
    >>> diagnose(np.ones((2, 3)) / 3, orientation="encoder").claim
    'F4'
    """
    if orientation not in ORIENTATIONS:
        raise InvalidMatrixError(
            f"orientation must be one of {', '.join(map(repr, ORIENTATIONS))}; got {orientation!r}"
        )
    stored = as_real_matrix(W, name="W")
    matrix = stored.T if orientation == "encoder" else stored
    measures = measure_weights(matrix)
    d, k = matrix.shape
    verdict, claim, explanation, implied = _verdict(measures, d, k)
    sigmas = measures.singular_values
    near_one = np.abs(np.asarray(measures.squared_singular_values) - 1.0) <= measures.tolerance
    return Diagnosis(
        orientation=orientation,
        stored_shape=tuple(int(n) for n in stored.shape),
        d=int(d),
        k=int(k),
        rank=measures.rank,
        rank_cutoff=measures.rank_cutoff,
        singular_value_count=len(sigmas),
        sigma_min=sigmas[-1],
        sigma_max=sigmas[0],
        near_one_count=int(np.count_nonzero(near_one)),
        zero_count=len(sigmas) - measures.rank,
        tolerance=measures.tolerance,
        orthonormality_defect=measures.orthonormality_defect,
        transpose_pseudo_inverse_gap=measures.gap,
        verdict=verdict,
        claim=claim,
        explanation=explanation,
        implied_weight_decay=implied,
        see=_DOCS + claim.lower(),
    )


def _verdict(s: WeightMeasures, d: int, k: int):
    """(verdict, claim, explanation, implied weight decay) for a measured `d x k` matrix."""
    sigmas, mu = s.singular_values, s.squared_singular_values
    every = _span(sigmas[-1], sigmas[0])
    nonzero = _span(sigmas[max(s.rank, 1) - 1], sigmas[0])
    zeros = min(d, k) - s.rank
    if s.has_orthonormal_columns:
        return ("orthonormal columns", "P1",
                f"W^T W = I_{k} within the tolerance: the columns are orthonormal, so W^T is "
                "exactly the pseudo-inverse W^+ (P1), as at the optimum of a tied linear "
                "autoencoder (A5). Decoding with W^T is decoding with W^+.", None)
    if s.is_partial_isometry:
        if s.rank == 0:
            reason = "W is zero (numerically): W^T = W^+ = 0 trivially, but nothing is encoded."
        elif k > d:
            reason = (f"Every singular value is 1, so W^T = W^+ (P3); but with k = {k} code "
                      f"units and only d = {d} inputs the columns cannot be orthonormal (P4). "
                      "If the file holds an encoder (k x d), check it in encoder orientation.")
        else:
            reason = (f"Every nonzero singular value is 1 and {zeros} of {k} are 0: W^T = W^+ "
                      f"still holds (P3), but {zeros} code unit(s) are unused, so this is not "
                      "the orthonormal optimum (rank k).")
        return "partial isometry", "P3", reason, None
    if k > d:
        return ("neither", "P4",
                f"W has k = {k} code units but only d = {d} inputs: W^T W has rank at most "
                f"d < k, so k > d columns can never be orthonormal (P4), and its singular "
                f"values ({every}) are not all 1, so W^T != W^+. If the file holds "
                "an encoder (k x d), check it in encoder orientation.", None)
    if s.rank > 0 and mu[0] < 1.0 - s.tolerance:
        implied = tuple(2.0 * (1.0 - m) for m in mu[: s.rank])
        decayed = (f"; the {zeros} zero direction(s) fit lambda >= 2 lambda_i, which weight "
                   "decay switches off" if zeros else "")
        return ("neither", "F4",
                f"Every {'nonzero ' if zeros else ''}singular value lies below 1 ({nonzero}): "
                "the shape weight decay leaves (F4). With the penalty lambda ||W||_F^2 added "
                "to the tied loss, the optimum has sigma_i^2 = 1 - lambda / (2 lambda_i). "
                "So these weights imply lambda / lambda_i = 2 (1 - sigma_i^2) of "
                f"{_span(min(implied), max(implied))} per direction{decayed}. "
                f"Then W^T != W^+ (gap {_number(s.gap)}).", implied)
    if s.rank < k:
        return ("neither", "F2",
                f"Numerical rank {s.rank} < k = {k}: W^T W is singular, so W has no left "
                f"inverse, and its nonzero singular values ({nonzero}) are not all 1,"
                " so W^T != W^+ (F2: for W = [w, w], W^+ = W^T / 2)."
                " Some code units duplicate or cancel each other.", None)
    return ("neither", "F3",
            f"Full column rank with singular values {every}, not all 1 and not "
            "all below 1: W is not a critical point of the tied loss (every critical point is a "
            "partial isometry, A4), so training has not converged (F3). Gradient descent on "
            "the tied loss drives ||W^T W - I|| and the gap to 0.", None)


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=\.) (?=[A-Z])", text)


def _span(low: float, high: float) -> str:
    low, high = _number(float(low)), _number(float(high))
    return low if low == high else f"{low} to {high}"


def _number(value: float) -> str:
    return f"{value:.4g}"
