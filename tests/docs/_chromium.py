"""Headless Chromium for the document tests: the browser, its flags, and a measuring script.

Imported by test_browser.py and test_pdf.py (not a test module itself).
"""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "derivations.html"
#: Desktop and phone widths, in CSS pixels.
SCREEN_WIDTHS = (1280, 390)
#: A4 less the 16 mm side margins of the page's @page rule, in CSS pixels (96 per inch).
PRINTABLE_WIDTH_PX = round((210 - 2 * 16) / 25.4 * 96)
BROWSER = next((path for name in ("chromium", "chromium-browser", "google-chrome")
                if (path := shutil.which(name))), None)

MEASURE = """
<script>
(() => {
  const box = (e) => e.getBoundingClientRect();
  const where = (e) => (e.closest("[id]") ? "#" + e.closest("[id]").id + " " : "")
    + e.tagName + " " + (e.textContent || "").replace(/\\s+/g, " ").slice(0, 60);
  const main = document.querySelector("main");
  const style = getComputedStyle(main);
  const left = box(main).left + parseFloat(style.paddingLeft);
  const right = box(main).right - parseFloat(style.paddingRight);
  // Everything in the text column except the inside of an inlined figure.
  const elements = [...main.querySelectorAll("*")].filter(
    (e) => !e.closest("svg") || e.tagName === "svg");
  const outside = elements.filter((e) => {
    const b = box(e);
    return b.width > 0 && (b.right > right + 1 || b.left < left - 1);
  });
  const maths = [...document.querySelectorAll("math")];
  const scrolled = maths.filter((m) => m.scrollWidth > m.clientWidth + 1);
  const empty = maths.filter((m) => !(box(m).width > 0 && box(m).height > 0));
  // A matrix is an mtable between two <mo> fences; a stretchy font makes them as tall.
  const fences = [...document.querySelectorAll("mtable")].map((t) => {
    const open = t.previousElementSibling, close = t.nextElementSibling;
    if (!open || open.tagName !== "mo" || !close || close.tagName !== "mo") return null;
    return {table: box(t).height, open: box(open).height, close: box(close).height,
            where: where(t)};
  }).filter((f) => f !== null);
  const short = fences.filter((f) => f.open < 0.9 * f.table || f.close < 0.9 * f.table);
  // Raised: the superscript's middle sits above its base's middle (a superscript laid
  // out on the baseline would share it). Relative, so displays scaled on a phone count.
  const middle = (e) => (box(e).top + box(e).bottom) / 2;
  const raised = [...document.querySelectorAll("msup")].filter(
    (s) => middle(s.children[1]) < middle(s.children[0]) - 0.25);
  const stacked = [...document.querySelectorAll("mfrac")].filter(
    (f) => box(f.children[0]).bottom <= box(f.children[1]).top + 0.5);
  parent.postMessage(JSON.stringify({frame: window.name, data: {
    viewport: window.innerWidth, page: document.documentElement.scrollWidth,
    column: right - left, math: maths.length,
    mathml_elements: maths.filter((m) => m instanceof MathMLElement).length,
    empty: empty.map(where), outside: outside.map(where), scrolled: scrolled.map(where),
    fences: fences.length, short_fences: short,
    msup: document.querySelectorAll("msup").length, raised: raised.length,
    mfrac: document.querySelectorAll("mfrac").length, stacked: stacked.length,
    font: getComputedStyle(maths[0]).fontFamily,
    text: document.body.innerText,
  }}), "*");
})();
</script>
"""

# One browser run lays out every case: each <iframe> is a copy of the page at the
# width under test (headless windows are at least 500 px wide), and posts its
# measurements, tagged with the frame's name; the outer page writes them all into
# <pre id="measurements"> once every frame has answered.
FRAMES = """<!DOCTYPE html><html><body style="margin:0">
<pre id="measurements"></pre>
<script>
const found = {};
addEventListener("message", (e) => {
  const {frame, data} = JSON.parse(e.data);
  found[frame] = data;
  if (Object.keys(found).length === {count}) {
    document.getElementById("measurements").textContent = JSON.stringify(found);
  }
});
</script>
{frames}
</body></html>"""

FRAME = '<iframe name="{name}" src="{src}" width="{width}" height="2000" style="border:0"></iframe>'

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--allow-file-access-from-files"]


def run_browser(tmp_path, *arguments) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *arguments],
                          capture_output=True, text=True, timeout=120, check=False)


def print_rules_on_screen(page: str) -> str:
    """The page with its ``@media print`` rules applied on screen (the PDF's layout)."""
    return page.replace("@media print {", "@media all {")


def lay_out(directory: Path, cases: dict[str, tuple[str, int]]) -> dict[str, dict]:
    """Measure each page of ``cases`` (name: (html, width in px)) in one Chromium run.

    Each page gets ``MEASURE`` appended and is shown in a frame of its width; the
    result is each frame's measurements, by name.
    """
    frames = []
    for name, (page, width) in cases.items():
        (directory / f"{name}.html").write_text(page.replace("</body>", MEASURE + "</body>"),
                                                encoding="utf-8")
        frames.append(FRAME.format(name=name, src=f"{name}.html", width=width))
    outer = directory / "frames.html"
    outer.write_text(FRAMES.replace("{count}", str(len(cases)))
                     .replace("{frames}", "\n".join(frames)), encoding="utf-8")
    result = run_browser(directory, "--window-size=1400,2000", "--virtual-time-budget=30000",
                         "--dump-dom", outer.as_uri())
    found = re.search(r'<pre id="measurements">(.+?)</pre>', result.stdout, re.DOTALL)
    assert found, f"Chromium returned no measurements; stderr:\n{result.stderr[-2000:]}"
    measured = json.loads(html.unescape(found.group(1)))
    assert sorted(measured) == sorted(cases), f"frames that answered: {sorted(measured)}"
    return measured
