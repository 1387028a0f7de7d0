"""Full links into this app, built from the address the person is using (proxy path included)."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st


def app_url(query: dict[str, str], page: str | None = None) -> str:
    """This page (or another `page` of the app, e.g. "assignments") with `query`; falls back
    to a relative link when the browser's address is unknown (AppTest, bare mode)."""
    q = urlencode(query)
    try:
        url = st.context.url
    except Exception:  # no browser context: nothing to build an absolute link from
        url = None
    if not url:
        return f"/{page}?{q}" if page else f"?{q}"
    parts = urlsplit(url)
    path = f"{parts.path.rsplit('/', 1)[0]}/{page}" if page else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, q, ""))
