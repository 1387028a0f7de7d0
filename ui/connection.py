"""What a student sees when the connection to the server drops, and clicks made around it.

Streamlit 1.67 has no setting for its connection-lost dialog: after six failed reconnects its
page opens a modal "Connection error" with "Is Streamlit still running? … streamlit run
yourscript.py" when the address is `localhost`, else "Streamlit server is not responding. Are
you connected to the internet?" (static/js/index.*.js, `showRetryError` `e>=6` and the
`Is Streamlit still running?` message; no `client.*` or theme option touches it). What this
module does instead, from inside the page:

`connection_banner()`: a small `st.components.v2` element (plain JavaScript in the app page)
that, while the connection is lost, shows a banner in the app's words and hides that developer
dialog; and that holds a click made in the moment after the connection comes back, until the
server has drawn the page again, then makes it (see below). Place it at the END of a page (it
must come after the fragments whose clicks it protects).

"Lost" is read from the app's root (`stApp`'s `data-test-connection-state`, anything but
CONNECTED), which Streamlit updates the moment its socket closes or opens. Not from its
`stConnectionStatus` badge: that badge sits in the header's right-hand side, which is not drawn
with `client.toolbarMode = "minimal"` (index.*.js: the header draws `rightContent` only when
`showToolbar`, and `shouldShowToolbar` is false in minimal mode without menu items). Nor only
from the dialog, which comes after six failed reconnects (1.5-3 s): a quicker restart went
unnoticed, nothing was held, and a click in the seconds before the new session had drawn the
page reached a fragment it did not know yet, and was dropped.

`keep_actions_on_reconnect()`: Streamlit's page asks for a full run when it reconnects only
in some cases (`App.handleConnectionStateChanged`: a first connection, an interrupted run, a
last run that was a fragment's, or a page holding a fragment with `run_every`). After a server
restart the new session has no fragments, and the server drops a click on a fragment it does
not know (runtime/app_session.py `request_rerun`: "The fragment with id … does not exist
anymore"). A tiny fragment with a long `run_every` makes every reconnect start with a full
run, and the banner's held click waits for that run to reach the banner, so the fragment
exists again when the click arrives.
"""
from __future__ import annotations

import json
import secrets
from datetime import timedelta

import streamlit as st

HEARTBEAT = timedelta(minutes=10)  # the reconnect rule needs one; its reruns draw nothing
SS_TOKEN = "connection_session_token"  # new with every server session: "the page is back"
SS_RUNS = "connection_full_runs"  # full runs of this session that drew the banner

LOST = ("Connection to Batchwise lost. Reconnecting… Your saved work is safe, and what you "
        "typed stays in its box.")
BACK = "Reconnected. Bringing your page back…"

_JS = r"""
const LOST = %(lost)s, BACK = %(back)s;
function install() {
  const w = window.__batchwiseConnection = {lost: false, settling: false, held: null,
    replaying: false, token: null, waitUntil: 0};
  const banner = document.createElement("div");
  banner.setAttribute("role", "status");
  banner.setAttribute("data-testid", "batchwise-connection-banner");
  banner.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:1000010;display:none;" +
    "padding:.6rem 1rem;background:#fef3c7;color:#78350f;font:500 0.95rem/1.4 sans-serif;" +
    "text-align:center;border-bottom:1px solid #f59e0b";
  document.body.appendChild(banner);
  const show = (text) => { banner.textContent = text; banner.style.display = text ? "block" : "none"; };
  const developerDialog = () => Array.from(document.querySelectorAll('[role="dialog"]')).find(
    (d) => /Connection error|Is Streamlit still running|server is not responding/.test(d.textContent || ""));
  w.release = () => {
    if (!w.settling) return;
    w.settling = false; show("");
    let held = w.held; w.held = null;
    if (held && !held.isConnected) {  // redrawn meanwhile: the same button by its label
      held = Array.from(document.querySelectorAll("button")).find((b) => b.textContent === held.__label) || null;
    }
    if (held) { w.replaying = true; try { held.click(); } finally { w.replaying = false; } }
  };
  const watch = () => {
    const dialog = developerDialog();
    if (dialog) {
      // The modal and its backdrop are the dialog's ancestors up to the portal root.
      let node = dialog;
      while (node.parentElement && node.parentElement !== document.body) node = node.parentElement;
      node.style.display = "none";
    }
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute("data-test-connection-state");
    const lost = (!!state && state !== "CONNECTED" && state !== "STATIC_CONNECTED") || !!dialog ||
      !!document.querySelector('[data-testid="stConnectionStatus"]');
    // Only a connection lost after this page was drawn counts: the first connection's
    // connecting states must not hold the student's first clicks.
    if (lost && !w.lost && w.token !== null) { w.lost = true; w.settling = false; show(LOST); }
    if (!lost && w.lost) {
      w.lost = false; w.settling = true; w.waitUntil = Date.now() + 20000; show(BACK);
      setTimeout(w.release, 20000);  // never hold a click for ever
    }
  };
  new MutationObserver(watch).observe(document.body, {childList: true, subtree: true,
    attributes: true, attributeFilter: ["data-test-connection-state"]});
  watch();
  const hold = (button, event) => {
    event.preventDefault(); event.stopPropagation(); event.stopImmediatePropagation();
    button.__label = button.textContent; w.held = button;
  };
  document.addEventListener("click", (event) => {
    if (w.replaying || !(w.lost || w.settling)) return;
    const button = event.target.closest && event.target.closest("button");
    if (button) hold(button, event);
  }, true);
  document.addEventListener("keydown", (event) => {
    if (w.replaying || !(w.lost || w.settling) || event.key !== "Enter") return;
    const form = event.target.closest && event.target.closest('[data-testid="stForm"]');
    const submit = form && form.querySelector('button[data-testid*="FormSubmit"], button[kind*="FormSubmit"]');
    if (submit) hold(submit, event);
  }, true);
  return w;
}
export default function (component) {
  const w = window.__batchwiseConnection || install();
  // A full run has drawn the page down to here (this element is the page's last): after a
  // reconnect, the held click can go. The token is new after a server restart, the run count
  // after a reconnect to the same session.
  const data = component.data || {};
  const drawn = data.token + "/" + data.run;
  if (w.token !== null && drawn !== w.token && w.settling) w.release();
  w.token = drawn;
}
""" % {"lost": json.dumps(LOST), "back": json.dumps(BACK)}

_banner = st.components.v2.component("batchwise_connection", js=_JS, isolate_styles=False)


def connection_banner() -> None:
    """The connection-lost banner and click holder (call once, at the end of the page)."""
    token = st.session_state.setdefault(SS_TOKEN, secrets.token_hex(6))
    runs = st.session_state[SS_RUNS] = st.session_state.get(SS_RUNS, 0) + 1
    _banner(data={"token": token, "run": runs}, key="batchwise_connection")


@st.fragment(run_every=HEARTBEAT)
def _reconnect_marker() -> None:
    pass


def keep_actions_on_reconnect() -> None:
    """Call on a page with a fragment whose buttons must work after a server restart."""
    _reconnect_marker()


def reconnect_safely() -> None:
    """The LAST line of a page: the banner, and a first click after a server restart that
    reaches a session which has drawn the page (so its callbacks and fragments exist). The
    page's actions must still carry what they need (address, widget keys) to be completed
    by that new session."""
    keep_actions_on_reconnect()
    connection_banner()
