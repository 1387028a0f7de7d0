"""Codes that students paste: a resume code, a join code, an assignment code."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def code_in(text: str, query_key: str) -> str:
    """The code inside what was pasted: the bare code, or the `query_key` value of a whole link
    ('' when a link has none). The caller checks the code's shape and words its own message."""
    text = str(text or "").strip()
    if "?" in text or "://" in text:
        found = parse_qs(urlsplit(text).query).get(query_key)
        text = found[-1].strip() if found else ""
    return text
