"""The printed PDF: Chromium prints the page; nothing is wider than the printable width.

``python -m derivations.render.pdf`` prints docs/derivations.html with headless
Chromium. The layout check lays the page out with its print style sheet at the
printable width of an A4 page (210 mm less two 16 mm margins) and measures, as
the browser test does, that no element reaches outside it and no formula is
clipped or scrolled; the print style sheet keeps headings with what follows.
Printing the whole document takes Chromium about 15 s, so the default run prints
a small page with MathML instead; ``python -m derivations.render.pdf`` prints it all.
"""

import os
import re
import sys
from pathlib import Path

import pytest

import derivations.render.pdf as pdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _chromium import PAGE, PRINTABLE_WIDTH_PX  # noqa: E402

_no_browser = pytest.mark.skipif(pdf.find_browser() is None and not os.environ.get("CI"),
                                 reason="no Chromium on PATH (apt-get install chromium)")


def needs_browser(test):
    """Run in Chromium: marked ``browser`` (``pytest -m browser``), skipped without one."""
    return pytest.mark.browser(_no_browser(test))

def print_style(page: str) -> str:
    """The page's style sheet, its ``@media print`` rules only."""
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    return style.split("@media print {", 1)[1].split("\n}\n", 1)[0]


def test_print_style_keeps_headings_with_their_text_and_steps_whole():
    rules = print_style(PAGE.read_text(encoding="utf-8"))
    assert re.search(r"h1, h2, h3, h4 \{[^}]*break-after: avoid", rules)
    assert re.search(r"\.step[^{]*\{[^}]*break-inside: avoid", rules)
    # A figure may not leave most of a page empty: it is capped well below a page height.
    height = re.search(r"figure svg \{ max-height: ([\d.]+)cm", rules)
    assert height and float(height.group(1)) < (297 - 2 * 18) / 10 / 2


@needs_browser
def test_print_layout_fits_the_printable_width(layouts):
    # The print rules applied on screen, in a frame as wide as the printable area.
    data = layouts["print"]
    assert data["viewport"] == PRINTABLE_WIDTH_PX
    assert data["page"] <= data["viewport"]
    assert data["outside"] == []
    assert data["scrolled"] == []


@needs_browser
def test_prints_a_page_with_mathml_to_a_pdf(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p><math display="block">'
                    "<msup><mi>W</mi><mo>+</mo></msup></math></body></html>", encoding="utf-8")
    output = pdf.build_pdf(page, tmp_path / "out" / "page.pdf")
    data = output.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Type /Page" in data


def test_missing_page_is_named(tmp_path, capsys):
    missing = tmp_path / "absent.html"
    code = pdf.main(["--html", str(missing), "--output", str(tmp_path / "x.pdf")])
    assert code == 1
    err = capsys.readouterr().err
    assert "absent.html" in err or "Chromium" in err


def test_missing_browser_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    with pytest.raises(RuntimeError, match="no Chromium"):
        pdf.build_pdf(tmp_path / "page.html", tmp_path / "x.pdf")


def test_browser_that_writes_nothing_is_reported(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(RuntimeError, match="wrote no PDF"):
        pdf.build_pdf(page, tmp_path / "x.pdf", browser="true")
