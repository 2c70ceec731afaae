"""Numerical checks of the claims about tied weights: is `W^T` the pseudo-inverse `W^+`?

NumPy measures of a weight matrix (`verify.linalg`), input validation
(`verify._validation`) and Hypothesis strategies for every class of matrix the
claims speak of (`verify.strategies`, imported on demand).

>>> import numpy as np
>>> from verify import is_partial_isometry, transpose_pseudo_inverse_gap
>>> W = np.array([[0.6, 0.0], [0.8, 0.0], [0.0, 2.0]])
>>> is_partial_isometry(W), transpose_pseudo_inverse_gap(W)   # sigma = 2, 1: |2 - 1/2|
(False, 1.5)
"""

from verify._validation import InvalidMatrixError, as_real_matrix
from verify.linalg import (
    gap_with_error_bound,
    gram_error_bound,
    has_orthonormal_columns,
    is_partial_isometry,
    numerical_rank,
    orthonormality_defect,
    orthonormality_tolerance,
    partial_isometry_tolerance,
    rank_cutoff,
    singular_values,
    transpose_pseudo_inverse_gap,
)

__all__ = [
    "InvalidMatrixError",
    "as_real_matrix",
    "gap_with_error_bound",
    "gram_error_bound",
    "has_orthonormal_columns",
    "is_partial_isometry",
    "numerical_rank",
    "orthonormality_defect",
    "orthonormality_tolerance",
    "partial_isometry_tolerance",
    "rank_cutoff",
    "singular_values",
    "transpose_pseudo_inverse_gap",
]
