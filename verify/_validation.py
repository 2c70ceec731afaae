"""Input validation at the boundary of `verify`: one exception, one converter.

Every public function of `verify` passes its matrix arguments through
`as_real_matrix`, so bad input fails early with a message that names the
argument, shows its shape or dtype, says what was expected and, where it can,
how to fix it.
"""

from __future__ import annotations

import math
import operator

import numpy as np

__all__ = ["InvalidMatrixError", "as_real_matrix", "magnitude_limit"]

_FLOAT64_MAX = float(np.finfo(np.float64).max)
# Dtypes kept as they are: the precision of the check follows the precision of the data.
_KEPT_DTYPES = (np.float16, np.float32, np.float64)


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
    Float16 and float32 entries are always far below this limit.

    >>> magnitude_limit((1, 1)) == float(np.sqrt(np.finfo(np.float64).max))
    True
    """
    rows, columns = shape
    return math.sqrt(_FLOAT64_MAX / (rows * columns))


def _describe(array: np.ndarray) -> str:
    return f"a {array.ndim}-D array of shape {array.shape} and dtype {array.dtype}"


def _from_tensor(value: object) -> object:
    """A PyTorch-like tensor (duck-typed: ``detach`` and ``numpy``) as a NumPy array.

    ``detach()`` drops the autograd graph (``numpy()`` refuses a tensor that
    requires grad), ``cpu()`` copies from a GPU, and a bfloat16 tensor, which
    NumPy cannot hold, is widened exactly to float32 first (``float()``).
    """
    tensor = value.detach()
    if callable(getattr(tensor, "cpu", None)):
        tensor = tensor.cpu()
    if "bfloat16" in str(getattr(tensor, "dtype", "")):
        tensor = tensor.float()
    return tensor.numpy()


def as_real_matrix(value: object, *, name: str) -> np.ndarray:
    """Return `value` as a contiguous `d x k` floating matrix, or raise `InvalidMatrixError`.

    Accepted: anything `numpy.asarray` turns into a 2-D array of a real
    integer, boolean or floating dtype, and PyTorch tensors (also those that
    require grad, on any device; bfloat16 becomes float32, exactly), with at
    least one row and one column, finite entries, and magnitudes at most
    `magnitude_limit(shape)` (so that `W^T W` stays finite). float16, float32
    and float64 keep their dtype (a float32 matrix is checked at float32
    precision); integers, booleans and other floats become float64. An array
    that is already contiguous (C or Fortran order) in a kept dtype is returned
    as it is, without a copy. Refused, with a message naming `name`: other
    dimensions, empty arrays, NaN or infinity, complex, string, object or
    structured dtypes.

    >>> as_real_matrix([[1, 2], [3, 4]], name="W")
    array([[1., 2.],
           [3., 4.]])
    >>> as_real_matrix(np.eye(2, dtype=np.float32), name="W").dtype
    dtype('float32')
    >>> as_real_matrix(np.eye(2, dtype=complex), name="W")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    verify._validation.InvalidMatrixError: W must be a real matrix; got complex dtype complex128 ...
    """
    if isinstance(value, (str, bytes)):
        raise InvalidMatrixError(
            f"{name} must be a 2-D real matrix; got a {type(value).__name__} {value[:20]!r}."
        )
    if callable(getattr(value, "detach", None)) and callable(getattr(value, "numpy", None)):
        try:
            value = _from_tensor(value)
        except (RuntimeError, TypeError, ValueError) as error:
            raise InvalidMatrixError(
                f"{name} is a {type(value).__name__} that cannot be turned into a NumPy array "
                f"({' '.join(str(error).split())}). Pass {name}.detach().cpu().float().numpy()."
            ) from None
    try:
        array = np.asarray(value)
    except (ValueError, TypeError, OverflowError) as error:  # ragged lists, huge ints, ...
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
    if kind not in "iufb":
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
    matrix = _floating(array)
    # max and min need no temporary array (np.abs(matrix) would double the memory);
    # a NaN anywhere makes both NaN, so one test covers NaN and infinity.
    with np.errstate(invalid="ignore"):  # a signalling NaN would warn before being refused
        largest = max(-float(matrix.min()), float(matrix.max()))
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
            f"{limit:.3g} = sqrt(max float64 / (d k)) for shape {matrix.shape}: "
            f"{name}^T {name} would overflow. Rescale {name} (singular values scale with it)."
        )
    return matrix


def _floating(array: np.ndarray) -> np.ndarray:
    """`array` in a kept floating dtype (native byte order), contiguous, copied only if needed."""
    if array.dtype.type in _KEPT_DTYPES:
        dtype = array.dtype.newbyteorder("=")
    else:  # integers, booleans, longdouble: float64 (longdouble beyond it fails the finiteness)
        dtype = np.dtype(np.float64)
    if array.dtype == dtype and (array.flags.c_contiguous or array.flags.f_contiguous):
        return array
    with np.errstate(over="ignore"):  # a longdouble beyond float64 becomes inf, refused next
        return np.ascontiguousarray(array, dtype=dtype)


def as_count(value: object, *, name: str, minimum: int = 0) -> int:
    """``value`` as an integer of at least ``minimum`` (a step count, a rank), or a clear error.

    >>> as_count(3, name="steps")
    3
    >>> as_count(0, name="rank", minimum=1)
    Traceback (most recent call last):
        ...
    ValueError: rank must be >= 1; got 0.
    """
    try:
        count = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer; got {value!r}.") from None
    if count < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {count}.")
    return count
