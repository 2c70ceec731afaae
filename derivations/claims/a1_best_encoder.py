"""A1: for a fixed decoder ``D`` the best encoder is ``D^+``; the best decoder is not ``E^+``.

Dimension-generic in ``d``, ``k``, ``n``: SymPy's matrix calculus on the single
trace ``tr((I - D E) S (I - D E)^T)`` gives the gradient ``2 D^T (D E - I) S``,
so the critical encoders solve the normal equations ``D^T D E S = D^T S``. With
``D`` of full column rank (``D^T D`` positive definite) and ``S`` positive
definite, both factors can be undone: the only solution is
``(D^T D)^{-1} D^T``, which satisfies the four Penrose conditions, so it is
``D^+``. Moving away from it by ``H`` adds exactly ``tr(D H S H^T D^T) >= 0``
(a congruence of ``S``, cited): it is the global minimum. The best decoder for a
fixed ``E`` of full row rank is ``S E^T (E S E^T)^{-1}``; with ``S = X X^T``
singular, adding ``Z`` with ``Z X = 0`` leaves the loss unchanged. Beside it,
exact instances: a rational ``D`` and ``X`` where the normal equations have one
solution, ``D^+``; a singular ``S`` with a nonzero ``Z`` at the same loss; and a
best decoder that is not ``E^+``.

>>> CLAIM.check() > 15
True
"""

from __future__ import annotations

from sympy import (
    Determinant,
    Eq,
    FiniteSet,
    Identity,
    ImmutableMatrix,
    Inverse,
    Matrix,
    MatrixSymbol,
    Q,
    Trace,
    ZeroMatrix,
    linsolve,
    symbols,
)
from sympy.logic.boolalg import And

from derivations.claims.p2_uniqueness import by_uniqueness
from derivations.engine import (
    Assume,
    Chain,
    Cite,
    Claim,
    Conclude,
    Link,
    Part,
    Step,
    matrix_derivative,
    prose,
)
from derivations.mathematics.facts import (
    GRAM_OF_FULL_COLUMN_RANK,
    QUADRATIC_FORM_NONNEGATIVE,
)
from derivations.mathematics.losses import (
    SYMMETRIC,
    D,
    E,
    S,
    X,
    gradient,
    untied_gradients,
    untied_loss,
)
from derivations.mathematics.penrose import penrose_conditions
from derivations.notation import PseudoInverse, d, k, n

__all__ = ["CLAIM", "DATA", "DECODER", "FULL_COLUMN_RANK", "best_encoder"]

#: Invertible rational data (``3 x 3``): ``S = X X^T`` is positive definite.
DATA = ImmutableMatrix([[2, 1, 0], [0, 1, -1], [1, 0, 1]])
#: A rational decoder of full column rank (``3 x 2``).
DECODER = ImmutableMatrix([[1, 0], [1, 1], [0, 2]])
#: Rank-2 data (``3 x 2``): ``S = X X^T`` is singular.
SINGULAR_DATA = ImmutableMatrix([[1, 0], [0, 1], [1, 1]])

#: The decoder has full column rank; the covariance is positive definite.
FULL_COLUMN_RANK = Q.positive_definite(D.T * D)
POSITIVE_DEFINITE = Q.positive_definite(S)
#: A step in the encoder, and an encoder change that annihilates the data.
H = MatrixSymbol("H", k, d)
Z = MatrixSymbol("Z", k, d)
#: The candidate: the left inverse of a full-column-rank decoder.
LEFT_INVERSE = Inverse(D.T * D) * D.T
#: The best decoder for a fixed encoder of full row rank.
BEST_DECODER = S * E.T * Inverse(E * S * E.T)
NORMAL_EQUATIONS = Eq(D.T * D * E * S, D.T * S, evaluate=False)
#: The gradients of the untied loss, written once in the shared losses.
DECODER_GRADIENT, ENCODER_GRADIENT = untied_gradients(D, E)


def _gradients(symmetric):
    loss = untied_loss(D, E)
    in_e = Chain(prose("The gradient in ", E), gradient(loss, E), (
        Link(matrix_derivative(loss, E), prose("SymPy's matrix calculus on the single trace")),
        Link(ENCODER_GRADIENT, prose("collect with ", symmetric), using=(symmetric,)),
    ), conclusion=prose("So the critical encoders solve the normal equations ",
                        NORMAL_EQUATIONS, "."))
    in_d = Chain(prose("The gradient in ", D), gradient(loss, D), (
        Link(matrix_derivative(loss, D), prose("SymPy's matrix calculus on the same trace")),
        Link(DECODER_GRADIENT, prose("collect with ", symmetric), using=(symmetric,)),
    ))
    return in_e, in_d


def _pseudo_inverse_is_left_inverse():
    candidate = LEFT_INVERSE
    chains = tuple(
        Chain(prose("Penrose condition ", number, " for ", candidate), condition.lhs,
              (Link(condition.rhs, prose(Inverse(D.T * D), " undoes ", D.T * D)),))
        for number, condition in enumerate(penrose_conditions(D, candidate), start=1))
    uniqueness, _ = by_uniqueness(D, candidate)
    return (*chains, *uniqueness)


def _unique_critical_encoder():
    left_inverse = Eq(PseudoInverse(D), LEFT_INVERSE, evaluate=False)
    solve = Chain(prose("Undo both factors of the normal equations"), E, (
        Link(LEFT_INVERSE + Inverse(D.T * D) * (D.T * D * E * S - D.T * S) * Inverse(S),
             prose(D.T * D, " and ", S, " are invertible")),
        Link(LEFT_INVERSE, "the bracket vanishes by the normal equations",
             using=(NORMAL_EQUATIONS,)),
        Link(PseudoInverse(D), prose("the left inverse is the pseudo-inverse"),
             using=(left_inverse,)),
    ))
    return Assume(NORMAL_EQUATIONS, (solve,), Eq(E, PseudoInverse(D), evaluate=False),
                  heading=prose("Every critical encoder is ", PseudoInverse(D)))


def _global_minimum(symmetric):
    square = Cite(QUADRATIC_FORM_NONNEGATIVE, D * H, S)
    start = untied_loss(D, LEFT_INVERSE + H)
    step = Chain(prose(LEFT_INVERSE, " is a global minimum"), start, (
        Link(untied_loss(D, LEFT_INVERSE) + Trace(D * H * S * H.T * D.T),
             prose("no first-order term: ", D.T * (D * LEFT_INVERSE - Identity(d)),
                   " is zero"), using=(symmetric,)),
        Link(untied_loss(D, LEFT_INVERSE),
             prose("the second-order term is the trace of a congruence of ", S),
             relation=">="),
    ), text=prose("For every ", H, " (", k, " by ", d, "):"))
    return (square, Conclude(square.relations[0]), step)


def _best_decoder():
    row_rank = Q.positive_definite(E * E.T)
    congruence = Cite(GRAM_OF_FULL_COLUMN_RANK, S, E.T)
    vanishes = Chain(prose("The decoder gradient vanishes at ", BEST_DECODER),
                     DECODER_GRADIENT.subs(D, BEST_DECODER), (
                         Link(ZeroMatrix(d, k), prose(E * S * E.T, " cancels its inverse")),))
    return Assume(row_rank, (congruence, Conclude(congruence.relations[0]), vanishes),
                  vanishes.derives,
                  heading=prose("The best decoder for an encoder of full row rank"),
                  text=prose("For ", E, " of full row rank, ", E * S * E.T,
                             " is positive definite, so its inverse exists."))


def _singular_covariance():
    annihilates = (Eq(S, X * X.T, evaluate=False), Eq(Z * X, ZeroMatrix(k, n), evaluate=False),
                   Eq(X.T * Z.T, ZeroMatrix(n, k), evaluate=False))
    same = Chain(prose("Adding ", Z, " changes nothing"), untied_loss(D, E + Z), (
        Link(untied_loss(D, E), prose(Z, " annihilates the data"), using=annihilates),))
    return Assume(And(*annihilates), (same,), same.derives,
                  heading=prose("Singular ", S, ": a change ", Z, " with ",
                                Eq(Z * X, ZeroMatrix(k, n)), " keeps the loss"))


def _instances(data, decoder, singular_data):
    s_matrix = ImmutableMatrix(data * data.T)
    rows, columns = decoder.shape
    named_s = MatrixSymbol("S_0", rows, rows)
    named_d = MatrixSymbol("D_0", rows, columns)
    named_e = MatrixSymbol("E_0", columns, rows)
    named_h = MatrixSymbol("H_0", columns, rows)
    definitions = (Eq(named_s, s_matrix), Eq(named_d, decoder))
    entries = symbols(f"e_1:{columns * rows + 1}")
    equations = decoder.T * decoder * Matrix(columns, rows, entries) * s_matrix \
        - decoder.T * s_matrix
    solved = [ImmutableMatrix(columns, rows, solution)
              for solution in linsolve(list(equations), entries)]
    direction = ImmutableMatrix(columns, rows, symbols(f"h_1:{columns * rows + 1}"))
    unique = Part(
        heading="A rational instance: one solution, the pseudo-inverse",
        text=prose("With ", Eq(named_d, decoder), " and ", Eq(named_s, s_matrix),
                   " (positive definite: the product of the invertible ",
                   Eq(MatrixSymbol("X_0", *data.shape), data),
                   " with its transpose), SymPy solves the normal equations for all ",
                   len(entries), " entries of ", named_e, ", and expands the loss around ",
                   PseudoInverse(named_d), " in a direction ", named_h,
                   " with symbolic entries."),
        steps=(
            Step(FiniteSet(*solved), FiniteSet(PseudoInverse(named_d)),
                 prose("SymPy's linsolve: the solution set of ",
                       Eq(named_d.T * named_d * named_e * named_s, named_d.T * named_s,
                          evaluate=False), " is the single point ", PseudoInverse(named_d)),
                 using=definitions),
            Step(untied_loss(named_d, PseudoInverse(named_d) + named_h, named_s)
                 - untied_loss(named_d, PseudoInverse(named_d), named_s),
                 Trace(named_d * named_h * named_s * named_h.T * named_d.T),
                 prose("moving away from ", PseudoInverse(named_d), " adds only the "
                       "second-order term, a sum of squares (no first-order term)"),
                 using=definitions + (Eq(named_h, direction),)),
        ),
    )

    singular_s = ImmutableMatrix(singular_data * singular_data.T)
    named_x1 = MatrixSymbol("X_1", *singular_data.shape)
    named_s1 = MatrixSymbol("S_1", rows, rows)
    null_vector = ImmutableMatrix(singular_data.T.nullspace()[0].T)
    coefficients = ImmutableMatrix(symbols(f"a_1:{columns + 1}"))
    named_z = MatrixSymbol("Z_0", columns, rows)
    z_family = ImmutableMatrix(coefficients * null_vector)
    z_instance = ImmutableMatrix(z_family.subs({a: 1 for a in coefficients}))
    singular_rules = (Eq(named_d, decoder), Eq(named_x1, singular_data),
                      Eq(named_s1, singular_s), Eq(named_z, z_family))
    singular = Part(
        heading="A singular covariance: many minimisers",
        text=prose("With the rank-", singular_data.rank(), " data ", Eq(named_x1, singular_data),
                   ", ", Eq(named_s1, singular_s), " is singular. Every ", Eq(named_z, z_family),
                   " (for all real ", *_commas(coefficients), ") annihilates the data."),
        steps=(
            Step(Determinant(named_s1), 0, prose("the covariance ", named_s1, " is singular"),
                 using=singular_rules),
            Step(named_z * named_x1, ZeroMatrix(columns, singular_data.shape[1]),
                 prose(named_z, " annihilates the data"), using=singular_rules),
            Step(named_d.T * named_d * (PseudoInverse(named_d) + named_z) * named_s1,
                 named_d.T * named_s1,
                 prose(PseudoInverse(named_d) + named_z, " solves the normal equations"),
                 using=singular_rules),
            Step(untied_loss(named_d, PseudoInverse(named_d) + named_z, named_s1),
                 untied_loss(named_d, PseudoInverse(named_d), named_s1),
                 prose("and has the same loss as ", PseudoInverse(named_d)),
                 using=singular_rules),
            Step(named_z, ZeroMatrix(columns, rows),
                 prose("although ", named_z, " is not zero (here at all ",
                       *_commas(coefficients), " equal to 1)"),
                 relation="!=", using=(Eq(named_z, z_instance),)),
        ),
    )

    encoder = ImmutableMatrix([[1, 0, 0], [0, 1, 0]])
    best = MatrixSymbol("B_0", rows, columns)
    decoder_rules = (Eq(named_s, s_matrix), Eq(named_e, encoder),
                     Eq(best, ImmutableMatrix(s_matrix * encoder.T
                                              * (encoder * s_matrix * encoder.T).inv())))
    not_pinv = Part(
        heading="The best decoder is not the pseudo-inverse of the encoder",
        text=prose("For the encoder ", Eq(named_e, encoder), " and ", named_s,
                   " as above, the best decoder is ", decoder_rules[2], ". It mixes in the "
                   "correlations between the kept and the dropped coordinates, which ",
                   PseudoInverse(named_e),
                   " ignores."),
        steps=(
            Step(best * named_e * named_s * named_e.T, named_s * named_e.T,
                 prose("it solves the decoder's normal equations: the gradient ",
                       DECODER_GRADIENT, " vanishes"), using=decoder_rules),
            Step(best, PseudoInverse(named_e), "it differs from the pseudo-inverse",
                 relation="!=", using=decoder_rules),
        ),
    )
    return (unique, singular), (not_pinv,)


def _commas(symbols_matrix):
    parts = []
    for position, name in enumerate(symbols_matrix):
        parts += ([", "] if position else []) + [name]
    return parts


def best_encoder(*, symmetric: Eq = SYMMETRIC, positive_definite=POSITIVE_DEFINITE,
                 full_column_rank=FULL_COLUMN_RANK, data: ImmutableMatrix = DATA,
                 decoder: ImmutableMatrix = DECODER,
                 singular_data: ImmutableMatrix = SINGULAR_DATA) -> Claim:
    """Build A1 under the hypotheses ``symmetric``, ``positive_definite`` (``S``) and
    ``full_column_rank`` (``D``); ``data`` (``S = X X^T``) and ``decoder`` are the rational
    instance, ``singular_data`` gives the singular covariance of the non-uniqueness instance.
    """
    if not singular_data.T.nullspace():
        raise ValueError(f"singular_data={singular_data.tolist()} has full row rank "
                         f"{singular_data.rank()}: expected data whose covariance is singular, "
                         f"rank below {singular_data.shape[0]}")
    instances, failures = _instances(data, decoder, singular_data)
    in_e, in_d = _gradients(symmetric)
    critical = _unique_critical_encoder()
    minimum = _global_minimum(symmetric)
    best = _best_decoder()
    singular = _singular_covariance()
    return Claim(
        id="A1",
        title="The best encoder for a fixed decoder is its pseudo-inverse",
        statement=prose("For a decoder ", D, " of full column rank and a positive definite "
                        "covariance ", S, ", the loss ", untied_loss(D, E), " has gradient ",
                        in_e.derives, " in ", E, "; its only critical encoder is ",
                        Eq(PseudoInverse(D), LEFT_INVERSE, evaluate=False),
                        ", a global minimum: ", minimum[-1].derives, " for every ", H,
                        ". For an encoder ", E, " of full row rank the decoder gradient ",
                        in_d.derives, " vanishes at ", Eq(D, BEST_DECODER, evaluate=False),
                        ", which in general is not ", PseudoInverse(E), ". For singular ",
                        Eq(S, X * X.T, evaluate=False), ", adding ", Z, " with ",
                        Eq(Z * X, ZeroMatrix(k, n), evaluate=False), " keeps the loss."),
        hypotheses=(symmetric, positive_definite, full_column_rank),
        conclusions=(in_e.derives, Eq(PseudoInverse(D), LEFT_INVERSE, evaluate=False),
                     critical.derives, minimum[-1].derives, in_d.derives,
                     best.derives, singular.derives),
        idea=prose("The loss is a quadratic in ", E, " whose gradient gives the normal "
                   "equations; with both factors ", D.T * D, " and ", S, " invertible they "
                   "have exactly one solution, the left inverse of ", D, ", which the Penrose "
                   "conditions identify as ", PseudoInverse(D), ". Expanding the loss around "
                   "it leaves only a nonnegative second-order term."),
        generality=prose("Everything under Proof is for symbolic ", d, ", ", k, " and ", n,
                         ": the gradient, the unique critical encoder ", PseudoInverse(D),
                         ", its global minimality for every ", H, ", the best decoder and the "
                         "singular case. Not derived generically: that with singular ", S,
                         " every minimiser has the form ", PseudoInverse(D) + Z,
                         " (the exact 3 by 2 instance shows a nonzero ", Z,
                         " at the same loss)."),
        proof=(in_e, *_pseudo_inverse_is_left_inverse(), critical, *minimum, in_d, best,
               singular),
        instances=instances,
        failures=failures,
        sources=("Baldi and Hornik 1989", "Penrose 1955"),
    )


CLAIM = best_encoder()
