"""D3: balanced layers are partial isometries at the optimum, so ``W_L^T = W_L^+`` layer by layer.

Balanced means ``W_{L+1}^T W_{L+1} = W_L W_L^T`` for every ``L``. Then
``E E^T = (W_m W_m^T)^m``; where ``E E^T = I_k`` (the optimum, D1 with A5) the
positive semidefinite ``m``-th root gives ``W_m W_m^T = I_k``, and going down,
each layer is a partial isometry, so its transpose is its pseudo-inverse.
Proved for two layers with symbolic widths, and for any depth through
induction steps with a symbolic exponent (the push-through identity by a
checked induction on its exponent).

>>> balanced_layers().check()
46
"""

from __future__ import annotations

from sympy import (
    And,
    Eq,
    Identity,
    ImmutableMatrix,
    Implies,
    MatPow,
    MatrixSymbol,
    Rational,
    Transpose,
    ZeroMatrix,
    symbols,
)

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import (
    Assume,
    Chain,
    Cite,
    Claim,
    Conclude,
    Define,
    Induction,
    Link,
    Part,
    Specialise,
    Step,
    prose,
)
from derivations.mathematics.deep import W_1, W_2, W_L, W_next, h_L
from derivations.mathematics.facts import (
    GRAM_ZERO,
    MATRIX_POWER,
    POSITIVE_SEMIDEFINITE_ROOT,
)
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import PseudoInverse, d, h, k

__all__ = ["BALANCED", "CLAIM", "balanced_layers"]

#: The two-layer balance condition, ``W_2^T W_2 = W_1 W_1^T``.
BALANCED = Eq(W_2.T * W_2, W_1 * W_1.T, evaluate=False)

#: The depth (or a power) as a symbol, and the end-to-end encoder of the first ``L`` layers.
#: The induction variable ``j`` is an integer and nothing more: the induction step may use
#: only ``j >= 1``, which the induction supplies.
L = symbols("L", integer=True, positive=True)
j = symbols("j", integer=True)
E_L = MatrixSymbol("E_L", h_L, d)


def _flip(relation):
    """The same equation read right to left, as a rewrite rule."""
    return Eq(relation.rhs, relation.lhs, evaluate=False)


def _partial_isometry(W):
    return Eq(W * W.T * W, W, evaluate=False)


def _transpose_is_pinv(W, partial_isometry, tag):
    """Penrose's four conditions for ``G = W^T`` from ``W W^T W = W``, then uniqueness."""
    residual = MatrixSymbol(f"Z_{tag}", *W.shape)
    definition = Define(residual, W * W.T * W - W)
    zero = Eq(residual, ZeroMatrix(*W.shape), evaluate=False)
    first, second, third, fourth = penrose_conditions(W, W.T)
    steps = (
        Chain(prose("Penrose condition 1 for ", W), first.lhs, (
            Link(first.rhs, "W W^T W = W", using=(partial_isometry,)),)),
        Chain(prose("Penrose condition 2 for ", W), second.lhs, (
            Link(W.T + residual.T, prose("the transpose of ", definition.definition),
                 using=(definition.definition,)),
            Link(W.T, prose(residual, " = 0"), using=(zero,)))),
        Chain(prose("Penrose condition 3 for ", W), third.lhs, (
            Link(third.rhs, "W W^T is symmetric"),)),
        Chain(prose("Penrose condition 4 for ", W), fourth.lhs, (
            Link(fourth.rhs, "W^T W is symmetric"),)),
    )
    zero_chain = Chain(prose(residual, " = 0"), residual, (
        Link(W * W.T * W - W, "its definition", using=(definition.definition,)),
        Link(ZeroMatrix(*W.shape), "W W^T W = W", using=(partial_isometry,))))
    uniqueness, _ = by_uniqueness(W, W.T)
    return (definition, zero_chain, *steps, *uniqueness)


def _isometry_from_above(lower, upper, balanced, upper_isometry, tag):
    """``W_L W_L^T W_L = W_L`` from balance and ``W_{L+1} W_{L+1}^T W_{L+1} = W_{L+1}``."""
    residual = MatrixSymbol(f"R_{tag}", *lower.shape)
    definition = Define(residual, lower * lower.T * lower - lower)
    gram = Chain(prose("The Gram matrix of ", residual, " vanishes"), residual * residual.T, (
        Link((lower * lower.T * lower - lower) * (lower * lower.T * lower - lower).T,
             "its definition", using=(definition.definition,)),
        Link(ZeroMatrix(lower.rows, lower.rows),
             prose(lower * lower.T, " = ", upper.T * upper, " is a projector, since ",
                   upper_isometry),
             using=(_flip(balanced), upper_isometry)),
    ))
    zero = Cite(GRAM_ZERO, residual)
    (implication,) = zero.relations
    isometry = Chain(prose(lower, " is a partial isometry"), lower * lower.T * lower, (
        Link(lower + residual, "the definition", using=(definition.definition,)),
        Link(lower, prose(residual, " = 0"), using=(implication.args[1],)),
    ))
    return (definition, gram, zero, Conclude(implication), isometry)


def balanced_layers(*, balanced: Eq = BALANCED) -> Claim:
    """Build D3 under the two-layer balance hypothesis ``balanced``."""
    E = W_2 * W_1
    forward = Chain("E E^T for balanced layers", E * Transpose(E), (
        Link(W_2 * W_2.T * W_2 * W_2.T, "replace W_1 W_1^T by W_2^T W_2",
             using=(balanced,)),))
    backward = Chain("E^T E for balanced layers", Transpose(E) * E, (
        Link(W_1.T * W_1 * W_1.T * W_1, "replace W_2^T W_2 by W_1 W_1^T",
             using=(balanced,)),))
    gram_squared = forward.derives

    optimum = Eq(E * Transpose(E), Identity(k), evaluate=False)
    root = Cite(POSITIVE_SEMIDEFINITE_ROOT, W_2, 2)
    (root_implication,) = root.relations
    squared_identity = Chain("(W_2 W_2^T)^2 = I", root_implication.args[0].lhs, (
        Link(Identity(k), "it is E E^T, which is I at the optimum",
             using=(Eq(gram_squared.rhs, gram_squared.lhs, evaluate=False), optimum)),))
    top_isometry = Chain(prose(W_2, " is a partial isometry"), W_2 * W_2.T * W_2, (
        Link(W_2, "W_2 W_2^T = I", using=(root_implication.args[1],)),))
    both = And(Eq(PseudoInverse(W_1), W_1.T, evaluate=False),
               Eq(PseudoInverse(W_2), W_2.T, evaluate=False))
    two_layers = Assume(optimum, (
        squared_identity, root, Conclude(root_implication), top_isometry,
        *_transpose_is_pinv(W_2, _partial_isometry(W_2), "2"),
        *_isometry_from_above(W_1, W_2, balanced, _partial_isometry(W_2), "1"),
        *_transpose_is_pinv(W_1, _partial_isometry(W_1), "1"),
    ), both, heading=prose("At the optimum ", optimum, ": both layers"))

    # Any depth: E_{L+1} E_{L+1}^T = (W_{L+1} W_{L+1}^T)^(L+1) from the same for L.
    A = W_next
    push = Eq(A * MatPow(A.T * A, j), MatPow(A * A.T, j) * A, evaluate=False)
    push_next = Eq(A * MatPow(A.T * A, j + 1), MatPow(A * A.T, j + 1) * A, evaluate=False)
    power_right = Cite(MATRIX_POWER, A.T * A, j)
    power_left = Cite(MATRIX_POWER, A * A.T, j)
    # By substitution, not A * MatPow(A.T * A, 1): the product would drop the power 1.
    base = Eq(push.lhs.subs(j, 1), push.rhs.subs(j, 1), evaluate=False)
    pushing = Induction(j, push, (Chain(prose("The case ", Eq(j, 1, evaluate=False)),
                                        base.lhs, (
        Link(base.rhs, prose("both sides are ", A * A.T * A)),)),), (
        power_right, power_left, Chain(
            prose("From ", j, " to ", j + 1, ": push ", A, " through one more factor"),
            push_next.lhs, (
                Link(A * MatPow(A.T * A, j) * A.T * A, "one factor out of the power",
                     using=power_right.relations),
                Link(MatPow(A * A.T, j) * A * A.T * A, prose("the case ", j), using=(push,)),
                Link(push_next.rhs, "one factor into the power", using=power_left.relations),
            ))),
        heading="Push-through, by induction")

    hypothesis_L = Eq(E_L * E_L.T, MatPow(W_L * W_L.T, L), evaluate=False)
    balanced_L = Eq(A.T * A, W_L * W_L.T, evaluate=False)
    push_L = Specialise(push, j, L)
    power_L = Cite(MATRIX_POWER, A * A.T, L)
    goal_L = Eq(A * E_L * Transpose(A * E_L), MatPow(A * A.T, L + 1), evaluate=False)
    deeper = Assume(And(hypothesis_L, balanced_L), (push_L, power_L, Chain(
        "One more balanced layer", goal_L.lhs, (
            Link(A * MatPow(W_L * W_L.T, L) * A.T, prose("the case ", L),
                 using=(hypothesis_L,)),
            Link(A * MatPow(A.T * A, L) * A.T, "balance", using=(_flip(balanced_L),)),
            Link(MatPow(A * A.T, L) * A * A.T, "push-through", using=(push_L.concludes,)),
            Link(goal_L.rhs, "one factor into the power", using=power_L.relations),
        )),), goal_L, heading="Induction step for E E^T = (W_m W_m^T)^m")

    m = symbols("m", integer=True, positive=True)
    W_m = MatrixSymbol("W_m", k, h)
    top_root = Cite(POSITIVE_SEMIDEFINITE_ROOT, W_m, m)
    (top_implication,) = top_root.relations
    top = Assume(top_implication.args[0], (top_root, Conclude(top_implication), Chain(
        prose(W_m, " is a partial isometry"), W_m * W_m.T * W_m, (
            Link(W_m, "W_m W_m^T = I", using=(top_implication.args[1],)),))),
        _partial_isometry(W_m), heading="The top layer at the optimum, any depth")
    down = Assume(And(balanced_L, _partial_isometry(A)),
                  _isometry_from_above(W_L, A, balanced_L, _partial_isometry(A), "L"),
                  _partial_isometry(W_L), heading="Going down one layer")
    each = Assume(_partial_isometry(W_L), _transpose_is_pinv(W_L, _partial_isometry(W_L), "L"),
                  Eq(PseudoInverse(W_L), W_L.T, evaluate=False),
                  heading="A partial isometry's transpose is its pseudo-inverse")

    W1 = MatrixSymbol("W_1", 2, 3)
    W2 = MatrixSymbol("W_2", 1, 2)
    third = Rational(1, 3)
    layer_1 = Eq(W1, ImmutableMatrix([[2 * third, third, 2 * third], [0, 0, 0]]))
    layer_2 = Eq(W2, ImmutableMatrix([[1, 0]]))
    instance = Part(
        heading="Balanced layers at the optimum, 3 to 2 to 1",
        text=prose(layer_1, ", ", layer_2, ": balanced, ", W2 * W1, " has a unit row, and ",
                   W1, " has rank 1 (a partial isometry need not have orthonormal rows)."),
        steps=(
            Step(W2.T * W2, W1 * W1.T, "balanced", using=(layer_1, layer_2)),
            Step(W2 * W1 * (W2 * W1).T, Identity(1), "orthonormal end to end",
                 using=(layer_1, layer_2)),
            Step(PseudoInverse(W1), W1.T, "layer 1: transpose = pseudo-inverse",
                 using=(layer_1,)),
            Step(PseudoInverse(W2), W2.T, "layer 2: transpose = pseudo-inverse",
                 using=(layer_2,)),
        ))
    return Claim(
        id="D3",
        title="Balanced layers are partial isometries at the optimum",
        statement=prose(
            "If the layers are balanced, ", balanced, ", then ", gram_squared, " (that is, ",
            MatPow(W_2 * W_2.T, 2), ") and ", backward.derives, "; at the optimum, ", optimum,
            ", every layer is a partial isometry and ", both, ". For any depth: ",
            "if ", hypothesis_L, ", ", balanced_L, " then ", goal_L, "; at the optimum ",
            "the top layer is a partial isometry, and balance passes it down layer by layer."),
        hypotheses=(balanced,),
        conclusions=(gram_squared, backward.derives, Implies(optimum, both, evaluate=False),
                     deeper.derives, push, top.derives, down.derives,
                     each.derives),
        idea=prose(
            "Balance lets each ", W_L * W_L.T, " inside ", E * Transpose(E),
            " be replaced by the Gram matrix of the layer above, so the product collapses to a "
            "power of the top layer's Gram matrix. A positive semidefinite matrix whose power is "
            "the identity is the identity; then each ", W_L * W_L.T,
            " is a projector, and a matrix whose Gram matrix is a projector is a partial "
            "isometry (the residual ", W_L * W_L.T * W_L - W_L, " has zero Gram matrix)."),
        generality=prose(
            "The two-layer case is proved for symbolic widths ", d, ", ", h, ", ", k,
            ". The push-through identity ", push, " is proved by induction on ", j,
            " in the checker (its case ", Eq(j, 1, evaluate=False), " and its step are "
            "checked) and then taken at ", Eq(j, L, evaluate=False), ". For depth m, the step "
            "from ", hypothesis_L, " to ", goal_L, ", the top layer and the step down one "
            "layer are proved for symbolic widths and a symbolic exponent; the induction on "
            "the depth that chains them is applied in prose, not checked: its statement is "
            "about a different product of layers at each depth, which one SymPy formula in ",
            L, " does not express. The instance is at 3, 2, 1."),
        proof=(forward, backward, two_layers, pushing, deeper, top, down, each),
        instances=(instance,),
        remarks=(prose("Balance is what D2's counterexample lacks; D4 shows what keeps layers "
                       "balanced (gradient flow from a balanced start, or weight decay)."),),
        sources=("Arora, Cohen and Hazan 2018", "Horn and Johnson 2013"),
    )


CLAIM = balanced_layers()
