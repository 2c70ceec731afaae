"""Input validation at the boundary of `verify`: one exception, one converter.

Every public function of `verify` passes its matrix arguments through
`as_real_matrix`, so bad input fails early with a message that names the
argument, shows its shape or dtype, says what was expected and, where it can,
how to fix it.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["InvalidMatrixError", "as_real_matrix", "magnitude_limit"]

_FLOAT64_MAX = float(np.finfo(np.float64).max)


class InvalidMatrixError(ValueError):
    """A matrix argument is not a finite, real, 2-D, non-empty array of safe magnitude.

    >>> try:
    ...     as_real_matrix([1.0, 2.0], name="W")
    ... except InvalidMatrixError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    W must be a 2-D real matrix; got a 1-D array of shape (2,).
    Reshape it, e.g. W.reshape(-1, 1) for a single column.
    """


def magnitude_limit(shape: tuple[int, int]) -> float:
    """Largest entry magnitude accepted for a `d x k` matrix: `sqrt(max_float64 / (d k))`.

    With every `|w_ij| <= sqrt(max / (d k))`, `||W||_F^2 <= d k max_ij w_ij^2 <= max`,
    so every entry of `W^T W` and of `W W^T`, and every squared singular value,
    is a finite float64: the Gram matrices used by `verify.linalg` cannot overflow.

    >>> magnitude_limit((1, 1)) == float(np.sqrt(np.finfo(np.float64).max))
    True
    """
    rows, columns = shape
    return math.sqrt(_FLOAT64_MAX / (rows * columns))


def _describe(array: np.ndarray) -> str:
    return f"a {array.ndim}-D array of shape {array.shape} and dtype {array.dtype}"


def as_real_matrix(value: object, *, name: str) -> np.ndarray:
    """Return `value` as a C-contiguous float64 `d x k` matrix, or raise `InvalidMatrixError`.

    Accepted: anything `numpy.asarray` turns into a 2-D array of a real integer or
    floating dtype, with at least one row and one column, finite entries, and
    magnitudes at most `magnitude_limit(shape)` (so that `W^T W` stays finite).
    Refused, with a message naming `name`: other dimensions, empty arrays,
    NaN or infinity, complex, boolean, string, object or structured dtypes.

    >>> as_real_matrix([[1, 2], [3, 4]], name="W")
    array([[1., 2.],
           [3., 4.]])
    >>> as_real_matrix(np.eye(2, dtype=complex), name="W")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    verify._validation.InvalidMatrixError: W must be a real matrix; got complex dtype complex128 ...
    """
    if isinstance(value, (str, bytes)):
        raise InvalidMatrixError(
            f"{name} must be a 2-D real matrix; got a {type(value).__name__} {value[:20]!r}."
        )
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested lists and the like
        raise InvalidMatrixError(
            f"{name} must be a 2-D real matrix; got a {type(value).__name__} that NumPy "
            f"cannot turn into an array ({error}). Pass a rectangular array of numbers."
        ) from None
    kind = array.dtype.kind
    if kind == "c":
        raise InvalidMatrixError(
            f"{name} must be a real matrix; got complex dtype {array.dtype} (shape {array.shape})."
            f" Pass {name}.real if the imaginary part is zero."
        )
    if kind == "b":
        raise InvalidMatrixError(
            f"{name} must be a real matrix; got boolean dtype (shape {array.shape})."
            f" Convert it explicitly, e.g. {name}.astype(float), if 0/1 entries are meant."
        )
    if kind not in "iuf":
        raise InvalidMatrixError(
            f"{name} must be a real matrix of numbers; got dtype {array.dtype} (shape "
            f"{array.shape}). Expected an integer or floating dtype."
        )
    if array.ndim != 2:
        hint = (
            f" Reshape it, e.g. {name}.reshape(-1, 1) for a single column."
            if array.ndim == 1
            else " Expected shape (d, k)."
        )
        raise InvalidMatrixError(
            f"{name} must be a 2-D real matrix; got a {array.ndim}-D array of shape "
            f"{array.shape}.{hint}"
        )
    if array.size == 0:
        raise InvalidMatrixError(
            f"{name} must have at least one row and one column; got shape {array.shape}."
        )
    matrix = np.ascontiguousarray(array, dtype=np.float64)
    largest = float(np.abs(matrix).max())  # NaN or inf if any entry is: one pass for both checks
    if not math.isfinite(largest):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(matrix))[0])
        raise InvalidMatrixError(
            f"{name} must have finite entries; got {matrix[where]} at index {where} in "
            f"{_describe(array)}. Remove or replace NaN and infinite values."
        )
    limit = magnitude_limit(matrix.shape)
    if largest > limit:
        where = tuple(int(i) for i in np.unravel_index(np.abs(matrix).argmax(), matrix.shape))
        raise InvalidMatrixError(
            f"{name} has an entry of magnitude {largest:.3g} at index {where}, above "
            f"{limit:.3g} = sqrt(max float64 / (d k)) for shape {matrix.shape}: {name}^T {name} "
            f"would overflow. Rescale {name} (singular values scale with it)."
        )
    return matrix
