"""A3: the tied gradient is -4 S W + 2 S W W^T W + 2 W W^T S W.

Three independent routes: central finite differences of the loss (float64,
with a derived error bound), the literal formula against the residual form
that `tied_gradient` evaluates, and SymPy's differentiation of the explicit
loss polynomial on a random rational instance (exact, no tolerance).

Finite-difference bound. For a unit direction V (||V||_F = 1) the loss
f(t) = L(W + t V) is a quartic polynomial c0 + c1 t + c2 t^2 + c3 t^3 + c4 t^4,
so the central quotient (f(h) - f(-h)) / (2 h) equals c1 + c3 h^2 exactly.
Only the quartic term tr(A^T S A A^T A), A = W + t V, contributes to c3:
four terms with one W and three V factors, each at most
||S||_2 ||W||_F ||V||_F^3, so |c3| <= 4 ||S||_2 ||W||_F (truncation 4 ||S||_2 ||W||_F h^2).
Each loss evaluation is off by at most `loss_tolerance` (delta), so rounding
adds delta / h. The step minimising 4 ||S|| ||W|| h^2 + delta / h is
h = (delta / (8 ||S|| ||W||))^(1/3); the gradient's own error adds
`gradient_tolerance`.
"""

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verify import gradient_tolerance, loss_tolerance, tied_gradient, tied_loss
from verify.strategies import data_matrices

# Entries are multiples of 2^-10 in [-2, 2] and steps h are powers of two >= 2^-40, so W +- h
# is exact in float64 and the difference quotient really uses the step h.
_ENTRIES = st.integers(-2048, 2048).map(lambda i: i / 1024)
_RATIONALS = st.builds(sympy.Rational, st.integers(-3, 3), st.integers(1, 3))


@st.composite
def _weights_and_data(draw):
    X = draw(data_matrices(max_dimension=5))
    d = X.shape[0]
    k = draw(st.integers(1, d))
    W = draw(arrays(np.float64, (d, k), elements=_ENTRIES))
    return W, X


def _finite_difference_bound(W, X):
    spectral_S = float(np.linalg.norm(X, 2)) ** 2
    norm_W = float(np.linalg.norm(W))
    # Every evaluated point W +- h V has Frobenius norm <= ||W||_F + 1; loss_tolerance
    # depends on the weights only through that norm, so a 1 x 1 stand-in carries it.
    delta = loss_tolerance(X, [[norm_W + 1.0]])
    ideal = (delta / (8.0 * spectral_S * max(norm_W, 1.0))) ** (1.0 / 3.0)
    h = 2.0 ** max(-40, round(np.log2(ideal)))
    bound = 4.0 * spectral_S * norm_W * h**2 + delta / h + gradient_tolerance(X, W)
    return h, bound


def _central_differences(W, X, h):
    result = np.empty_like(W)
    for index in np.ndindex(*W.shape):
        step = np.zeros_like(W)
        step[index] = h
        result[index] = (tied_loss(W + step, X) - tied_loss(W - step, X)) / (2.0 * h)
    return result


def _literal_a3_formula(W, X):
    S = X @ X.T
    return -4 * S @ W + 2 * S @ W @ W.T @ W + 2 * W @ W.T @ S @ W


@given(_weights_and_data())
def test_a3_tied_gradient_matches_central_finite_differences(case):
    W, X = case
    h, bound = _finite_difference_bound(W, X)
    difference = np.abs(_central_differences(W, X, h) - tied_gradient(W, X)).max()
    assert difference <= bound


@given(_weights_and_data())
def test_a3_finite_differences_reject_a_gradient_missing_the_w_wt_s_w_term(case):
    # The check above can fail: dropping 2 W W^T S W (the term a symmetric-S shortcut
    # forgets) is detected whenever that term exceeds the bound.
    W, X = case
    h, bound = _finite_difference_bound(W, X)
    wrong = -4 * X @ X.T @ W + 2 * X @ X.T @ W @ W.T @ W
    missing_term = np.abs(2 * W @ W.T @ X @ X.T @ W).max()
    difference = np.abs(_central_differences(W, X, h) - wrong).max()
    assert difference >= missing_term - bound
    if missing_term > 2 * bound:
        assert difference > bound


@given(_weights_and_data())
def test_a3_residual_form_equals_the_literal_formula(case):
    W, X = case
    literal = _literal_a3_formula(W, X)
    assert np.abs(tied_gradient(W, X) - literal).max() <= gradient_tolerance(X, W)


def _explicit_loss_gradient(W_values, X):
    """SymPy's derivative of the explicit sum-of-squares loss, at exact rational weights."""
    d, k = W_values.shape
    symbols = sympy.Matrix(d, k, lambda i, j: sympy.Symbol(f"w{i}{j}"))
    residual = X - symbols * symbols.T * X
    loss = sum(entry**2 for entry in residual)  # one polynomial: no trace-sum pitfall
    at_values = dict(zip(symbols, W_values, strict=True))
    return sympy.Matrix(d, k, lambda i, j: sympy.diff(loss, symbols[i, j]).xreplace(at_values))


@st.composite
def _rational_instance(draw):
    d = draw(st.integers(1, 3))
    n = draw(st.integers(1, 4))
    k = draw(st.integers(1, d))
    X = sympy.Matrix(d, n, [draw(_RATIONALS) for _ in range(d * n)])
    W = sympy.Matrix(d, k, [draw(_RATIONALS) for _ in range(d * k)])
    return W, X


# SymPy differentiates a degree-4 polynomial (tens of milliseconds): the `training` profile.
@settings.get_profile("training")
@given(_rational_instance())
def test_a3_gradient_formula_equals_sympy_derivative_exactly_and_numpy_within_bound(instance):
    W, X = instance
    S = X * X.T
    formula = -4 * S * W + 2 * S * W * W.T * W + 2 * W * W.T * S * W
    exact = _explicit_loss_gradient(W, X)
    assert formula == exact  # exact rationals: zero tolerance
    W_float = np.array(W.tolist(), dtype=float)
    X_float = np.array(X.tolist(), dtype=float)
    numeric = tied_gradient(W_float, X_float)
    exact_float = np.array(exact.tolist(), dtype=float)
    assert np.abs(numeric - exact_float).max() <= gradient_tolerance(X_float, W_float)
