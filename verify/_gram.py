"""The Gram route: eigenvalues of `W^T W` (or `W W^T`) with a rigorous error bound.

Private machinery of `verify.linalg`, shared so that one Gram matrix serves
every measure of `W` (see `verify.linalg.measure_weights`).

The Gram matrix is always accumulated in float64, whatever `W`'s dtype: the
product of two float32 (or float16) numbers is exact in float64, so the only
computation error is float64 summation, `gamma_n(2^-53) ||W||_F^2`. A float32 or
float16 `W` is converted a block of rows at a time, never as a whole: memory is
`W` itself, the `min(d, k)^2` float64 Gram matrix and a few megabytes. (The
same product accumulated in float32 has the worst-case bound `gamma_n(2^-24)
||W||_F^2`, about `n k 2^-24`: 1.0 at 8192 x 2048, which would decide nothing.)
What the stored precision `u` of `W` changes is the tolerance: how far rounding
`W` to its format can move `sigma_i^2` (see `Gram.tolerance`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from verify._validation import InvalidMatrixError

EPS = float(np.finfo(np.float64).eps)  # 2^-52, numpy's "machine epsilon"
UNIT_ROUNDOFF = EPS / 2  # u = 2^-53 in Higham's notation
# The P5 gap comes from the Gram route only if its error bound promises this relative accuracy.
GAP_RELATIVE_ACCURACY = math.sqrt(EPS)
# Largest entries in this range give W^T W and its eigenvalues far from underflow and overflow.
SAFE_RANGE = (2.0**-400, 2.0**400)
# Rows of a float32/float16 W converted to float64 at a time, and Gram columns per product:
# about 8 MB of float64 per block at k = 2048, few enough products to keep BLAS efficient.
_BLOCK_ROWS = 512
_PANEL_COLUMNS = 512


def gamma(n: int, unit_roundoff: float = UNIT_ROUNDOFF) -> float:
    """Higham's `gamma_n = n u / (1 - n u)` (Accuracy and Stability of Numerical Algorithms, 3.1).

    `inf` where `n u >= 1` (the bound says nothing there).

    >>> gamma(1) > UNIT_ROUNDOFF, gamma(2**24, 2.0**-24)
    (True, inf)
    """
    nu = n * unit_roundoff
    return nu / (1 - nu) if nu < 1 else math.inf


def default_cutoff(shape: tuple[int, int], sigma_max: float,
                   unit_roundoff: float = UNIT_ROUNDOFF) -> float:
    """`(max(d, k) 2 u_c + sqrt(m) u [u > u_c]) sigma_max`, `u_c = min(u, 2^-24)`.

    The first term is numpy's `matrix_rank` rule, `max(d, k) eps sigma_max`, in
    the precision the SVD runs in (float64 and float32 in their own, narrower
    formats in float32). The second, for formats narrower than float32, is how
    far rounding to them can lift a zero singular value: `||dW||_2 <= u ||W||_F
    <= u sqrt(m) sigma_max` (see `representation_factor`).
    """
    computed = min(unit_roundoff, 2.0**-24)
    storage = unit_roundoff if unit_roundoff > computed else 0.0
    return (max(shape) * 2 * computed + math.sqrt(min(shape)) * storage) * sigma_max


def representation_factor(shape: tuple[int, int], unit_roundoff: float) -> float:
    """`rho'`: `||W - P||_2 <= rho' ||W||_2` for the exact partial isometry `P` that `W` stores.

    `rho = sqrt(m) (gamma_{4n}(u_c) + u [u > u_c])` and `rho' = rho / (1 - rho)`,
    with `n = max(d, k)`, `m = min(d, k)`, `u` the stored precision and `u_c =
    min(u, 2^-24)` the precision `W` was computed in. The model: `P` was
    computed in precision `u_c` by a backward-stable method (Householder QR:
    `||P^ - P||_2 <= sqrt(m) gamma_{4n}(u_c) ||P||_2`, Higham, Accuracy and
    Stability of Numerical Algorithms, 2nd ed., Thm 19.4, whose constant in
    `gamma~` we take as 4): float64 and float32 weights are computed in their
    own precision, narrower ones (float16, bfloat16, text) are roundings of
    float32 values (mixed-precision training keeps float32 master weights).
    Rounding `P^` to the stored format then adds, entrywise, `|W - P^| <= u |P^|`,
    so `||W - P^||_2 <= u || |P^| ||_2 <= u ||P^||_F <= u sqrt(m) ||P^||_2`.
    `rho < 1` is required.

    >>> representation_factor((1, 1), 2.0**-53) > 4 * 2.0**-53
    True
    """
    n, m = max(shape), min(shape)
    computed = min(unit_roundoff, 2.0**-24)
    storage = unit_roundoff if unit_roundoff > computed else 0.0
    rho = math.sqrt(m) * (gamma(4 * n, computed) + storage)
    if rho >= 1:
        raise InvalidMatrixError(
            f"unit_roundoff {unit_roundoff:.3g} is too coarse for shape {shape}: rounding to it "
            f"could move a singular value by {rho:.3g} >= 1 of ||W||_2, so no tolerance can be "
            "derived; pass tolerance= explicitly, with a reason."
        )
    return rho / (1 - rho)


@dataclass(frozen=True)
class Gram:
    """Eigenvalues of the smaller Gram matrix of `W / scale`, with their error bound."""

    shape: tuple[int, int]
    scale: float  # a power of two, so dividing by it is exact
    eigenvalues: np.ndarray  # mu_i of the scaled Gram matrix, descending, >= 0
    error: float  # every mu_i is within this of the exact eigenvalue (scaled units)
    unit_roundoff: float = UNIT_ROUNDOFF  # of the precision W was stored at

    def unscaled(self) -> np.ndarray:
        # scale * scale, not scale**2: the square of 2**512 overflows, the products do not.
        return self.eigenvalues * self.scale * self.scale

    @property
    def sigma_max(self) -> float:
        return self.scale * math.sqrt(self.eigenvalues[0])

    @property
    def unscaled_error(self) -> float:
        return self.error * self.scale * self.scale

    def tolerance(self) -> float:
        """`orthonormality_tolerance`: computation error plus the rounding of `W` itself.

        Computation (float64): the Gram route's error and the rounding of
        `sigma_i^2 - 1`. Representation: `||W - P||_2 <= rho' ||W||_2`
        (`representation_factor`) moves each `sigma_i^2` by at most
        `(2 rho' + rho'^2) ||W||_2^2` (Weyl: `|sigma_i(W) - sigma_i(P)| <= ||W - P||_2`).
        """
        return self._within(representation_factor(self.shape, self.unit_roundoff))

    def rounding_tolerance(self) -> float:
        """How far `sigma_i^2` may be from 1 when `W` is an exact partial isometry `P`
        rounded to its stored format, and nothing more: `|W - P| <= u |P|` entrywise, so
        `||W - P||_2 <= u ||P||_F <= u sqrt(m) ||P||_2` (`m = min(d, k)`), that is
        `rho = u sqrt(m)` and `rho' = rho / (1 - rho)` relative to `||W||_2`, plus the
        computation error. At most `tolerance()`, which also allows for `P` having been
        computed in the stored precision (`representation_factor`).
        """
        rho = self.unit_roundoff * math.sqrt(min(self.shape))
        # rho >= 1 (a coarse text format, a given tolerance): rounding alone explains anything.
        return self._within(rho / (1 - rho)) if rho < 1 else math.inf

    def _within(self, relative: float) -> float:
        """The computation error plus `(2 rho' + rho'^2) ||W||_2^2` for `||W - P||_2 <= rho'
        ||W||_2` (Weyl: `|sigma_i(W) - sigma_i(P)| <= ||W - P||_2`)."""
        norm_squared = self.sigma_max**2
        computation = self.unscaled_error + UNIT_ROUNDOFF * max(norm_squared, 1.0)
        return computation + (2 * relative + relative * relative) * norm_squared

    def defect(self) -> float:
        """`||W^T W - I_k||_2`, counting the `k - d` structural zeros of a wide `W`."""
        defect = float(np.abs(self.unscaled() - 1.0).max())
        d, k = self.shape
        return max(defect, 1.0) if k > d else defect

    def proves_rank_above(self, scaled_cutoff: float) -> bool:
        """Whether the error bound proves every singular value exceeds the cutoff (full rank).

        `scaled_cutoff`: the cutoff in the units of `W / scale`, where nothing underflows.
        """
        lowest = float(self.eigenvalues[-1]) - self.error
        return lowest > 0 and math.sqrt(lowest) > scaled_cutoff


def _float64_gram(tall: np.ndarray) -> np.ndarray:
    """`A^T A` in float64 for a tall float16/float32 `A`, a block of rows at a time.

    Only the lower triangle is formed (all `eigvalsh` reads); the products of
    the narrow entries are exact in float64, so the error is float64 summation.
    """
    rows, size = tall.shape
    product = np.zeros((size, size))
    for start in range(0, rows, _BLOCK_ROWS):
        block = tall[start:start + _BLOCK_ROWS].astype(np.float64)
        for first in range(0, size, _PANEL_COLUMNS):
            panel = slice(first, first + _PANEL_COLUMNS)
            product[first:, panel] += block[:, first:].T @ block[:, panel]
    return product


def gram(W: np.ndarray, *, unit_roundoff: float = UNIT_ROUNDOFF) -> Gram:
    """The Gram route on a validated float16/32/64 matrix (one product, one eigvalsh).

    `unit_roundoff`: of the precision `W` was stored at (the tolerance's `u`).
    """
    d, k = W.shape
    tall = W if d >= k else W.T
    if W.dtype == np.float64:
        # max and min, not np.abs(W).max(): no temporary of W's size.
        largest = max(float(W.max()), -float(W.min()))
        # Rescale by a power of two (exact) only where W^T W could underflow or overflow.
        needs_scaling = largest > 0 and not SAFE_RANGE[0] <= largest <= SAFE_RANGE[1]
        scale = math.ldexp(1.0, math.frexp(largest)[1]) if needs_scaling else 1.0
        scaled = tall / scale if needs_scaling else tall
        product = scaled.T @ scaled  # NumPy uses the symmetric rank-k update (syrk) here
    else:
        # float32/float16 squares lie in [2^-298, 2^256]: float64 neither under- nor overflows.
        scale, product = 1.0, _float64_gram(tall)
    eigenvalues = np.clip(np.linalg.eigvalsh(product)[::-1], 0.0, None)
    inner, size = max(d, k), min(d, k)
    frobenius_squared = float(np.trace(product))
    # Product: |fl(W^T W) - W^T W| <= gamma_n |W|^T |W| (Higham eq. 3.13), whose 2-norm is at
    # most ||W||_F^2; eigvalsh is backward stable, error p(m) u ||G||_2, we take p(m) = m.
    error = gamma(inner) * frobenius_squared + size * UNIT_ROUNDOFF * float(eigenvalues[0])
    return Gram((d, k), scale, eigenvalues, error, unit_roundoff)


def _gap_of(sigmas: np.ndarray) -> float:
    if sigmas.size == 0:
        return 0.0
    with np.errstate(over="ignore", divide="ignore"):  # 1/sigma beyond float64 (or 0 after
        # scaling back a subnormal sigma): the gap is inf
        return float(np.abs(sigmas - 1.0 / sigmas).max())


def _gram_gap(spectrum: Gram, scaled_cutoff: float) -> tuple[float, float] | None:
    """`(gap, bound)` from the eigenvalues if their error bound gives relative accuracy
    `GAP_RELATIVE_ACCURACY` and separates every `sigma_i` from the cutoff; else None.

    Decisions in the units of `W / scale` (`scaled_cutoff`), where nothing underflows."""
    mu, error = spectrum.eigenvalues, spectrum.error
    if not mu[-1] > 2 * error:
        return None
    scaled = np.sqrt(mu)
    relative = error / (2 * (mu - error))
    if not np.all(np.abs(scaled - scaled_cutoff) > scaled * relative):
        return None
    kept = scaled > scaled_cutoff
    sigmas = spectrum.scale * scaled
    value = _gap_of(sigmas[kept])
    with np.errstate(over="ignore", divide="ignore"):  # 1/sigma may exceed the float64 range
        # propagated eigenvalue error, plus rounding of sqrt, 1/sigma and the difference
        spread = (sigmas + 1 / sigmas) * (relative + 3 * UNIT_ROUNDOFF)
    bound = float(spread[kept].max(initial=0.0))
    return (value, bound) if bound <= GAP_RELATIVE_ACCURACY * max(1.0, value) else None


def _svd_gap(sigmas: np.ndarray, shape: tuple[int, int], rank: int,
             eps: float) -> tuple[float, float]:
    """`(gap, bound)` from the SVD's singular values, each within `max(d, k) eps sigma_max`.

    `eps` of the dtype the SVD ran in (float32 for a float32 or float16 `W`); the first
    `rank` singular values are the nonzero ones.
    """
    kept = sigmas[:rank]
    absolute = max(shape) * eps * float(sigmas[0])
    # absolute (1 + 1 / sigma^2), with absolute / sigma formed first: for subnormal singular
    # values sigma^2 underflows to 0 (and absolute with it), which would give 0 * inf = NaN.
    with np.errstate(over="ignore", divide="ignore"):  # the bound may exceed float64: inf
        relative = max(shape) * eps * (float(sigmas[0]) / kept)
        spread = absolute + relative / kept + 3 * eps / 2 * (kept + 1 / kept)
        bound = float(spread.max(initial=0.0))
    return _gap_of(kept), bound


def _svd(W: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Singular values of `W / scale` in W's own dtype (LAPACK has no float16: float32 for it).

    `scale` (a power of two, the Gram route's): subnormal or huge matrices get the SVD of
    their exactly rescaled copy, in units where nothing underflows.
    """
    if scale != 1.0:
        return np.linalg.svd(W / scale, compute_uv=False)
    return np.linalg.svd(W.astype(np.float32) if W.dtype == np.float16 else W, compute_uv=False)


@dataclass(frozen=True)
class WeightMeasures:
    """Every measure of `W` (`d x k`) from one Gram eigen-decomposition (`measure_weights`).

    `singular_values`: the `min(d, k)` singular values, descending, from the
    Gram route or, where it added one, the SVD. `squared_singular_values`: the
    Gram route's `sigma_i^2`, descending, the numbers `tolerance` bounds the
    error of (P1 and P3 are decided on them). `rank`: how many singular values
    exceed `rank_cutoff`. `gap_route`: "gram" or "svd", whichever gave the gap.
    `unit_roundoff`: of the precision `W` was stored at, the `u` of `tolerance` and `rank_cutoff`.
    `rounding_tolerance`: the part of the derived tolerance that rounding `W` to its
    format alone explains (`Gram.rounding_tolerance`), whatever `tolerance` was used.
    """

    shape: tuple[int, int]
    unit_roundoff: float
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
    rounding_tolerance: float = 0.0


def measure(
    W: np.ndarray, *, tolerance: float | None = None, cutoff: float | None = None,
    unit_roundoff: float = UNIT_ROUNDOFF,
) -> WeightMeasures:
    """The measures of a validated float16/32/64 `W`: one Gram eigen-decomposition, at most one SVD.

    `unit_roundoff`: of the precision `W` was stored at. The one rule for zero
    singular values: `sigma_i` counts as zero exactly when it is at most
    `cutoff` (default `max(d, k) 2 u sigma_max`). The Gram route
    settles the rank when its error bound proves full rank; otherwise the SVD
    counts. That SVD, if taken, also gives the P5 gap; else the Gram route gives
    it when accurate enough, and the SVD only when not (full rank, ill-conditioned).
    """
    d, k = W.shape
    spectrum = gram(W, unit_roundoff=unit_roundoff)
    if tolerance is None:
        tolerance = spectrum.tolerance()
    scale = spectrum.scale
    if cutoff is None:  # decided in the units of W / scale: the cutoff itself may underflow
        scaled_cutoff = default_cutoff(W.shape, math.sqrt(spectrum.eigenvalues[0]), unit_roundoff)
        cutoff = scaled_cutoff * scale
    else:
        scaled_cutoff = cutoff / scale
    svd, from_gram = None, None
    if spectrum.proves_rank_above(scaled_cutoff):
        rank = min(d, k)
        from_gram = _gram_gap(spectrum, scaled_cutoff)
        if from_gram is None:
            svd = _svd(W, scale)
    else:
        svd = _svd(W, scale)
        rank = int(np.count_nonzero(svd > scaled_cutoff))
    if svd is not None:
        svd_eps = float(np.finfo(svd.dtype).eps)
        svd = svd.astype(np.float64) * scale
    if from_gram is not None:
        (gap_value, bound), route = from_gram, "gram"
        sigmas = spectrum.scale * np.sqrt(spectrum.eigenvalues)
    else:
        (gap_value, bound), route = _svd_gap(svd, W.shape, rank, svd_eps), "svd"
        sigmas = svd
    mu = spectrum.unscaled()
    defect = spectrum.defect()
    return WeightMeasures(
        shape=(d, k),
        unit_roundoff=float(unit_roundoff),
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
        rounding_tolerance=spectrum.rounding_tolerance(),
    )
