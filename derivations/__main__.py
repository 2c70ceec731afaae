"""``python -m derivations [--check] [--docs DIR] [--processes N]``: check every claim, render
the docs. ``python -m derivations list`` lists the claims with their titles;
``python -m derivations show P3`` prints one claim (statement, idea, hypotheses,
conclusion, proof) as plain text. On Linux the claims are checked in as many processes as this process may use
CPUs (``--processes 1``: one by one; elsewhere always one by one).

Exit status: 0 when every step checks (and, with ``--check``, the docs are
fresh); 1 when a step fails or a document is stale; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from derivations.document import document
from derivations.engine import Claim, DerivationError
from derivations.render.html import render_html
from derivations.render.markdown import render_markdown

#: Every rendered file, by name, and the function that writes it.
RENDERERS = {"derivations.md": render_markdown, "derivations.html": render_html}


def check_all(sections, *, processes: int = 1) -> dict[str, int]:
    """Check every claim; return the number of steps checked per claim id.

    ``processes > 1`` checks the claims in that many forked processes on Linux;
    elsewhere, and with ``processes=1``, one by one here. A claim that fails in a
    process is checked again here, so the error raised is the
    :class:`DerivationError` a check in this process gives.
    """
    claims = [section for section in sections if isinstance(section, Claim)]
    # Fork only on Linux: macOS lists fork too, but its system libraries are not fork-safe.
    if processes > 1 and len(claims) > 1 and sys.platform.startswith("linux"):
        global _CLAIMS_TO_CHECK
        _CLAIMS_TO_CHECK = claims  # the forked processes inherit the built claims
        try:
            # An executor, not a Pool: a process that dies raises BrokenProcessPool here
            # instead of leaving the parent waiting.
            with ProcessPoolExecutor(min(processes, len(claims)),
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                counts = list(pool.map(_checked_in_a_process, range(len(claims))))
        finally:
            _CLAIMS_TO_CHECK = []
        for claim, count in zip(claims, counts, strict=True):
            if count is None:
                claim.check()  # raises the claim's DerivationError here
        return {claim.id: count for claim, count in zip(claims, counts, strict=True)}
    return {claim.id: claim.check() for claim in claims}


_CLAIMS_TO_CHECK: list = []


def _checked_in_a_process(index: int) -> int | None:
    try:
        return _CLAIMS_TO_CHECK[index].check()
    except DerivationError:  # its message holds SymPy objects: re-raised by the parent
        return None


def render_all(sections, checked: dict[str, int]) -> dict[str, str]:
    """Every document's text, by file name, for sections checked with ``checked`` steps."""
    return dict(_render(tuple(sections), tuple(checked.items())))


@functools.cache
def _render(sections, checked) -> tuple[tuple[str, str], ...]:
    # Sections are immutable and rendering is deterministic: render once per process.
    return tuple((name, render(sections, dict(checked))) for name, render in RENDERERS.items())


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes >= 1, got {text!r}")
    return value


def _list_or_show(argv: list[str]) -> int:
    """``list``, or ``show ID``: read the claims without checking or rendering anything."""
    from derivations.claims import all_claims
    from derivations.render.text import claim_text

    command, rest = argv[0], argv[1:]
    claims = {claim.id: claim for claim in all_claims()}
    if command == "list":
        if rest:
            print(f"python -m derivations list: takes no arguments, got {' '.join(rest)}",
                  file=sys.stderr)
            return 2
        for claim in claims.values():
            print(f"{claim.id:<3} {claim.title}")
        return 0
    if len(rest) != 1 or rest[0].upper() not in claims:
        given = " ".join(rest) or "nothing"
        print(f"python -m derivations show: expected one claim id ({', '.join(claims)}), "
              f"got {given}", file=sys.stderr)
        return 2
    sys.stdout.write(claim_text(claims[rest[0].upper()]))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("list", "show"):
        return _list_or_show(argv)
    parser = argparse.ArgumentParser(
        prog="python -m derivations",
        description="Check every derivation step with SymPy and render the docs. "
                    "`python -m derivations list` lists the claims; "
                    "`python -m derivations show P3` prints one.",
    )
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if a step fails or docs/ is not what "
                             "this command would write")
    parser.add_argument("--docs", type=Path, default=Path("docs"),
                        help="directory of the rendered documents (default: docs)")
    parser.add_argument("--processes", type=_positive, default=_usable_cpus(), metavar="N",
                        help="check the claims in N processes (default: the CPUs this "
                             "process may use; 1 checks them one by one)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    sections = document()
    try:
        checked = check_all(sections, processes=args.processes)
    except DerivationError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    for claim_id, count in checked.items():
        print(f"{claim_id}: {count} steps checked")
    outputs = render_all(sections, checked)

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
        # The figures' numbers, recomputed with NumPy and compared within their derived
        # tolerances (derivations.render.figures); drawing them needs the docs extra.
        from derivations.render import figures

        stale_figures = figures.stale_data(args.docs / "figures")
        if stale_figures:
            print(f"STALE: {', '.join(stale_figures)} differ from freshly computed numbers; "
                  f"run `{figures.remedy()}` and commit the result.", file=sys.stderr)
            return 1
        print(f"docs and figure numbers are fresh; {sum(checked.values())} steps in "
              f"{time.perf_counter() - start:.1f} s")
        return 0

    args.docs.mkdir(parents=True, exist_ok=True)
    for name, text in outputs.items():
        (args.docs / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.docs / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
