"""Median time to prepare a lesson for listening (engine.speech.audio_book), per player.

    .venv/bin/python bench/bench_speech.py [--runs 15]

The page pays it once per lesson per server process (ui/audio.py keeps the result), so this is
the first visitor's extra wait on the Lesson page after a start or a content change.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from engine.content import load_library
    from engine.speech import audio_book

    lesson = load_library(ROOT / "content").lessons["training-phases"]
    for kind in ("dialogue", "topics", "summary"):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            audio_book(lesson, kind)
            times.append(time.perf_counter() - start)
        print(f"{kind:9} median {statistics.median(times) * 1000:6.1f} ms  (runs {args.runs})")


if __name__ == "__main__":
    main()
