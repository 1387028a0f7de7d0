"""Which showing of a card a rating answers: the card, and its saved version when shown.

A rating carries this (in its button's key and arguments, and the revealed card in the page's
address), so a rating clicked in a tab that reconnected to a restarted server, answered by a
fresh session that remembers nothing, is still saved exactly once, or refused with a reason:
- the same showing gives the same review token, so a second arrival is a duplicate;
- a showing whose version is no longer the card's (it was rated since, in another tab or
  before the restart) is refused instead of being applied on top of the newer state.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .store import Progress

# "<version>~<card id>": the revealed card as the page's address carries it.
_PARAM = re.compile(r"(\d{1,9})~([A-Za-z0-9_./:-]{1,200})")


@dataclass(frozen=True)
class Showing:
    card_id: str
    version: int   # the card's saved version when it was shown; 0 for a card never rated

    @property
    def token(self) -> str:
        """The review token: one per showing, the same in every session and process."""
        digest = hashlib.sha256(f"{self.card_id}\n{self.version}".encode()).hexdigest()
        return f"v{self.version}-{digest[:40]}"

    def to_param(self) -> str:
        return f"{self.version}~{self.card_id}"

    @classmethod
    def from_param(cls, text: object) -> Showing | None:
        """The showing named in an address, or None for anything else (hand-edited, old)."""
        match = _PARAM.fullmatch(text) if isinstance(text, str) else None
        return cls(match.group(2), int(match.group(1))) if match else None

    def to_dict(self) -> dict:
        return {"card_id": self.card_id, "version": self.version}


def showing_of(card_id: str, progress: dict[str, Progress]) -> Showing:
    """The card as it stands now, for the learner whose saved progress this is."""
    saved = progress.get(card_id)
    return Showing(card_id, saved.version if saved is not None else 0)
