"""D4: gradient flow conserves the layers' imbalance; weight decay removes it.

The loss depends on the layers only through ``E = W_m ... W_1``. With
``G = dL/dE`` the chain rule gives the layer gradients, and they satisfy the
identity ``W_{L+1}^T (dL/dW_{L+1}) = (dL/dW_L) W_L^T`` for symbolic widths.
Hence the time derivative of the imbalance vanishes under gradient flow, and at
a critical point of the loss plus ``mu sum_L ||W_L||_F^2`` the layers are
balanced (D3 then makes each one a partial isometry at the optimum).

>>> imbalance_conserved().check()
9
"""

from __future__ import annotations

from sympy import (
    And,
    Eq,
    ImmutableMatrix,
    MatrixSymbol,
    Rational,
    Symbol,
    ZeroMatrix,
)

from derivations.engine import Assume, Chain, Cite, Claim, Link, Part, Step, prose
from derivations.mathematics.deep import (
    W_L,
    W_above,
    W_below,
    W_next,
    h_above,
    h_below,
    h_L,
    layer_gradients,
)
from derivations.mathematics.facts import CHAIN_RULE, PRODUCT_RULE
from derivations.notation import d, k, mu

__all__ = ["CLAIM", "imbalance_conserved"]

#: ``G = dL/dE`` (``k x d``) and the layer gradients ``G_L = dL/dW_L``, ``G_{L+1} = dL/dW_{L+1}``.
G = MatrixSymbol("G", k, d)
G_L = MatrixSymbol("G_L", h_L, h_below)
G_next = MatrixSymbol("G_L+1", h_above, h_L)
#: Velocities of the two layers under a flow, and the rate of change of the imbalance.
V_L = MatrixSymbol("V_L", h_L, h_below)
V_next = MatrixSymbol("V_L+1", h_above, h_L)
RATE = MatrixSymbol("R_L", h_L, h_L)

#: Gradient flow, one equation per layer (upper, lower).
GRADIENT_FLOW = (Eq(V_next, -G_next, evaluate=False), Eq(V_L, -G_L, evaluate=False))
#: A critical point of the loss plus mu times the squared Frobenius norms (upper, lower).
DECAYED_CRITICAL_POINT = (Eq(G_next, -2 * mu * W_next, evaluate=False),
                          Eq(G_L, -2 * mu * W_L, evaluate=False))


def imbalance_conserved(*, flow=GRADIENT_FLOW, critical=DECAYED_CRITICAL_POINT) -> Claim:
    """Build D4; ``flow`` and ``critical`` are pairs of equations (upper layer, lower layer)."""
    velocity_next, velocity_L = flow
    decay_next, decay_L = critical
    flow, critical = And(*flow), And(*critical)
    E = W_above * W_next * W_L * W_below
    lower = Cite(CHAIN_RULE, G_L, G, E, W_L)
    upper = Cite(CHAIN_RULE, G_next, G, E, W_next)
    (lower_rule,), (upper_rule,) = lower.relations, upper.relations
    identity = Eq(W_next.T * G_next, G_L * W_L.T, evaluate=False)
    transposed = Eq(G_next.T * W_next, W_L * G_L.T, evaluate=False)
    both_sides = Chain("The identity between neighbouring layer gradients", identity.lhs, (
        Link(identity.rhs, prose("both are ", W_next.T * W_above.T * G * W_below.T * W_L.T),
             using=(upper_rule, lower_rule)),))
    both_transposed = Chain("Its transpose", transposed.lhs, (
        Link(transposed.rhs, "the same product, transposed", using=(upper_rule, lower_rule)),))

    rate = Cite(PRODUCT_RULE, RATE, W_next, V_next, W_L, V_L)
    (rate_rule,) = rate.relations
    conserved = Assume(flow, (rate, Chain(
        "The imbalance does not change", RATE, (
            Link(rate_rule.rhs, "the product rule", using=(rate_rule,)),
            Link(-G_next.T * W_next - W_next.T * G_next + G_L * W_L.T + W_L * G_L.T,
                 "each layer moves against its gradient", using=(velocity_next, velocity_L)),
            Link(ZeroMatrix(h_L, h_L), "the identity and its transpose",
                 using=(identity, transposed)),
        )),), Eq(RATE, ZeroMatrix(h_L, h_L), evaluate=False),
        heading=prose("Under gradient flow, ", flow))

    balanced = Eq(W_next.T * W_next, W_L * W_L.T, evaluate=False)
    decayed = Assume(critical, (Chain("Weight decay balances the layers", balanced.lhs, (
        Link(-W_next.T * G_next / (2 * mu), prose(G_next, " = ", decay_next.rhs),
             using=(decay_next,)),
        Link(-G_L * W_L.T / (2 * mu), "the identity", using=(identity,)),
        Link(balanced.rhs, prose(G_L, " = ", decay_L.rhs), using=(decay_L,)),
    )),), balanced, heading=prose("At a critical point of the loss plus ", mu,
                                  " times the squared Frobenius norms of the layers"))

    W1, W2, S3 = MatrixSymbol("W_1", 2, 3), MatrixSymbol("W_2", 2, 2), MatrixSymbol("S", 3, 3)
    point = (Eq(W1, ImmutableMatrix([[1, 2, 0], [0, -1, 1]])),
             Eq(W2, ImmutableMatrix([[Rational(1, 2), 1], [3, -1]])),
             Eq(S3, ImmutableMatrix([[2, 1, 0], [1, 3, 1], [0, 1, 1]])))
    gradient_1, gradient_2 = layer_gradients((W1, W2), S3)
    instance = Part(
        heading="The identity for the real tied loss at a rational point, 3 to 2 to 2",
        text=prose("SymPy's matrix derivatives of the deep tied loss (each layer occurs in the "
                   "encoder and, transposed, in the decoder) at ", *point[:2], " with ",
                   point[2], "."),
        steps=(Step(W2.T * gradient_2, gradient_1 * W1.T, "exact rational arithmetic",
                    using=point),))
    return Claim(
        id="D4",
        title="What makes the layers balanced",
        statement=prose(
            "If the loss depends on the layers only through ", E, " and ", G,
            " is its gradient in E, the layer gradients ", G_L, " and ", G_next,
            " satisfy ", identity, ". Hence, under gradient flow ", flow, ", the imbalance ",
            balanced.lhs - balanced.rhs, " has time derivative ", Eq(RATE, 0, evaluate=False),
            "; and at a critical point of the loss plus ", mu, " (", mu, " > 0) times the "
            "sum of the squared Frobenius norms of the layers, ", critical, ", the layers are "
            "balanced: ", balanced, "."),
        hypotheses=(),
        conclusions=(identity, conserved.derives, decayed.derives),
        idea=prose(
            "A change of ", W_L, " and an opposite change of ", W_next,
            " that leave the product ", W_next * W_L, " fixed do not change the loss; that is "
            "what the identity between the two gradients says. Under gradient flow it makes "
            "the time derivatives of ", W_next.T * W_next, " and ", W_L * W_L.T,
            " equal. With weight decay, the gradient of the penalty is ", 2 * mu * W_L,
            ", so at a critical point the identity becomes ", balanced, "."),
        generality=prose(
            "For symbolic widths ", d, ", ", h_below, ", ", h_L, ", ", h_above, ", ", k,
            " and any position ", W_L, " in a network of any depth (the layers below and "
            "above are the products ", W_below, " and ", W_above, "). The chain rule and the "
            "product rule are cited. The instance uses the tied loss itself, not the chain "
            "rule."),
        proof=(lower, upper, both_sides, both_transposed, conserved, decayed),
        instances=(instance,),
        remarks=(prose("Gradient descent with a positive step is not the flow: the imbalance "
                       "drifts by the discretisation error, second order in the step size. "
                       "The property tests measure that drift against its bound."),
                 prose("What a small start buys: the flow keeps the imbalance of the start, "
                       "and a start of scale ", Symbol("epsilon"), " (every layer ",
                       Symbol("epsilon"), " times a fixed matrix) has ", Symbol("epsilon")**2,
                       " times the imbalance of those matrices. So a small start is balanced "
                       "only up to terms of order ", Symbol("epsilon")**2, ", not exactly, "
                       "and D3's hypothesis holds only approximately.")),
        sources=("Du, Hu and Lee 2018", "Arora, Cohen and Hazan 2018"),
    )


CLAIM = imbalance_conserved()
