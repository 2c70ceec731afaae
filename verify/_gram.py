"""The Gram route: eigenvalues of `W^T W` (or `W W^T`) with a rigorous error bound.

Private machinery of `verify.linalg`, shared so that one Gram matrix serves
every measure of `W` (see `verify.linalg.measure_weights`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EPS = float(np.finfo(np.float64).eps)  # 2^-52, numpy's "machine epsilon"
UNIT_ROUNDOFF = EPS / 2  # u = 2^-53 in Higham's notation
# The P5 gap comes from the Gram route only if its error bound promises this relative accuracy.
GAP_RELATIVE_ACCURACY = math.sqrt(EPS)
# Largest entries in this range give W^T W and its eigenvalues far from underflow and overflow.
SAFE_RANGE = (2.0**-400, 2.0**400)


def gamma(n: int) -> float:
    """Higham's `gamma_n = n u / (1 - n u)` (Accuracy and Stability of Numerical Algorithms, 3.1).

    >>> gamma(1) > UNIT_ROUNDOFF
    True
    """
    return n * UNIT_ROUNDOFF / (1 - n * UNIT_ROUNDOFF)


def default_cutoff(shape: tuple[int, int], sigma_max: float) -> float:
    return max(shape) * EPS * sigma_max


@dataclass(frozen=True)
class Gram:
    """Eigenvalues of the smaller Gram matrix of `W / scale`, with their error bound."""

    shape: tuple[int, int]
    scale: float  # a power of two, so dividing by it is exact
    eigenvalues: np.ndarray  # mu_i of the scaled Gram matrix, descending, >= 0
    error: float  # every mu_i is within this of the exact eigenvalue (scaled units)

    def unscaled(self) -> np.ndarray:
        return self.eigenvalues * self.scale**2

    @property
    def sigma_max(self) -> float:
        return self.scale * math.sqrt(self.eigenvalues[0])

    @property
    def unscaled_error(self) -> float:
        return self.error * self.scale**2

    def tolerance(self) -> float:
        """`orthonormality_tolerance`: computation error plus the rounding of `W` itself."""
        norm_squared = self.sigma_max**2
        computation = self.unscaled_error + UNIT_ROUNDOFF * max(norm_squared, 1.0)
        representation = 2 * math.sqrt(min(self.shape)) * gamma(4 * max(self.shape))
        return computation + representation * norm_squared

    def defect(self) -> float:
        """`||W^T W - I_k||_2`, counting the `k - d` structural zeros of a wide `W`."""
        defect = float(np.abs(self.unscaled() - 1.0).max())
        d, k = self.shape
        return max(defect, 1.0) if k > d else defect

    def proves_rank_above(self, cutoff: float) -> bool:
        """Whether the error bound proves every singular value exceeds `cutoff` (full rank)."""
        lowest = float(self.eigenvalues[-1]) - self.error
        return lowest > 0 and self.scale * math.sqrt(lowest) > cutoff


def gram(W: np.ndarray) -> Gram:
    """The Gram route on a validated float64 matrix (one product, one eigvalsh)."""
    d, k = W.shape
    largest = float(np.abs(W).max())
    # Rescale by a power of two (exact) only where W^T W could underflow or overflow.
    needs_scaling = largest > 0 and not SAFE_RANGE[0] <= largest <= SAFE_RANGE[1]
    scale = math.ldexp(1.0, math.frexp(largest)[1]) if needs_scaling else 1.0
    scaled = W / scale if needs_scaling else W
    product = scaled.T @ scaled if d >= k else scaled @ scaled.T
    eigenvalues = np.clip(np.linalg.eigvalsh(product)[::-1], 0.0, None)
    inner, size = max(d, k), min(d, k)
    frobenius_squared = float(np.trace(product))
    # Product: |fl(W^T W) - W^T W| <= gamma_n |W|^T |W| (Higham eq. 3.13), whose 2-norm is at
    # most ||W||_F^2; eigvalsh is backward stable, error p(m) u ||G||_2, we take p(m) = m.
    error = gamma(inner) * frobenius_squared + size * UNIT_ROUNDOFF * float(eigenvalues[0])
    return Gram((d, k), scale, eigenvalues, error)


def _gap_of(sigmas: np.ndarray) -> float:
    if sigmas.size == 0:
        return 0.0
    with np.errstate(over="ignore"):  # the exact gap may exceed the float64 range: inf
        return float(np.abs(sigmas - 1.0 / sigmas).max())


def _gram_gap(spectrum: Gram, cutoff: float) -> tuple[float, float] | None:
    """`(gap, bound)` from the eigenvalues if their error bound gives relative accuracy
    `GAP_RELATIVE_ACCURACY` and separates every `sigma_i` from the cutoff; else None."""
    mu, error = spectrum.eigenvalues, spectrum.error
    if not mu[-1] > 2 * error:
        return None
    sigmas = spectrum.scale * np.sqrt(mu)
    relative = error / (2 * (mu - error))
    if not np.all(np.abs(sigmas - cutoff) > sigmas * relative):
        return None
    kept = sigmas > cutoff
    value = _gap_of(sigmas[kept])
    with np.errstate(over="ignore"):  # 1/sigma may exceed the float64 range
        # propagated eigenvalue error, plus rounding of sqrt, 1/sigma and the difference
        spread = (sigmas + 1 / sigmas) * (relative + 3 * UNIT_ROUNDOFF)
    bound = float(spread[kept].max(initial=0.0))
    return (value, bound) if bound <= GAP_RELATIVE_ACCURACY * max(1.0, value) else None


def _svd_gap(sigmas: np.ndarray, shape: tuple[int, int], cutoff: float) -> tuple[float, float]:
    """`(gap, bound)` from SVD singular values, each within `max(d, k) eps sigma_max`."""
    kept = sigmas[sigmas > cutoff]
    absolute = max(shape) * EPS * float(sigmas[0])
    with np.errstate(over="ignore"):
        spread = absolute * (1 + 1 / kept**2) + 3 * UNIT_ROUNDOFF * (kept + 1 / kept)
        bound = float(spread.max(initial=0.0))
    return _gap_of(kept), bound


@dataclass(frozen=True)
class WeightMeasures:
    """Every measure of `W` (`d x k`) from one Gram eigen-decomposition (`measure_weights`).

    `singular_values`: the `min(d, k)` singular values, descending, from the
    Gram route or, where it added one, the SVD. `squared_singular_values`: the
    Gram route's `sigma_i^2`, descending, the numbers `tolerance` bounds the
    error of (P1 and P3 are decided on them). `rank`: how many singular values
    exceed `rank_cutoff`. `gap_route`: "gram" or "svd", whichever gave the gap.
    """

    shape: tuple[int, int]
    orthonormality_defect: float
    tolerance: float
    has_orthonormal_columns: bool
    is_partial_isometry: bool
    gap: float
    gap_error_bound: float
    gap_route: str
    singular_values: tuple[float, ...]
    squared_singular_values: tuple[float, ...]
    rank: int
    rank_cutoff: float


def measure(
    W: np.ndarray, *, tolerance: float | None = None, cutoff: float | None = None
) -> WeightMeasures:
    """The measures of a validated float64 `W`: one Gram eigen-decomposition, at most one SVD.

    The one rule for zero singular values: `sigma_i` counts as zero exactly when
    it is at most `cutoff` (default `max(d, k) eps sigma_max`). The Gram route
    settles the rank when its error bound proves full rank; otherwise the SVD
    counts. That SVD, if taken, also gives the P5 gap; else the Gram route gives
    it when accurate enough, and the SVD only when not (full rank, ill-conditioned).
    """
    d, k = W.shape
    spectrum = gram(W)
    if tolerance is None:
        tolerance = spectrum.tolerance()
    if cutoff is None:
        cutoff = default_cutoff(W.shape, spectrum.sigma_max)
    svd, from_gram = None, None
    if spectrum.proves_rank_above(cutoff):
        rank = min(d, k)
        from_gram = _gram_gap(spectrum, cutoff)
        if from_gram is None:
            svd = np.linalg.svd(W, compute_uv=False)
    else:
        svd = np.linalg.svd(W, compute_uv=False)
        rank = int(np.count_nonzero(svd > cutoff))
    if from_gram is not None:
        (gap_value, bound), route = from_gram, "gram"
        sigmas = spectrum.scale * np.sqrt(spectrum.eigenvalues)
    else:
        (gap_value, bound), route = _svd_gap(svd, W.shape, cutoff), "svd"
        sigmas = svd
    mu = spectrum.unscaled()
    defect = spectrum.defect()
    return WeightMeasures(
        shape=(d, k),
        orthonormality_defect=defect,
        tolerance=tolerance,
        has_orthonormal_columns=bool(k <= d and defect <= tolerance),
        # P3/P5: each sigma above the cutoff is a real direction, where W^+ has 1/sigma.
        is_partial_isometry=bool(np.all(np.abs(mu[:rank] - 1.0) <= tolerance)),
        gap=gap_value,
        gap_error_bound=bound,
        gap_route=route,
        singular_values=tuple(sigmas.tolist()),
        squared_singular_values=tuple(mu.tolist()),
        rank=rank,
        rank_cutoff=float(cutoff),
    )
