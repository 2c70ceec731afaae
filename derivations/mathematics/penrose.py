"""The four Penrose conditions, written once for every claim that needs them.

``G`` is the Moore-Penrose inverse of ``W`` when (1) ``W G W = W``,
(2) ``G W G = G``, (3) ``(W G)^T = W G`` and (4) ``(G W)^T = G W``.

>>> from sympy import MatrixSymbol, symbols
>>> d, k = symbols("d k", integer=True, positive=True)
>>> W, G = MatrixSymbol("W", d, k), MatrixSymbol("G", k, d)
>>> [c.lhs for c in penrose_conditions(W, G)]
[W*G*W, G*W*G, (W*G).T, (G*W).T]
"""

from __future__ import annotations

from sympy import Basic, Eq, MatMul, Transpose
from sympy.logic.boolalg import And

from derivations.engine import Chain, Define, Link, prose

__all__ = ["penrose_conditions", "product", "satisfies_penrose", "transpose_both_sides"]


def penrose_conditions(W: Basic, G: Basic) -> tuple[Eq, Eq, Eq, Eq]:
    """The four conditions that make ``G`` the Moore-Penrose inverse of ``W``."""
    return (
        Eq(W * G * W, W, evaluate=False),
        Eq(G * W * G, G, evaluate=False),
        Eq(Transpose(W * G), W * G, evaluate=False),
        Eq(Transpose(G * W), G * W, evaluate=False),
    )


def satisfies_penrose(W: Basic, G: Basic) -> Basic:
    """The conjunction of the four conditions (the premise of uniqueness)."""
    return And(*penrose_conditions(W, G), evaluate=False)


def product(*factors: Basic) -> Basic:
    """The matrix product of ``factors``, flattened but not simplified, for display.

    ``A * B`` lets SymPy cancel at once (``(W^T W)^{-1} W^T W`` becomes ``I``),
    which would leave nothing to read; the engine's ``doit()`` still simplifies.

    >>> from sympy import Inverse, MatrixSymbol, symbols
    >>> d, k = symbols("d k", integer=True, positive=True)
    >>> W = MatrixSymbol("W", d, k)
    >>> product(Inverse(W.T * W) * W.T, W)
    (W.T*W)**(-1)*W.T*W
    """
    flat = []
    for factor in factors:
        flat.extend(factor.args if isinstance(factor, MatMul) else (factor,))
    return MatMul(*flat, evaluate=False)


def transpose_both_sides(equation: Eq, name: Basic, *, because) -> tuple:
    """Proof items deriving ``lhs^T = rhs^T`` from a known matrix equation ``lhs = rhs``.

    The engine multiplies transposes out before it rewrites, so a rule
    ``A B -> C`` never meets ``B^T A^T``. Naming the product, ``M := A B``,
    gives ``M = C`` and then ``B^T A^T = M^T = C^T``, where the rule ``M -> C``
    does meet ``M^T``. ``name`` is the fresh name; the items are returned
    with the derived equation last.

    >>> from sympy import Identity, MatrixSymbol, symbols
    >>> n = symbols("n", integer=True, positive=True)
    >>> A, B, M = (MatrixSymbol(x, n, n) for x in "ABM")
    >>> transpose_both_sides(Eq(A * B, Identity(n)), M, because="A B = I")[-1].derives
    Eq(B.T*A.T, I)
    """
    definition = Define(name, equation.lhs, text=prose("Name the product ", equation.lhs, "."))
    named = Chain(prose(name, " = ", equation.rhs), name, (
        Link(equation.lhs, "its definition", using=(definition.definition,)),
        Link(equation.rhs, because, using=(equation,)),
    ))
    transposed = Chain(prose("The transpose of ", equation), equation.lhs.T, (
        Link(name.T, prose("the transpose of the definition of ", name),
             using=(definition.definition,)),
        Link(equation.rhs.T, prose("the transpose of ", named.derives),
             using=(named.derives,)),
    ))
    return definition, named, transposed
