"""Hand-edited and shared links, fuzzed: every page, opened with any query string, draws
without an exception, a traceback, or a server path.

Each example is one link's query string holding every parameter the page reads (each with a
fuzzed value: edge numbers, huge numbers, Unicode digits, Markdown, paths, nothing) plus
random unknown ones, at least PARAMS_PER_LINK in all, so each page sees LINKS links and more
than 1,000 fuzzed parameter values. One AppTest session serves a batch of links (a page
reads its link afresh on every run), and a fresh one starts every BATCH links, as a new tab.
Fixed seed (derandomize), bounded examples; scale with BATCHWISE_FUZZ_LINKS.
"""
from __future__ import annotations

import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.quiz import TEMPLATES
from engine.simulator.config import SimConfig
from engine.simulator.presets import PRESETS
from teachers_support import page_text
from tests.conftest import APP, ROOT

LINKS = int(os.environ.get("BATCHWISE_FUZZ_LINKS", "1000"))
PARAMS_PER_LINK = 8  # and so LINKS x PARAMS_PER_LINK fuzzed values per page
BATCH = 40

COMMON = ["learner", "lesson", "join", "assignment", "quiz", "embed", "page"]
PAGES = {
    "app.py": [],
    "pages/lesson.py": [],
    "pages/glossary.py": ["q", "term"],
    "pages/mnemonics.py": [],
    "pages/flashcards.py": ["card"],
    "pages/quiz.py": ["kinds", "seed", "length", "mode"],
    "pages/simulator.py": [*SimConfig.model_fields, "preset"],
    "pages/assignments.py": ["try"],
    "pages/progress.py": [],
    "pages/teacher.py": ["class", "tab"],
    "pages/sign_in.py": ["next"],
    "pages/roster.py": ["class"],
    "pages/admin.py": [],
}

EDGES = ["", " ", "-0.0", "-0", "0", "+0", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309",
         "-1e309", "1e-9999", "4.9e-324", "1.7976931348623157e308", "9" * 400, "-" + "9" * 40,
         "2147483648", "-2147483649", "18446744073709551616", "0x1F", "1_000", "1,000", "1 000",
         "１２", "٣", "²", "4⁶", "Ⅻ", "½", "true", "false", "None", "null", "[]", "{}", "%00",
         "%", "&", "=", "#", "?", "/etc/passwd", "../../../app.py", "C:\\\\Windows", "<script>x</script>",
         "**bold** [x](http://evil.example)", "$x$", ":material/home:", "😀", "\u202eevil", "a" * 3000,
         "iterations-per-epoch", "iterations-per-epoch,total-iterations", "mixed", "training-phases",
         "relu", "adam", "sgd", "moons", "spiral", "blobs", "AAAA-BBBB-CCCC", "a" * 24]
KNOWN = sorted({*TEMPLATES, *PRESETS})

# The float and size edges most likely to break a number setting, drawn often enough that one
# of them meets an otherwise usable link.
SHARP = ["-0.0", "-0", "nan", "inf", "-inf", "1e309", "1e-9999", "0", "9" * 400, "１２", "²", ""]

values = st.one_of(
    st.sampled_from(SHARP),
    st.sampled_from(SHARP),
    st.sampled_from(EDGES),
    st.sampled_from(KNOWN),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.text(alphabet=string.digits + ".,-+eE ", max_size=30),
)
unknown_names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=12)
INTERNALS = ("Traceback", 'File "', str(ROOT), "site-packages", "/tmp/", "sqlite:///", "postgresql")


def links(known: list[str]):
    names = [*known, *COMMON]
    return st.tuples(
        st.fixed_dictionaries({n: values for n in names}),
        st.sets(st.sampled_from(names), max_size=2),  # some links leave a parameter out
        st.dictionaries(unknown_names, values, min_size=3, max_size=4),
    ).map(lambda t: {**{k: v for k, v in t[0].items() if k not in t[1]}, **t[2]})


class Sessions:
    """One AppTest per page for BATCH links, then a fresh one."""

    def __init__(self, page: str):
        self.page, self.at, self.runs = page, None, 0

    def open(self, query: dict[str, str]):
        from streamlit.testing.v1 import AppTest
        if self.at is None or self.runs % BATCH == 0:
            self.at = AppTest.from_file(APP, default_timeout=60)
            if self.page != "app.py":
                self.at.switch_page(self.page)
        self.runs += 1
        at = self.at
        for key in list(at.query_params):
            del at.query_params[key]
        for key, value in query.items():
            at.query_params[key] = value
        return at.run()


def test_every_page_is_fuzzed():
    pages = {"app.py", *(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))}
    assert pages == set(PAGES)


@pytest.mark.parametrize("page", list(PAGES))
def test_any_link_draws_the_page_without_a_traceback(page, tmp_path):
    sessions = Sessions(page)
    seen = []

    @settings(max_examples=LINKS, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(query=links(PAGES[page]))
    def check(query):
        seen.append(len(query))
        at = sessions.open(query)
        assert not at.exception, f"{query!r}: {at.exception[0].value}"
        text = page_text(at)
        for bad in (*INTERNALS, str(tmp_path)):
            assert bad not in text, f"{query!r} put {bad!r} on the page"

    check()
    assert len(seen) >= LINKS and (sum(seen) >= 1_000 or LINKS < 125)
