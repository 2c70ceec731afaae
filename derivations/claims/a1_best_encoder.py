"""A1: for a fixed decoder ``D`` the best encoder is ``D^+``; the best decoder is not ``E^+``.

Dimension-generic: SymPy's matrix calculus on the single trace
``tr((I - D E) S (I - D E)^T)`` gives the gradient ``2 D^T (D E - I) S``, so
the critical encoders solve the normal equations ``D^T D E S = D^T S``; the
loss is a convex quadratic in ``E``, so they are the minimisers.
``(D^T D)^{-1} D^T = D^+`` solves them, and for ``D`` of full column rank and
``S`` invertible nothing else does. With ``S = X X^T`` singular, every
``D^+ + Z`` with ``Z X = 0`` leaves the residual unchanged. Beside it, exact
instances: a rational ``D`` and ``X`` where the normal equations have exactly
one solution, ``D^+``; a singular ``S`` with a nonzero ``Z`` at the same loss;
and a best decoder ``S E^T (E S E^T)^{-1}`` that is not ``E^+``.

>>> step = CLAIM.proof[0].steps[0]
>>> step.rhs
2*D.T*D*E*S - 2*D.T*S
>>> step.holds()
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
    Trace,
    Transpose,
    ZeroMatrix,
    linsolve,
    symbols,
)

from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.mathematics.losses import (
    SYMMETRIC,
    D,
    E,
    S,
    X,
    untied_loss,
)
from derivations.notation import PseudoInverse, d, k, n

__all__ = ["CLAIM", "DATA", "DECODER", "best_encoder"]

#: Invertible rational data (``3 x 3``): ``S = X X^T`` is positive definite.
DATA = ImmutableMatrix([[2, 1, 0], [0, 1, -1], [1, 0, 1]])
#: A rational decoder of full column rank (``3 x 2``).
DECODER = ImmutableMatrix([[1, 0], [1, 1], [0, 2]])
#: Rank-2 data (``3 x 2``): ``S = X X^T`` is singular.
SINGULAR_DATA = ImmutableMatrix([[1, 0], [0, 1], [1, 1]])

#: The pseudo-inverse of a full-column-rank decoder (P4).
LEFT_INVERSE = Eq(PseudoInverse(D), Inverse(D.T * D) * D.T)
#: A step in the encoder, and an encoder change that annihilates the data.
STEP = MatrixSymbol("H", k, d)
Z = MatrixSymbol("Z", k, d)
#: The best decoder for a fixed encoder.
BEST_DECODER = S * E.T * Inverse(E * S * E.T)


def _generic_parts():
    gradient_in_e = untied_loss(D, E).diff(E)
    normal = Part(
        heading="The normal equations",
        text=prose("SymPy differentiates the whole loss ", untied_loss(D, E),
                   " (one trace) with respect to ", E, "; the symmetry ", SYMMETRIC,
                   " collects the two terms."),
        steps=(
            Step(gradient_in_e, 2 * (D.T * D * E * S - D.T * S),
                         "matrix calculus on the trace, then the symmetry of the covariance",
                         using=(SYMMETRIC,)),
        ),
        conclusion=prose("The loss is a convex quadratic in ", E, ": moving ", E, " by ", STEP,
                         " adds a first-order term, zero where the gradient is, and the "
                         "second-order term ", Trace(D * STEP * S * STEP.T * D.T),
                         ", the squared Frobenius norm of ", D * STEP * X, " (checked "
                         "exactly in the instance below). So the minimisers are exactly the "
                         "solutions of the normal equations ",
                         Eq(D.T * D * E * S, D.T * S, evaluate=False), "."),
    )
    z = Z
    residual = MatrixSymbol("N", k, d)
    difference = Eq(residual, D.T * D * z * S)
    normal_equations_for = lambda candidate: D.T * D * candidate * S  # noqa: E731
    unique = Part(
        heading=prose("The pseudo-inverse solves them, and for invertible ", S,
                      " nothing else does"),
        text=prose("For ", D, " of full column rank, ", LEFT_INVERSE, " (P4). If two "
                   "encoders solve the normal equations, their difference ", z,
                   " satisfies ", Eq(D.T * D * z * S, ZeroMatrix(k, d), evaluate=False), "; call ",
                   difference, "."),
        steps=(
            Step(normal_equations_for(PseudoInverse(D)), D.T * S,
                         prose(PseudoInverse(D), " satisfies the normal equations"),
                         using=(LEFT_INVERSE,)),
            Step(Inverse(D.T * D) * residual * Inverse(S), z,
                 prose("undo both factors of ", residual, ": ", D.T * D, " and ", S,
                       " are invertible"), using=(difference,)),
            Step(Inverse(D.T * D) * residual * Inverse(S), ZeroMatrix(k, d),
                 prose("so the difference is zero, since ", residual, " is"),
                 using=(Eq(residual, ZeroMatrix(k, d)),)),
        ),
        conclusion=prose("Hence ", Eq(E, PseudoInverse(D), evaluate=False),
                         " is the unique minimiser."),
    )
    with_x = (Eq(S, X * X.T), Eq(z * X, ZeroMatrix(k, n)))
    singular = Part(
        heading=prose("Singular ", S, ": adding ", z, " with ", Eq(z * X, ZeroMatrix(k, n),
                                                                 evaluate=False)),
        text=prose("When ", S, " is singular the last step is unavailable. For ", z,
                   " with ", Eq(z * X, ZeroMatrix(k, n), evaluate=False),
                   " the residual, hence the loss, is unchanged, and ", E + z,
                   " still solves the normal equations."),
        steps=(
            Step((Identity(d) - D * (E + z)) * X, (Identity(d) - D * E) * X,
                         "the added term annihilates the data", using=with_x),
            Step(normal_equations_for(E + z), normal_equations_for(E),
                         prose(z * S, " vanishes because ", Eq(S, X * X.T, evaluate=False)),
                         using=with_x),
        ),
        conclusion=prose("Conversely, a difference ", z, " of two solutions has ",
                         Eq(z * S, ZeroMatrix(k, d), evaluate=False),
                         ", so ", Eq(z * X * Transpose(z * X), ZeroMatrix(k, k), evaluate=False),
                         " and ",
                         Eq(z * X, ZeroMatrix(k, n), evaluate=False), ": the minimisers are "
                         "exactly ", PseudoInverse(D) + z, " with ",
                         Eq(z * X, ZeroMatrix(k, n), evaluate=False), "."),
    )
    gradient_in_d = untied_loss(D, E).diff(D)
    decoder = Part(
        heading="The best decoder for a fixed encoder",
        text=prose("Differentiating the same trace in ", D, " and substituting the candidate ",
                   Eq(D, BEST_DECODER, evaluate=False), " (for ", E,
                   " of full row rank and ", S, " positive definite, ", E * S * E.T,
                   " is invertible)."),
        steps=(
            Step(gradient_in_d, 2 * (D * E - Identity(d)) * S * E.T,
                         "matrix calculus on the trace, symmetry of the covariance",
                         using=(SYMMETRIC,)),
            Step(gradient_in_d, ZeroMatrix(d, k),
                         prose("the gradient vanishes at the candidate: ", E * S * E.T,
                               " cancels against its inverse"),
                         using=(SYMMETRIC, Eq(D, BEST_DECODER))),
        ),
        conclusion=prose("The loss is convex in ", D, " as well, so ", BEST_DECODER,
                         " is the best decoder; the instance below shows it is not ",
                         PseudoInverse(E), " in general."),
    )
    return (normal, unique, singular, decoder)


def _instances(data, decoder, singular_data):
    s_matrix = ImmutableMatrix(data * data.T)
    rows, columns = decoder.shape
    named_s = MatrixSymbol("S_0", rows, rows)
    named_d = MatrixSymbol("D_0", rows, columns)
    named_e = MatrixSymbol("E_0", columns, rows)
    named_h = MatrixSymbol("H", columns, rows)
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
            Step(Determinant(named_s1), 0, prose("the covariance ", named_s1,
                                                        " is singular"),
                 using=singular_rules),
            Step(named_z * named_x1, ZeroMatrix(columns, singular_data.shape[1]),
                 prose(named_z, " annihilates the data"), using=singular_rules),
            Step(named_d.T * named_d * (PseudoInverse(named_d) + named_z) * named_s1,
                 named_d.T * named_s1,
                 prose(PseudoInverse(named_d) + named_z,
                       " solves the normal equations"), using=singular_rules),
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
    best = BEST_DECODER.subs({S: named_s, E: named_e})
    decoder_rules = (Eq(named_s, s_matrix), Eq(named_e, encoder))
    not_pinv = Part(
        heading="The best decoder is not the pseudo-inverse of the encoder",
        text=prose("For the encoder ", Eq(named_e, encoder), " and ", named_s,
                   " as above, the best decoder mixes in the correlations between the kept "
                   "and the dropped coordinates, which ", PseudoInverse(named_e),
                   " ignores."),
        steps=(
            Step(best, ImmutableMatrix(s_matrix * encoder.T
                                       * (encoder * s_matrix * encoder.T).inv()),
                 "the best decoder, exactly", using=decoder_rules),
            Step(best, PseudoInverse(named_e), "it differs from the pseudo-inverse",
                 relation="!=", using=decoder_rules),
        ),
    )
    return (unique, singular), (not_pinv,)


def _commas(symbols_matrix):
    names = list(symbols_matrix)
    parts = []
    for position, name in enumerate(names):
        if position:
            parts.append(", ")
        parts.append(name)
    return parts


def best_encoder(*, data: ImmutableMatrix = DATA, decoder: ImmutableMatrix = DECODER,
                 singular_data: ImmutableMatrix = SINGULAR_DATA) -> Claim:
    """Build A1; ``data`` (``S = X X^T``) and ``decoder`` are the rational instance.

    ``singular_data`` gives the singular covariance of the non-uniqueness instance.
    """
    if not singular_data.T.nullspace():
        raise ValueError(f"singular_data={singular_data.tolist()} has full row rank "
                         f"{singular_data.rank()}: expected data whose covariance is singular, "
                         f"rank below {singular_data.shape[0]}")
    instances, failures = _instances(data, decoder, singular_data)
    return Claim(
        id="A1",
        title="The best encoder for a fixed decoder is its pseudo-inverse",
        statement=prose("For a decoder ", D, " of full column rank and a positive definite "
                        "covariance ", S, ", the encoder minimising ", untied_loss(D, E),
                        " is unique: ", Eq(E, PseudoInverse(D), evaluate=False),
                        ". For singular ", S, " the minimisers are ", PseudoInverse(D) + Z,
                        " with ", Eq(Z * X, ZeroMatrix(k, n), evaluate=False),
                        ". The best decoder for a fixed encoder is ",
                        BEST_DECODER, ", which in general is not ", PseudoInverse(E), "."),
        hypotheses=(
            prose(Eq(S, X * X.T, evaluate=False), " (so ", SYMMETRIC, "), symbolic ", d, ", ",
                  k, ", ", n, "."),
            prose(D, " has full column rank, so ", D.T * D, " is invertible."),
            prose("For uniqueness: ", S, " positive definite (invertible)."),
        ),
        proof=_generic_parts(),
        instances=instances,
        failures=failures,
        sources=("Penrose 1955",),
    )


CLAIM = best_encoder()
