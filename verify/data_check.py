"""What one weight file cannot tell, the data can: converged, weight decay, not converged, or F1.

`check_with_data(W, data, measures)` compares the tied weights `W` (`d x k`)
with the data they were trained on (`data`: samples as rows, `n x d`, centred
here) and measures

- the excess loss `L(W) - (lambda_{k+1} + ... + lambda_d)` over the PCA optimum
  (A5: the tied optimum reaches it), with a derived tolerance;
- the principal angles between the column space of `W` and the top-`k`
  eigenspace of `S = X X^T` (zero at the optimum, A5, and at the weight-decay
  optimum, F4);
- a least-squares fit of F4, `sigma_i^2 = 1 - mu / (2 lambda_i)` for one
  `mu`, with its residual, over the eigenvalues above the data's rank cutoff
  (those at or below it are zero, and never divided by).

and decides, in this order: rank-deficient data (F1: `rank S < k`); weight
decay (F4: one `mu > 0` fits every `sigma_i^2`, moves them by more than the
tolerance, and the column space is the top-`k` eigenspace); converged (A5: no
excess loss, a partial isometry in the top-`k` eigenspace); "cannot tell at
this precision" where the tolerances cannot separate A5 from F4 (a fit that
moves `sigma^2` by less than the tolerance but more than rounding) or from F3
(the loss within its tolerance, the angles not); a saddle point (A4: a partial
isometry with zero gradient, but excess loss); not converged (F3).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> data = rng.standard_normal((200, 3)) * [3.0, 2.0, 1.0]
>>> from verify.autoencoder import covariance_spectrum
>>> eigenvalues, U = covariance_spectrum((data - data.mean(axis=0)).T)
>>> found = check_with_data(U[:, :2] * np.sqrt(1 - 0.5 / (2 * eigenvalues[:2])), data)
>>> found.claim, round(found.fitted_weight_decay, 9)
('F4', 0.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from verify._gram import UNIT_ROUNDOFF, WeightMeasures, representation_factor
from verify._validation import InvalidMatrixError
from verify.autoencoder import (
    covariance_spectrum,
    gradient_tolerance,
    loss_tolerance,
    tied_gradient,
    tied_loss,
)
from verify.linalg import measure_weights
from verify.precision import as_weights

__all__ = ["DATA_VERDICTS", "DataFindings", "check_with_data"]

#: What the data decides, with the claim that explains each.
DATA_VERDICTS = {
    "converged": "A5",
    "weight decay": "F4",
    "not converged": "F3",
    "saddle point": "A4",
    "rank-deficient data": "F1",
    "cannot tell at this precision": "A5/F3",  # or A5/F4: the explanations that both fit
}


@dataclass(frozen=True)
class DataFindings:
    """The comparison of `W` with its data (`check_with_data`).

    `excess_loss`: `L(W)` minus the PCA optimum, on the centred data;
    `excess_tolerance` bounds its rounding (see `check_with_data`).
    `principal_angles`: radians, ascending, between `col(W)` and the top-`k`
    eigenspace. `fitted_weight_decay`: the least-squares `mu` of F4 (None
    when `W` has no nonzero singular value); `fit_residual`: the largest
    `|sigma_i^2 - (1 - mu / (2 lambda_i))|`, `fit_tolerance` what rounding
    allows it. `implied_ratios`: `mu / lambda_i` for the fitted `mu`.
    """

    samples: int
    data_rank: int
    loss: float
    optimal_loss: float
    excess_loss: float
    excess_tolerance: float
    principal_angles: tuple[float, ...]
    fitted_weight_decay: float | None
    fit_residual: float | None
    fit_tolerance: float
    implied_ratios: tuple[float, ...] | None
    verdict: str
    claim: str
    explanation: str


def _centred(data, d: int) -> tuple[np.ndarray, float]:
    """`(X, u)`: the centred data as `d x n` float64, and the unit roundoff it was stored at."""
    matrix, precision = as_weights(data, name="data")
    n, columns = matrix.shape
    if columns != d:
        raise InvalidMatrixError(
            f"data must be n x d with d = {d} columns (one per input of W, samples as rows); "
            f"got shape {matrix.shape}."
            + (" Transpose it (data.T)." if n == d else "")
        )
    if n < 2:
        raise InvalidMatrixError(
            f"data must have at least 2 samples (rows) to be centred; got shape {matrix.shape}."
        )
    centred = matrix.astype(np.float64)  # a copy: centring must not touch the caller's array
    centred -= centred.mean(axis=0)
    return centred.T, precision.unit_roundoff


def check_with_data(W, data, measures: WeightMeasures | None = None) -> DataFindings:
    """Compare tied weights `W` (`d x k`, decoder orientation) with their data (`n x d`).

    Tolerances (float64 computation, `W` stored at `u`):

    - excess loss: `loss_tolerance(X, W)` (rounding of the loss and of the
      eigenvalue sum) plus `8 lambda_1 m rho'^2 ||W||_2^2`, how far rounding `W`
      to its format can raise the loss above a minimiser `P`: `||W - P||_2 <=
      rho' ||W||_2` (`verify._gram.representation_factor`), the gradient vanishes
      at `P` and the Hessian there is at most `8 lambda_1` (in-span curvatures
      `8 lambda_i`, across `2 (lambda_i - lambda_j)`), so the rise is at most
      `4 lambda_1 ||W - P||_F^2` to second order, doubled for the remainder;
    - F4 fit: the `sigma_i^2` tolerance of `measures` plus the fitted `mu`
      times `max_i e_i / (2 lambda_i^2)`, `e_i` the error of the computed
      eigenvalue (`2 sqrt(lambda_i) max(d, n) eps ||X||_2`, from the SVD of `X`,
      with `eps = 2 max(u_data, 2^-53)`: data stored at `u_data`, e.g. float32
      digits, are within `u_data |X|` of those trained on, which that covers);
    - saddle: `||grad L(W)||_F <= gradient_tolerance(X, W) + 4 lambda_1 (1 + 3
      ||W||_2^2) sqrt(m) rho' ||W||_2`, the second term bounding `||grad L(W) -
      grad L(P)||_F` to first order (each term of the A3 gradient `-4 S W + 2 S W
      W^T W + 2 W W^T S W` moved by `W -> P`);
    - angles: the column space counts as the top-`k` eigenspace when `sin
      theta_max <= sqrt(tolerance)`: a component `s` across moves `sigma_i^2`
      and the loss only by `O(s^2)`, so smaller angles are not resolved by the
      other two tests.
    """
    if measures is None:
        measures = measure_weights(W)
    weights = np.asarray(as_weights(W, name="W")[0], dtype=np.float64)
    d, k = weights.shape
    X, data_u = _centred(data, d)
    eigenvalues, U = covariance_spectrum(X)
    n = X.shape[1]
    data_norm = math.sqrt(eigenvalues[0])
    cutoff = max(d, n) * 2 * max(data_u, UNIT_ROUNDOFF) * data_norm
    data_rank = int(np.count_nonzero(np.sqrt(eigenvalues) > cutoff))
    loss = tied_loss(weights, X)
    optimal = float(eigenvalues[k:].sum())
    excess = loss - optimal
    norm_squared = measures.singular_values[0] ** 2
    rho = representation_factor((d, k), measures.unit_roundoff)
    excess_tolerance = loss_tolerance(X, weights) + 8 * eigenvalues[0] * min(d, k) * rho**2 * (
        norm_squared)

    rank = measures.rank
    angles = _principal_angles(weights, U[:, :k], rank)
    sigma_squared = np.asarray(measures.squared_singular_values[:rank])
    fitted = residual = ratios = None
    fit_tolerance = measures.tolerance
    # Eigenvalues at or below the data's rank cutoff are zero: never divided by (1 / (2
    # lambda_i) of a rounding-level lambda_i overflows). Then data_rank < k, F1 below.
    fitted_count = min(rank, data_rank)
    if fitted_count:
        top = eigenvalues[:fitted_count]
        # In units of lambda_1: b_i = lambda_1 / (2 lambda_i) lies in [1/2, 1 / (2 c^2)],
        # c = cutoff / sqrt(lambda_1) >= 4 u, so b @ b cannot overflow; mu = lambda_1 m.
        b = eigenvalues[0] / (2 * top)
        y = 1 - sigma_squared[:fitted_count]
        scaled = float(b @ y / (b @ b))
        fitted = scaled * float(eigenvalues[0])
        residual = float(np.abs(y - scaled * b).max())
        # e_i / lambda_i, e_i = 2 sqrt(lambda_i) max(d, n) eps ||X||_2 the eigenvalue's error,
        # eps = 2 max(u_data, u): the data's own rounding counts as the SVD's backward error.
        relative_error = (2 * max(d, n) * 2 * max(data_u, UNIT_ROUNDOFF) * data_norm
                          / np.sqrt(top))
        fit_tolerance += abs(scaled) * float((relative_error * b).max())
        ratios = tuple(float(2 * scaled * value) for value in b)

    aligned = not angles or math.sin(max(angles)) <= math.sqrt(measures.tolerance)
    # F4 fits: one mu > 0 within the residual's tolerance, the columns in the top-k space.
    fits = fitted is not None and fitted > 0 and residual <= fit_tolerance and aligned
    # What that mu moves sigma^2 by, at most: mu / (2 lambda_r) (scaled: m b_r).
    shift = scaled * float(b.max()) if fits else 0.0
    one = min(measures.tolerance, measures.rounding_tolerance)  # 1 at this precision
    claim = None
    if data_rank < k:
        verdict = "rank-deficient data"
        explanation = (
            f"The centred data have rank {data_rank} < k = {k}: S = X X^T is singular, so tied "
            "critical points need not be partial isometries (F1): a column along the null "
            "space of S can have any length without changing the loss."
        )
    elif fits and shift > measures.tolerance:
        # Significant: the fitted mu moves sigma^2 by more than the tolerance on sigma^2.
        verdict = "weight decay"
        explanation = (
            f"One mu = {_number(fitted)} fits every sigma_i^2 = 1 - mu / (2 lambda_i) "
            f"(largest residual {_number(residual)}, tolerance {_number(fit_tolerance)}), "
            f"moving sigma^2 by up to {_number(shift)} (more than the tolerance "
            f"{_number(measures.tolerance)}), and the columns span the top-k eigenspace: W is "
            "the optimum of the tied loss plus mu ||W||_F^2 (F4; mu in the units of the "
            f"summed squared error), mu / lambda_i from {_number(min(ratios))} to "
            f"{_number(max(ratios))}."
        )
    elif excess <= excess_tolerance and measures.is_partial_isometry and aligned:
        if fits and shift > one:
            verdict, claim = "cannot tell at this precision", "A5/F4"
            explanation = (
                f"Cannot tell at this precision: the loss is the PCA optimum to within "
                f"{_number(excess_tolerance)} (excess {_number(excess)}) and every sigma_i^2 "
                f"is 1 within the tolerance {_number(measures.tolerance)}, but one mu = "
                f"{_number(fitted)} also fits them (largest residual {_number(residual)}), "
                f"moving sigma^2 by up to {_number(shift)}: more than rounding W to its "
                f"format alone explains ({_number(one)}), less than the tolerance. The "
                "optimum (A5) and weight decay (F4) both fit."
            )
        else:
            verdict = "converged"
            explanation = (
                f"The loss is the PCA optimum lambda_{k + 1} + ... + lambda_{d} to within "
                f"{_number(excess_tolerance)}: W is a global minimiser of the tied loss (A5)."
            )
    elif excess <= excess_tolerance and measures.is_partial_isometry:
        verdict, claim = "cannot tell at this precision", "A5/F3"
        explanation = (
            f"Cannot tell at this precision: the loss is the PCA optimum to within "
            f"{_number(excess_tolerance)} (excess {_number(excess)}) and W^T = W^+, but the "
            f"largest principal angle to the top-{k} eigenspace is {_number(max(angles))} rad "
            f"(sin above sqrt(tolerance) = {_number(math.sqrt(measures.tolerance))}): either "
            f"lambda_{k} and lambda_{k + 1} are too close for the loss to tell the spaces apart "
            "(A5), or W is not at the optimum (F3)."
        )
    elif measures.is_partial_isometry and np.linalg.norm(tied_gradient(weights, X)) <= (
        gradient_tolerance(X, weights)
        + 4 * eigenvalues[0] * (1 + 3 * norm_squared) * math.sqrt(min(d, k)) * rho
        * math.sqrt(norm_squared)
    ):
        verdict = "saddle point"
        explanation = (
            f"W^T = W^+ and the gradient vanishes, but the loss exceeds the PCA optimum by "
            f"{_number(excess)} (tolerance {_number(excess_tolerance)}): W is a critical point "
            "other than the minimum, its columns along eigenvectors other than the top k (A4); "
            "gradient descent from a generic start escapes it."
        )
    else:
        verdict = "not converged"
        stated = (f"The loss exceeds the PCA optimum by {_number(excess)} (tolerance "
                  f"{_number(excess_tolerance)})" if excess > excess_tolerance else
                  f"The loss is within {_number(excess_tolerance)} of the PCA optimum (excess "
                  f"{_number(excess)}), but the singular values are not all 1 (A4: every "
                  "critical point is a partial isometry)")
        small = (f"; the best fit, mu = {_number(fitted)}, moves sigma^2 by only "
                 f"{_number(shift)}, within the tolerance {_number(measures.tolerance)}: "
                 "not weight decay" if fits else "")
        explanation = (
            f"{stated} and no single weight decay mu explains the singular values with the "
            f"columns in the top-k eigenspace{small}: W is not a critical point of the tied "
            "loss, with or without weight decay (F3)."
        )
    if claim is None:
        claim = DATA_VERDICTS[verdict]
    return DataFindings(
        samples=int(n), data_rank=data_rank, loss=float(loss), optimal_loss=optimal,
        excess_loss=float(excess), excess_tolerance=float(excess_tolerance),
        principal_angles=tuple(angles), fitted_weight_decay=fitted, fit_residual=residual,
        fit_tolerance=float(fit_tolerance), implied_ratios=ratios, verdict=verdict,
        claim=claim, explanation=explanation,
    )


def _principal_angles(W: np.ndarray, top: np.ndarray, rank: int) -> list[float]:
    """Angles between the span of `W`'s first `rank` left singular vectors and `col(top)`."""
    if rank == 0:
        return []
    left = np.linalg.svd(W, full_matrices=False)[0][:, :rank]
    cosines = np.clip(np.linalg.svd(left.T @ top, compute_uv=False), 0.0, 1.0)
    return sorted(float(np.arccos(c)) for c in cosines)


def _number(value: float) -> str:
    return f"{value:.4g}"
