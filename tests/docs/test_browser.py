"""docs/derivations.html in a real browser: the MathML is laid out as mathematics.

Headless Chromium opens a copy of the committed page to which the test (not the
page, which needs no script) appends a measuring script; ``--dump-dom`` returns
the measurements. A screenshot goes to pytest's tmp dir and, when the variable
``TIED_WEIGHTS_SCREENSHOT`` names a path, there too. Without Chromium the tests
skip; CI installs Debian's ``chromium``.
"""

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "derivations.html"
BROWSER = next((path for name in ("chromium", "chromium-browser", "google-chrome")
                if (path := shutil.which(name))), None)

# CI (.ci/run) installs Chromium, so there a missing browser is a failure, not a skip.
pytestmark = pytest.mark.skipif(BROWSER is None and not os.environ.get("CI"),
                                reason="no Chromium on PATH (apt-get install chromium); "
                                       "CI installs it")


def test_a_browser_is_available_in_ci():
    assert BROWSER is not None, "CI must install Chromium (.ci/run) for the browser test"

MEASURE = """
<script>
(() => {
  const box = (e) => e.getBoundingClientRect();
  const maths = [...document.querySelectorAll("math")];
  const empty = maths.filter((m) => !(box(m).width > 0 && box(m).height > 0));
  // Real MathML layout raises a superscript above its base and stacks a fraction.
  const raised = [...document.querySelectorAll("msup")].filter(
    (s) => box(s.children[1]).top < box(s.children[0]).top - 0.5);
  const stacked = [...document.querySelectorAll("mfrac")].filter(
    (f) => box(f.children[0]).bottom <= box(f.children[1]).top + 0.5);
  const blocks = [...document.querySelectorAll('math[display="block"]')];
  const out = document.createElement("pre");
  out.id = "measurements";
  out.textContent = JSON.stringify({
    math: maths.length,
    mathml_elements: maths.filter((m) => m instanceof MathMLElement).length,
    empty: empty.map((m) => m.outerHTML.slice(0, 120)),
    msup: document.querySelectorAll("msup").length, raised: raised.length,
    mfrac: document.querySelectorAll("mfrac").length, stacked: stacked.length,
    blocks: blocks.length,
    block_layout: blocks.filter((m) => getComputedStyle(m).display.includes("block")).length,
    text: document.body.innerText,
  });
  document.body.appendChild(out);
})();
</script>
"""

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--allow-file-access-from-files"]


def run_browser(tmp_path, *arguments) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *arguments],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture(scope="module")
def measurements(tmp_path_factory):
    assert PAGE.is_file(), "docs/derivations.html is missing: run `python -m derivations`"
    tmp_path = tmp_path_factory.mktemp("browser")
    page = PAGE.read_text(encoding="utf-8")
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    result = run_browser(tmp_path, "--window-size=1200,3000", "--dump-dom", measured.as_uri())
    found = re.search(r'<pre id="measurements">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, f"Chromium returned no measurements; stderr:\n{result.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1))), page


def test_every_formula_is_a_mathml_element_with_a_nonempty_box(measurements):
    data, page = measurements
    assert data["math"] == page.count("<math") > 0
    assert data["mathml_elements"] == data["math"]
    assert data["empty"] == []


def test_superscripts_are_raised_and_fractions_stacked(measurements):
    data, _ = measurements
    assert data["msup"] > 0 and data["raised"] == data["msup"]
    assert data["stacked"] == data["mfrac"]


def test_display_formulas_are_laid_out_as_blocks(measurements):
    data, page = measurements
    assert data["blocks"] == page.count('<math display="block">') > 0
    assert data["block_layout"] == data["blocks"]


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
