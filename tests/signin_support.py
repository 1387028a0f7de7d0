"""Helpers for pages whose learner is signed in on the device (nothing in the address)."""
from __future__ import annotations


def learner_of(at):
    """The learner signed in on this AppTest's tab (None when nobody is)."""
    state = at.session_state
    return state["learner_record"] if "learner_record" in state else None


def recovery_code(at) -> str:
    """The recovery code a new self-study learner was just shown (once)."""
    return at.session_state["learner_just_started"]
