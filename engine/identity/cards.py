"""The printable sheet of sign-in cards: one self-contained HTML page, 10 cards per A4 sheet,
cut lines, large monospace codes. Names are escaped: a class list is typed text."""
from __future__ import annotations

from html import escape

from .roster import Card

_CSS = """
@page { size: A4; margin: 12mm; }
body { font-family: system-ui, sans-serif; margin: 0; color: #111; }
h1 { font-size: 14pt; margin: 0 0 4mm; }
.note { font-size: 9pt; margin: 0 0 6mm; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.card { border: 1px dashed #888; padding: 5mm 6mm; height: 48mm; box-sizing: border-box;
        break-inside: avoid; page-break-inside: avoid; }
.name { font-size: 14pt; font-weight: 600; margin-bottom: 2mm; }
.class { font-size: 9pt; color: #444; margin-bottom: 3mm; }
.label { font-size: 8pt; text-transform: uppercase; letter-spacing: .05em; color: #555; }
.code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 17pt;
        letter-spacing: .08em; margin-bottom: 2mm; }
.where { font-size: 8pt; color: #333; word-break: break-all; }
@media print { .note { display: none; } }
"""


def cards_html(cards: list[Card], sign_in_address: str) -> str:
    """The sheet for `cards` (all of one class), ready to open and print."""
    if not cards:
        return ""
    title = f"Sign-in cards · {cards[0].class_name}"
    body = "".join(
        f'<div class="card"><div class="name">{escape(c.name)}</div>'
        f'<div class="class">{escape(c.class_name)}</div>'
        f'<div class="label">Class code</div><div class="code">{escape(c.class_code)}</div>'
        f'<div class="label">Your code</div><div class="code">{escape(c.code)}</div>'
        f'<div class="where">Sign in at {escape(sign_in_address)}</div></div>'
        for c in cards)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"
            "<p class=\"note\">Print this page (Ctrl+P / ⌘P) and cut along the dashed lines. "
            "Each code works only for its student; a lost card can be replaced with a new code "
            "(the old one then stops working). These codes are not stored: keep this sheet "
            "private, and shred it once the cards are handed out.</p>"
            f"<div class=\"sheet\">{body}</div></body></html>")
