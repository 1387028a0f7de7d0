// The lesson read aloud by the browser's own speech synthesis (window.speechSynthesis):
// no server work, no network, works offline. Python hands over plain data (engine/speech.py:
// tracks of lines of sentences, each with the text shown and the text spoken); everything
// from the lesson goes into the page as text (textContent), never as markup.
//
// Streamlit calls this function again on every rerun of the page, so it keeps one player per
// mount (on parentElement) and rebuilds it only when the data changes.

const STORE = "batchwise.audio.v1";
const RATES = [0.75, 1, 1.25, 1.5];
const VOICE_WAIT_MS = 3000;
const LANGUAGE_NAMES = { en: "English", fr: "French", de: "German", es: "Spanish", it: "Italian",
  pt: "Portuguese", nl: "Dutch", pl: "Polish", sv: "Swedish", da: "Danish", nb: "Norwegian",
  fi: "Finnish", tr: "Turkish", ru: "Russian", uk: "Ukrainian", ar: "Arabic", hi: "Hindi",
  zh: "Chinese", ja: "Japanese", ko: "Korean" };

function loadSettings() {
  try {
    const saved = JSON.parse(window.localStorage.getItem(STORE) || "{}");
    return saved && typeof saved === "object" ? saved : {};
  } catch (e) {
    return {}; // storage blocked or a hand-edited value: start from the defaults
  }
}

function saveSettings(change) {
  const settings = { ...loadSettings(), ...change };
  try {
    window.localStorage.setItem(STORE, JSON.stringify(settings));
  } catch (e) {
    // private mode or a full storage: the choice still holds until the page is closed
  }
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

// Drawn, not typed: emoji glyphs are missing on many school machines.
const ICONS = {
  play: "M8 5v14l11-7z",
  pause: "M6 5h4v14H6zm8 0h4v14h-4z",
  previous: "M6 6h2v12H6zm3.5 6 8.5 6V6z",
  next: "M16 6h2v12h-2zM6 18l8.5-6L6 6z",
  speaker: "M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z",
};

function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "bw-icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

const WORD = /[\p{L}\p{N}'’-]/u;

// Where `word` stands as a whole word in `text`, from `from` on (case aside), or -1.
function findWord(text, word, from) {
  const lower = text.toLowerCase();
  const want = word.toLowerCase();
  for (let i = lower.indexOf(want, from); i >= 0; i = lower.indexOf(want, i + 1)) {
    const before = i > 0 ? text[i - 1] : " ";
    const after = i + want.length < text.length ? text[i + want.length] : " ";
    if (!WORD.test(before) && !WORD.test(after)) return i;
  }
  return -1;
}

// A small stable number for a name, the same on every device.
function nameNumber(name) {
  let n = 0;
  for (const ch of String(name || "")) n = (n * 31 + ch.codePointAt(0)) % 9973;
  return n;
}

function primary(tag) {
  return String(tag || "").replace("_", "-").split("-")[0].toLowerCase();
}

function languageName(tag) {
  return LANGUAGE_NAMES[primary(tag)] || tag;
}

function voiceLabel(voice) {
  return `${voice.name} (${voice.lang})${voice.localService === false ? ", online" : ""}`;
}

// macOS and iOS list joke voices (Bubbles, Zarvox, Bad News…) beside the real ones: last.
const NOVELTY = /^(albert|bad news|bahh|bells|boing|bubbles|cellos|deranged|good news|hysterical|jester|organ|pipe organ|superstar|trinoids|whisper|wobble|zarvox)\b/i;

// Voices for the lesson's language: the exact region first (en-GB for an en-GB lesson, else
// the device's own region), then those that work offline, then the browser's default.
function voicesFor(language) {
  const all = window.speechSynthesis.getVoices() || [];
  const want = primary(language);
  const region = String(language).includes("-") ? String(language).toLowerCase()
    : String(navigator.language || "").toLowerCase();
  const score = (v) => {
    const lang = String(v.lang || "").replace("_", "-").toLowerCase();
    return (NOVELTY.test(String(v.name || "")) ? 8 : 0) + (lang === region ? 0 : 4)
      + (v.localService === false ? 2 : 0) + (v.default ? 0 : 1);
  };
  return all.filter((v) => primary(v.lang) === want)
    .map((v, i) => [score(v), i, v]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
}

function createPlayer(root, data) {
  const labels = data.labels;
  const tracks = data.tracks || [];
  const language = data.language || "en";
  const lang = primary(language);
  const multi = tracks.length > 1;
  const reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  const state = {
    track: 0,
    line: 0, sentence: 0, playing: false, paused: false, all: false, started: false,
    voices: [], teacher: null, student: null, oneVoice: false, utterance: null, destroyed: false,
  };
  const settings = loadSettings();
  state.rate = RATES.includes(Number(settings.rate)) ? Number(settings.rate) : 1;

  // ---- markup (labels are ours; lesson text is only ever set with textContent) ----
  const box = el("section", { class: "bw-audio", "aria-label": labels.label });
  const head = el("div", { class: "bw-head" });
  const title = el("span", { class: "bw-title", "aria-hidden": "true" });
  title.append(icon("speaker"), document.createTextNode(labels.label));
  head.append(title);
  let trackSelect = null;
  if (multi) {
    const trackLabel = el("label", { class: "bw-field" });
    trackLabel.append(el("span", {}, labels.track));
    trackSelect = el("select", { class: "bw-track" });
    tracks.forEach((t, i) => trackSelect.append(el("option", { value: String(i) }, t.title)));
    trackLabel.append(trackSelect);
    head.append(trackLabel);
  }
  box.append(head);

  const controls = el("div", { class: "bw-controls", role: "group", "aria-label": "Playback" });
  const prev = el("button", { type: "button", class: "bw-prev", "aria-label": `Previous ${labels.line}`, title: `Previous ${labels.line}` });
  prev.append(icon("previous"));
  const play = el("button", { type: "button", class: "bw-play bw-primary" });
  const next = el("button", { type: "button", class: "bw-next", "aria-label": `Next ${labels.line}`, title: `Next ${labels.line}` });
  next.append(icon("next"));
  const rateLabel = el("label", { class: "bw-field bw-rate-field" });
  rateLabel.append(el("span", {}, "Speed"));
  const rateSelect = el("select", { class: "bw-rate" });
  RATES.forEach((r) => rateSelect.append(el("option", { value: String(r) }, `${r}×`)));
  rateSelect.value = String(state.rate);
  rateLabel.append(rateSelect);
  controls.append(prev, play, next, rateLabel);
  let playAll = null;
  if (multi) {
    playAll = el("button", { type: "button", class: "bw-all" }, labels.all);
    controls.append(playAll);
  }
  box.append(controls);

  const foot = el("div", { class: "bw-foot" });
  const status = el("p", { class: "bw-status", role: "status" }, "Looking for voices on this device…");
  foot.append(status);
  box.append(foot);

  const voiceBox = el("details", { class: "bw-voices" });
  voiceBox.append(el("summary", {}, "Voices"));
  const teacherLabel = el("label", { class: "bw-field" });
  teacherLabel.append(el("span", {}, "Teacher voice"));
  const teacherSelect = el("select", { class: "bw-voice-teacher" });
  teacherLabel.append(teacherSelect);
  const studentLabel = el("label", { class: "bw-field" });
  studentLabel.append(el("span", {}, "Students' voice"));
  const studentSelect = el("select", { class: "bw-voice-student" });
  studentLabel.append(studentSelect);
  voiceBox.append(teacherLabel);
  if (data.kind === "dialogue") voiceBox.append(studentLabel);
  else teacherLabel.firstChild.textContent = "Voice";
  foot.append(voiceBox);

  // The current line for screen readers: short while the voice reads it (so the two do not
  // talk over each other), the whole line when moving through the lines while paused.
  const live = el("p", { class: "bw-live", "aria-live": "polite", "aria-atomic": "true" });
  box.append(live);
  const list = el("ol", { class: "bw-lines", "aria-label": "Text being read", lang: language, hidden: "" });
  box.append(list);
  root.append(box);

  const buttons = [prev, play, next, playAll].filter(Boolean);

  function current() {
    return tracks[state.track] && tracks[state.track].lines[state.line];
  }

  function renderTrack() {
    list.replaceChildren();
    tracks[state.track].lines.forEach((line, i) => {
      const item = el("li", { class: `bw-line bw-${line.kind} bw-role-${line.role}`, "data-index": String(i) });
      if (line.speaker) item.append(el("span", { class: "bw-speaker" }, line.speaker + ": "));
      line.sentences.forEach((s, j) => {
        item.append(el("span", { class: "bw-sentence", "data-sentence": String(j) }, s.shown));
        item.append(document.createTextNode(" "));
      });
      item.addEventListener("click", () => jump(i));
      list.append(item);
    });
    if (trackSelect) trackSelect.value = String(state.track);
  }

  function keepInView(item) {
    // Scroll the text box only, not the page: the reader may be looking elsewhere.
    const top = item.offsetTop; // the list is the items' offset parent (position: relative)
    const bottom = top + item.offsetHeight;
    if (top < list.scrollTop || bottom > list.scrollTop + list.clientHeight) {
      list.scrollTo({ top: Math.max(0, top - list.clientHeight / 4), behavior: reducedMotion ? "auto" : "smooth" });
    }
  }

  function highlight() {
    list.hidden = !state.started;
    clearWords();
    for (const item of list.children) {
      const on = Number(item.dataset.index) === state.line;
      item.classList.toggle("bw-current", on);
      if (on) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
      for (const s of item.querySelectorAll(".bw-sentence")) {
        s.classList.toggle("bw-now", on && Number(s.dataset.sentence) === state.sentence);
      }
    }
    const item = list.children[state.line];
    if (item && state.started) keepInView(item);
    const line = current();
    const count = tracks[state.track].lines.length;
    const where = `${labels.line[0].toUpperCase()}${labels.line.slice(1)} ${state.line + 1} of ${count}`;
    const who = line && line.speaker ? `, ${line.speaker}` : "";
    if (!state.started) { live.textContent = ""; return; }
    live.textContent = state.playing ? `${where}${who}`
      : `${where}${who}: ${line ? line.sentences.map((s) => s.shown).join(" ") : ""}`;
  }

  // The word being said, when the voice reports it (boundary events). Where a sentence is
  // said as written the position is exact; where it is said differently (numbers, formulas)
  // the spoken word is looked for in the shown text just after the last one marked, so "ten
  // epochs" still marks "epochs" in "10 epochs", and a number keeps the previous mark.
  function markWord(sentence, event) {
    const item = list.children[state.line];
    const span = item && item.querySelector(`[data-sentence="${state.sentence}"]`);
    if (!span || !event || typeof event.charIndex !== "number") return;
    const shown = sentence.shown;
    let start = -1;
    let end = -1;
    if (shown === sentence.spoken) {
      start = event.charIndex;
      end = event.charLength ? start + event.charLength : start;
      if (!event.charLength) while (end < shown.length && WORD.test(shown[end])) end += 1;
    } else {
      const said = (sentence.spoken.slice(event.charIndex).match(/^[\p{L}\p{N}'’-]+/u) || [""])[0];
      const found = said ? findWord(shown, said, state.wordFrom) : -1;
      if (found >= 0) { start = found; end = found + said.length; }
    }
    if (start < 0 || start >= shown.length || end <= start) return;
    state.wordFrom = end;
    const word = el("mark", { class: "bw-word" }, shown.slice(start, end));
    span.replaceChildren(document.createTextNode(shown.slice(0, start)), word,
      document.createTextNode(shown.slice(end)));
  }

  function clearWords() {
    for (const span of list.querySelectorAll(".bw-sentence")) {
      if (span.firstElementChild) span.textContent = span.textContent;
    }
  }

  function refreshButtons() {
    const usable = !!state.teacher;
    buttons.forEach((b) => { b.disabled = !usable; });
    const word = state.playing ? "Pause" : (state.paused ? "Resume" : "Play");
    play.replaceChildren(icon(state.playing ? "pause" : "play"), el("span", {}, word));
    if (playAll) playAll.setAttribute("aria-pressed", state.all && state.playing ? "true" : "false");
  }

  function voiceFor(role) {
    return role === "student" ? state.student : state.teacher;
  }

  function speakCurrent() {
    const line = current();
    if (!line || state.destroyed) return;
    const sentence = line.sentences[state.sentence];
    const synth = window.speechSynthesis;
    const utterance = new window.SpeechSynthesisUtterance(sentence.spoken);
    const voice = voiceFor(line.role);
    utterance.voice = voice;
    utterance.lang = (voice && voice.lang) || language;
    utterance.rate = state.rate;
    // One voice only: students are told apart by a higher pitch. Each student also keeps a
    // pitch of their own, a little up or down, so Student 1 and Student 3 sound like two people.
    const base = state.oneVoice && data.kind === "dialogue" ? (line.role === "student" ? 1.35 : 0.9) : 1;
    utterance.pitch = line.role === "student" ? base * (1 + 0.06 * (nameNumber(line.speaker) % 5 - 2)) : base;
    utterance.onboundary = (event) => { if (state.utterance === utterance) markWord(sentence, event); };
    utterance.onend = () => { if (state.utterance === utterance) advance(); };
    utterance.onerror = (event) => {
      if (state.utterance !== utterance) return;
      if (event && (event.error === "interrupted" || event.error === "canceled")) return;
      state.utterance = null;
      stop(`The browser could not read this aloud${event && event.error ? ` (${event.error})` : ""}. Try another voice under Voices.`);
    };
    state.utterance = utterance;
    state.wordFrom = 0;
    if (synth.paused) synth.resume(); // a synthesiser left paused elsewhere would stay silent
    synth.speak(utterance);
    highlight();
  }

  function advance() {
    const t = tracks[state.track];
    if (state.sentence + 1 < t.lines[state.line].sentences.length) {
      state.sentence += 1;
    } else if (state.line + 1 < t.lines.length) {
      state.line += 1;
      state.sentence = 0;
    } else if (state.all && state.track + 1 < tracks.length) {
      state.track += 1;
      state.line = 0;
      state.sentence = 0;
      renderTrack();
    } else {
      const wasAll = state.all;
      state.utterance = null;
      state.playing = false;
      state.paused = false;
      state.all = false;
      state.line = 0;
      state.sentence = 0;
      release();
      status.textContent = wasAll && multi ? `Finished “${t.title}”, the last ${labels.track.toLowerCase()}.`
        : `Finished “${t.title}”.`;
      refreshButtons();
      highlight();
      return;
    }
    speakCurrent();
  }

  function silence() {
    state.utterance = null;
    try { window.speechSynthesis.cancel(); } catch (e) { /* nothing was speaking */ }
  }

  // Only one player reads at a time on a page.
  function claim() {
    const other = window.__batchwiseAudioPlaying;
    if (other && other !== api) other.stop();
    window.__batchwiseAudioPlaying = api;
  }

  function release() {
    if (window.__batchwiseAudioPlaying === api) window.__batchwiseAudioPlaying = null;
  }

  function start() {
    if (!state.teacher) return;
    claim();
    state.started = true;
    state.playing = true;
    state.paused = false;
    silence();
    showVoices();
    refreshButtons();
    speakCurrent();
  }

  function stop(message) {
    state.playing = false;
    silence();
    release();
    if (message) status.textContent = message;
    refreshButtons();
    highlight();
  }

  function jump(line, sentence = 0) {
    state.line = line;
    state.sentence = sentence;
    state.started = true;
    if (state.playing) {
      silence();
      speakCurrent();
    } else {
      highlight();
      refreshButtons();
    }
  }

  function step(delta) {
    const t = tracks[state.track];
    let line = state.line + delta;
    if (line < 0 && state.track > 0) {
      state.track -= 1;
      renderTrack();
      line = tracks[state.track].lines.length - 1;
    } else if (line >= t.lines.length && state.track + 1 < tracks.length) {
      state.track += 1;
      renderTrack();
      line = 0;
    }
    jump(Math.min(Math.max(line, 0), tracks[state.track].lines.length - 1));
  }

  function showVoices() {
    if (!state.teacher) return;
    const only = state.voices.length === 1
      ? `Only one ${languageName(language)} voice on this device, so students`
      : "Teacher and students share a voice, so students";
    const one = state.oneVoice && data.kind === "dialogue" ? ` ${only} are read at a higher pitch.` : "";
    const who = data.kind === "dialogue" && !state.oneVoice
      ? `Teacher: ${state.teacher.name}. Students: ${state.student.name}.` : `Voice: ${state.teacher.name}.`;
    status.textContent = who + one;
  }

  function fillVoiceSelect(select, chosen) {
    select.replaceChildren();
    state.voices.forEach((v, i) => select.append(el("option", { value: String(i) }, voiceLabel(v))));
    select.value = String(state.voices.indexOf(chosen));
  }

  function chooseVoices() {
    state.voices = voicesFor(language);
    if (!state.voices.length) {
      state.teacher = state.student = null;
      const others = (window.speechSynthesis.getVoices() || []).length;
      status.textContent = others
        ? `This browser has no ${languageName(language)} voice, so it cannot read this lesson aloud. Add a text-to-speech voice for ${languageName(language)} in your device's settings, or try another browser.`
        : "This browser offers no voice to read aloud with. Add a text-to-speech voice in your device's settings, or try another browser.";
      voiceBox.hidden = true;
      refreshButtons();
      return;
    }
    const saved = savedVoices()[lang] || {};
    const find = (uri) => state.voices.find((v) => v.voiceURI === uri);
    state.teacher = find(saved.teacher) || state.voices[0];
    state.student = find(saved.student);
    if (!state.student) { // nothing chosen on this device yet (one shared voice is a choice too)
      state.student = state.voices.find((v) => v !== state.teacher) || state.teacher;
    }
    state.oneVoice = state.student === state.teacher;
    fillVoiceSelect(teacherSelect, state.teacher);
    fillVoiceSelect(studentSelect, state.student);
    voiceBox.hidden = false;
    showVoices();
    refreshButtons();
  }

  function savedVoices() {
    const saved = loadSettings().voices;
    return saved && typeof saved === "object" && !Array.isArray(saved) ? saved : {};
  }

  function rememberVoices() {
    const voices = savedVoices();
    // The explanations and summary players have one voice, the teacher's: they leave the
    // students' voice as the conversation player set it.
    voices[lang] = { ...(voices[lang] && typeof voices[lang] === "object" ? voices[lang] : {}),
      teacher: state.teacher.voiceURI,
      ...(data.kind === "dialogue" ? { student: state.student.voiceURI } : {}) };
    saveSettings({ voices });
  }

  // ---- events ----
  play.addEventListener("click", () => {
    if (state.playing) { state.paused = true; stop("Paused."); }
    else { if (!state.paused) state.all = false; start(); }
  });
  prev.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));
  if (playAll) {
    playAll.addEventListener("click", () => {
      state.track = 0;
      state.line = 0;
      state.sentence = 0;
      renderTrack();
      start();
      state.all = true;
      refreshButtons();
    });
  }
  if (trackSelect) {
    trackSelect.addEventListener("change", () => {
      const wasPlaying = state.playing;
      state.track = Number(trackSelect.value) || 0;
      state.line = 0;
      state.sentence = 0;
      renderTrack();
      if (wasPlaying) { silence(); speakCurrent(); } else highlight();
      refreshButtons();
    });
  }
  rateSelect.addEventListener("change", () => {
    state.rate = Number(rateSelect.value) || 1;
    saveSettings({ rate: state.rate });
    if (state.playing) { silence(); speakCurrent(); } // the new speed from this sentence on
  });
  teacherSelect.addEventListener("change", () => {
    state.teacher = state.voices[Number(teacherSelect.value)] || state.teacher;
    state.oneVoice = state.student === state.teacher;
    rememberVoices();
    showVoices();
    if (state.playing) { silence(); speakCurrent(); }
  });
  studentSelect.addEventListener("change", () => {
    state.student = state.voices[Number(studentSelect.value)] || state.student;
    state.oneVoice = state.student === state.teacher;
    rememberVoices();
    showVoices();
    if (state.playing) { silence(); speakCurrent(); }
  });
  box.addEventListener("keydown", (event) => {
    // Space and arrows already belong to the focused control; only Escape is added: stop.
    if (event.key === "Escape" && state.playing) { event.preventDefault(); state.paused = true; stop("Paused."); }
  });

  // ---- voices: they load asynchronously (and never, on some machines) ----
  let waitTimer = null;
  let pollTimer = null;
  const onVoices = () => {
    if (state.destroyed) return;
    if (voicesFor(language).length) {
      clearTimeout(waitTimer);
      clearInterval(pollTimer);
      chooseVoices();
    }
  };
  renderTrack();
  highlight();
  refreshButtons();
  if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) {
    status.textContent = "This browser cannot read aloud (it has no speech synthesis). Try another browser, such as a recent Chrome, Edge, Safari or Firefox.";
    voiceBox.hidden = true;
  } else {
    window.speechSynthesis.addEventListener("voiceschanged", onVoices);
    if (voicesFor(language).length) chooseVoices();
    else {
      // Some browsers never fire voiceschanged: ask again for a moment, then say so.
      pollTimer = setInterval(onVoices, 250);
      waitTimer = setTimeout(() => { clearInterval(pollTimer); if (!state.teacher) chooseVoices(); }, VOICE_WAIT_MS);
    }
  }

  const api = {
    stop() {
      if (state.playing) state.paused = true; // another player took over: this one can resume
      stop();
    },
    destroy() {
      if (state.destroyed) return;
      state.destroyed = true;
      clearTimeout(waitTimer);
      clearInterval(pollTimer);
      if (window.speechSynthesis && window.speechSynthesis.removeEventListener) {
        window.speechSynthesis.removeEventListener("voiceschanged", onVoices);
      }
      if (state.playing) silence();
      state.playing = false;
      release();
      box.remove();
    },
  };
  return api;
}

export default function (component) {
  const { data, parentElement } = component;
  const signature = JSON.stringify(data);
  let mounted = parentElement.__batchwiseAudio;
  if (!mounted || mounted.signature !== signature) {
    if (mounted) mounted.player.destroy();
    mounted = { signature, player: createPlayer(parentElement, data || {}) };
    parentElement.__batchwiseAudio = mounted;
  }
  return () => {
    // Streamlit also hands back this cleanup when it merely runs the function again, so only
    // a player whose box has left the page (another tab, another page) is stopped.
    setTimeout(() => {
      if (parentElement.isConnected && parentElement.__batchwiseAudio === mounted) return;
      mounted.player.destroy();
      if (parentElement.__batchwiseAudio === mounted) delete parentElement.__batchwiseAudio;
    }, 0);
  };
}
