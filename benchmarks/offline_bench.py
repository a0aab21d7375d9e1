"""Offline backend speed and memory, against a baseline in the same run.

    python benchmarks/offline_bench.py [--repeat N]

Prints articles per second and peak memory for the full offline pipeline
(extract → pair → score) over the project's labeled articles, and the same for
a baseline that only splits the articles into sentences (pysbd), so the
ratio says what the detector's own work costs on this machine, whatever its
speed. Memory is the peak of Python allocations (tracemalloc) per pass.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from detector import Detector
from detector.evaluation.dataset import load_dataset
from detector.text import sentences

ROOT = Path(__file__).resolve().parent.parent


def measure(fn: Callable[[str], object], texts: list[str], repeat: int) -> tuple[float, float]:
    fn(texts[0])  # warm caches (segmenter, lexicons, weights)
    tracemalloc.start()
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            fn(text)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return len(texts) * repeat / seconds, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    samples = load_dataset(ROOT / "evals" / "datasets" / "dev.jsonl") + load_dataset(
        ROOT / "evals" / "datasets" / "test.jsonl"
    )
    texts = [s.text for s in samples]
    chars = sum(len(t) for t in texts)
    detector = Detector(backend="offline")
    base_rate, base_mem = measure(sentences, texts, args.repeat)
    rate, mem = measure(detector.analyze, texts, args.repeat)
    long_text = "\n\n".join(texts)  # one long article: how it scales
    long_rate, long_mem = measure(detector.analyze, [long_text], 1)
    print(
        f"articles: {len(texts)} ({chars / len(texts):,.0f} characters on average), repeat {args.repeat}"
    )
    print(
        f"baseline (sentence splitting only): {base_rate:8.1f} articles/s, peak {base_mem:6.1f} MB"
    )
    print(f"offline detector (3 stages):        {rate:8.1f} articles/s, peak {mem:6.1f} MB")
    print(
        f"ratio detector/baseline:            {rate / base_rate:8.2f}x speed, {mem / max(base_mem, 1e-9):.2f}x memory"
    )
    print(
        f"one {len(long_text):,}-character article:  {1 / long_rate:8.2f} s, peak {long_mem:6.1f} MB"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory (imports included): {rss:.0f} MB")


if __name__ == "__main__":
    main()
