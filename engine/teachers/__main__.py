"""Command line for teachers and administrators.

    python -m engine.teachers hash-passcode     # prompts twice; prints the hash to configure
    echo -n "$PASSCODE" | python -m engine.teachers hash-passcode   # from a pipe (one line)

The passcode is read from a prompt (or standard input), never from the command line, so it
does not end up in the shell history or in `ps` output. Only the salted hash is printed.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from .auth import ENV_VAR, hash_passcode, passcode_problem


def _read_passcode() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("New teacher passcode: ")
        second = getpass.getpass("Type it again: ")
        if first != second:
            raise SystemExit("The two passcodes differ; nothing was printed. Try again.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.teachers",
                                     description="Batchwise teacher tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("hash-passcode", help="print the salted hash of a new teacher passcode "
                                         "(read from a prompt or standard input)")
    args = parser.parse_args(argv)
    if args.command == "hash-passcode":
        passcode = _read_passcode()
        problem = passcode_problem(passcode)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        stored = hash_passcode(passcode)
        print(stored)
        print("\nPut it in .streamlit/secrets.toml:\n\n[teacher]\n"
              f'passcode_hash = "{stored}"\n\n'
              f"or in the environment: {ENV_VAR}='{stored}'", file=sys.stderr)
        return 0
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
