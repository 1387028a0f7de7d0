"""Command line for teachers and administrators.

    python -m engine.teachers hash-passcode     # prompts twice; prints the hash to configure
    echo -n "$PASSCODE" | python -m engine.teachers hash-passcode   # from a pipe (one line)
    python -m engine.teachers add-teacher "Ada Lovelace" --email ada@school.example [--admin]
    python -m engine.teachers list-teachers

The passcode is read from a prompt (or standard input), never from the command line, so it
does not end up in the shell history or in `ps` output. Only the salted hash is printed or
stored. `add-teacher` works on the configured database (BATCHWISE_DATABASE_URL or the default
SQLite file): the way back in for an IT person when no admin can sign in.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from .auth import ENV_VAR, hash_passcode, passcode_problem


def _read_passcode(prompt: str = "New teacher passcode: ") -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        second = getpass.getpass("Type it again: ")
        if first != second:
            raise SystemExit("The two passcodes differ; nothing was changed. Try again.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _add_teacher(args) -> int:
    from engine import db
    from engine.identity import accounts
    passcode = None
    if args.passcode:
        passcode = _read_passcode(f"Passcode for {args.name}: ")
    try:
        teacher = accounts.create_teacher(db.connect(), args.name, email=args.email,
                                          passcode=passcode, is_admin=args.admin)
    except accounts.AccountError as exc:
        print(exc, file=sys.stderr)
        return 2
    role = "admin" if teacher.is_admin else "teacher"
    print(f"Added {role} {teacher.name}" + (f" <{teacher.email}>" if teacher.email else "") + ".")
    return 0


def _list_teachers() -> int:
    from engine import db
    from engine.identity import accounts
    for a in accounts.list_accounts(db.connect()):
        t = a.teacher
        flags = [f for f, on in (("admin", t.is_admin), ("passcode", a.has_passcode),
                                 ("admin passcode", a.legacy_admin), ("archived", a.archived)) if on]
        print(f"{t.name}\t{t.email or '-'}\t{', '.join(flags)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.teachers",
                                     description="Batchwise teacher tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("hash-passcode", help="print the salted hash of a new teacher passcode "
                                         "(read from a prompt or standard input)")
    add = sub.add_parser("add-teacher", help="add a teacher account to the configured database")
    add.add_argument("name")
    add.add_argument("--email", help="their school e-mail (for school sign-in)")
    add.add_argument("--passcode", action="store_true",
                     help="also give them a passcode (read from a prompt or standard input)")
    add.add_argument("--admin", action="store_true", help="make them an admin")
    sub.add_parser("list-teachers", help="list the teacher accounts")
    args = parser.parse_args(argv)
    if args.command == "add-teacher":
        return _add_teacher(args)
    if args.command == "list-teachers":
        return _list_teachers()
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
