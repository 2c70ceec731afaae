"""D1: with decoder layers ``W_{N-L+1} = W_L^T`` the network is one tied layer in ``E``.

The end-to-end decoder ``W_1^T ... W_m^T`` is the transpose of the end-to-end
encoder ``E = W_m ... W_1`` for every depth: the induction step
``(W_{m+1} E_m)^T = E_m^T W_{m+1}^T`` is checked for symbolic sizes. The loss
is then the tied loss in ``E^T``, and where ``E E^T = I_k`` (the optimum, A5
applied to ``E^T``) the transpose ``E^T`` is the pseudo-inverse ``E^+``.

Critical points in the layers are critical points in ``E`` (the step from the
layers to ``E`` that A4 needs): the gradient in ``E`` is ``G_E = E M`` with
``M = -4 S + 2 E^T E S + 2 S E^T E``; for ``E = Q W_1`` the chain rule gives
the gradient ``G_1 = Q^T G_E`` in ``W_1``, and ``G_E^T G_E = M^T W_1^T G_1``,
so ``G_1 = 0`` forces ``G_E = 0``. The network has ``N = 2 m`` layers.

>>> end_to_end_tied().check()
23
"""

from __future__ import annotations

from sympy import (
    And,
    Eq,
    Identity,
    ImmutableMatrix,
    Implies,
    MatrixSymbol,
    Rational,
    Trace,
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
    Link,
    Part,
    Step,
    matrix_derivative,
    prose,
)
from derivations.mathematics.deep import W_1, W_2, end_to_end_decoder, end_to_end_encoder
from derivations.mathematics.facts import CHAIN_RULE, GRAM_ZERO
from derivations.mathematics.losses import SYMMETRIC, S, gradient, tied_loss, untied_loss
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import PseudoInverse, d, h, k

__all__ = ["CLAIM", "end_to_end_tied"]


def _implies(premise, consequence):
    return Implies(premise, consequence, evaluate=False)


#: The first ``m`` encoder layers end to end (``h x d``), the matching decoder (``d x h``),
#: and the next layer ``W_{m+1}`` (``k x h``).
E_m = MatrixSymbol("E_m", h, d)
D_m = MatrixSymbol("D_m", d, h)
W_step = MatrixSymbol("W_m+1", k, h)
#: An end-to-end encoder of any depth, ``k x d``.
E = MatrixSymbol("E", k, d)

INDUCTION_HYPOTHESIS = Eq(D_m, E_m.T, evaluate=False)
ORTHONORMAL_ROWS = Eq(E * E.T, Identity(k), evaluate=False)

#: The number of layers and of encoder layers: the symmetric network has ``N = 2 m`` layers.
N, m = symbols("N m", integer=True, positive=True)
EVEN_DEPTH = Eq(N, 2 * m, evaluate=False)

#: The missing step. ``Q = W_m ... W_2`` (``k x h``) is the product of the layers above the
#: first, so ``E = Q W_1``; ``G_E`` is the gradient of the loss in ``E``, ``G_1`` in ``W_1``.
Q = MatrixSymbol("Q", k, h)
G_E = MatrixSymbol("G_E", k, d)
G_1 = MatrixSymbol("G_1", h, d)
M = MatrixSymbol("M", d, d)
Z = MatrixSymbol("Z", d, k)
LOSS_IN_E = tied_loss(E.T)
IS_GRADIENT = Eq(G_E, gradient(LOSS_IN_E, E), evaluate=False)
FACTORED = Eq(E, Q * W_1, evaluate=False)
FIRST_LAYER_CRITICAL = Eq(G_1, ZeroMatrix(h, d), evaluate=False)
CRITICAL_IN_E = Eq(G_E, ZeroMatrix(k, d), evaluate=False)


def _layer_critical_points(*, symmetry=SYMMETRIC, critical=FIRST_LAYER_CRITICAL):
    """Critical points in the layers are critical points in ``E`` (the missing step).

    ``G_E = E M`` with ``M = -4 S + 2 E^T E S + 2 S E^T E``; the chain rule gives
    ``G_1 = Q^T G_E``; then ``G_E^T G_E = M^T W_1^T Q^T G_E = M^T W_1^T G_1``, so
    ``G_1 = 0`` makes the Gram matrix of ``G_E`` vanish, and with it ``G_E``.
    """
    premise = And(IS_GRADIENT, FACTORED, critical)
    multiplier = Define(M, -4 * S + 2 * E.T * E * S + 2 * S * E.T * E,
                        text="The factor that the gradient in E carries on the right.")
    in_E = Chain("The gradient in E is E times M", G_E, (
        Link(matrix_derivative(LOSS_IN_E, E), prose("SymPy's matrix calculus on the single "
                                                    "trace ", LOSS_IN_E),
             using=(IS_GRADIENT,)),
        Link(E * M, prose("the symmetry ", symmetry, " collects the terms, and ", E,
                          " is a left factor of each"),
             using=(symmetry, multiplier.definition)),
    ))
    transposed = Chain("Its transpose", G_E.T, (
        Link(M.T * E.T, "the transpose of a product reverses the factors",
             using=(in_E.derives,)),))
    chain_rule = Cite(CHAIN_RULE, G_1, G_E, Q * W_1, W_1)
    (rule,) = chain_rule.relations
    in_W_1 = Chain("The gradient in the first layer", G_1, (
        Link(rule.rhs, "the chain rule", using=(rule,)),
        Link(Q.T * G_E, prose("the derivative of the trace ", Trace(G_E.T * Q * W_1),
                              ", linear in ", W_1)),
    ))
    named = Define(Z, G_E.T, text="The transposed gradient, named for the fact it meets.")
    gram = Chain(prose("The Gram matrix of ", Z, " vanishes"), Z * Z.T, (
        Link(G_E.T * G_E, "the definition of Z", using=(named.definition,)),
        Link(M.T * E.T * G_E, prose(G_E.T, " = ", M.T * E.T), using=(transposed.derives,)),
        Link(M.T * W_1.T * Q.T * G_E, prose(FACTORED), using=(FACTORED,)),
        Link(M.T * W_1.T * G_1, prose("the gradient in the first layer is ", Q.T * G_E),
             using=(Eq(Q.T * G_E, G_1, evaluate=False),)),
        Link(ZeroMatrix(d, d), prose(critical), using=(critical,)),
    ))
    zero = Cite(GRAM_ZERO, Z)
    (implication,) = zero.relations
    vanishes = Chain(prose(G_E, " vanishes"), G_E, (
        Link(Z.T, "the definition of Z", using=(named.definition,)),
        Link(ZeroMatrix(k, d), prose(Z, " = 0"), using=(implication.args[1],)),
    ))
    return Assume(premise, (multiplier, in_E, transposed, chain_rule, in_W_1, named, gram,
                            zero, Conclude(implication), vanishes), CRITICAL_IN_E,
                  heading=prose("Critical points in the layers are critical points in ", E,
                                ": assume ", premise))


def end_to_end_tied(*, induction_hypothesis: Eq = INDUCTION_HYPOTHESIS,
                    orthonormal_rows: Eq = ORTHONORMAL_ROWS,
                    first_layer_critical: Eq = FIRST_LAYER_CRITICAL) -> Claim:
    """Build D1; ``induction_hypothesis`` is ``D_m = E_m^T``, ``orthonormal_rows`` ``E E^T = I``,
    ``first_layer_critical`` the critical point ``G_1 = 0`` of the missing step."""
    critical_points = _layer_critical_points(critical=first_layer_critical)
    step_conclusion = Eq(D_m * W_step.T, Transpose(W_step * E_m), evaluate=False)
    induction = Chain(
        "The induction step: one more layer on each side", D_m * W_step.T, (
            Link(E_m.T * W_step.T, "the decoder of the first m layers is E_m^T",
                 using=(induction_hypothesis,)),
            Link(Transpose(W_step * E_m), "the transpose of a product reverses the factors"),
        ),
        text=prose("Adding the layer ", W_step, " to the encoder makes it ", W_step * E_m,
                   "; the tied decoder gains ", W_step.T, " as its first layer, so it becomes ",
                   D_m * W_step.T, "."))
    two = Chain("Two layers, directly", end_to_end_decoder((W_1, W_2)), (
        Link(Transpose(end_to_end_encoder((W_1, W_2))), "the transpose of a product"),))

    deep_loss = untied_loss(D_m, E_m)
    loss = Chain("The loss is the tied loss in E_m^T", deep_loss, (
        Link(untied_loss(E_m.T, E_m), "the decoder is E_m^T", using=(induction_hypothesis,)),
        Link(tied_loss(E_m.T), "(I - E_m^T E_m)^T = I - E_m^T E_m"),
    ))

    G = E.T
    conditions = penrose_conditions(E, G)
    penrose = tuple(
        Chain(prose("Penrose condition ", number, " for ", E, " and ", G), condition.lhs,
              (Link(condition.rhs, "E E^T = I", using=(orthonormal_rows,)),))
        for number, condition in enumerate(conditions, start=1))
    uniqueness, _ = by_uniqueness(E, G)
    pinv_conclusion = Eq(PseudoInverse(E), E.T, evaluate=False)
    at_optimum = Assume(orthonormal_rows, (*penrose, *uniqueness),
                        pinv_conclusion,
                        heading=prose("Where ", orthonormal_rows, " (the optimum of A5 for ",
                                      E.T, "), ", pinv_conclusion))

    W1 = MatrixSymbol("W_1", 2, 3)
    W2 = MatrixSymbol("W_2", 1, 2)
    a = symbols("a_1:7", real=True)
    b = symbols("b_1:3", real=True)
    layer_1 = Eq(W1, ImmutableMatrix(2, 3, a))
    layer_2 = Eq(W2, ImmutableMatrix(1, 2, b))
    concrete = Part(
        heading="Two layers with symbolic entries, 3 to 2 to 1",
        text=prose("With ", layer_1, " and ", layer_2, " the decoder is the transpose of ",
                   "the encoder entry by entry."),
        steps=(Step(W1.T * W2.T, Transpose(W2 * W1), "multiply out both sides",
                    using=(layer_1, layer_2)),))
    E_1 = MatrixSymbol("E", 1, 3)
    row = Eq(E_1, ImmutableMatrix([[Rational(2, 3), Rational(1, 3), Rational(2, 3)]]))
    unit_row = Part(
        heading="A rational unit row",
        text=prose(row, " has ", Eq(E_1 * E_1.T, Identity(1)), "."),
        steps=(Step(PseudoInverse(E_1), E_1.T, "exact arithmetic", using=(row,)),))

    return Claim(
        id="D1",
        title="The N-layer tied network is a one-layer tied autoencoder in E",
        statement=prose(
            "A symmetric network has an even number of layers, ", EVEN_DEPTH, ": ", m,
            " encoder layers and ", m, " decoder layers. With decoder layers ",
            Eq(MatrixSymbol("W_N-L+1", h, h), MatrixSymbol("W_L", h, h).T, evaluate=False),
            ", the end-to-end decoder ", end_to_end_decoder((W_1, W_2)), "... is the "
            "transpose of the end-to-end encoder ", E, " for every depth: if the first m "
            "layers give ", induction_hypothesis, ", one more layer gives ", step_conclusion,
            ". The loss is the tied loss in ", E.T, ", and where ", orthonormal_rows,
            ", ", pinv_conclusion, ". Critical points in the layers are critical points in ",
            E, ": for symmetric ", S, ", write ", FACTORED, " with ", Q, " the product of the "
            "layers above the first; if ", IS_GRADIENT, " is the gradient of the loss in ", E,
            " and ", first_layer_critical, " (", G_1, " the gradient in ", W_1, "), then ",
            CRITICAL_IN_E, "."),
        hypotheses=(EVEN_DEPTH, SYMMETRIC),
        conclusions=(_implies(induction_hypothesis, step_conclusion),
                     Eq(end_to_end_decoder((W_1, W_2)), Transpose(end_to_end_encoder((W_1, W_2))),
                        evaluate=False),
                     _implies(induction_hypothesis, Eq(deep_loss, tied_loss(E_m.T),
                                                       evaluate=False)),
                     _implies(orthonormal_rows, pinv_conclusion),
                     critical_points.derives),
        idea=prose(
            "Each decoder layer is the transpose of an encoder layer, in the reverse order, "
            "and the transpose of a product is the product of the transposes in the reverse "
            "order: so adding a layer on each side keeps the decoder the transpose of the "
            "encoder. The whole network is then the tied autoencoder with weights ", E.T,
            ", and every one-layer result (A3-A5) applies to ", E, ". The layers could still "
            "have critical points that ", E, " does not have; they have none, because the "
            "gradient in ", E, " is ", E, " times a matrix, so it has its columns in the "
            "column space of ", Q, ", where ", Q.T, " loses nothing: the gradient in ", W_1,
            ", which is ", Q.T * G_E, ", vanishes only where ", G_E, " does."),
        generality=prose(
            "The induction step, the two-layer case and the loss are proved for symbolic "
            "widths ", d, ", ", h, ", ", k, "; the induction principle that joins the base "
            "(one layer, ", Eq(W_1.T, W_1.T, evaluate=False), ") and the step is not a SymPy "
            "object and is applied in prose. The last part is P1 for ", E.T,
            ", proved again here for symbolic sizes. The critical points are treated for "
            "symbolic widths and any depth: ", Q, " stands for the product of all the layers "
            "above the first (with one encoder layer, ", Eq(Q, Identity(k), evaluate=False),
            " and there is nothing to prove). The instances are at 3, 2, 1."),
        proof=(Assume(induction_hypothesis, (induction,), step_conclusion,
                      heading=prose("Induction step: assume ", induction_hypothesis)),
               two,
               Assume(induction_hypothesis, (loss,), Eq(deep_loss, tied_loss(E_m.T),
                                                        evaluate=False),
                      heading="The loss of the deep network"),
               at_optimum,
               critical_points),
        instances=(concrete, unit_row),
        remarks=(prose("So at a global minimum the whole network decodes with ", E.T, " = ",
                       PseudoInverse(E), ". D2 shows that this does not carry over to the "
                       "single layers."),
                 prose("Only the first layer's gradient is used: a point where ", W_1,
                       " alone is critical is already critical in ", E, ", so A4's list of "
                       "critical points, applied to ", E.T, ", is the list of critical points "
                       "of the layers too, read through ", E, ".")),
        sources=(),
    )


CLAIM = end_to_end_tied()
