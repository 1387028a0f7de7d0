"""The lesson read aloud: text prepared for a speech synthesiser, and the queue of what to say.

The browser speaks (window.speechSynthesis), but what it is given is decided here, so it can
be tested without a browser: Markdown marks dropped, formulas and code names said the way a
teacher would say them ("ceil(N / B)" as "the ceiling of N divided by B", `drop_last` as
"drop last"), numbers as words ("1,000 ÷ 32" as "one thousand divided by thirty-two").

Everything is built from the loaded lesson, so a lesson added as files is heard with no code
change. Each part is a `Track` of `Line`s (a dialogue line, a paragraph, a list item or a
heading); each line is cut into sentences, because the player speaks one sentence at a time:
a pause resumes at the sentence, and some browsers stop long utterances after ~15 seconds.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from num2words import num2words

from engine.content.models import Lesson

DEFAULT_LANGUAGE = "en"

# Teacher and narrator share a voice; students get the other one.
TEACHER, STUDENT, NARRATOR = "teacher", "student", "narrator"
_TEACHER_NAMES = ("teacher", "tutor", "instructor", "professor", "lecturer", "narrator")


def speaker_role(speaker: str) -> str:
    """'Teacher' (and tutors, instructors…) or a student: which voice reads the line."""
    return TEACHER if speaker.strip().casefold().startswith(_TEACHER_NAMES) else STUDENT


# --- Markdown to plain text -----------------------------------------------------------------

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPH_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EMPH_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"(`+)(.+?)\1")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")


def plain(markdown: str) -> str:
    """What a line shows in the player: the text as written, Markdown marks removed."""
    text = _HEADING.sub("", _BULLET.sub("", markdown.strip()))
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(lambda m: m.group(2).strip(), text)
    for pattern in (_STRONG, _STRIKE):
        text = pattern.sub(lambda m: m.group(m.lastindex), text)
    text = _EMPH_STAR.sub(r"\1", text)
    text = _EMPH_UNDERSCORE.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    return " ".join(text.split())


# --- Words for symbols, formulas and code ------------------------------------------------------

@dataclass(frozen=True)
class Words:
    """The words a language uses for what the lessons write as symbols."""

    ceiling: str = "the ceiling of {}"
    floor: str = "the floor of {}"
    divided_by: str = "divided by"
    times: str = "times"
    plus: str = "plus"
    minus: str = "minus"
    equals: str = "equals"
    set_to: str = "set to"
    with_: str = "with"
    gives: str = "gives"
    about: str = "about"
    approximately_equals: str = "is about"
    at_most: str = "at most"
    at_least: str = "at least"
    less_than: str = "less than"
    greater_than: str = "greater than"
    not_equal: str = "is not equal to"
    plus_or_minus: str = "plus or minus"
    percent: str = "percent"
    to: str = "to"
    or_: str = "or"
    and_: str = "and"
    dot: str = "dot"
    power: str = "{} times ten to the power of {}"
    power_of_ten: str = "ten to the power of {}"
    squared: str = "squared"
    cubed: str = "cubed"
    to_the_power: str = "to the power of"
    square_root: str = "the square root of"
    abbreviations: tuple[tuple[str, str], ...] = (
        ("e.g.", "for example"), ("i.e.", "that is"), ("et al.", "and colleagues"),
        ("etc.", "and so on"), ("vs.", "versus"), ("approx.", "approximately"),
    )
    greek: tuple[tuple[str, str], ...] = (
        ("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("δ", "delta"), ("ε", "epsilon"),
        ("η", "eta"), ("θ", "theta"), ("λ", "lambda"), ("μ", "mu"), ("σ", "sigma"),
        ("Σ", "the sum of"), ("∑", "the sum of"), ("∇", "the gradient of"),
    )


# Another language is one more entry here (num2words already says its numbers); until then
# its lessons are read with numbers and symbols left to the voice.
WORDS = {"en": Words()}
_TERMINAL = ".!?"


def language_of(lesson: Lesson) -> str:
    """The lesson's language as a BCP 47 tag ('en', 'en-GB', 'fr'): `language:` in lesson.yaml
    when the content schema has it, English otherwise."""
    tag = str(getattr(lesson.info, "language", "") or DEFAULT_LANGUAGE).strip().replace("_", "-")
    return tag if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag) else DEFAULT_LANGUAGE


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def _say_number(value: str, language: str, **kwargs) -> str:
    try:
        return num2words(Decimal(value), lang=_primary(language), **kwargs)
    except Exception:  # a number the library cannot say (too long, say) is still read as digits
        return value


def _split_identifier(name: str) -> str:
    """drop_last → drop last, DataLoader → Data Loader, batchSize → batch Size."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return " ".join(part for part in name.split("_") if part)


def _say_code(code: str, words: Words) -> str:
    """A code name said aloud: DataLoader(drop_last=True) → Data Loader with drop last set to True."""
    code = code.strip()
    code = re.sub(r"(\w+)\(\s*\)", r"\1", code)
    code = re.sub(r"(\w+)\((.+)\)", lambda m: f"{m.group(1)} {words.with_} {m.group(2)}", code)
    code = re.sub(r"\s*==\s*", f" {words.equals} ", code)
    code = re.sub(r"\s*(?<![<>!=])=(?!=)\s*", f" {words.set_to} ", code)
    code = re.sub(r"(?<=\w)\.(?=[A-Za-z_])", f" {words.dot} ", code)
    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: _split_identifier(m.group()), code)


_NUMBER = re.compile(
    r"(?<![\w.,])(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?:[eE](?P<exp>[-+−]?\d+))?(?P<ord>st|nd|rd|th)?(?P<pct>\s?%)?(?![\w])"
)
# A sign is only a minus when nothing it could subtract from stands before it.
_UNARY_OK = re.compile(r"(^|[\s(\[=,;:])$")


def _numbers(text: str, language: str, words: Words) -> str:
    def say(m: re.Match) -> str:
        sign = m.group("sign")
        prefix = ""
        if sign:
            if _UNARY_OK.search(text[:m.start()]):
                prefix = f"{words.minus} "
            else:  # "10-20" or "5−3": a binary sign, said by the symbol pass
                return m.group(0)[0] + say_unsigned(m)
        return prefix + say_unsigned(m)

    def say_unsigned(m: re.Match) -> str:
        whole = m.group("int").replace(",", "")
        frac = m.group("frac") or ""
        if m.group("ord") and not frac:
            return _say_number(whole, language, to="ordinal")
        if m.group("exp"):
            exponent = m.group("exp").replace("−", "-").lstrip("+")
            if whole + frac == "1":
                return words.power_of_ten.format(_say_number(exponent, language))
            return words.power.format(_say_number(whole + frac, language), _say_number(exponent, language))
        after = text[m.end():]
        if (not frac and "," not in m.group("int") and len(whole) == 4 and 1500 <= int(whole) <= 2099
                and not m.group("pct") and not re.match(r"\s*[A-Za-z]", after)):
            spoken = _say_number(whole, language, to="year")
        else:
            spoken = _say_number(whole + frac, language)
        if m.group("pct"):
            spoken += f" {words.percent}"
        return spoken

    return _NUMBER.sub(say, text)


def _symbols(text: str, words: Words) -> str:
    # after a number, a one-letter name (N, B) or a bracket: an arithmetic sign, not a dash
    operand = r"(?:(?<=\d)|(?<=\))|(?<=(?<![A-Za-z])[A-Za-z]))"
    replacements = [
        (r"\s*÷\s*", f" {words.divided_by} "),
        (r"\s*[×✕⋅·]\s*", f" {words.times} "),
        (rf"{operand}\s*/\s*(?=\(|\d|[A-Za-z](?![A-Za-z]))", f" {words.divided_by} "),
        (r"\s*/\s*", f" {words.or_} "),
        (r"\s*(?:→|⟶|=>|⇒)\s*", f" {words.gives} "),
        (r"\s*≈\s*", f" {words.approximately_equals} "),
        (r"~\s*(?=\d)", f"{words.about} "),
        (r"\s*≠\s*", f" {words.not_equal} "),
        (r"\s*(?:≤|<=)\s*", f" {words.at_most} "),
        (r"\s*(?:≥|>=)\s*", f" {words.at_least} "),
        (r"\s+<\s+", f" {words.less_than} "),
        (r"\s+>\s+", f" {words.greater_than} "),
        (r"\s*±\s*", f" {words.plus_or_minus} "),
        (r"\s*=\s*", f" {words.equals} "),
        (r"(?<=\w)\s*\+\s*(?=[\w(])|\s+\+\s+", f" {words.plus} "),
        (rf"{operand}\s*−\s*|\s+[−-]\s+(?=[\w(])", f" {words.minus} "),
        (r"(?<=\d)\s*[–—-]\s*(?=\d)", f" {words.to} "),
        (r"\s*[—–]\s*", ", "),
        (r"\s*…\s*|\.{3}", ", "),
        (r"²", f" {words.squared}"),
        (r"³", f" {words.cubed}"),
        (r"\s*\^\s*", f" {words.to_the_power} "),
        (r"√\s*", f"{words.square_root} "),
        (r"\s*&\s*", f" {words.and_} "),
        (r"\s*\|\s*", ", "),
        (r"[*_`#\[\]{}<>\\~]", " "),
    ]
    for pattern, spoken in replacements:
        text = re.sub(pattern, spoken, text)
    for symbol, spoken in words.greek:
        text = text.replace(symbol, f" {spoken} ")
    return text


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:?!)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r",\s*,+", ",", text)
    text = re.sub(r"([.?!]),", r"\1", text)
    return text.strip(" ,")


def speakable(markdown: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The text a speech synthesiser is given for a line written in the lesson's Markdown.

    In a language with no entry in WORDS, only the Markdown and the code names are prepared:
    numbers and symbols are left to the voice, which reads them in its own language and with
    its own conventions (1.000 or 1 000, 31,25) better than half-English words would."""
    words = WORDS.get(_primary(language))
    text = _HEADING.sub("", _BULLET.sub("", markdown.strip()))
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", " ", text)  # tags are markup, never words
    if words is not None:
        text = _CODE.sub(lambda m: f" {_say_code(m.group(2), words)} ", text)
    else:
        text = _CODE.sub(lambda m: f" {_split_identifier(m.group(2))} ", text)
    for pattern in (_STRONG, _STRIKE):
        text = pattern.sub(lambda m: m.group(m.lastindex), text)
    text = _EMPH_STAR.sub(r"\1", text)
    text = _EMPH_UNDERSCORE.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    text = re.sub(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b", lambda m: _split_identifier(m.group()), text)
    if words is None:
        return _tidy(re.sub(r"[*_`#\[\]{}<>\\|~^]", " ", text))
    for short, spoken in words.abbreviations:
        text = re.sub(rf"(?<!\w){re.escape(short)}(?=\W|$)", spoken, text, flags=re.IGNORECASE)
    for name, template in (("ceil", words.ceiling), ("floor", words.floor)):
        text = re.sub(rf"\b{name}(?:ing)?\s*\(([^()]*)\)", lambda m, t=template: t.format(m.group(1).strip()), text)
    text = re.sub(r"⌈\s*([^⌉]*?)\s*⌉", lambda m: words.ceiling.format(m.group(1)), text)
    text = re.sub(r"⌊\s*([^⌋]*?)\s*⌋", lambda m: words.floor.format(m.group(1)), text)
    text = _symbols(text, words)
    text = _numbers(text, language, words)
    return _tidy(text)


# --- Sentences, lines and tracks -------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]*_`]*\s+(?=[\"'“‘(\[*_`]*[A-Z0-9])")
_ABBREVIATION_END = re.compile(r"(?:\b(?:e\.g|i\.e|et al|etc|vs|approx|Dr|Mr|Mrs|Ms|Fig|No|cf)\.)$")


LONG_SENTENCE = 200  # characters; some voices fall silent ~15 s into one utterance
_CLAUSE_END = re.compile(r"(?<=[;:])\s+")


def _clauses(sentence: str) -> list[str]:
    """A very long sentence cut after its semicolons and colons, where a reader breathes."""
    if len(sentence) <= LONG_SENTENCE:
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(sentence):
        if pieces and len(pieces[-1]) + len(clause) < LONG_SENTENCE // 2:
            pieces[-1] = f"{pieces[-1]} {clause}"  # no need to cut off a few words
        else:
            pieces.append(clause)
    return pieces


def sentences(markdown: str) -> list[str]:
    """A paragraph cut into sentences (not at 'e.g.' or 'et al.'), very long ones into clauses."""
    return [clause for sentence in _sentences(markdown) for clause in _clauses(sentence)]


def _sentences(markdown: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(markdown):
        piece = markdown[start:m.start()].strip()
        if pieces and _ABBREVIATION_END.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
        start = m.end()
    tail = markdown[start:].strip()
    if tail:
        if pieces and _ABBREVIATION_END.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {tail}"
        else:
            pieces.append(tail)
    return [p for p in pieces if p]


@dataclass(frozen=True)
class Sentence:
    shown: str   # as the player displays it
    spoken: str  # as the speech synthesiser is given it


@dataclass(frozen=True)
class Line:
    """One highlighted unit: a dialogue line, a paragraph, a list item or a heading."""

    role: str
    sentences: tuple[Sentence, ...]
    speaker: str = ""
    kind: str = "text"  # "text", "item" or "heading"


@dataclass(frozen=True)
class Track:
    """What one press of Play reads: a dialogue part, a topic or a summary."""

    id: str
    title: str
    lines: tuple[Line, ...]


def make_line(markdown: str, language: str, role: str = NARRATOR, speaker: str = "",
              kind: str = "text") -> Line | None:
    said = []
    for piece in sentences(" ".join(markdown.split())):
        shown, spoken = plain(piece), speakable(piece, language)
        if spoken:
            if kind == "heading" and spoken[-1] not in _TERMINAL:
                spoken += "."  # a pause after a title, before the text under it
            said.append(Sentence(shown, spoken))
    return Line(role, tuple(said), speaker, kind) if said else None


def prose_lines(markdown: str, language: str) -> list[Line]:
    """Markdown prose as lines: each heading, paragraph and list item is one."""
    blocks: list[tuple[str, list[str]]] = []
    for raw in markdown.splitlines():
        if not raw.strip():
            blocks.append(("gap", []))
        elif _HEADING.match(raw):
            blocks.append(("heading", [raw]))
        elif _BULLET.match(raw):
            blocks.append(("item", [raw]))
        elif blocks and blocks[-1][0] in ("text", "item") and blocks[-1][1]:
            blocks[-1][1].append(raw)  # a wrapped line continues its paragraph or item
        else:
            blocks.append(("text", [raw]))
    lines = [make_line(" ".join(parts), language, kind=kind) for kind, parts in blocks if parts]
    return [line for line in lines if line is not None]


def dialogue_tracks(lesson: Lesson) -> list[Track]:
    language = language_of(lesson)
    tracks = []
    for part in lesson.dialogue:
        lines = [make_line(line.text, language, speaker_role(line.speaker), line.speaker)
                 for line in part.lines]
        tracks.append(Track(part.id, part.title, tuple(l for l in lines if l)))
    return tracks


def topic_tracks(lesson: Lesson) -> list[Track]:
    language = language_of(lesson)
    tracks = []
    for topic in lesson.topics:
        lines = [make_line(topic.title, language, kind="heading"),
                 *prose_lines(topic.explanation, language),
                 make_line(topic.analogy_title, language, kind="heading"),
                 *prose_lines(topic.analogy, language)]
        tracks.append(Track(topic.id, topic.title, tuple(l for l in lines if l)))
    return tracks


SUMMARY_TITLES = {"quick": "Quick summary", "standard": "Standard summary", "detailed": "Detailed summary"}


def summary_tracks(lesson: Lesson, levels: list[str] | None = None) -> list[Track]:
    language = language_of(lesson)
    chosen = levels or list(SUMMARY_TITLES)
    return [Track(level, SUMMARY_TITLES[level],
                  tuple(prose_lines(getattr(lesson.info.summaries, level), language)))
            for level in chosen if level in SUMMARY_TITLES]


# What the player calls the things it plays, per kind of listening.
KINDS = {
    "dialogue": {"label": "Listen to the conversation", "track": "Part", "all": "Play all parts",
                 "line": "line"},
    "topics": {"label": "Listen to the explanations", "track": "Explanation",
               "all": "Play all explanations", "line": "paragraph"},
    "summary": {"label": "Listen to this summary", "track": "Summary", "all": "Play all summaries",
                "line": "paragraph"},
}


def audio_book(lesson: Lesson, kind: str, levels: list[str] | None = None) -> dict:
    """Everything the player needs, as plain data: the lesson's language, the labels and the
    tracks. `kind` is 'dialogue', 'topics' or 'summary' (with the summary levels to offer)."""
    if kind == "dialogue":
        tracks = dialogue_tracks(lesson)
    elif kind == "topics":
        tracks = topic_tracks(lesson)
    elif kind == "summary":
        tracks = summary_tracks(lesson, levels)
    else:
        raise ValueError(f"unknown kind of listening {kind!r}")
    return {"kind": kind, "lesson": lesson.id, "language": language_of(lesson),
            "labels": KINDS[kind], "tracks": [asdict(t) for t in tracks if t.lines]}
