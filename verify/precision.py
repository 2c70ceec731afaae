"""The precision a weight matrix was stored at, and validation that keeps its dtype.

Every tolerance of `verify.linalg` and `verify.diagnosis` is stated in the unit
roundoff `u` of the precision the weights were *stored* at: by default that of
the array's own dtype (float64 `2^-53`, float32 `2^-24`, float16 `2^-11`), or
the caller's `unit_roundoff` when the array holds values of a narrower format
(bfloat16 read into float32: `2^-8`; text written with 6 significant digits:
`5e-6`, half a unit in the 6th digit).

`as_weights` validates with `verify._validation.as_real_matrix` (which keeps a
float16, float32 or float64 array as it is and accepts PyTorch tensors, also
those that require grad) and adds the stored precision: a bfloat16 tensor,
widened exactly to float32, keeps `u = 2^-8`.

>>> unit_roundoff_of(np.float32) == 2.0**-24
True
>>> W, precision = as_weights(np.eye(3, 2, dtype=np.float32), name="W")
>>> W.dtype, precision
(dtype('float32'), Precision(name='float32', unit_roundoff=5.960464477539063e-08))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verify._validation import InvalidMatrixError, as_real_matrix

__all__ = ["BFLOAT16_UNIT_ROUNDOFF", "Precision", "as_weights", "unit_roundoff_of"]

#: bfloat16 keeps 8 significant bits: u = 2^-8.
BFLOAT16_UNIT_ROUNDOFF = 2.0**-8


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


def _is_bfloat16_tensor(value: object) -> bool:
    """A PyTorch-like bfloat16 tensor, which `as_real_matrix` widens exactly to float32."""
    return callable(getattr(value, "detach", None)) and "bfloat16" in str(
        getattr(value, "dtype", ""))


def as_weights(
    value: object,
    *,
    name: str,
    unit_roundoff: float | None = None,
    dtype_name: str | None = None,
) -> tuple[np.ndarray, Precision]:
    """`(matrix, precision)`: a validated 2-D float16/32/64 matrix and its stored precision.

    Validated by `verify._validation.as_real_matrix`, which keeps float16,
    float32 and float64 (no copy of a contiguous array) and makes anything
    else float64. Refused with `InvalidMatrixError` naming `name`: what
    `as_real_matrix` refuses (among it entries above
    `verify._validation.magnitude_limit`, where `||W||_F^2` could overflow
    float64). `unit_roundoff` (a float in `(0, 1/2)`) overrides
    the dtype's; `dtype_name` names it in reports.

    >>> as_weights([[1, 0], [0, 1]], name="W")[1].name
    'float64'
    >>> as_weights(np.eye(2, dtype=np.float32), name="W", unit_roundoff=2.0**-8)[1]
    Precision(name='float32 holding values of unit roundoff 0.00390625', unit_roundoff=0.00390625)
    """
    tensor_format = "bfloat16" if _is_bfloat16_tensor(value) else None
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


