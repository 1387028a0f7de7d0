"""Reading the code out of a class or assignment link, and what to say when it is wrong.

Students paste whole links, bare codes, links with a trailing space or a line break from an
e-mail. Anything that cannot be a code is reported as a damaged link (so a truncated or
edited link gets a clear message); a well-formed code that matches nothing is reported as
unknown. Neither message reveals whether some other code exists.
"""
from __future__ import annotations

from engine.codes import code_in

from .store import CODE_LENGTH, CODE_PATTERN

JOIN_KEY = "join"              # ?join=CODE joins a class
ASSIGNMENT_KEY = "assignment"  # ?assignment=CODE opens an assignment


class LinkProblem(ValueError):
    """A link a student or teacher cannot use; `str(error)` is the message to show."""


class DamagedLink(LinkProblem):
    pass


class UnknownLink(LinkProblem):
    pass


class ClosedLink(LinkProblem):
    pass


def read_code(text: str, query_key: str, what: str) -> str:
    """The code in `text` (a bare code or a link with `?query_key=CODE`), or DamagedLink."""
    text = code_in(text, query_key)
    if not CODE_PATTERN.match(text):
        raise DamagedLink(
            f"This {what} link looks damaged: its code should be {CODE_LENGTH} letters, digits, "
            "'-' or '_'. Copy the whole link again from your teacher's message.")
    return text
