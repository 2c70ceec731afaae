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

and decides, in this order: rank-deficient data (F1: `rank S < k`); converged
(A5: no excess loss); weight decay (F4: one `mu > 0` fits every
`sigma_i^2` and the column space is the top-`k` eigenspace); a saddle point
(A4: a partial isometry with zero gradient, but excess loss); not converged (F3).

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
      eigenvalue (`2 sqrt(lambda_i) max(d, n) eps ||X||_2`, from the SVD of `X`);
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
        # e_i / lambda_i, e_i = 2 sqrt(lambda_i) max(d, n) eps ||X||_2 the eigenvalue's error.
        relative_error = 2 * max(d, n) * 2 * UNIT_ROUNDOFF * data_norm / np.sqrt(top)
        fit_tolerance += abs(scaled) * float((relative_error * b).max())
        ratios = tuple(float(2 * scaled * value) for value in b)

    aligned = not angles or math.sin(max(angles)) <= math.sqrt(measures.tolerance)
    if data_rank < k:
        verdict = "rank-deficient data"
        explanation = (
            f"The centred data have rank {data_rank} < k = {k}: S = X X^T is singular, so tied "
            "critical points need not be partial isometries (F1): a column along the null "
            "space of S can have any length without changing the loss."
        )
    elif excess <= excess_tolerance:
        verdict = "converged"
        explanation = (
            f"The loss is the PCA optimum lambda_{k + 1} + ... + lambda_{d} to within "
            f"{_number(excess_tolerance)}: W is a global minimiser of the tied loss (A5)."
        )
    elif fitted is not None and fitted > 0 and residual <= fit_tolerance and aligned:
        verdict = "weight decay"
        explanation = (
            f"One mu = {_number(fitted)} fits every sigma_i^2 = 1 - mu / (2 lambda_i) "
            f"(largest residual {_number(residual)}, tolerance {_number(fit_tolerance)}) and "
            "the columns span the top-k eigenspace: W is the optimum of the tied loss plus "
            f"lambda ||W||_F^2 (F4), mu / lambda_i from {_number(min(ratios))} to "
            f"{_number(max(ratios))}."
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
        explanation = (
            f"The loss exceeds the PCA optimum by {_number(excess)} (tolerance "
            f"{_number(excess_tolerance)}) and no single weight decay mu explains the "
            "singular values with the columns in the top-k eigenspace: W is not a critical "
            "point of the tied loss, with or without weight decay (F3)."
        )
    return DataFindings(
        samples=int(n), data_rank=data_rank, loss=float(loss), optimal_loss=optimal,
        excess_loss=float(excess), excess_tolerance=float(excess_tolerance),
        principal_angles=tuple(angles), fitted_weight_decay=fitted, fit_residual=residual,
        fit_tolerance=float(fit_tolerance), implied_ratios=ratios, verdict=verdict,
        claim=DATA_VERDICTS[verdict], explanation=explanation,
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
