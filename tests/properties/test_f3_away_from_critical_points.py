"""F3: at initialisation W^T != W^+; gradient descent drives ||W^T W - I|| and ||W^T - W^+|| to 0.

Initialisation: `train_tied` starts from Gaussian weights scaled so that
E ||W_0||_2 <= 0.1 (scale 0.1 / (sqrt(d) + sqrt(k))); ||W_0||_2 > 1/2 needs a
deviation of 4 (sqrt(d) + sqrt(k)) standard units, probability below
exp(-8 (sqrt(d) + sqrt(k))^2) < e^-32 (Gaussian concentration of the norm). So
every singular value is at most 1/2: ||W^T W - I||_2 >= 3/4 and
||W^T - W^+||_2 >= 2 - 1/2 (P5, sigma - 1/sigma is monotone), and the gradient
is not zero there (A4's bound applies on definite data).

Training: the step budget of tests/properties/conftest.py makes the defect
fall below target; P5 turns that into ||W^T - W^+||_2 <= target / sqrt(1 - target).
Cross-check with the closed form: the trained W spans the same subspace as
`optimal_tied_weights` (W W^T = U_k U_k^T up to 2 sqrt(target) + target, see
test_a5), and the recorded history agrees with the measures recomputed.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import (
    gradient_tolerance,
    optimal_tied_weights,
    orthonormality_defect,
    tied_gradient,
    train_tied,
    transpose_pseudo_inverse_gap,
)
from verify.strategies import data_matrices

# Each example trains a model: the `training` profile of tests/conftest.py.
_TRAINING = settings.get_profile("training")
_SEEDS = st.integers(0, 2**32 - 1)


@st.composite
def _data_and_code_size(draw, **data_options):
    X = draw(data_matrices(max_dimension=4, **data_options))
    return X, draw(st.integers(1, X.shape[0]))


@given(_data_and_code_size(), _SEEDS)
def test_f3_transpose_is_not_the_pseudo_inverse_at_initialisation(case, seed):
    X, k = case
    W = train_tied(X, k, steps=0, seed=seed).weights
    assert orthonormality_defect(W) >= 0.75
    assert transpose_pseudo_inverse_gap(W) >= 1.5
    assert np.linalg.norm(tied_gradient(W, X)) > gradient_tolerance(X, W)  # not critical


@_TRAINING
@given(_data_and_code_size(smallest=1.0, separation=1.0), _SEEDS)
def test_f3_training_drives_transpose_to_pseudo_inverse_matching_the_closed_form(
    tied_budget, case, seed
):
    X, k = case
    target = 1e-8
    result = train_tied(X, k, steps=tied_budget(X, k, seed=seed, target=target), seed=seed)
    defect, gap = result.orthonormality_defect, result.transpose_pseudo_inverse_gap
    assert defect[0] >= 0.75 and gap[0] >= 1.5  # far at the start ...
    assert defect[-1] <= target  # ... and at the end W^T W = I and W^T = W^+:
    assert gap[-1] <= target / np.sqrt(1 - target)
    W = result.weights
    assert defect[-1] == orthonormality_defect(W) and gap[-1] == transpose_pseudo_inverse_gap(W)
    closed_form = optimal_tied_weights(X, k)
    assert orthonormality_defect(closed_form) <= target
    projector = closed_form @ closed_form.T
    assert np.linalg.norm(W @ W.T - projector, 2) <= 2 * np.sqrt(target) + target
