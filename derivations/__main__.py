"""``python -m derivations [--check] [--docs DIR]``: check every claim, render the docs.

Exit status: 0 when every step checks (and, with ``--check``, the docs are
fresh); 1 when a step fails or a document is stale; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

from derivations.document import document
from derivations.engine import Claim, DerivationError
from derivations.render.html import render_html
from derivations.render.markdown import render_markdown

#: Every rendered file, by name, and the function that writes it.
RENDERERS = {"derivations.md": render_markdown, "derivations.html": render_html}


def check_all(sections) -> dict[str, int]:
    """Check every claim; return the number of steps checked per claim id."""
    return {section.id: section.check() for section in sections if isinstance(section, Claim)}


@functools.cache
def _rendered(sections) -> tuple[tuple[str, str], ...]:
    # Sections are immutable and rendering is deterministic: render once per process.
    checked = check_all(sections)
    return tuple((name, render(sections, checked)) for name, render in RENDERERS.items())


def rendered(sections) -> dict[str, str]:
    """Every document's text, by file name, for sections that check."""
    return dict(_rendered(sections))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m derivations",
        description="Check every derivation step with SymPy and render the docs.",
    )
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if a step fails or docs/ is not what "
                             "this command would write")
    parser.add_argument("--docs", type=Path, default=Path("docs"),
                        help="directory of the rendered documents (default: docs)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    sections = document()
    try:
        checked = check_all(sections)
    except DerivationError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    for claim_id, count in checked.items():
        print(f"{claim_id}: {count} steps checked")
    outputs = rendered(sections)

    if args.check:
        stale = []
        for name, text in outputs.items():
            path = args.docs / name
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        if stale:
            print(f"STALE: {', '.join(stale)} differ from the checked derivations; "
                  "run `python -m derivations` and commit the result.", file=sys.stderr)
            return 1
        print(f"docs are fresh; {sum(checked.values())} steps in "
              f"{time.perf_counter() - start:.1f} s")
        return 0

    args.docs.mkdir(parents=True, exist_ok=True)
    for name, text in outputs.items():
        (args.docs / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.docs / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
