"""F7: the pseudo-inverse is badly conditioned where the rank drops; the transpose is not.

``||W^T||_2 = sigma_max`` but ``||W^+||_2 = 1 / sigma_min`` (smallest nonzero
singular value). On the family ``W_t = [[1 + t, 0], [0, t], [0, 0]]``,
``t > 0``, ``||W_t^+||_2 = 1/t`` grows without bound as ``t -> 0+``, and the
limit of ``W_t^+`` is not ``W_0^+``: ``W -> W^+`` is discontinuous where the
rank drops. ``W -> W^T`` is linear, so continuous, and costs nothing. This is
why the transpose is used in practice, and it qualifies P4: the pseudo-inverse
exists for every ``W`` but depends discontinuously on it.

>>> conditioning().check()
10
"""

from __future__ import annotations

import sympy
from sympy import (
    Eq,
    Gt,
    ImmutableMatrix,
    Limit,
    MatrixSymbol,
    Transpose,
    symbols,
)

from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse, SpectralNorm, W, d, k

__all__ = ["CLAIM", "conditioning", "largest_singular_value", "norm_2"]


def largest_singular_value(matrix):
    """The largest singular value of an explicit matrix, or ``None`` if SymPy cannot order them.

    >>> t = symbols("t", positive=True)
    >>> largest_singular_value(ImmutableMatrix([[1 + t, 0], [0, t]]))
    t + 1
    """
    gram = matrix.T * matrix if matrix.shape[0] >= matrix.shape[1] else matrix * matrix.T
    values = [sympy.sqrt(value) for value in gram.eigenvals()]
    for candidate in values:
        if all(sympy.simplify(candidate - other).is_nonnegative for other in values):
            return candidate
    return None


class norm_2(SpectralNorm):  # noqa: N801 - printed exactly like SpectralNorm
    """``||A||_2`` that evaluates on explicit matrices (when SymPy can order the values)."""

    @classmethod
    def eval(cls, arg):
        if isinstance(arg, sympy.MatrixBase):
            return largest_singular_value(arg)
        return None


def conditioning(*, smallest=None) -> Claim:
    """Build F7 on the family ``[[1 + t, 0], [0, smallest], [0, 0]]``.

    ``smallest`` defaults to ``t``: the hypothesis is that it tends to 0 with
    ``t`` (the rank drops). A ``smallest`` that stays positive keeps the
    pseudo-inverse bounded and continuous, and the check fails.
    """
    t, bound = symbols("t M", positive=True)
    if smallest is None:
        smallest = t
    Wt, W0 = MatrixSymbol("W_t", 3, 2), MatrixSymbol("W_0", 3, 2)
    family_matrix = ImmutableMatrix([[1 + t, 0], [0, smallest], [0, 0]])
    family = Eq(Wt, family_matrix)
    limit_matrix = ImmutableMatrix(family_matrix.subs(t, 0))
    at_zero = Eq(W0, limit_matrix)

    norms = Part(
        heading="Transpose and pseudo-inverse have reciprocal norms",
        text=prose("For ", Gt(t, 0, evaluate=False), " take ", family,
                   ": singular values ", 1 + t, " and ", smallest, "."),
        steps=(
            Step(norm_2(Wt.T), 1 + t, prose("the transpose has norm ",
                                            Eq(symbols("sigma_max"), 1 + t)),
                 using=(family,)),
            Step(PseudoInverse(Wt), ImmutableMatrix([[1 / (1 + t), 0, 0],
                                                      [0, 1 / smallest, 0]]),
                 "the pseudo-inverse inverts each nonzero singular value", using=(family,)),
            Step(norm_2(PseudoInverse(Wt)), 1 / smallest,
                 prose("so its norm is one over the smallest nonzero singular value"),
                 using=(family,)),
        ),
    )
    blow_up = Part(
        heading="Near rank deficiency the pseudo-inverse blows up and jumps",
        text=prose("As ", t, " tends to 0 the family tends to ", at_zero,
                   ", of rank 1, whose pseudo-inverse is its own explicit case (SymPy's "
                   "generic formula would divide by 0)."),
        steps=(
            Step(1 / smallest, bound,
                 prose("the norm ", 1 / smallest, " of ", PseudoInverse(Wt),
                       " exceeds every bound ", Gt(bound, 0, evaluate=False),
                       " once ", t, " is small enough"),
                 relation=">", using=(Eq(t, 1 / (2 * bound)),)),
            Step(PseudoInverse(W0), ImmutableMatrix([[1, 0, 0], [0, 0, 0]]),
                 "the pseudo-inverse at the limit point", using=(at_zero,)),
            Step(Limit(1 / smallest, t, 0, "+"), 0,
                 prose("the second diagonal entry of ", PseudoInverse(Wt), " does not tend "
                       "to that of ", PseudoInverse(W0), ": the pseudo-inverse is "
                       "discontinuous at ", Eq(t, 0)), relation="!="),
            Step(norm_2(PseudoInverse(W0)), 1, prose("while ", PseudoInverse(W0),
                                                     " itself is small"),
                 using=(at_zero,)),
        ),
    )
    A, B = MatrixSymbol("A", d, k), MatrixSymbol("B", d, k)
    a, b = symbols("a b", real=True)
    transpose = Part(
        heading="The transpose is linear and continuous",
        steps=(
            Step(Transpose(a * A + b * B), a * A.T + b * B.T,
                 "transposition is linear (it only moves entries)"),
            Step(norm_2(Wt.T - W0.T), t, prose("on the family it moves by exactly ", t),
                 using=(family, at_zero)),
            Step(Limit(t, t, 0, "+"), 0, prose("so ", Wt.T, " tends to ", W0.T)),
        ),
        conclusion=prose("Computing ", Wt.T, " is exact and free; computing ",
                         PseudoInverse(Wt), " amplifies errors by ", 1 / smallest,
                         " and jumps where the rank drops. Where the two agree (P3, A4), "
                         "the transpose is the one to use."),
    )

    return Claim(
        id="F7",
        title="Conditioning: why the transpose is used in practice",
        statement=prose(Eq(SpectralNorm(W.T), symbols("sigma_max")), " but ",
                        Eq(SpectralNorm(PseudoInverse(W)), 1 / symbols("sigma_min")),
                        ", which blows up as ", W,
                        " nears rank deficiency, and the pseudo-inverse is discontinuous "
                        "where the rank drops; the transpose is linear, exact and free. "
                        "This qualifies P4: the pseudo-inverse always exists, but is "
                        "ill-conditioned."),
        hypotheses=(prose("The smallest nonzero singular value ", smallest,
                          " of the family tends to 0 with ", t, "."),),
        proof=(norms, blow_up, transpose),
    )


CLAIM = conditioning()
