"""F4: weight decay moves the optimum off the partial isometries.

Tied loss plus ``mu ||W||_F^2`` (``mu > 0``), written as ONE trace: SymPy's
matrix calculus gives the gradient ``grad L(W) + 2 mu W``. Along a singular
direction of ``W`` that is an eigenvector of ``S`` (``W e_i = sigma_i u_i``,
``W^T u_i = sigma_i e_i``, ``S u_i = lambda_i u_i``) the gradient's column is
``h_i'(sigma_i) u_i`` with ``h_i(s) = lambda_i (1 - s^2)^2 - lambda_i + mu s^2``.
So that direction's contribution to the loss is ``h_i`` (the loss is the
constant ``tr S`` plus the contributions; ``h_i`` is not the loss), minimised at
``sigma_i^2 = 1 - mu / (2 lambda_i)`` when ``mu < 2 lambda_i`` and at
``sigma_i = 0`` when ``mu >= 2 lambda_i`` (the direction is switched off); the
gain of a direction grows with ``lambda_i``, so the optimum keeps the top
eigenvalues. Untied loss plus ``mu (||D||_F^2 + ||E||_F^2)``: restricted to
``E = D^T`` (A6: every critical point is balanced) it is the tied loss with
penalty ``2 mu``, so ``sigma_i^2 = 1 - mu / lambda_i`` (0 once ``mu >= lambda_i``).
The factor 2 only reflects how the penalty is counted. Either way the singular
values are not 1: the transpose is not the pseudo-inverse (A4, A5, A2 break).

>>> weight_decay().check()
40
>>> from derivations.engine import DerivationError
>>> try:
...     weight_decay(strength=0).check()
... except DerivationError as error:
...     print(error.where)
Exact instances, part 1 (Tied: an exact regularised critical point), step 2
"""

from __future__ import annotations

from sympy import (
    And,
    Derivative,
    Eq,
    Ge,
    Gt,
    ImmutableMatrix,
    Lt,
    MatAdd,
    MatMul,
    MatrixSymbol,
    Rational,
    Trace,
    ZeroMatrix,
    diag,
    sqrt,
    symbols,
)
from sympy import S as Sym
from sympy import expand as sympy_expand

from derivations.engine import Assume, Chain, Claim, Link, Part, Step, prose
from derivations.mathematics.losses import (
    SYMMETRIC,
    D,
    E,
    S,
    tied_gradient,
    tied_loss,
    tied_loss_with_decay,
    untied_gradients,
    untied_loss,
    untied_loss_with_decay,
)
from derivations.notation import FrobeniusNorm, Gradient, PseudoInverse, W, d, k

__all__ = [
    "CLAIM",
    "EIGENVALUES",
    "direction_regimes",
    "tied_singular_value_squared",
    "untied_singular_value_squared",
    "weight_decay",
]

#: Eigenvalues of the data covariance of the exact instances, ``S = diag(4, 2, 1)``.
EIGENVALUES = (4, 2, 1)

#: Weight decay, an eigenvalue of ``S`` and a singular value of the weights.
mu = symbols("mu", positive=True)
lam = symbols("lambda_i", positive=True)
sigma = symbols("sigma_i", real=True)
#: A point on a direction, and the parameters of the two regimes.
s = symbols("s", real=True)
beta = symbols("beta", nonnegative=True)
gamma = symbols("gamma", positive=True)
#: The eigenvector ``u_i`` of ``S`` and the coordinate vector ``e_i`` of the code.
u = MatrixSymbol("u_i", d, 1)
e = MatrixSymbol("e_i", k, 1)

EIGENVECTOR = Eq(S * u, lam * u)
#: ``(sigma_i, u_i, e_i)`` is a singular triple of ``W`` (resp. ``D``).
#: An eigenvalue of ``W W^T``, for reading.
EIGEN = symbols("t", nonnegative=True)
#: The gradient of the regularised tied loss, named (a hypothesis defines it).
GRADIENT = MatrixSymbol("G_W", d, k)
ALIGNED_TIED = And(Eq(W * e, sigma * u), Eq(W.T * u, sigma * e))
ALIGNED_UNTIED = And(Eq(D * e, sigma * u), Eq(D.T * u, sigma * e), Eq(E, D.T))


def tied_singular_value_squared(eigenvalue, strength):
    """``sigma_i^2`` of the tied weight-decay optimum: ``max(0, 1 - mu / (2 lambda_i))``.

    >>> tied_singular_value_squared(4, 1)
    7/8
    """
    return max(Sym.Zero, 1 - Rational(strength) / (2 * Rational(eigenvalue)))


def untied_singular_value_squared(eigenvalue, strength):
    """``sigma_i^2`` of the untied weight-decay optimum: ``max(0, 1 - mu / lambda_i)``.

    >>> untied_singular_value_squared(4, 1)
    3/4
    """
    return max(Sym.Zero, 1 - Rational(strength) / Rational(eigenvalue))


def direction_loss(point, eigenvalue, penalty):
    """``h(s) = lambda (1 - s^2)^2 - lambda + penalty s^2``: one direction's contribution.

    The penalised tied loss is ``tr S`` plus one such term per singular direction
    aligned with an eigenvector, so ``h`` is that direction's contribution to the loss,
    not the loss (it omits the constant ``tr S``).

    >>> direction_loss(s, lam, mu).subs(s, 0)
    0
    """
    return eigenvalue * (1 - point**2) ** 2 - eigenvalue + penalty * point**2


def direction_regimes(penalty, off_value, kept_value, label, slope, factor=1):
    """The loss ``h`` along one direction, tied to the matrix gradient, and its two regimes.

    ``slope`` is the coefficient (in ``sigma_i``) of the gradient's column that
    the proof derived from the matrix loss; the first chain checks that ``h``'s
    derivative is ``factor`` times it, so ``h`` is the direction's contribution to the loss
    and not a formula typed in by hand. Switched off: ``mu = off_value`` (with
    ``beta >= 0``). Kept: ``mu = kept_value`` (with ``gamma > 0``), where the
    slope vanishes at the optimum. Together the regimes cover every ``mu > 0``;
    each is written with a parameter whose sign SymPy knows, because SymPy's
    ``ask`` does not decide the sign of ``(mu - 2 lambda) s^2`` from the
    inequality alone.
    """
    h = direction_loss(s, lam, penalty)
    derivative = Chain(prose("The direction's contribution to the loss (", label, ")"),
                       Derivative(h, s), (
        Link(factor * slope.subs(sigma, s), "its derivative is the gradient's coefficient"),))
    at_zero = h.subs(s, 0)
    off_condition = Eq(mu, off_value)
    excess = sympy_expand(penalty.subs(mu, off_value) - 2 * lam)
    off = Assume(off_condition, (
        Chain(prose("Switched off (", label, ")"), h, (
            Link(at_zero + lam * s**4 + excess * s**2, "multiply out",
                 using=(off_condition,)),
            Link(at_zero + lam * s**4, prose(Ge(excess * s**2, 0, evaluate=False)),
                 relation=">="),
            Link(at_zero, prose(Ge(lam * s**4, 0, evaluate=False)), relation=">="),
        )),), Ge(h, at_zero, evaluate=False),
        heading=prose(label, ": if ", off_condition, ", the direction is switched off"))
    kept_condition = Eq(mu, kept_value)
    root = sympy_expand(1 - penalty.subs(mu, kept_value) / (2 * lam))
    at_root = direction_loss(sqrt(root), lam, penalty.subs(mu, kept_value))
    kept = Assume(kept_condition, (
        Chain(prose("Kept (", label, "): the least value"), h, (
            Link(at_root + lam * (s**2 - root) ** 2, prose("complete the square in ", s**2),
                 using=(kept_condition,)),
            Link(at_root, "a square is nonnegative", relation=">="),
        )),
        Chain(prose("Kept (", label, "): it beats switching off"), at_root, (
            Link(at_zero - lam * root**2, "evaluate"),
            Link(at_zero, prose(lam * root**2, " > 0"), relation="<"),
        )),
        Chain(prose("Kept (", label, "): the gradient's column vanishes there"),
              slope.subs(sigma, sqrt(root)), (
            Link(0, "the coefficient at the optimum", using=(kept_condition,)),)),
    ), And(Ge(h, at_root, evaluate=False), Lt(at_root, at_zero, evaluate=False),
           Eq(slope.subs(sigma, sqrt(root)), 0, evaluate=False)),
        heading=prose(label, ": if ", kept_condition, ", the optimum is ",
                      Eq(s**2, root, evaluate=False)))
    return derivative, off, kept


def _instances(strength):
    S3, W3 = MatrixSymbol("S", 3, 3), MatrixSymbol("W", 3, 2)
    D3, E3 = MatrixSymbol("D", 3, 2), MatrixSymbol("E", 2, 3)
    data = Eq(S3, ImmutableMatrix(diag(*EIGENVALUES)))

    def padded(values):
        return ImmutableMatrix([[values[0], 0], [0, values[1]], [0, 0]])

    tied_sigmas = [sqrt(tied_singular_value_squared(x, strength)) for x in EIGENVALUES[:2]]
    tied_weights = Eq(W3, padded(tied_sigmas))
    tied = Part(
        heading="Tied: an exact regularised critical point",
        text=prose("With ", data, " and ", Eq(mu, strength, evaluate=False), ": ",
                   tied_weights, "."),
        steps=(
            Step(tied_gradient(W3, S3) + 2 * strength * W3, ZeroMatrix(3, 2),
                 "the gradient of the regularised tied loss vanishes",
                 using=(data, tied_weights)),
            Step(PseudoInverse(W3), W3.T, "the transpose is not the pseudo-inverse",
                 relation="!=", using=(tied_weights,)),
        ),
    )
    untied_sigmas = [sqrt(untied_singular_value_squared(x, strength)) for x in EIGENVALUES[:2]]
    decoder, encoder = Eq(D3, padded(untied_sigmas)), Eq(E3, padded(untied_sigmas).T)
    grad_D, grad_E = untied_gradients(D3, E3, S3, strength)
    rules = (data, decoder, encoder)
    untied = Part(
        heading="Untied: an exact regularised critical point",
        text=prose("With ", data, " and ", Eq(mu, strength, evaluate=False), ": ", decoder, " and ",
                   encoder, "."),
        steps=(
            Step(grad_D, ZeroMatrix(3, 2), "the gradient in the decoder vanishes", using=rules),
            Step(grad_E, ZeroMatrix(2, 3), "the gradient in the encoder vanishes", using=rules),
            Step(E3, D3.T, "the encoder is the transpose of the decoder", using=rules),
            Step(PseudoInverse(D3), E3, "but not its pseudo-inverse", relation="!=",
                 using=rules),
        ),
    )
    large = 5
    off_weights = Eq(W3, padded([sqrt(tied_singular_value_squared(EIGENVALUES[0], large)),
                                 tied_singular_value_squared(EIGENVALUES[1], large)]))
    switched_off = Part(
        heading="Tied: a switched-off direction",
        text=prose("With ", Eq(mu, large, evaluate=False), " (at least ", 2 * EIGENVALUES[1],
                   ", twice the second eigenvalue) the second column is 0: ", off_weights, "."),
        steps=(
            Step(tied_gradient(W3, S3) + 2 * large * W3, ZeroMatrix(3, 2),
                 "a critical point", using=(data, off_weights)),
            Step(PseudoInverse(W3), W3.T, "its nonzero singular value is not 1 either",
                 relation="!=", using=(off_weights,)),
        ),
    )
    return tied, untied, switched_off


def _failures():
    S3, W3 = MatrixSymbol("S", 3, 3), MatrixSymbol("W", 3, 2)
    data = Eq(S3, ImmutableMatrix(diag(*EIGENVALUES)))
    top = Eq(W3, ImmutableMatrix([[1, 0], [0, 1], [0, 0]]))
    return (Part(
        heading="Without weight decay the optimum is a partial isometry again",
        text=prose("At ", Eq(mu, 0, evaluate=False), " the top eigenvectors ", top,
                   " are critical (A5)."),
        steps=(
            Step(tied_gradient(W3, S3), ZeroMatrix(3, 2), "a critical point",
                 using=(data, top)),
            Step(PseudoInverse(W3), W3.T, "and the transpose is the pseudo-inverse",
                 using=(top,)),
        ),
    ),)


#: The weight decay ``mu`` of the exact instances.
STRENGTH = Rational(1)


def weight_decay(*, symmetric: Eq = SYMMETRIC, eigenvector: Eq = EIGENVECTOR,
                 strength=STRENGTH) -> Claim:
    """Build F4 under ``symmetric`` (``S^T = S``) and ``eigenvector`` (``S u_i = lambda_i u_i``).

    ``strength`` is ``mu`` in the exact instances; at 0 the optimum is a
    partial isometry again and the instances fail.
    """
    # The loss's gradient plus the penalty's, each from one trace (A3's gradient is shared).
    tied_total = MatAdd(Gradient(tied_loss(W), W), Gradient(Trace(mu * W * W.T), W),
                        evaluate=False)
    tied_gradient_chain = Chain("The tied gradient with weight decay", tied_total, (
        Link(tied_gradient(W) + 2 * mu * W,
             prose("SymPy's matrix calculus on the single trace, with ", symmetric),
             using=(symmetric,)),))
    # At a critical point S commutes with (W W^T)^2 - 2 W W^T: a step towards alignment.
    named = Eq(GRADIENT, tied_total)
    critical = Eq(GRADIENT, ZeroMatrix(d, k))
    projector_part = W * W.T * W * W.T - 2 * W * W.T
    commutator = Eq(S * projector_part - projector_part * S, ZeroMatrix(d, d), evaluate=False)
    commutes = Assume(critical, (
        Chain("The symmetric part of the critical equation", commutator.lhs, (
            Link((GRADIENT * W.T - W * GRADIENT.T) / 2,
                 prose("the terms ", W * W.T * S * W * W.T, " and ", 2 * mu * W * W.T,
                       " of ", GRADIENT * W.T, " are symmetric and cancel"),
                 using=(named, symmetric)),
            Link(ZeroMatrix(d, d), "the gradient vanishes", using=(critical,)),
        )),), commutator,
        heading=prose("At a critical point ", S, " commutes with ", projector_part))
    # Unevaluated products: SymPy's MatMul would evaluate the gradient on construction.
    tied_along = MatMul(tied_total, e, evaluate=False)
    tied_coefficient = 2 * sigma * (2 * lam * (sigma**2 - 1) + mu)
    tied_column = Eq(tied_along, tied_coefficient * u, evaluate=False)
    tied_direction = Assume(ALIGNED_TIED, (
        Chain("The gradient along an aligned singular direction", tied_along, (
            Link(tied_coefficient * u, prose(S * u, " = ", lam * u, " and the singular "
                                             "triple"),
                 using=(symmetric, eigenvector, *ALIGNED_TIED.args)),)),),
        tied_column, heading="Tied: the gradient along one direction")
    tied_derivative, tied_off, tied_kept = direction_regimes(
        mu, 2 * lam + beta, 2 * lam - gamma, "tied", tied_coefficient)
    epsilon = symbols("epsilon", positive=True)
    gain = (2 * lam - mu) ** 2 / (4 * lam)
    larger = Eq(lam, mu / 2 + epsilon)
    top = Assume(larger, (
        Chain("The gain of a kept direction grows with its eigenvalue",
              Derivative(gain, lam), (
                  Link((4 * lam**2 - mu**2) / (4 * lam**2), "differentiate"),
                  Link(epsilon * (mu + epsilon) / lam**2, prose("with ", larger),
                       using=(larger,)),
                  Link(0, "a positive fraction", relation=">", using=(larger,)),
              )),), Gt(Derivative(gain, lam), 0, evaluate=False),
        heading=prose("Keep the top eigenvalues: the gain ", gain, " increases with ", lam))

    penalty = Trace(mu * (D * D.T + E.T * E))
    decoder_total = MatAdd(Gradient(untied_loss(D, E), D), Gradient(penalty, D), evaluate=False)
    encoder_total = MatAdd(Gradient(untied_loss(D, E), E), Gradient(penalty, E), evaluate=False)
    grad_D, grad_E = untied_gradients(D, E, S, mu)
    untied_gradient_chains = (
        Chain("The untied gradient in the decoder", decoder_total, (
            Link(grad_D, "matrix calculus on the single trace", using=(symmetric,)),)),
        Chain("The untied gradient in the encoder", encoder_total, (
            Link(grad_E, "matrix calculus on the single trace", using=(symmetric,)),)),
    )
    balanced = Eq(E, D.T)
    restricted = Eq(untied_loss_with_decay(D, E, mu), tied_loss_with_decay(D, 2 * mu),
                    evaluate=False)
    restriction = Assume(balanced, (
        Chain("The untied loss at a balanced point", restricted.lhs, (
            Link(restricted.rhs, prose(Eq(FrobeniusNorm(D.T), FrobeniusNorm(D),
                                          evaluate=False), ": the penalty counts ", D,
                                       " twice"), using=(balanced,)),)),),
        restricted, heading="The factor 2 is how the penalty is counted")
    decoder_along = MatMul(decoder_total, e, evaluate=False)
    encoder_along = MatMul(encoder_total, u, evaluate=False)
    untied_coefficient = 2 * sigma * (lam * (sigma**2 - 1) + mu)
    untied_columns = And(Eq(decoder_along, untied_coefficient * u, evaluate=False),
                         Eq(encoder_along, untied_coefficient * e, evaluate=False))
    untied_direction = Assume(ALIGNED_UNTIED, (
        Chain("The decoder's gradient along the direction", decoder_along, (
            Link(untied_coefficient * u, "the singular triple, the encoder the transpose",
                 using=(symmetric, eigenvector, *ALIGNED_UNTIED.args)),)),
        Chain("The encoder's gradient along the direction", encoder_along, (
            Link(untied_coefficient * e, "the same",
                 using=(symmetric, eigenvector, *ALIGNED_UNTIED.args)),)),
    ), untied_columns, heading="Untied, balanced: the gradients along one direction")
    untied_derivative, untied_off, untied_kept = direction_regimes(
        2 * mu, lam + beta, lam - gamma, "untied", untied_coefficient, factor=2)

    proof = (tied_gradient_chain, commutes, tied_direction, tied_derivative, tied_off,
             tied_kept, top, *untied_gradient_chains, restriction, untied_direction,
             untied_derivative, untied_off, untied_kept)
    conclusions = (tied_gradient_chain.derives, commutes.derives, tied_direction.derives,
                   tied_derivative.derives, tied_off.derives, tied_kept.derives, top.derives,
                   *(chain.derives for chain in untied_gradient_chains), restriction.derives,
                   untied_direction.derives, untied_derivative.derives, untied_off.derives,
                   untied_kept.derives)
    return Claim(
        id="F4",
        title="Weight decay",
        statement=prose(
            "Tied loss plus ", mu * FrobeniusNorm(W) ** 2, ", ", mu, " > 0: along a singular "
            "direction of ", W, " that is an eigenvector ", u, " of ", S, " (eigenvalue ",
            lam, ") the direction contributes ", direction_loss(s, lam, mu), " to the loss "
            "(which is ", Trace(S), " plus such contributions) in the singular value ", s,
            ", so the optimal ", sigma**2, " is ", 1 - mu / (2 * lam), " where ",
            mu < 2 * lam, ", and 0 (the direction is switched off) where ", mu >= 2 * lam,
            "; the directions kept are those of the largest eigenvalues. Untied loss plus ",
            mu * (FrobeniusNorm(D) ** 2 + FrobeniusNorm(E) ** 2), ": with ",
            Eq(E, D.T, evaluate=False), " (A6) it is the tied loss with penalty ", 2 * mu,
            ", so ", sigma**2, " is ", 1 - mu / lam, " where ", mu < lam, " and 0 where ",
            mu >= lam, ". The singular values are not 1, so the transpose is not the "
            "pseudo-inverse: this breaks A4, A5 and A2."),
        hypotheses=(symmetric, eigenvector, Eq(GRADIENT, MatAdd(
            Gradient(tied_loss(W), W), Gradient(Trace(mu * W * W.T), W), evaluate=False),
            evaluate=False)),
        conclusions=conclusions,
        idea=prose("Differentiate the matrix loss (one trace) and evaluate the gradient on "
                   "a singular direction ", Eq(W * e, sigma * u, evaluate=False), ", ",
                   Eq(W.T * u, sigma * e, evaluate=False), ": every product collapses to a "
                   "multiple of ", u, ", and the multiple is the derivative of the direction's "
                   "contribution ", direction_loss(sigma, lam, mu), ". Completing the square in ",
                   sigma**2, " gives the optimum, or shows that 0 wins. The untied loss on "
                   "the balanced points is the tied one with the penalty doubled."),
        generality=prose(
            "The gradients, their values along an aligned direction, the restriction "
            "identity and the per-direction optimum are proved for symbolic ", d, " and ",
            k, ". Towards alignment, it is proved that at every critical point ", S,
            " commutes with ", W * W.T * W * W.T - 2 * W * W.T, "; where the eigenvalues of ",
            W * W.T, " lie in [0, 1], on which ", EIGEN**2 - 2 * EIGEN, " is one-to-one in ", EIGEN,
            ", this makes ", W * W.T,
            " commute with ", S, ", so its eigenvectors can be taken among those of ", S,
            ". Not derived here: that the eigenvalues of ", W * W.T, " at a minimum are at "
            "most 1 (so that the minimum is aligned; von Neumann's trace inequality gives it "
            "another way, since the loss depends on ", W, " only through ", W * W.T,
            "), and that untied critical points are balanced (A6). The two regimes are "
            "written with a parameter of known sign (",
            Eq(mu, 2 * lam + beta, evaluate=False), " with ", Ge(beta, 0, evaluate=False), "; ",
            Eq(mu, 2 * lam - gamma, evaluate=False), " with ", Gt(gamma, 0, evaluate=False),
            "), which "
            "together cover every ", mu, ": SymPy's assumption system cannot decide the "
            "sign of ", (mu - 2 * lam) * s**2, " from ", mu >= 2 * lam, ", so a case split "
            "on the inequality itself would not check. Exact instances at ",
            Eq(S, ImmutableMatrix(diag(*EIGENVALUES)), evaluate=False), "."),
        proof=proof,
        instances=_instances(strength),
        failures=_failures(),
        remarks=(prose("The untied optimum shrinks more (", 1 - mu / lam, " against ",
                       1 - mu / (2 * lam), ") only because ", mu,
                       " is charged on both factors: restricted to ",
                       Eq(E, D.T, evaluate=False), " the untied penalty is ",
                       2 * mu * FrobeniusNorm(D) ** 2, "."),),
        sources=("Kunin, Bloom, Goeva and Seed 2019",),
    )


CLAIM = weight_decay()
