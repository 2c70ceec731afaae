"""Numerical checks of the claims about tied weights: is `W^T` the pseudo-inverse `W^+`?

NumPy measures of a weight matrix (`verify.linalg`), input validation
(`verify._validation`), the linear autoencoder's losses, gradients and optima
(`verify.autoencoder`) and gradient descent on them (`verify.training`), the
practitioner's check of trained weights (`verify.diagnosis`, `verify.load`, and the
command `tied-weights check FILE`) with tolerances in the precision the weights were
stored at (`verify.precision`) and, given the training data, a decided verdict
(`verify.data_check`), and
Hypothesis strategies for every class of matrix the claims speak of
(`verify.strategies`, imported on demand). Every name below is imported from its
module on first use (module `__getattr__`), so `import verify` (and the command
line) loads only what it uses.

>>> import numpy as np
>>> from verify import is_partial_isometry, transpose_pseudo_inverse_gap
>>> W = np.array([[0.6, 0.0], [0.8, 0.0], [0.0, 2.0]])
>>> is_partial_isometry(W), transpose_pseudo_inverse_gap(W)   # sigma = 2, 1: |2 - 1/2|
(False, 1.5)
"""

from typing import TYPE_CHECKING

from verify._validation import InvalidMatrixError, as_real_matrix

#: Where each public name lives; imported on first use.
_HOMES = {
    "verify.autoencoder": (
        "covariance_spectrum", "gradient_tolerance", "loss_tolerance", "optimal_tied_weights",
        "optimal_untied_weights", "tied_gradient", "tied_loss", "untied_gradient",
        "untied_loss", "weight_decay_singular_values",
    ),
    "verify.data_check": ("DataFindings", "check_with_data"),
    "verify.diagnosis": ("Diagnosis", "diagnose"),
    "verify.linalg": (
        "WeightMeasures", "gap_with_error_bound", "gram_error_bound", "has_orthonormal_columns",
        "is_partial_isometry", "measure_weights", "numerical_rank", "orthonormality_defect",
        "orthonormality_tolerance", "partial_isometry_tolerance", "rank_cutoff",
        "singular_values", "transpose_pseudo_inverse_gap",
    ),
    "verify.load": ("WeightFileError", "load_weights"),
    "verify.training": ("Training", "default_learning_rate", "train_tied", "train_untied"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "InvalidMatrixError",
    "as_real_matrix",
    "covariance_spectrum",
    "gradient_tolerance",
    "loss_tolerance",
    "optimal_tied_weights",
    "optimal_untied_weights",
    "tied_gradient",
    "tied_loss",
    "untied_gradient",
    "untied_loss",
    "weight_decay_singular_values",
    "DataFindings",
    "check_with_data",
    "Diagnosis",
    "diagnose",
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
    "WeightFileError",
    "load_weights",
    "Training",
    "default_learning_rate",
    "train_tied",
    "train_untied",
]


def __getattr__(name: str):
    """Import a public name from its module the first time it is asked for."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and linters: the names __getattr__ provides
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
    from verify.data_check import DataFindings, check_with_data
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
