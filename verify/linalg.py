"""Measures of a weight matrix `W` (`d x k`): how far `W^T` is from `W^+` (claims P1-P5).

Two routes to the singular values `sigma_i` of `W`:

* the Gram route (fast): the eigenvalues `mu_i = sigma_i^2` of the smaller Gram
  matrix `W^T W` (or `W W^T` when `k > d`) from `numpy.linalg.eigvalsh`; it
  costs about one matrix product, and every `mu_i` is within
  `gram_error_bound(W)` of the truth (see `orthonormality_tolerance`);
* the SVD route (accurate): `numpy.linalg.svd`, singular values within about
  `max(d, k) eps sigma_max` of the truth.

Precision follows the data: a float16, float32 or float64 `W` is measured as
it is (the Gram matrix is accumulated in float64 without copying `W`), and
every tolerance and cutoff is stated in the unit roundoff `u` of the precision
`W` was stored at: its dtype's by default, or `unit_roundoff=` (bfloat16
values held in float32: `2^-8`). Below, `eps = 2u` of that precision.

Accuracy limit of the Gram route: an absolute error `e` in `mu_i` is a relative
error `e / (2 mu_i)` in `sigma_i`, so singular values below about
`sqrt(eps) sigma_max` are not resolved at all. Orthonormal columns need `mu_i`
only to absolute accuracy and always use the Gram route. The rank, and with it
the partial-isometry decision, uses it when its error bound proves full rank,
and one SVD otherwise; the gap of P5, which needs `1 / sigma_i`, uses it only
when the error bound guarantees relative accuracy `sqrt(eps)`, and that SVD
otherwise (near rank deficiency). `measure_weights` applies these rules once
and every other function here returns what it returns.

>>> W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
>>> has_orthonormal_columns(W), transpose_pseudo_inverse_gap(W)
(True, 0.0)
>>> transpose_pseudo_inverse_gap(2 * W)   # P5: |2 - 1/2|
1.5
"""

from __future__ import annotations

import numpy as np

from verify._gram import (  # noqa: F401  (EPS, UNIT_ROUNDOFF, _gamma: used by doctests)
    EPS,
    UNIT_ROUNDOFF,
    WeightMeasures,
    default_cutoff,
    gram,
    measure,
)
from verify._gram import gamma as _gamma  # noqa: F401
from verify.precision import as_weights


def _weights(W, unit_roundoff: float | None) -> tuple[np.ndarray, float]:
    matrix, precision = as_weights(W, name="W", unit_roundoff=unit_roundoff)
    return matrix, precision.unit_roundoff

__all__ = [
    "WeightMeasures",
    "gap_with_error_bound",
    "gram_error_bound",
    "has_orthonormal_columns",
    "is_partial_isometry",
    "measure_weights",
    "numerical_rank",
    "orthonormality_defect",
    "orthonormality_tolerance",
    "partial_isometry_tolerance",
    "rank_cutoff",
    "singular_values",
    "transpose_pseudo_inverse_gap",
]


def gram_error_bound(W) -> float:
    """Bound on the error of each computed `sigma_i^2` by the Gram route, in units of `W`.

    `gamma_n ||W||_F^2 + m u ||W||_2^2` with `n = max(d, k)`, `m = min(d, k)`,
    `u = eps / 2` and `gamma_n = n u / (1 - n u)`: the first term bounds the
    rounding of the product `W^T W` (Higham, Accuracy and Stability of
    Numerical Algorithms, 2nd ed., eq. 3.13), the second the backward error
    `p(m) u ||W^T W||_2` of the symmetric eigensolver (LAPACK Users' Guide 4.7,
    with `p(m) = m`), which by Weyl's inequality bounds each eigenvalue's error.

    >>> gram_error_bound(np.eye(3)) == _gamma(3) * 3 + 3 * UNIT_ROUNDOFF
    True
    """
    return gram(_weights(W, None)[0]).unscaled_error


def singular_values(W) -> np.ndarray:
    """Singular values of `W` in descending order, by the SVD route (`min(d, k)` of them).

    >>> singular_values([[3.0, 0.0], [0.0, -4.0]])
    array([4., 3.])
    """
    matrix = _weights(W, None)[0]
    return np.linalg.svd(matrix.astype(np.float32) if matrix.dtype == np.float16 else matrix,
                         compute_uv=False)


def rank_cutoff(W, *, unit_roundoff: float | None = None) -> float:
    """`max(d, k) eps sigma_max`: singular values at or below it count as zero.

    The rule of `numpy.linalg.matrix_rank`: the SVD computes each singular value
    with an absolute error of a modest multiple of `max(d, k) eps sigma_max`,
    so nothing smaller can be told from zero. (`numpy.linalg.pinv` uses a
    different default, `1e-15 sigma_max`.) `eps` is that of the stored
    precision for float64 and float32; narrower formats (float16, bfloat16,
    text) are decomposed in float32 and their own rounding can lift a zero
    singular value by `sqrt(min(d, k)) u sigma_max`, which is added.

    >>> rank_cutoff(np.eye(4)) == 4 * EPS, rank_cutoff(np.eye(4, dtype=np.float32)) == 4 * 2.0**-23
    (True, True)
    """
    matrix, u = _weights(W, unit_roundoff)
    return default_cutoff(matrix.shape, gram(matrix).sigma_max, u)


def numerical_rank(W, *, cutoff: float | None = None, unit_roundoff: float | None = None) -> int:
    """Number of singular values above `cutoff` (default `rank_cutoff(W)`).

    The Gram route settles full rank when its error bound proves every singular
    value exceeds the cutoff; otherwise the SVD decides (`measure_weights(W).rank`).

    >>> numerical_rank([[1.0, 1.0], [1.0, 1.0]]), numerical_rank(np.eye(3))
    (1, 3)
    """
    return measure_weights(W, cutoff=cutoff, unit_roundoff=unit_roundoff).rank


def orthonormality_defect(W) -> float:
    """`||W^T W - I_k||_2 = max_i |sigma_i^2 - 1|`, the `k - rank` missing `sigma_i` counted as 0.

    Gram route: the result is within `gram_error_bound(W) + u max(||W||_2^2, 1)`
    of the exact value (the second term: rounding of `sigma_i^2 - 1`).
    For `k > d` it is at least 1 (P4: `W^T W` has rank at most `d < k`).

    >>> orthonormality_defect([[1.0, 0.0], [0.0, 2.0]])
    3.0
    >>> orthonormality_defect([[1.0, 0.0]])   # wide: W^T W = diag(1, 0)
    1.0
    """
    return gram(_weights(W, None)[0]).defect()


def orthonormality_tolerance(W, *, unit_roundoff: float | None = None) -> float:
    """Tolerance for `orthonormality_defect(W)`: rounding of the computation plus that of `W`.

    With `n = max(d, k)`, `m = min(d, k)`, `u_64 = 2^-53`, `u` the unit
    roundoff `W` was stored at (default: of its dtype), `gamma_j = j u_64 / (1 - j u_64)`:

    `gram_error_bound(W) + u_64 max(||W||_2^2, 1) + (2 rho' + rho'^2) ||W||_2^2`,

    `rho = sqrt(m) (gamma_{4n}(u_c) + u [u > u_c])`, `rho' = rho / (1 - rho)`,
    `u_c = min(u, 2^-24)`. The first two terms bound the error of the computed
    `sigma_i^2 - 1` (forming `W^T W` in float64, eigvalsh, subtracting 1). The
    third allows `W` to be an exact partial isometry `P` computed in precision
    `u_c` by a backward-stable method (`sqrt(m) gamma_{4n}(u_c)`: Householder
    QR, Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm
    19.4, whose constant in `gamma~` we take as 4) and then rounded to its
    stored format (`|dW| <= u |W|` entrywise, so `||dW||_2 <= u ||W||_F <= u
    sqrt(m) ||W||_2`): `||W - P||_2 <= rho' ||W||_2`, which moves each
    `sigma_i` by at most that (Weyl). Float64 and float32 weights are taken as
    computed in their own precision, narrower formats as roundings of float32
    values (`verify._gram.representation_factor`). For orthonormal columns
    the tolerance is about `(n k u_64 + 8 sqrt(k) n u_c + 2 sqrt(k) u)`: in
    float64 3e-14 at 8 x 8 and 6e-10 at 4096 x 1024 (observed defects are a
    few eps); in float32 1e-5 at 8 x 8, 1e-4 at 64 x 10 and 0.066 at 4096 x
    1024 (worst cases of a float32 orthonormalisation: the defect of
    numpy's float32 QR at 4096 x 1024 is 4e-8).

    >>> bool(orthonormality_tolerance(np.eye(8)) < 3e-14)
    True
    >>> f"{orthonormality_tolerance(np.eye(64, 10, dtype=np.float32)):.2g}"
    '9.7e-05'
    """
    matrix, u = _weights(W, unit_roundoff)
    return gram(matrix, unit_roundoff=u).tolerance()


def partial_isometry_tolerance(W, *, unit_roundoff: float | None = None) -> float:
    """Tolerance for `is_partial_isometry`: the same bound as `orthonormality_tolerance(W)`.

    `is_partial_isometry` asks each computed `sigma_i^2` of a singular value
    above the rank cutoff to be within the tolerance of 1: the same question as
    for orthonormal columns, with the same computed eigenvalues and error bound.

    >>> partial_isometry_tolerance(np.eye(3)) == orthonormality_tolerance(np.eye(3))
    True
    """
    return orthonormality_tolerance(W, unit_roundoff=unit_roundoff)


def has_orthonormal_columns(
    W, *, tolerance: float | None = None, unit_roundoff: float | None = None
) -> bool:
    """Whether `W^T W = I_k` to `tolerance` (default `orthonormality_tolerance(W)`), P1.

    Always False when `k > d` (P4), whatever the tolerance below 1.

    >>> Q = np.linalg.qr(np.arange(12.0).reshape(4, 3) + np.eye(4, 3))[0]
    >>> has_orthonormal_columns(Q), has_orthonormal_columns(2 * Q), has_orthonormal_columns(Q.T)
    (True, False, False)
    """
    matrix, u = _weights(W, unit_roundoff)
    spectrum = gram(matrix, unit_roundoff=u)
    d, k = spectrum.shape
    return k <= d and spectrum.defect() <= (
        spectrum.tolerance() if tolerance is None else tolerance
    )


def is_partial_isometry(
    W, *, tolerance: float | None = None, unit_roundoff: float | None = None
) -> bool:
    """Whether `W W^T W = W` to working accuracy, that is `W^T = W^+` (P3).

    The rule: every singular value above `rank_cutoff(W)` has `|sigma_i^2 - 1|
    <= tolerance` (default `partial_isometry_tolerance(W)`); only those at or
    below the cutoff count as zero. Why the cutoff and not `sigma_i^2 <=
    tolerance`: a singular value above the cutoff is a real direction of `W`,
    where `W^+` has `1 / sigma_i` and `W^T` has `sigma_i`, so `||W^T - W^+||_2 >=
    1 / sigma_i - sigma_i` (P5). `1e-10 Q` with orthonormal `Q` has all
    `sigma_i^2` within any rounding tolerance of 0, yet gap `1e10`: not a
    partial isometry. The decision is `measure_weights(W).is_partial_isometry`:
    one Gram matrix and eigvalsh when they prove full rank, one SVD otherwise.

    >>> w = np.array([[0.6], [0.8]])
    >>> is_partial_isometry(np.hstack([w, 0 * w])), is_partial_isometry(np.hstack([w, w]))
    (True, False)
    >>> is_partial_isometry(1e-10 * np.eye(3, 2)), is_partial_isometry(np.diag([1.0, 1e-8]))
    (False, False)
    """
    return measure_weights(W, tolerance=tolerance, unit_roundoff=unit_roundoff).is_partial_isometry


def gap_with_error_bound(
    W, *, cutoff: float | None = None, unit_roundoff: float | None = None
) -> tuple[float, float, str]:
    """`(gap, bound, route)`: the P5 gap, a first-order bound on its error, and "gram" or "svd".

    Gram route: `sigma_i` has relative error at most `e / (2 (mu_i - e))` with
    `e` the eigenvalue error bound, and `|sigma - 1/sigma|` changes by
    `(sigma + 1/sigma)` times a relative change of `sigma`; evaluating
    `|sigma - 1/sigma|` adds `3 u (sigma + 1/sigma)`. The route is taken
    only when the resulting bound is at most `sqrt(eps) max(1, gap)` and no
    `sigma_i` is within its error of the cutoff. SVD route: each `sigma_i`
    within `max(d, k) eps sigma_max`, so the gap within `(1 + 1/sigma_min^2)`
    times that.

    An SVD taken to settle the rank (not proved full by the Gram route) gives
    the gap too. These are `measure_weights(W, cutoff=cutoff)`'s gap fields.

    >>> gap, bound, route = gap_with_error_bound(np.diag([2.0, 1.0]))
    >>> gap, route, bool(bound < 1e-14)
    (1.5, 'gram', True)
    """
    measures = measure_weights(W, cutoff=cutoff, unit_roundoff=unit_roundoff)
    return measures.gap, measures.gap_error_bound, measures.gap_route


def transpose_pseudo_inverse_gap(
    W, *, cutoff: float | None = None, unit_roundoff: float | None = None
) -> float:
    """`||W^T - W^+||_2 = max |sigma_i - 1/sigma_i|` over `sigma_i > cutoff` (P5), without `W^+`.

    `cutoff` defaults to `rank_cutoff(W)`; a matrix of rank 0 has gap 0.0. The
    Gram route is used when it guarantees relative accuracy `sqrt(eps)`, the SVD
    otherwise (see `gap_with_error_bound`). Near rank deficiency the gap is
    dominated by `1 / sigma_min`, which is the point of claim F7.

    >>> round(transpose_pseudo_inverse_gap([[1.0, 1.0]]), 12)   # sqrt(2) - 1/sqrt(2)
    0.707106781187
    >>> transpose_pseudo_inverse_gap(np.zeros((3, 2)))
    0.0
    """
    return gap_with_error_bound(W, cutoff=cutoff, unit_roundoff=unit_roundoff)[0]


def measure_weights(
    W, *, tolerance: float | None = None, cutoff: float | None = None,
    unit_roundoff: float | None = None,
) -> WeightMeasures:
    """Every measure of `W` at the cost of one `W^T W` and one eigvalsh, plus an SVD if needed.

    The single source of the measures: `numerical_rank`, `is_partial_isometry`
    and `gap_with_error_bound` return its fields, and `orthonormality_defect`,
    `orthonormality_tolerance` and `has_orthonormal_columns` the same values.
    `tolerance` defaults to `orthonormality_tolerance(W)`, `cutoff` (below which,
    inclusive, a singular value is zero: for the rank, P3 and the P5 gap) to
    `rank_cutoff(W)`. One SVD is added only when the Gram route cannot prove
    full rank or give the P5 gap to relative accuracy `sqrt(eps)`.

    >>> m = measure_weights(np.diag([2.0, 1.0]))
    >>> m.is_partial_isometry, m.orthonormality_defect, m.gap, m.gap_route
    (False, 3.0, 1.5, 'gram')
    >>> m.singular_values, m.rank, m.rank_cutoff == 2 * 2 * EPS
    ((2.0, 1.0), 2, True)
    """
    matrix, u = _weights(W, unit_roundoff)
    return measure(matrix, tolerance=tolerance, cutoff=cutoff, unit_roundoff=u)
