"""``python -m derivations.render.pdf``: print docs/derivations.html to a PDF with Chromium.

The page's print style sheet (A4 margins, no page break inside a step or a
figure) lays it out; Chromium's own MathML layout sets the formulas, so the
PDF shows exactly what the browser shows. The PDF is not committed: Chromium
stamps it with a creation date and a document id, so it differs on every run.

>>> line = command(Path("docs/derivations.html"), Path("out.pdf"), browser="chromium",
...                profile=Path("/tmp/p"))
>>> line[-2], line[-1].startswith("file:///"), line[-1].endswith("/docs/derivations.html")
('--print-to-pdf=out.pdf', True, True)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["build_pdf", "command", "find_browser"]

BROWSERS = ("chromium", "chromium-browser", "google-chrome")

# Without the networking flags Chromium keeps trying to reach Google's hosts.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer")


def find_browser() -> str | None:
    """The first Chromium-family browser on PATH, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def command(page: Path, output: Path, *, browser: str, profile: Path) -> list[str]:
    """The Chromium command line that prints ``page`` to ``output``."""
    return [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={output}",
            page.resolve().as_uri()]


def build_pdf(page: Path, output: Path, *, browser: str | None = None,
              timeout: float = 120) -> Path:
    """Print ``page`` to ``output``; raise RuntimeError naming what went wrong."""
    browser = browser or find_browser()
    if browser is None:
        raise RuntimeError("no Chromium on PATH; install it, e.g. `apt-get install chromium`")
    if not page.is_file():
        raise RuntimeError(f"{page} does not exist; run `python -m derivations` first")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(command(page, output.resolve(), browser=browser,
                                        profile=Path(profile)),
                                capture_output=True, text=True, timeout=timeout, check=False)
    if not output.is_file() or output.read_bytes()[:5] != b"%PDF-":
        raise RuntimeError(f"Chromium wrote no PDF (exit {result.returncode}):\n"
                           f"{result.stderr[-2000:]}")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m derivations.render.pdf",
                                     description="Print the HTML derivations to a PDF.")
    parser.add_argument("--html", type=Path, default=Path("docs/derivations.html"),
                        help="the page to print (default: docs/derivations.html)")
    parser.add_argument("--output", type=Path, default=Path("docs/derivations.pdf"),
                        help="the PDF to write (default: docs/derivations.pdf)")
    args = parser.parse_args(argv)
    try:
        path = build_pdf(args.html, args.output)
    except RuntimeError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
