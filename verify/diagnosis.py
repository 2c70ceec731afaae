"""The practitioner's check: is a trained tied weight matrix at the orthonormal optimum?

`diagnose(W)` measures `W` (read in decoder orientation, `d x k`) and gives a verdict:

- ``"orthonormal columns"``: `W^T W = I_k`, so `W^T = W^+` (P1), as at the tied optimum (A5);
- ``"partial isometry"``: every nonzero singular value is 1, so still `W^T = W^+` (P3);
- ``"neither"``: `W^T != W^+`, with the claim that explains it: more code units than
  inputs (P4), rank-deficient weights (F2), or not (yet) a critical point of the
  tied loss (F3). Singular values uniformly below 1 fit weight decay (F4), an
  unfinished run and an untrained layer (F3) alike: the claim is then "F3/F4",
  and the data (`data=`, `verify.data_check`) decide between them.

Orientation follows PyTorch's conventions unless told (`choose_orientation`): the
smaller side of a stored matrix is the code (`k <= d`), so a wide matrix is an
encoder `W^T` (an `nn.Linear(d, k).weight` is stored out x in, `k x d`) and a
tall one a decoder `W`; the report says which it assumed and why.

Precision follows the data: tolerances are stated in the unit roundoff of the
format `W` was stored in (`Diagnosis.dtype`, `Diagnosis.unit_roundoff`), so
an exactly orthonormal matrix stored as float32, float16 or bfloat16 is
"orthonormal columns".

Every number comes from one call of `verify.linalg.measure_weights`: one Gram
matrix `W^T W` (or `W W^T` when `k > d`) and its `eigvalsh`, plus one SVD only
when that route cannot settle the rank or the P5 gap (near rank deficiency). So
each equals what the corresponding `verify.linalg` function returns, and the
verdict "orthonormal columns" or "partial isometry" is given exactly when
`verify.linalg.is_partial_isometry` holds.

>>> import numpy as np
>>> diagnose(np.eye(3, 2)).verdict
'orthonormal columns'
>>> found = diagnose(np.diag([0.6, 0.8]))       # sigma below 1: F4 would imply these
>>> found.verdict, found.claim, [round(r, 6) for r in found.implied_weight_decay]
('neither', 'F3/F4', [0.72, 1.28])
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from verify._validation import InvalidMatrixError
from verify.linalg import WeightMeasures, measure_weights
from verify.precision import as_weights

if TYPE_CHECKING:  # imported when data are given: the check of a file alone needs no autoencoder
    from verify.data_check import DataFindings

__all__ = ["LINEAR_FOOTER", "ORIENTATIONS", "VERDICTS", "Diagnosis", "choose_orientation",
           "diagnose"]

#: How a weight matrix may be stored: the decoder `W` (`d x k`) or the encoder `W^T`
#: (`k x d`); "auto" (the default) takes the smaller side as the code (`choose_orientation`).
ORIENTATIONS = ("auto", "decoder", "encoder")
#: The three verdicts, from best to worst.
VERDICTS = ("orthonormal columns", "partial isometry", "neither")

_DOCS = "docs/derivations.md#"
#: The last line of every report: what the theory behind the verdicts assumes.
LINEAR_FOOTER = ("Assumes linear layers: the tied autoencoder x -> W W^T x. P1 to P5 hold for "
                 "any matrix; the A and F explanations (convergence, weight decay) are those of "
                 "the linear theory (for a nonlinear model, pass --nonlinear).")
_NONLINEAR = ("The linear theory assumes linear layers: with a nonlinearity the critical points "
              "of the loss need not be partial isometries (A4 does not apply), so whether "
              "training converged (F3) or weight decay (F4) explains the singular values is not "
              "decided here.")
_CUTOFF = "max(d, k) eps sigma_max"
_CUTOFF_NARROW = "(max(d, k) eps_float32 + sqrt(min(d, k)) u) sigma_max"


@dataclass(frozen=True)
class Diagnosis:
    """What `diagnose` found. Singular values are those of `W` in decoder orientation.

    `dtype`: the format `W` was stored in ("float32", "bfloat16", ...), and
    `unit_roundoff` its `u`, in which `tolerance` and `rank_cutoff` are stated.
    `tolerance` bounds `|sigma_i^2 - 1|` (and `sigma_i^2` for a zero) as in
    `verify.linalg.orthonormality_tolerance`, unless the caller gave one
    (`tolerance_reason` then says why); `rank_cutoff` is `max(d, k) eps
    sigma_max` with `eps = 2 u`, plus `sqrt(min(d, k)) u sigma_max` for formats
    narrower than float32 (`verify.linalg.rank_cutoff`).
    `implied_weight_decay` holds, when every nonzero singular value is below 1,
    `mu / lambda_i = 2 (1 - sigma_i^2)` for each nonzero singular value
    (descending `sigma_i`): what F4 would imply, one explanation among others
    unless the data decide it. `data`: the findings of
    `verify.data_check.check_with_data` when `data` was given. A gap too large
    for float64 is `math.inf` here and ``None`` in `to_dict()`. `rounding_tolerance`:
    the part of the derived tolerance that rounding an exact partial isometry to
    `dtype` alone explains (the rest allows for its having been computed in
    `dtype`, a worst case); `math.inf` (``None`` in `to_dict()`) for a format so
    coarse that rounding alone can explain any defect.
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
    dtype: str = "float64"
    unit_roundoff: float = 2.0**-53
    tolerance_reason: str | None = None
    data: DataFindings | None = None
    rounding_tolerance: float = 0.0
    orientation_reason: str = "as given"
    nonlinear: bool = False
    singular_values: tuple[float, ...] = ()

    def to_dict(self) -> dict:
        """The diagnosis as JSON-ready builtins: lists for tuples, ``None`` for an infinite gap."""
        data = asdict(self)
        data["stored_shape"] = list(self.stored_shape)
        data["singular_values"] = list(self.singular_values)
        if self.implied_weight_decay is not None:
            data["implied_weight_decay"] = list(self.implied_weight_decay)
        for name in ("transpose_pseudo_inverse_gap", "rounding_tolerance"):
            if not math.isfinite(data[name]):
                data[name] = None
        if self.data is not None:
            found = data["data"]
            found["principal_angles"] = list(self.data.principal_angles)
            if self.data.implied_ratios is not None:
                found["implied_ratios"] = list(self.data.implied_ratios)
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
        given = f", given: {self.tolerance_reason}" if self.tolerance_reason else ""
        digits = _digits(self.tolerance)
        # In a format narrower than float64 the tolerance is mostly the worst case of
        # computing W in it; what rounding alone explains is far less, and worth showing.
        rounding = (f"; rounding W to {self.dtype} alone: {_number(self.rounding_tolerance)}"
                    if 2.0**-53 < self.unit_roundoff and math.isfinite(self.rounding_tolerance)
                    else "")
        lines = [
            f"Shape: {d} x {k} ({layout}, {d} inputs, {k} code units)",
            f"Orientation: {self.orientation} ({self.orientation_reason})",
            f"Precision: {self.dtype}, unit roundoff u = {_number(self.unit_roundoff)} "
            "(tolerance and cutoff below are stated in it; eps = 2 u)",
            f"Numerical rank: {self.rank} of {min(d, k)} (singular values above the cutoff "
            f"{_CUTOFF_NARROW if self.unit_roundoff > 2.0**-24 else _CUTOFF} = "
            f"{_number(self.rank_cutoff)})",
            f"Singular values: {self.singular_value_count}, from "
            f"{_number(self.sigma_min, digits)} to {_number(self.sigma_max, digits)}; "
            f"{self.near_one_count} equal to 1 (|sigma^2 - 1| <= {_number(self.tolerance)}), "
            f"{self.zero_count} zero",
            f"Orthonormality defect ||W^T W - I||_2: {_number(self.orthonormality_defect)} "
            f"(tolerance {_number(self.tolerance)}{given}{rounding})",
            f"Gap ||W^T - W^+||_2 = max |sigma_i - 1/sigma_i| (P5): {gap}",
        ]
        if self.data is not None:
            lines += _data_lines(self.data, k)
        lines.append(f"Verdict: {self.verdict} ({self.claim})")
        # One sentence a line: wrapping inside a formula would garble it.
        lines += ["  " + sentence for sentence in _sentences(self.explanation)]
        lines.append(f"  See {self.see}")
        lines.append(LINEAR_FOOTER)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def _data_lines(found: DataFindings, k: int) -> list[str]:
    largest = max(found.principal_angles, default=0.0)
    lines = [
        f"Data: {found.samples} samples, centred by the check (each input's mean subtracted), "
        f"rank {found.data_rank}",
        f"Excess loss over the PCA optimum: {_number(found.excess_loss)} "
        f"(tolerance {_number(found.excess_tolerance)})",
        f"Largest principal angle between col(W) and the top-{k} eigenspace: "
        f"{_number(largest)} rad",
    ]
    if found.fitted_weight_decay is not None:
        lines.append(f"F4 fit sigma_i^2 = 1 - mu / (2 lambda_i): mu = "
                     f"{_number(found.fitted_weight_decay)}, largest residual "
                     f"{_number(found.fit_residual)} (tolerance {_number(found.fit_tolerance)})")
    lines.append(f"From the data: {found.verdict} ({found.claim})")
    return lines


def _tolerance_override(tolerance, reason) -> tuple[float | None, str | None]:
    if tolerance is None:
        if reason is not None:
            raise InvalidMatrixError("tolerance_reason was given without a tolerance; pass both.")
        return None, None
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not (
        0 < tolerance < math.inf
    ):
        raise InvalidMatrixError(
            f"tolerance must be a finite number > 0 (a bound on |sigma_i^2 - 1|); "
            f"got {tolerance!r}."
        )
    return float(tolerance), (reason or "by the caller")


def choose_orientation(shape: tuple[int, ...], orientation: str = "auto") -> tuple[str, str]:
    """`(orientation, reason)`: how to read a stored matrix of `shape`, and why.

    A given "decoder" or "encoder" is kept ("as given"). "auto" follows PyTorch's
    conventions: the smaller side is the code (`k <= d`), so a wide `r x c`
    (`r < c`) is an encoder `W^T` (`nn.Linear(c, r).weight` is stored out x in), a
    tall one a decoder `W`. A square matrix is read as a decoder: its singular
    values, and so the verdict without data, are the same either way; with data they
    are not, and the reason says so.

    >>> choose_orientation((10, 64))[0], choose_orientation((64, 10))[0]
    ('encoder', 'decoder')
    >>> choose_orientation((10, 64), "decoder")
    ('decoder', 'as given')
    """
    if orientation not in ORIENTATIONS:
        raise InvalidMatrixError(
            f"orientation must be one of {', '.join(map(repr, ORIENTATIONS))}; got {orientation!r}"
        )
    if orientation != "auto":
        return orientation, "as given"
    if len(shape) != 2:  # the matrix validation reports the shape
        return "decoder", "assumed: not a matrix"
    rows, columns = (int(n) for n in shape)
    override = "--orientation (orientation=) overrides"
    if rows != columns:
        role, what = ("an encoder W^T", "wide") if rows < columns else ("a decoder W", "tall")
        return ("encoder" if rows < columns else "decoder"), (
            f"assumed: the smaller side is the code (k <= d), so the {what} {rows} x {columns} "
            f"is {role}, as PyTorch stores nn.Linear({columns}, {rows}).weight (out x in); "
            f"{override}")
    return "decoder", (
        "assumed: square, so either side may be the code; the verdict without data is the "
        "same either way, with data it is not: for a PyTorch "
        f"nn.Linear({rows}, {rows}).weight (out x in) pass encoder; {override}")


def diagnose(
    W,
    *,
    orientation: str = "auto",
    unit_roundoff: float | None = None,
    tolerance: float | None = None,
    tolerance_reason: str | None = None,
    data=None,
    dtype_name: str | None = None,
    nonlinear: bool = False,
    precision: str | None = None,
) -> Diagnosis:
    """Measure `W` and say whether `W^T` is its pseudo-inverse, and if not, why.

    `orientation="auto"` (default): the smaller side is the code, PyTorch's
    convention (`choose_orientation`): a wide `W` is read as an encoder, a tall one
    as a decoder. `orientation="decoder"`: `W` is `d x k`, the `W` of the tied
    autoencoder `x -> W W^T x`. `orientation="encoder"`: `W` is given as its
    `k x d` encoder `W^T` (an `nn.Linear(d, k).weight`) and is transposed first.
    `W` may be any array-like, also a PyTorch tensor that requires grad; float16/32/64 are measured as
    they are. `unit_roundoff`: the precision `W` was stored at when it is not
    its dtype's (bfloat16 read into float32: `2**-8`; text with 6 significant
    digits: `5e-6`), named `dtype_name` in the report. `tolerance` (with
    `tolerance_reason`) replaces the derived tolerance on `|sigma_i^2 - 1|`.
    `data`: the samples `W` was trained on, `n x d` (samples as rows; centred
    here), which decide what one matrix cannot (`verify.data_check`). Raises
    `verify._validation.InvalidMatrixError` for anything but a finite real
    non-empty 2-D matrix of safe magnitude, bad options or bad data.
    `precision`: the format `W` was trained and stored in when it is held in a
    wider one ("float32", "float16", "bfloat16", "float64"): a float32 model
    upcast with `.double()` is judged at float32, not float64. It sets
    `unit_roundoff` and `dtype_name`, so it does not go with them.
    `nonlinear=True`: `W` is a layer of a nonlinear model; the linear algebra
    (P1 to P5) still holds, but no A or F explanation is given as if the linear
    theory applied, and the data check (which is that theory's) is not run.

    >>> w = np.array([[0.6], [0.8]])
    >>> diagnose(np.hstack([w, w])).claim            # F2: W = [w, w]
    'F2'
    >>> diagnose(np.ones((2, 3)) / 3, orientation="decoder").claim   # 3 code units, 2 inputs
    'P4'
    >>> diagnose(np.ones((2, 3)) / 3).claim           # read as an encoder: below 1, undecided
    'F3/F4'
    >>> diagnose(np.eye(3, 2, dtype=np.float32) * (1 + 2.0**-23)).verdict
    'orthonormal columns'
    """
    choose_orientation((), orientation)  # refuses an unknown orientation first
    if precision is not None:
        unit_roundoff, dtype_name = _precision(precision, unit_roundoff, dtype_name)
    tolerance, tolerance_reason = _tolerance_override(tolerance, tolerance_reason)
    stored, precision = as_weights(W, name="W", unit_roundoff=unit_roundoff,
                                   dtype_name=dtype_name)
    orientation, orientation_reason = choose_orientation(stored.shape, orientation)
    matrix = stored.T if orientation == "encoder" else stored
    measures = measure_weights(matrix, tolerance=tolerance, unit_roundoff=precision.unit_roundoff)
    d, k = matrix.shape
    verdict, claim, explanation, implied = _verdict(measures, d, k)
    if (verdict == "orthonormal columns" and tolerance is None and data is None
            and precision.unit_roundoff > 2.0**-53
            and measures.orthonormality_defect > measures.rounding_tolerance):
        # A narrow format's derived tolerance is a worst case that can hide weight decay
        # or an unfinished run: say so where it, and not rounding alone, decided.
        explanation += (
            f" The defect is more than rounding W to {precision.name} alone explains; it is "
            f"within the worst-case error of computing W in {precision.name}, which the "
            "tolerance allows for. Weight decay or an unfinished run can hide there: "
            "tied-weights check W --data X.npy compares W with the PCA optimum.")
    found = None
    if nonlinear:
        claim, explanation = _nonlinear(verdict, claim, explanation, measures,
                                        data is not None)
    elif data is not None:
        from verify.data_check import check_with_data

        found = check_with_data(matrix, data, measures)
        claim, explanation = _with_data(verdict, claim, explanation, found, k > d)
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
        see=" and ".join(_DOCS + part.lower() for part in claim.split("/")),
        dtype=precision.name,
        unit_roundoff=precision.unit_roundoff,
        tolerance_reason=tolerance_reason,
        data=found,
        rounding_tolerance=measures.rounding_tolerance,
        orientation_reason=orientation_reason,
        nonlinear=bool(nonlinear),
        singular_values=tuple(float(sigma) for sigma in sigmas),
    )


#: The unit roundoff of each format `precision=` names.
PRECISIONS = {"float64": 2.0**-53, "float32": 2.0**-24, "float16": 2.0**-11, "bfloat16": 2.0**-8}


def _precision(precision, unit_roundoff, dtype_name) -> tuple[float, str]:
    """`(unit_roundoff, dtype_name)` for `precision=`, refused beside either of them."""
    if unit_roundoff is not None or dtype_name is not None:
        raise InvalidMatrixError("precision= sets unit_roundoff and dtype_name; pass one or the "
                                 "other, not both.")
    name = str(precision).removeprefix("torch.")
    if name not in PRECISIONS:
        raise InvalidMatrixError(f"precision must be one of {', '.join(map(repr, PRECISIONS))}; "
                                 f"got {precision!r}.")
    return PRECISIONS[name], name


def _nonlinear(verdict: str, claim: str, explanation: str, s: WeightMeasures, data: bool):
    """The claim and explanation for a layer of a nonlinear model: linear algebra only."""
    skipped = (" The data check (excess loss over PCA, the F4 fit) is the linear theory's "
               "too, and was not run." if data else "")
    if verdict != "neither" or claim in ("P4", "F2"):  # facts about W alone
        return claim, f"{explanation} {_NONLINEAR}{skipped}"
    gap = "too large for float64" if not math.isfinite(s.gap) else _number(s.gap)
    return "P5", (f"The singular values are not all 1, so W^T != W^+: ||W^T - W^+||_2 = "
                  f"{gap} (P5). {_NONLINEAR}{skipped}")


def _with_data(verdict: str, claim: str, explanation: str, found: DataFindings, wide: bool):
    """The claim and explanation once the data have spoken (`verify.data_check`)."""
    decided = verdict == "neither" and not wide and (
        claim in ("F3/F4", "F3", "F4") or (claim == "F2" and found.claim == "F1")
    ) and found.claim in ("F1", "F3", "F4")
    if decided:
        return found.claim, found.explanation
    return claim, f"{explanation} With the data: {found.explanation}"


def _verdict(s: WeightMeasures, d: int, k: int):
    """(verdict, claim, explanation, implied weight decay) for a measured `d x k` matrix."""
    sigmas, mu = s.singular_values, s.squared_singular_values
    digits = _digits(s.tolerance)
    every = _span(sigmas[-1], sigmas[0], digits)
    nonzero = _span(sigmas[max(s.rank, 1) - 1], sigmas[0], digits)
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
    # sigma^2 within what rounding W to its format alone explains of 1 is 1 at this precision.
    one = min(s.tolerance, s.rounding_tolerance)
    below = s.rank > 0 and mu[0] < 1.0 - s.tolerance
    # The largest within the tolerance of 1 but not within rounding, the smallest below it:
    # F4's 1 - mu / (2 lambda_1) can be that close to 1, so the precision cannot separate.
    undecided = (s.rank > 0 and not below and mu[0] < 1.0 - one
                 and mu[s.rank - 1] < 1.0 - s.tolerance)
    if below or undecided:
        implied = tuple(2.0 * (1.0 - m) for m in mu[: s.rank])
        decayed = (f"; its {zeros} zero direction(s) would fit mu >= 2 lambda_i, which "
                   "weight decay switches off" if zeros else "")
        if below:
            opening = (f"Every {'nonzero ' if zeros else ''}singular value lies below 1 "
                       f"({nonzero}), so W^T != W^+ (gap {_number(s.gap)}). ")
        else:
            opening = (
                f"The {'nonzero ' if zeros else ''}singular values ({nonzero}) lie below 1, "
                f"the largest within the tolerance of it, so W^T != W^+ (gap {_number(s.gap)}). "
                "Cannot tell at this precision whether the largest are 1 or below 1: "
                f"1 - sigma_1^2 = {_number(1.0 - mu[0])} is within the tolerance "
                f"{_number(s.tolerance)} but more than rounding W to its format alone explains "
                f"({_number(one)}), and weight decay (F4) gives sigma_i^2 = 1 - mu / "
                "(2 lambda_i), as near 1 as that for a large lambda_i. ")
        return ("neither", "F3/F4",
                opening +
                "One matrix cannot tell three explanations apart. "
                "(1) Weight decay (F4): with the penalty mu ||W||_F^2 added to the tied "
                "loss, the optimum has sigma_i^2 = 1 - mu / (2 lambda_i), and these weights "
                "would imply mu / lambda_i = 2 (1 - sigma_i^2) of "
                f"{_span(min(implied), max(implied))} per direction{decayed}. "
                "(2) An unfinished run (F3): gradient descent from small weights approaches "
                "sigma_i = 1 from below. "
                "(3) An untrained layer (F3): some initialisations give singular values "
                "below 1 (PyTorch's default nn.Linear, 0.48 to 0.69 at 784 x 32; not "
                "Glorot-uniform, 1.13 to 1.61 there), and a layer that was never trained is "
                "not at a critical point. "
                "The data decide: tied-weights check W --data X.npy (or diagnose(W, data=X)) "
                "measures the excess loss, the principal angles and the F4 fit.", implied)
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
    return re.split(r"(?<=\.) (?=[A-Z(])", text)


def _digits(tolerance: float) -> int:
    """Significant digits that show a singular value's distance from 1 at `tolerance`.

    `|sigma^2 - 1| > tolerance` means `|sigma - 1| > tolerance / 3` for sigma
    below 2, so printing `1 - log10(tolerance / 30)` significant digits
    (at least 4, at most 17) never shows such a sigma as 1.
    """
    if not tolerance > 0 or not math.isfinite(tolerance):
        return 4
    return min(17, max(4, math.ceil(1 - math.log10(tolerance / 30))))


def _span(low: float, high: float, digits: int = 4) -> str:
    low, high = _number(float(low), digits), _number(float(high), digits)
    return low if low == high else f"{low} to {high}"


def _number(value: float, digits: int = 4) -> str:
    """``value`` with the fewest significant digits (4 up to ``digits``) that do not show it
    as 1 when it is not 1: 0.6 stays 0.6, 1 + 1e-9 is 1.000000001 given enough digits."""
    for shown in range(min(4, digits), digits + 1):
        text = f"{value:.{shown}g}"
        if float(text) != 1.0 or value == 1.0:
            return text
    return f"{value:.{digits}g}"
