"""The floor under `hadath extract --jsonl` on the ANT corpus: what any extractor must spend.

Reads the file as the command does (gzip, one JSON object a line), normalises each text with
hadath's normaliser (offsets kept), and makes one Aho-Corasick pass over it with every word of
the lexicon's patterns (their cores and prefixes) and every Arabic name of the gazetteer,
counting the longest non-overlapping hits. Nothing else: no tokens, no clitics, no events.
Pinned to one CPU where `taskset` exists, like bench/ant_throughput.py; reports CPU seconds
(median of --repeat runs) and, when bench/results/ant_throughput.json is there, the ratio of
the command's CPU seconds to the floor's.

Needs pyahocorasick (a C automaton: ``pip install pyahocorasick``), not a hadath dependency.
Time it alone: ``flock /tmp/bench.lock python bench/extract_floor.py --repeat 3``.

Usage: python bench/extract_floor.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

from common import ANT, RESULTS, shared, write_result


def automaton():
    """An Aho-Corasick automaton over the lexicon's pattern words and the gazetteer's names."""
    import ahocorasick

    from hadath.geo import default_gazetteer
    from hadath.lexicon import default_lexicon

    index = default_lexicon().index
    words: set[str] = set()
    for entries in (*index._exact.values(), *index._prefix.values()):
        for e in entries:
            for w in e.words:
                words.update(w.exact)
                words.update(w.prefixes)
    builtin = default_gazetteer().builtin
    words.update(p for (p,) in builtin.db.execute("SELECT DISTINCT phrase FROM arabic"))
    auto = ahocorasick.Automaton()
    for w in words:
        if w:
            auto.add_word(w, len(w))
    auto.make_automaton()
    return auto, len(words)


def floor_pass(path) -> dict:
    """Read, normalise and match the whole file once (in this process)."""
    from hadath.text import normalize

    started = time.process_time()
    auto, size = automaton()
    built = time.process_time() - started
    articles = chars = hits = 0
    with gzip.open(path, "rb") as fh:
        for raw in fh:
            text = json.loads(raw).get("text")
            if not isinstance(text, str) or not text.strip():
                continue
            norm = normalize(text)
            articles += 1
            chars += len(text)
            hits += sum(1 for _ in auto.iter_long(norm.text))
    return {"articles": articles, "characters": chars, "hits": hits, "words": size,
            "automaton_cpu_seconds": round(built, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1, help="runs; the median is reported")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    path = shared(*ANT)
    if args.child:
        print(json.dumps(floor_pass(path)))
        return
    try:
        import ahocorasick  # noqa: F401
    except ImportError:
        sys.exit("skipped: the floor needs pyahocorasick (pip install pyahocorasick)")
    cmd = [sys.executable, __file__, "--child"]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    cpus, walls, info = [], [], {}
    for _ in range(max(1, args.repeat)):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
        walls.append(time.perf_counter() - started)
        if proc.returncode:
            sys.exit(f"the floor pass failed: {proc.stderr[-2000:]}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        info = json.loads(proc.stdout)
    cpu = statistics.median(cpus)
    res = {**info, "cpu_seconds": round(cpu, 2), "cpu_seconds_runs": [round(c, 2) for c in cpus],
           "wall_seconds": round(statistics.median(walls), 2), "one_core": cmd[0] == "taskset",
           "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}
    extract = RESULTS / "ant_throughput.json"
    if extract.is_file():
        full = json.loads(extract.read_text(encoding="utf-8")).get("cpu_seconds")
        if full:
            res["extract_cpu_seconds"] = full
            res["extract_to_floor"] = round(full / cpu, 2)
    out = write_result("extract_floor", res)
    print(f"floor: {info['articles']} articles, {info['characters']:,} characters read, normalised "
          f"and matched against {info['words']:,} words in {cpu:.1f} CPU-s on one core"
          + (f"; extract --jsonl {res['extract_cpu_seconds']} CPU-s = "
             f"{res['extract_to_floor']}x the floor" if "extract_to_floor" in res else ""))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
