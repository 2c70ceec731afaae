"""Numerical checks of the claims about tied weights: is `W^T` the pseudo-inverse `W^+`?

NumPy measures of a weight matrix (`verify.linalg`), input validation
(`verify._validation`), the linear autoencoder's losses, gradients and optima
(`verify.autoencoder`) and gradient descent on them (`verify.training`), the
practitioner's check of trained weights (`verify.diagnosis`, `verify.load`, and the
command `tied-weights check FILE`), and
Hypothesis strategies for every class of matrix the claims speak of
(`verify.strategies`, imported on demand).

>>> import numpy as np
>>> from verify import is_partial_isometry, transpose_pseudo_inverse_gap
>>> W = np.array([[0.6, 0.0], [0.8, 0.0], [0.0, 2.0]])
>>> is_partial_isometry(W), transpose_pseudo_inverse_gap(W)   # sigma = 2, 1: |2 - 1/2|
(False, 1.5)
"""

from verify._validation import InvalidMatrixError, as_real_matrix
from verify.autoencoder import (
    covariance_spectrum,
    gradient_tolerance,
    loss_tolerance,
    optimal_tied_weights,
    optimal_untied_weights,
    tied_gradient,
    tied_loss,
    untied_gradient,
    untied_loss,
    weight_decay_singular_values,
)
from verify.diagnosis import Diagnosis, diagnose
from verify.linalg import (
    WeightMeasures,
    gap_with_error_bound,
    gram_error_bound,
    has_orthonormal_columns,
    is_partial_isometry,
    measure_weights,
    numerical_rank,
    orthonormality_defect,
    orthonormality_tolerance,
    partial_isometry_tolerance,
    rank_cutoff,
    singular_values,
    transpose_pseudo_inverse_gap,
)
from verify.load import WeightFileError, load_weights
from verify.training import Training, default_learning_rate, train_tied, train_untied

__all__ = [
    "InvalidMatrixError",
    "WeightMeasures",
    "as_real_matrix",
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
    "Training",
    "covariance_spectrum",
    "default_learning_rate",
    "gradient_tolerance",
    "loss_tolerance",
    "optimal_tied_weights",
    "optimal_untied_weights",
    "tied_gradient",
    "tied_loss",
    "train_tied",
    "train_untied",
    "untied_gradient",
    "untied_loss",
    "weight_decay_singular_values",
    "Diagnosis",
    "WeightFileError",
    "diagnose",
    "load_weights",
]
