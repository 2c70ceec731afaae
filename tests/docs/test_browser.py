"""docs/derivations.html in a real browser, at desktop and at phone width.

Headless Chromium opens copies of the committed page to which the test (not
the page, which needs no script) appends a measuring script; each copy is shown
in an ``<iframe>`` of a width under test and posts its measurements to the outer
page, whose DOM ``--dump-dom`` returns (one run for every width: the ``layouts``
fixture of conftest.py). Measured: every formula is laid out as MathML; no element reaches
outside the text column and no formula scrolls sideways; the brackets around
every matrix are as tall as the matrix (a math font with stretchy glyphs).
Without Chromium the tests skip; CI installs Debian's ``chromium``.
"""

import html
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _chromium import BROWSER, PAGE, SCREEN_WIDTHS, run_browser  # noqa: E402

# CI (.ci/run) installs Chromium, so there a missing browser is a failure, not a skip.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(BROWSER is None and not os.environ.get("CI"),
                                 reason="no Chromium on PATH (apt-get install chromium); "
                                        "CI installs it")]


def _headings(markup: str) -> tuple[str, list[str]]:
    """The title and the ``<h2>`` headings, as text (tags dropped, entities decoded: the
    browser serialises ``&quot;`` as a plain quote)."""
    def text(fragment: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())
    found = re.search(r"<title>(.*?)</title>", markup, re.DOTALL)
    return (text(found.group(1)) if found else "",
            [text(heading) for heading in re.findall(r"<h2[^>]*>(.*?)</h2>", markup, re.DOTALL)])


def test_the_browser_renders_the_page_with_its_title_and_every_section(tmp_path):
    """Chromium is there (CI must install it) and what it renders is the committed page:
    its title and each ``<h2>`` section heading, in order, in the DOM it built."""
    assert BROWSER is not None, "CI must install Chromium (.ci/run) for the browser test"
    title, sections = _headings(PAGE.read_text(encoding="utf-8"))
    assert title and len(sections) > 10, "the committed page has no title or sections"
    result = run_browser(tmp_path, "--dump-dom", PAGE.as_uri())
    assert _headings(result.stdout) == (title, sections), (
        f"the browser built another page; stderr:\n{result.stderr[-2000:]}")


@pytest.fixture(params=SCREEN_WIDTHS, ids=lambda width: f"{width}px")
def measurements(request, layouts):
    data = layouts[f"screen-{request.param}"]
    assert data["viewport"] == request.param
    return data, PAGE.read_text(encoding="utf-8")


def test_every_formula_is_a_mathml_element_with_a_nonempty_box(measurements):
    data, page = measurements
    assert data["math"] == page.count("<math") > 0
    assert data["mathml_elements"] == data["math"]
    assert data["empty"] == []


def test_math_font_has_stretchy_glyphs_named_first(measurements):
    assert data_font(measurements).startswith(('"Latin Modern Math"', "Latin Modern Math"))
    assert "DejaVu Math TeX Gyre" in data_font(measurements)


def data_font(measurements) -> str:
    return measurements[0]["font"]


def test_superscripts_are_raised_and_fractions_stacked(measurements):
    data, _ = measurements
    assert data["msup"] > 0 and data["raised"] == data["msup"]
    assert data["stacked"] == data["mfrac"]


def test_nothing_reaches_outside_the_text_column(measurements):
    data, _ = measurements
    assert data["page"] <= data["viewport"], "the page scrolls sideways"
    assert data["outside"] == []
    assert data["scrolled"] == [], "formulas that scroll sideways inside their box"


def test_matrix_brackets_are_as_tall_as_the_matrix(measurements):
    data, _ = measurements
    assert data["fences"] > 0
    assert data["short_fences"] == []


def test_no_latex_or_markup_source_is_visible(measurements):
    text = measurements[0]["text"]
    assert "P1. The transpose is the pseudo-inverse" in text
    for source in (r"\frac", r"\left", "$$", r"\mathbb", "^{", "<math", "&lt;", "&amp;"):
        assert source not in text


def test_screenshot_of_the_page(tmp_path):
    shot = tmp_path / "derivations.png"
    result = run_browser(tmp_path, "--window-size=1200,3000", f"--screenshot={shot}",
                         PAGE.as_uri())
    assert shot.is_file(), f"no screenshot; stderr:\n{result.stderr[-2000:]}"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000, "a blank page compresses to almost nothing"
    if target := os.environ.get("TIED_WEIGHTS_SCREENSHOT"):
        shutil.copyfile(shot, target)
