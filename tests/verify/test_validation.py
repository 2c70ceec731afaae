"""verify._validation: bad matrices are refused with a message naming the argument, the
value and the fix."""

import numpy as np
import pytest

from verify import (
    InvalidMatrixError,
    as_real_matrix,
    gap_with_error_bound,
    numerical_rank,
    orthonormality_defect,
)
from verify._validation import magnitude_limit

LIMIT_2x2 = magnitude_limit((2, 2))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.ones(5), r"W must be a 2-D real matrix; got a 1-D array of shape \(5,\)\. Reshape"),
        (np.ones((2, 2, 2)), r"2-D real matrix; got a 3-D array of shape \(2, 2, 2\)"),
        (np.float64(3.0), r"got a 0-D array of shape \(\)"),
        (np.ones((0, 3)), r"at least one row and one column; got shape \(0, 3\)"),
        (np.ones((3, 0)), r"got shape \(3, 0\)"),
        (np.array([[1.0, np.nan]]), r"finite entries; got nan at index \(0, 1\)"),
        (np.array([[np.inf], [1.0]]), r"finite entries; got inf at index \(0, 0\)"),
        (np.array([[1.0, -np.inf]]), r"got -inf at index \(0, 1\)"),
        (np.eye(2, dtype=complex), r"real matrix; got complex dtype complex128 \(shape \(2, 2\)\)"),
        (np.array([["a", "b"]]), r"matrix of numbers; got dtype <U1 \(shape \(1, 2\)\)"),
        (np.array([[1.0, None]], dtype=object), r"got dtype object \(shape \(1, 2\)\)"),
        ("not a matrix", r"2-D real matrix; got a str 'not a matrix'"),
        ([[1.0, 2.0], [3.0]], r"got a list that NumPy cannot turn into an array"),
        (np.full((2, 2), 2 * LIMIT_2x2), r"entry of magnitude .* at index \(0, 0\), above"),
    ],
    ids=[
        "1-D",
        "3-D",
        "0-D",
        "no rows",
        "no columns",
        "nan",
        "inf",
        "-inf",
        "complex",
        "str dtype",
        "object dtype",
        "str",
        "ragged",
        "near overflow",
    ],
)
def test_invalid_matrices_are_refused_with_a_message_naming_the_argument(value, expected):
    with pytest.raises(InvalidMatrixError, match=expected) as caught:
        as_real_matrix(value, name="W")
    assert str(caught.value).startswith("W ")


def test_invalid_matrix_error_is_a_value_error_and_the_public_functions_raise_it():
    assert issubclass(InvalidMatrixError, ValueError)
    with pytest.raises(InvalidMatrixError, match=r"^W must be a 2-D real matrix"):
        orthonormality_defect([1.0, 2.0])


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16, np.bool_])
def test_integers_and_booleans_become_float64(dtype):
    value = np.arange(6).reshape(3, 2)[::-1].astype(dtype)  # a non-contiguous copy
    matrix = as_real_matrix(value, name="W")
    assert matrix.dtype == np.float64 and matrix.flags.c_contiguous
    np.testing.assert_array_equal(matrix, value.astype(np.float64))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_floats_keep_their_dtype_so_the_precision_follows_the_data(dtype):
    value = np.arange(6, dtype=dtype).reshape(3, 2)
    for view in (value, value.T, value[::-1]):  # C order, Fortran order, neither
        matrix = as_real_matrix(view, name="W")
        assert matrix.dtype == dtype
        np.testing.assert_array_equal(matrix, view)
    # Contiguous in either order: no copy, so no extra memory for a large matrix.
    assert as_real_matrix(value, name="W") is value
    assert np.shares_memory(as_real_matrix(value.T, name="W"), value)


def test_big_endian_floats_become_native_with_their_precision():
    value = np.arange(6, dtype=">f4").reshape(3, 2)
    matrix = as_real_matrix(value, name="W")
    assert matrix.dtype == np.float32 and matrix.dtype.isnative
    np.testing.assert_array_equal(matrix, value)


class _TensorRequiringGrad:
    """Duck-types a PyTorch tensor that requires grad: numpy() refuses until detach()."""

    def __init__(self, array, *, dtype=None, detached=False):
        self.array, self.detached = array, detached
        self.dtype = dtype or f"torch.{array.dtype}"

    def detach(self):
        return _TensorRequiringGrad(self.array, dtype=self.dtype, detached=True)

    def cpu(self):
        return self

    def float(self):
        return _TensorRequiringGrad(self.array.astype(np.float32), detached=self.detached)

    def numpy(self):
        if not self.detached:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad.")
        if "bfloat16" in str(self.dtype):
            raise TypeError("Got unsupported ScalarType BFloat16")
        return self.array


def test_tensors_that_require_grad_are_detached():
    weight = _TensorRequiringGrad(np.eye(3, 2, dtype=np.float32))
    matrix = as_real_matrix(weight, name="W")
    assert matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix, np.eye(3, 2))


def test_bfloat16_tensors_are_widened_to_float32():
    weight = _TensorRequiringGrad(np.eye(3, 2), dtype="torch.bfloat16")
    assert as_real_matrix(weight, name="W").dtype == np.float32


def test_a_tensor_that_cannot_become_an_array_is_refused_with_the_recipe():
    class Broken(_TensorRequiringGrad):
        def detach(self):
            raise RuntimeError("Cannot detach a meta tensor")

    with pytest.raises(InvalidMatrixError, match=r"W is a Broken .*meta tensor.*detach\(\)"):
        as_real_matrix(Broken(np.eye(2)), name="W")


def test_the_magnitude_limit_keeps_the_gram_matrix_finite():
    largest = np.full((2, 2), LIMIT_2x2)
    matrix = as_real_matrix(largest, name="W")  # accepted at the limit
    assert np.isfinite(matrix.T @ matrix).all()
    assert np.isfinite(orthonormality_defect(matrix))
    above = np.nextafter(LIMIT_2x2, np.inf)
    with pytest.raises(InvalidMatrixError):
        as_real_matrix(np.full((2, 2), above), name="W")


def test_tiny_matrices_are_accepted_and_measured_without_underflow():
    # (W^T W would underflow to 0; the Gram route rescales W by a power of two first.)
    tiny = np.diag([1e-300, 2e-300])
    assert numerical_rank(tiny) == 2
    gap, _, route = gap_with_error_bound(tiny)
    assert route == "gram"
    assert gap == pytest.approx(1e300 - 1e-300, rel=1e-12)
