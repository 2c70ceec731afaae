"""Checked SymPy derivations: why tied autoencoders decode with the transpose.

Each claim (P1-P5, A1-A7, D1-D5, R1, F1-F7) is a :class:`~derivations.engine.Claim`
whose steps SymPy checks; ``python -m derivations`` checks them all and renders
``docs/``.
"""

from derivations.engine import Claim, DerivationError, Part, Step, prose

__all__ = ["Claim", "DerivationError", "Part", "Step", "prose"]
