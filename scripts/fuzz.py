"""``make fuzz``: build mutated articles and report crashes, hangs and invalid outputs.

usage: python scripts/fuzz.py [--count 300] [--seconds 600] [--seed 1]

The articles are the two samples and the news-dev items, mutated at random
(seeded, so a run can be repeated): cut short, sentence punctuation taken out,
sentences shuffled or repeated, HTML tags, control characters, characters
outside the BMP, traditional forms, a very long run of one character, a
title chain with no name, an encoding other than UTF-8 (GBK, Big5, UTF-16),
random bytes, a ``.jsonl.gz`` of its sentences cut short or with flipped
bytes. Each goes through what ``kg build`` does with a file (read,
extract, assemble, Turtle), in one process with the models loaded once; the
Turtle is read back by rdflib. Outcomes:

* ``ok``: a graph that parses;
* ``refused``: a one-line kg error (what bad input should get);
* ``crash``: any other exception (a traceback a user would see);
* ``hang``: over ``--per-article`` seconds (stopped by an alarm);
* ``invalid``: Turtle that rdflib cannot read back.

Then ``--requests`` random SPARQL Protocol requests go through ``kg serve``'s
gate (``scripts/fuzz_requests.py``): each is refused, or forwarded carrying
exactly the queries the gate checked and no SERVICE clause; anything else is
a ``leak`` (or a ``crash``).

Exit status 1 when anything crashed, hung, leaked or wrote an invalid graph.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
NEWS_DEV = ROOT.parent / "shared" / "corpora" / "news-dev" / "articles.jsonl"

TRADITIONAL = str.maketrans("国会议长总统书记团东说这门开关发", "國會議長總統書記團東說這門開關發")


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def sources() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "articles").glob("*.txt"))]
    if NEWS_DEV.is_file():
        texts += [json.loads(line)["text"] for line in NEWS_DEV.read_text(encoding="utf-8").splitlines() if line]
    return texts


def mutate(text: str, rng: random.Random) -> tuple[str, bytes]:
    """(what was done, the bytes of the mutated file)."""
    kind = rng.choice(["cut", "no_punctuation", "shuffle", "repeat", "html", "control", "astral", "traditional",
                       "long_run", "title_only", "gbk", "big5", "utf16", "random_bytes", "mixed", "gz_damaged"])
    sentences = [s for s in text.replace("\n", "。").split("。") if s]
    if kind == "cut":
        text = text[:rng.randrange(1, max(2, len(text)))]
    elif kind == "no_punctuation":
        text = "".join(c for c in text if c not in "。！？；，、\n")
    elif kind == "shuffle":
        rng.shuffle(sentences)
        text = "。".join(sentences) + "。"
    elif kind == "repeat":
        text = text * rng.randint(2, 20)
    elif kind == "html":
        text = "<html><body>" + "".join(f"<p>{s}。</p><script>x()</script>" for s in sentences) + "</body></html>"
    elif kind == "control":
        at = rng.randrange(len(text) + 1)
        text = text[:at] + chr(rng.choice([1, 7, 8, 11, 12, 27, 127])) + text[at:]
    elif kind == "astral":
        text = "".join(c + ("\U0002000b" if rng.random() < 0.05 else "") for c in text)
    elif kind == "traditional":
        text = text.translate(TRADITIONAL)
    elif kind == "long_run":
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice("习国的会·") * rng.randint(100, 20_000) + text[at:]
    elif kind == "title_only":
        text = "国务院副总理、外交部长、" * rng.randint(1, 500) + "。" + text[:200]
    elif kind == "mixed":
        text = "".join(rng.choice([s + "。", s[::-1] + "，", s.upper()]) for s in sentences)
    if kind == "gz_damaged":  # its sentences as JSONL items, gzipped, then cut short or with bytes flipped
        lines = "".join(json.dumps({"id": f"s{i}", "text": s}, ensure_ascii=False) + "\n"
                        for i, s in enumerate(sentences or [text]))
        data = gzip.compress(lines.encode("utf-8"))
        at = rng.randrange(10, max(11, len(data)))
        if rng.random() < 0.5:
            return kind, data[:at]
        return kind, data[:at] + bytes(b ^ rng.randrange(1, 256) for b in data[at:at + 4]) + data[at + 4:]
    encoding = {"gbk": "gbk", "big5": "big5", "utf16": "utf-16"}.get(kind, "utf-8")
    if kind == "random_bytes":
        return kind, bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000)))
    return kind, text.encode(encoding, errors="replace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=600, help="stop starting new articles after this")
    parser.add_argument("--per-article", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=20_000, help="random requests through the endpoint's gate")
    args = parser.parse_args()

    from rdflib import Graph

    from kg import KgError
    from kg.facts.stories import merge_story_events
    from kg.io.articles import iter_articles
    from kg.nlp.article_parts import shape_article
    from kg.nlp.doc_facts import extract
    from kg.nlp.pipeline import shared_pipeline
    from kg.rdf.build import build_dataset
    from kg.rdf.files import serialize

    nlp = shared_pipeline()
    rng = random.Random(args.seed)
    texts = sources()
    outcomes: dict[str, int] = {}
    problems: list[str] = []
    signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as folder:
        for number in range(args.count):
            if time.monotonic() - started > args.seconds:
                break
            kind, data = mutate(rng.choice(texts), rng)
            path = Path(folder) / f"fuzz-{number}.{'jsonl.gz' if kind.startswith('gz') else 'txt'}"
            path.write_bytes(data)
            signal.setitimer(signal.ITIMER_REAL, args.per_article)
            try:
                articles = [shape_article(a) for a in iter_articles([path])]
                turtle = serialize(build_dataset(merge_story_events(extract(articles, nlp), [])), "turtle")
                signal.setitimer(signal.ITIMER_REAL, 0)
                try:
                    Graph().parse(data=turtle.decode("utf-8"), format="turtle")
                    outcome = "ok"
                except Exception as exc:  # noqa: BLE001 - any parse failure is an invalid output
                    outcome = "invalid"
                    problems.append(f"{number} {kind}: invalid Turtle ({' '.join(str(exc).split())[:120]})")
            except Hang:
                outcome = "hang"
                problems.append(f"{number} {kind}: over {args.per_article:g} s")
            except KgError as exc:
                signal.setitimer(signal.ITIMER_REAL, 0)
                outcome = "refused" if "\n" not in str(exc) else "crash"
            except Exception:  # noqa: BLE001 - what a user would see as a traceback
                signal.setitimer(signal.ITIMER_REAL, 0)
                outcome = "crash"
                problems.append(f"{number} {kind}: {traceback.format_exc().strip().splitlines()[-1][:160]}")
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    total = sum(outcomes.values())
    summary = ", ".join(f"{outcomes.get(k, 0)} {k}" for k in ("ok", "refused", "crash", "hang", "invalid"))
    print(f"fuzz: {total} mutated articles in {time.monotonic() - started:,.0f} s (seed {args.seed}): {summary}")
    for line in problems:
        print(f"  {line}")
    from fuzz_requests import fuzz_requests

    requests_started = time.monotonic()
    request_outcomes, request_problems = fuzz_requests(args.requests, args.seed)
    summary = ", ".join(f"{request_outcomes.get(k, 0)} {k}" for k in ("forwarded", "refused", "leak", "crash"))
    print(f"fuzz: {args.requests} random requests through the endpoint's gate in "
          f"{time.monotonic() - requests_started:,.0f} s (seed {args.seed}): {summary}")
    for line in request_problems:
        print(f"  {line}")
    return 1 if problems or request_problems else 0


if __name__ == "__main__":
    sys.exit(main())
