"""`python -m engine.content check [content/]`: validate lessons before deploying."""
from __future__ import annotations

import argparse
import sys

from .loader import configured_content_dir, load_library


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.content",
                                     description="Validate Batchwise lesson content.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every lesson folder")
    check.add_argument("content_dir", nargs="?", default=None)
    args = parser.parse_args(argv)

    library = load_library(args.content_dir)
    for lesson in library.ordered():
        print(f"ok   {lesson.id}: {lesson.title} ({len(lesson.glossary)} terms, "
              f"{len(lesson.misconceptions)} misconceptions, {len(lesson.memory_aids)} memory aids)")
    for problem in library.problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if library.problems:
        print(f"{len(library.problems)} problem(s) found.", file=sys.stderr)
        return 1
    if not library.lessons:
        print("no lessons found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
