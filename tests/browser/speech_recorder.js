// Replaces the browser's speech synthesis with a recorder (loaded with page.add_init_script
// before any page script): every utterance is logged with its voice, rate and pitch, and the
// test says when one ends (__tts.finish()), as a real voice would after speaking it.
// window.__ttsVoices (set by an earlier init script) chooses the voices the device "has".
(() => {
  const voicesWanted = window.__ttsVoices || [
    { name: "Bubbles", lang: "en-US", voiceURI: "bubbles", localService: true, default: false },
    { name: "Ada", lang: "en-GB", voiceURI: "ada", localService: true, default: true },
    { name: "Ben", lang: "en-US", voiceURI: "ben", localService: true, default: false },
    { name: "Chloé", lang: "fr-FR", voiceURI: "chloe", localService: true, default: false },
  ];
  let voices = [];
  const log = [];
  const listeners = {};
  let current = null;
  function fire(u, type, extra) {
    const ev = Object.assign({ type, utterance: u, charIndex: 0, elapsedTime: 0, name: "word" }, extra || {});
    if (typeof u["on" + type] === "function") u["on" + type](ev);
  }
  class Utterance {
    constructor(text) { this.text = text; this.voice = null; this.rate = 1; this.pitch = 1; this.lang = ""; this.volume = 1; }
    addEventListener(type, fn) { this["on" + type] = fn; }
  }
  const synth = {
    speaking: false, pending: false, paused: false,
    getVoices: () => voices.slice(),
    speak(u) {
      log.push({ text: u.text, voice: u.voice && u.voice.name, rate: u.rate, pitch: u.pitch, lang: u.lang });
      current = u; this.speaking = true;
      setTimeout(() => { if (current === u) fire(u, "start"); }, 0);
    },
    cancel() {
      log.push({ cancel: true });
      const u = current; current = null; this.speaking = false;
      if (u) fire(u, "error", { error: "interrupted" });
    },
    pause() { this.paused = true; }, resume() { this.paused = false; },
    addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    removeEventListener(type, fn) { listeners[type] = (listeners[type] || []).filter((f) => f !== fn); },
  };
  window.__tts = {
    log,
    spoken: () => log.filter((e) => !e.cancel),
    finish() { const u = current; current = null; synth.speaking = false; if (u) fire(u, "end"); return !!u; },
    boundary(charIndex, charLength) { if (current) fire(current, "boundary", { charIndex, charLength }); },
    current: () => current && current.text,
  };
  if (window.__ttsAbsent) {  // a browser with no speech synthesis at all
    Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
    window.SpeechSynthesisUtterance = undefined;
    return;
  }
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
  setTimeout(() => { voices = voicesWanted; (listeners.voiceschanged || []).forEach((f) => f({})); }, 150);
})();
