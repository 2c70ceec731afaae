"""The precision a weight matrix was stored at, and validation that keeps its dtype.

Every tolerance of `verify.linalg` and `verify.diagnosis` is stated in the unit
roundoff `u` of the precision the weights were *stored* at: by default that of
the array's own dtype (float64 `2^-53`, float32 `2^-24`, float16 `2^-11`), or
the caller's `unit_roundoff` when the array holds values of a narrower format
(bfloat16 read into float32: `2^-8`; text written with 6 significant digits:
`5e-6`, half a unit in the 6th digit).

`as_weights` validates like `verify._validation.as_real_matrix` but keeps a
float16, float32 or float64 array as it is (no float64 copy of a float32 file,
no `np.abs(W)` temporary), accepts objects with a `.detach()` (PyTorch tensors,
also those that require grad), and reads bfloat16 tensors as float32 with
`u = 2^-8`.

>>> unit_roundoff_of(np.float32) == 2.0**-24
True
>>> W, precision = as_weights(np.eye(3, 2, dtype=np.float32), name="W")
>>> W.dtype, precision
(dtype('float32'), Precision(name='float32', unit_roundoff=5.960464477539063e-08))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix, magnitude_limit

__all__ = ["BFLOAT16_UNIT_ROUNDOFF", "Precision", "as_weights", "unit_roundoff_of"]

#: bfloat16 keeps 8 significant bits: u = 2^-8.
BFLOAT16_UNIT_ROUNDOFF = 2.0**-8
_KEPT = (np.float16, np.float32, np.float64)


@dataclass(frozen=True)
class Precision:
    """The stored precision: a name ("float32", "bfloat16", "text, 6 digits") and its `u`."""

    name: str
    unit_roundoff: float


def unit_roundoff_of(dtype) -> float:
    """`u = eps / 2` of a NumPy floating dtype (`2^-53`, `2^-24`, `2^-11`).

    >>> unit_roundoff_of(np.float64) == 2.0**-53, unit_roundoff_of(np.float16) == 2.0**-11
    (True, True)
    """
    return float(np.finfo(dtype).eps) / 2


def _from_tensor(value: object) -> tuple[object, str | None]:
    """A PyTorch-like tensor as something `np.asarray` takes, and "bfloat16" if it was one."""
    detach = getattr(value, "detach", None)
    if detach is None or isinstance(value, np.ndarray):
        return value, None
    tensor = detach()
    if hasattr(tensor, "cpu"):
        tensor = tensor.cpu()
    if "bfloat16" in str(getattr(tensor, "dtype", "")):
        return tensor.float().numpy(), "bfloat16"  # NumPy has no bfloat16; float32 holds it exactly
    return (tensor.numpy() if hasattr(tensor, "numpy") else tensor), None


def as_weights(
    value: object,
    *,
    name: str,
    unit_roundoff: float | None = None,
    dtype_name: str | None = None,
) -> tuple[np.ndarray, Precision]:
    """`(matrix, precision)`: a validated 2-D float16/32/64 matrix and its stored precision.

    Float16, float32 and float64 arrays are returned as they are (a view, no
    copy); anything else goes through `verify._validation.as_real_matrix`
    (float64). Refused with `InvalidMatrixError` naming `name`: what
    `as_real_matrix` refuses (among it entries above
    `verify._validation.magnitude_limit`, where `||W||_F^2` could overflow
    float64). `unit_roundoff` (a float in `(0, 1/2)`) overrides
    the dtype's; `dtype_name` names it in reports.

    >>> as_weights([[1, 0], [0, 1]], name="W")[1].name
    'float64'
    >>> as_weights(np.eye(2, dtype=np.float32), name="W", unit_roundoff=2.0**-8)[1]
    Precision(name='float32 holding values of unit roundoff 0.00390625', unit_roundoff=0.00390625)
    """
    value, tensor_format = _from_tensor(value)
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        array = None
    if array is not None and array.dtype.type in _KEPT and array.ndim == 2 and array.size:
        matrix = _finite_and_safe(array, name=name)
    else:
        matrix = as_real_matrix(value, name=name)
    stored = dtype_name or tensor_format or matrix.dtype.name
    if unit_roundoff is None:
        u = BFLOAT16_UNIT_ROUNDOFF if tensor_format else unit_roundoff_of(matrix.dtype)
    else:
        if isinstance(unit_roundoff, bool) or not isinstance(unit_roundoff, (int, float)) or not (
            0 < unit_roundoff < 0.5
        ):
            raise InvalidMatrixError(
                f"unit_roundoff must be a number in (0, 1/2), the relative rounding error of the "
                f"stored format (float32: 2**-24, bfloat16: 2**-8); got {unit_roundoff!r}."
            )
        u = float(unit_roundoff)
        if dtype_name is None and tensor_format is None and u != unit_roundoff_of(matrix.dtype):
            stored = f"{matrix.dtype.name} holding values of unit roundoff {u:.6g}"
    return matrix, Precision(stored, u)


def _finite_and_safe(array: np.ndarray, *, name: str) -> np.ndarray:
    # max and min, not np.abs(array).max(): no temporary of the array's size. NaN propagates.
    with np.errstate(invalid="ignore"):
        largest = max(float(array.max()), -float(array.min()))
    if not math.isfinite(largest):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise InvalidMatrixError(
            f"{name} must have finite entries; got {array[where]} at index {where} in a "
            f"{array.ndim}-D array of shape {array.shape} and dtype {array.dtype}. Remove or "
            "replace NaN and infinite values."
        )
    limit = magnitude_limit(array.shape)
    if largest > limit:
        where = tuple(int(i) for i in np.unravel_index(np.abs(array).argmax(), array.shape))
        raise InvalidMatrixError(
            f"{name} has an entry of magnitude {largest:.3g} at index {where}, above "
            f"{limit:.3g} = sqrt(max float64 / (d k)) for shape {array.shape}: {name}^T {name} "
            f"would overflow. Rescale {name} (singular values scale with it)."
        )
    return array
