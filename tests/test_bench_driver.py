"""bench/browser_driver.py tags a widget change with its fragment, as a browser does."""
from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from browser_driver import FragmentAwareSocket  # noqa: E402


class FakeSocket:
    def __init__(self, incoming: list[bytes]) -> None:
        self.incoming, self.sent = incoming, []

    async def send(self, data: bytes) -> None:
        msg = BackMsg()
        msg.ParseFromString(data)
        self.sent.append(msg)

    async def recv(self) -> bytes:
        return self.incoming.pop(0)


def _slider(wid: str, fragment: str) -> bytes:
    fm = ForwardMsg()
    fm.delta.new_element.slider.id = wid
    fm.delta.fragment_id = fragment
    return fm.SerializeToString()


def _navigation(page: str) -> bytes:
    fm = ForwardMsg()
    fm.navigation.page_script_hash = page
    return fm.SerializeToString()


def _rerun(page: str, **values: float) -> bytes:
    msg = BackMsg()
    msg.rerun_script.page_script_hash = page
    for wid, value in values.items():
        state = msg.rerun_script.widget_states.widgets.add()
        state.id, state.double_value = wid, value
    return msg.SerializeToString()


def test_only_a_change_inside_a_fragment_names_the_fragment():
    async def journey():
        fake = FakeSocket([_navigation("sim"), _slider("in_fragment", "f1"), _slider("on_page", ""),
                           _navigation("sim")])
        ws = FragmentAwareSocket(fake)
        for _ in range(3):
            await ws.recv()
        await ws.send(_rerun("sim", in_fragment=1.0))                 # changed in the fragment
        await ws.send(_rerun("sim", in_fragment=1.0, on_page=2.0))    # changed outside it
        await ws.send(_rerun("sim", in_fragment=3.0, on_page=2.0))    # in the fragment again
        await ws.send(_rerun("sim", in_fragment=3.0, on_page=2.0))    # nothing changed: a plain rerun
        await ws.send(_rerun("lesson"))                               # another page
        await ws.recv()
        await ws.send(_rerun("sim", in_fragment=3.0))                 # back: the fragment's widget
        await ws.send(_rerun("sim", in_fragment=3.0))                 # the same value clicked again
        return [m.rerun_script.fragment_id for m in fake.sent]

    # Its own thread: after the browser tests, this thread may already run an event loop.
    with ThreadPoolExecutor(1) as thread:
        sent = thread.submit(asyncio.run, journey()).result()
    assert sent == ["f1", "", "f1", "", "", "f1", "f1"]
