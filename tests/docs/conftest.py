"""One Chromium run lays out the page at every width the document tests measure.

Starting Chromium costs seconds, so the screen widths of test_browser.py and the
printable width of test_pdf.py are laid out together, once per test process.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _chromium import PAGE, PRINTABLE_WIDTH_PX, SCREEN_WIDTHS, lay_out, print_rules_on_screen  # noqa: E402


@pytest.fixture(scope="session")
def layouts(tmp_path_factory) -> dict[str, dict]:
    """Measurements by case: ``screen-1280``, ``screen-390`` and ``print`` (the print
    style sheet at the printable width)."""
    assert PAGE.is_file(), "docs/derivations.html is missing: run `python -m derivations`"
    page = PAGE.read_text(encoding="utf-8")
    cases = {f"screen-{width}": (page, width) for width in SCREEN_WIDTHS}
    cases["print"] = (print_rules_on_screen(page), PRINTABLE_WIDTH_PX)
    return lay_out(tmp_path_factory.mktemp("layouts"), cases)
