"""Renderers of the document: one human printer, and one module per output format.

:mod:`~derivations.render.printer` prints every formula and
:mod:`~derivations.render.layout` breaks the long ones into lines (both shared);
:mod:`.markdown` and :mod:`.html` lay out the document; :mod:`.pdf` prints the HTML with Chromium;
:mod:`.figures` draws the figures. A renderer never imports another renderer.
"""

from derivations.render.html import render_html
from derivations.render.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
