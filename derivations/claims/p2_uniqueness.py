"""P2: two matrices that both satisfy the four Penrose conditions for ``W`` are equal.

Penrose's chain of equalities, for symbolic ``d`` and ``k``: starting from
``G`` it reaches ``G W H`` and then ``H``, and every step is justified by
exactly one Penrose condition for exactly one of ``G`` and ``H``, given to the
engine as the single rewrite rule of that step (the transposed form where the
step meets a transpose). Leave a condition out and the steps that need it no
longer check.

>>> uniqueness().check()
12
>>> from derivations.engine import DerivationError
>>> try:
...     uniqueness(conditions={1, 2, 4}).check()
... except DerivationError as error:
...     print(error.claim_id, error.where)
P2 Proof, part 1 (From G to G*W*H), step 2
"""

from __future__ import annotations

from collections.abc import Iterable

from sympy import Eq, MatMul, MatrixSymbol, Transpose

from derivations.engine._legacy import Claim, Part, Step, prose
from derivations.notation import PseudoInverse, W, d, k

__all__ = [
    "CLAIM",
    "G",
    "H",
    "PENROSE_CONDITIONS",
    "penrose_condition",
    "penrose_rule",
    "product",
    "uniqueness",
]

#: The two candidate pseudo-inverses of ``W``.
G = MatrixSymbol("G", k, d)
H = MatrixSymbol("H", k, d)

#: The numbers of the four Penrose conditions.
PENROSE_CONDITIONS = frozenset({1, 2, 3, 4})


def product(*factors):
    """The matrix product of ``factors``, flattened but not simplified, for display.

    ``A * B`` lets SymPy cancel at once (``(W^T W)^{-1} W^T W`` becomes ``I``),
    which would leave nothing to read; the engine's ``doit()`` still simplifies.

    >>> from sympy import Inverse
    >>> product(Inverse(W.T * W) * W.T, W)
    (W.T*W)**(-1)*W.T*W
    """
    flat = []
    for factor in factors:
        flat.extend(factor.args if isinstance(factor, MatMul) else (factor,))
    return MatMul(*flat, evaluate=False)


def penrose_condition(number: int, X, *, matrix=W) -> Eq:
    """Penrose condition ``number`` for the candidate ``X`` of ``matrix``, as usually written.

    >>> penrose_condition(3, G)
    Eq((W*G).T, W*G)
    """
    A = matrix
    statements = {
        1: (product(A, X, A), A),
        2: (product(X, A, X), X),
        3: (Transpose(product(A, X)), product(A, X)),
        4: (Transpose(product(X, A)), product(X, A)),
    }
    if number not in statements:
        raise ValueError(f"number={number!r}: Penrose conditions are numbered 1 to 4")
    return Eq(*statements[number], evaluate=False)


def penrose_rule(number: int, X, *, matrix=W, transposed: bool = False) -> Eq:
    """Penrose condition ``number`` for ``X`` (of ``matrix``) as a rewrite rule ``left -> right``.

    The rule is oriented to shorten products, and matches the product as
    SymPy writes it after ``doit()`` (transposes pushed onto the symbols).
    ``transposed=True`` gives the transpose of the condition, which is the same
    condition read backwards through ``(A B)^T = B^T A^T``.

    >>> penrose_rule(1, H, transposed=True)
    Eq(W.T*H.T*W.T, W.T)
    >>> penrose_rule(4, G)
    Eq(W.T*G.T, G*W)
    """
    left, right = penrose_condition(number, X, matrix=matrix).args
    left, right = left.doit(), right.doit()
    if transposed:
        left, right = left.T, right.T
    return Eq(left, right, evaluate=False)


def _step(lhs, rhs, number: int, X: MatrixSymbol, conditions: frozenset[int], *,
          transposed: bool = False) -> Step:
    rule = penrose_rule(number, X, transposed=transposed)
    reading = " (transposed)" if transposed else ""
    because = prose(f"Penrose condition {number} for ", X, reading, ": ",
                    penrose_condition(number, X))
    # An unassumed condition is not available as a rewrite: the step must then fail.
    return Step(lhs, rhs, because, using=(rule,) if number in conditions else ())


def uniqueness(*, conditions: Iterable[int] = PENROSE_CONDITIONS) -> Claim:
    """Build P2 assuming the Penrose conditions numbered ``conditions`` of both ``G`` and ``H``."""
    assumed = frozenset(conditions)
    unknown = assumed - PENROSE_CONDITIONS
    if unknown:
        raise ValueError(f"conditions={sorted(assumed)!r}: {sorted(unknown)} are not among "
                         "the Penrose conditions 1, 2, 3, 4")

    def step(lhs, rhs, number, X, **options):
        return _step(lhs, rhs, number, X, assumed, **options)

    to_middle = Part(
        heading=prose("From ", G, " to ", G * W * H),
        text=prose("Each step rewrites with one Penrose condition for one of the two "
                   "candidates, and nothing else."),
        steps=(
            step(G, G * W * G, 2, G),
            step(G * W * G, G * Transpose(W * G), 3, G),
            step(G * Transpose(W * G), G * Transpose(W * G) * Transpose(W * H), 1, H,
                 transposed=True),
            step(G * Transpose(W * G) * Transpose(W * H), G * W * G * Transpose(W * H), 3, G),
            step(G * W * G * Transpose(W * H), G * W * G * W * H, 3, H),
            step(G * W * G * W * H, G * W * H, 2, G),
        ),
    )
    to_h = Part(
        heading=prose("From ", G * W * H, " to ", H),
        text=prose("The mirror image: conditions 2 and 4 take the place of 2 and 3."),
        steps=(
            step(G * W * H, G * W * H * W * H, 2, H),
            step(G * W * H * W * H, G * W * Transpose(H * W) * H, 4, H),
            step(G * W * Transpose(H * W) * H, Transpose(G * W) * Transpose(H * W) * H, 4, G),
            step(Transpose(G * W) * Transpose(H * W) * H, Transpose(H * W) * H, 1, G,
                 transposed=True),
            step(Transpose(H * W) * H, H * W * H, 4, H),
            step(H * W * H, H, 2, H),
        ),
        conclusion=prose("Both chains meet in ", G * W * H, ", so ", Eq(G, H, evaluate=False),
                         ": the matrix satisfying the four conditions is unique, and it is ",
                         "the Moore-Penrose inverse ", PseudoInverse(W), "."),
    )
    hypotheses = tuple(
        prose(f"Penrose condition {number}: ", penrose_condition(number, G), " and ",
              penrose_condition(number, H), ".")
        for number in sorted(assumed)
    )
    return Claim(
        id="P2",
        title="The pseudo-inverse is unique",
        statement=prose("If ", G, " and ", H, " (", k, " by ", d, ") both satisfy the four "
                        "Penrose conditions for ", W, ", then ", Eq(G, H, evaluate=False),
                        ". The common value is written ", PseudoInverse(W), "."),
        hypotheses=hypotheses,
        proof=(to_middle, to_h),
        remarks=(prose("Every condition is used: dropping any one of the four leaves steps "
                       "that no longer check, so the chain needs all of them."),),
        sources=("Penrose 1955",),
    )


CLAIM = uniqueness()
