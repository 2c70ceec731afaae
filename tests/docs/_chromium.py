"""Headless Chromium for the document tests: the browser, its flags, and a measuring script.

Imported by test_browser.py and test_pdf.py (not a test module itself).
"""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "derivations.html"
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
  parent.postMessage(JSON.stringify({
    viewport: window.innerWidth, page: document.documentElement.scrollWidth,
    column: right - left, math: maths.length,
    mathml_elements: maths.filter((m) => m instanceof MathMLElement).length,
    empty: empty.map(where), outside: outside.map(where), scrolled: scrolled.map(where),
    fences: fences.length, short_fences: short,
    msup: document.querySelectorAll("msup").length, raised: raised.length,
    mfrac: document.querySelectorAll("mfrac").length, stacked: stacked.length,
    font: getComputedStyle(maths[0]).fontFamily,
    text: document.body.innerText,
  }), "*");
})();
</script>
"""

FRAME = """<!DOCTYPE html><html><body style="margin:0">
<pre id="measurements"></pre>
<script>addEventListener("message", (e) => {
  document.getElementById("measurements").textContent = e.data; });</script>
<iframe src="measured.html" width="{width}" height="2000" style="border:0"></iframe>
</body></html>"""

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--allow-file-access-from-files"]


def run_browser(tmp_path, *arguments) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *arguments],
                          capture_output=True, text=True, timeout=120, check=False)
