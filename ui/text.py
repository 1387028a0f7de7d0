"""Showing text a person typed (names, titles, hand-edited links) inside Markdown elements."""
from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:=\"'])")
# GitHub-flavoured Markdown turns bare web addresses and e-mail addresses into links *after*
# escapes are read (`http\://x` still becomes a link), and `:name:` into an emoji. An invisible
# word joiner in "://", before "@", after "www" and after the ":" opening an emoji name breaks
# those patterns while the text still looks exactly as typed (and "Week 3: batches" is left
# alone, so searching the page for it still works).
_WORD_JOINER = "\u2060"
_AUTOLINK_SPOTS = re.compile(r"(?<=:)(?=//)|(?=@[-\w])|(?i:(?<=www)(?=\.))|(?<=:)(?=[\w+-]+:)")


def md_escape(text: str) -> str:
    """User text made safe inside Markdown: every character Markdown or HTML could act on is
    escaped and web or e-mail addresses are kept from becoming links, so a name like
    `<b>x</b> [click](http://evil.example)` shows exactly as typed, as plain text."""
    text = _AUTOLINK_SPOTS.sub(_WORD_JOINER, " ".join(str(text).split()))
    return _MD_SPECIAL.sub(r"\\\1", text)
