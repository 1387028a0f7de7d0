"""shared/tools/load_driver.py, sending what a browser sends when a widget lives in a fragment.

    .venv/bin/python bench/browser_driver.py --driver ../shared/tools/load_driver.py [load_driver options]

The shared driver reruns the whole page for every widget change. A browser does not: when the
changed widget was drawn inside an `st.fragment`, its rerun request carries that fragment's id
and the server reruns only the fragment (Streamlit's frontend takes the id from the widget's
`Delta.fragment_id`; the server checks it in `AppSession.request_rerun`). Batchwise puts its
interactive parts in fragments (the simulator's workbench, the lesson's summary level, the
glossary's list), so the whole-page figure overstates what a class costs the server.

Everything else is the shared driver's: steps, timing, statistics, output. The latency is still
the time from the request to that run's `script_finished`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


class FragmentAwareSocket:
    """Wraps the driver's WebSocket: learns which fragment drew each widget from the deltas it
    receives, and tags a rerun whose changed widgets all sit in one fragment with its id."""

    def __init__(self, ws) -> None:
        self._ws = ws
        self.fragment_of: dict[str, str] = {}
        self._last_sent: dict[str, bytes] = {}
        self._page = ""
        self.last_was_fragment = False

    def __getattr__(self, name):
        return getattr(self._ws, name)

    async def send(self, data: bytes) -> None:
        msg = BackMsg()
        msg.ParseFromString(data)
        self.last_was_fragment = False
        if msg.WhichOneof("type") == "rerun_script":
            cs = msg.rerun_script
            states = {w.id: w.SerializeToString() for w in cs.widget_states.widgets}
            page = cs.page_script_hash or cs.page_name
            if page == self._page:
                # The widget acted on: the one whose value changed; a value drawn again (the
                # same segment clicked twice) is still that widget, the only one sent.
                changed = {w for w, s in states.items() if self._last_sent.get(w) != s} or set(states)
                fragments = {self.fragment_of.get(w, "") for w in changed}
                if changed and len(fragments) == 1 and "" not in fragments:
                    cs.fragment_id = fragments.pop()
                    self.last_was_fragment = True
                    data = msg.SerializeToString()
            self._page, self._last_sent = page, states
        await self._ws.send(data)

    async def recv(self):
        data = await self._ws.recv()
        fm = ForwardMsg()
        fm.ParseFromString(data)
        if fm.WhichOneof("type") == "delta" and fm.delta.WhichOneof("type") == "new_element":
            element = fm.delta.new_element
            kind = element.WhichOneof("type")
            widget = getattr(element, kind, None) if kind else None
            wid = getattr(widget, "id", "") if widget is not None else ""
            if wid:
                self.fragment_of[wid] = fm.delta.fragment_id
        elif fm.WhichOneof("type") == "navigation":
            self._page = fm.navigation.page_script_hash
        return data


def install(ld) -> None:
    """Make load_driver's students browser-like (call before ld.main)."""

    class BrowserLikeStudent(ld.Student):
        async def connect(self) -> None:
            await super().connect()
            self.ws = FragmentAwareSocket(self.ws)

        async def _rerun(self, **kwargs):
            # A fragment run redraws only the fragment: keep knowing the page's other widgets,
            # as the browser still shows them.
            elements, labels = dict(self.elements), dict(self.labels)
            result = await super()._rerun(**kwargs)
            if isinstance(self.ws, FragmentAwareSocket) and self.ws.last_was_fragment:
                for wid, element in elements.items():
                    self.elements.setdefault(wid, element)
                for label, wid in labels.items():
                    self.labels.setdefault(label, wid)
            return result

    ld.Student = BrowserLikeStudent


def main(argv: list[str]) -> int:
    if "--driver" not in argv:
        sys.exit("browser_driver: pass --driver PATH/TO/load_driver.py first")
    i = argv.index("--driver")
    driver = Path(argv[i + 1]).resolve()
    rest = argv[:i] + argv[i + 2:]
    sys.path.insert(0, str(driver.parent))
    import load_driver as ld

    install(ld)
    return ld.main(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
