"""Stories: near-duplicate articles (MinHash LSH) and the events their editions share.

Two editions of one story (lightly edited, re-headlined) share most of their
character 5-grams; unrelated articles share few. Pairs whose estimated
Jaccard similarity reaches ``THRESHOLD`` are linked with ``kg:sameStoryAs``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

import networkx as nx
from datasketch import MinHash, MinHashLSH

from kg.facts import ArticleFacts, DateValue, EventKey, Node, NodeKind, Relation, article_day

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.5
SEED = 1  # fixed, so signatures from different runs and machines compare
SCHEME = "affine32"  # datasketch's hashing scheme, stated so cached signatures are rebuilt the same way
_SPACE = re.compile(r"\s+")


def signature(text: str) -> list[int]:
    """The MinHash signature of ``text``'s character shingles (whitespace ignored).

    Shingles are hashed with CRC-32 (C speed, the same on every machine)
    rather than datasketch's default SHA-1 prefix, 3x slower in Python calls.
    """
    compact = _SPACE.sub("", text)
    shingles = {compact[i:i + SHINGLE] for i in range(max(len(compact) - SHINGLE + 1, 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=zlib.crc32, permutations=_permutations())
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return [int(v) for v in minhash.hashvalues]


@lru_cache(maxsize=1)
def _permutations():
    """The seed's permutations, drawn once: datasketch would draw them again for every MinHash."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def _minhash(values: list[int]) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME, permutations=_permutations())


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return _minhash(a).jaccard(_minhash(b))


def same_story_pairs(signatures: Iterable[tuple[str, list[int] | None]], threshold: float = THRESHOLD
                     ) -> list[tuple[str, str, float]]:
    """(id, id, similarity) of every pair of articles that tell the same story, in a stable order."""
    return StoryIndex(threshold).update(signatures)


class StoryIndex:
    """Same-story pairs kept up to date as articles arrive, change or leave.

    One LSH index for the life of a build, or of ``kg build --watch``: an
    update inserts and queries only the articles it has not seen, so a round
    that adds 1% of the articles costs 1% of the hashing.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, tuple[tuple[int, ...], MinHash]] = {}
        self._pairs: dict[tuple[str, str], float] = {}

    def update(self, signatures: Iterable[tuple[str, list[int] | None]]) -> list[tuple[str, str, float]]:
        """Index exactly these articles (the first signature of an id counts); return all their pairs."""
        wanted: dict[str, tuple[int, ...]] = {}
        for article_id, values in signatures:
            if values is not None and article_id not in wanted:
                wanted[article_id] = tuple(values)
        for article_id in [i for i, (values, _) in self._signatures.items() if wanted.get(i) != values]:
            self._lsh.remove(article_id)
            del self._signatures[article_id]
            self._pairs = {pair: score for pair, score in self._pairs.items() if article_id not in pair}
        new = [article_id for article_id in wanted if article_id not in self._signatures]
        for article_id in new:
            minhash = _minhash(list(wanted[article_id]))
            self._signatures[article_id] = (wanted[article_id], minhash)
            self._lsh.insert(article_id, minhash)
        for article_id in new:  # LSH candidates are symmetric: pairs between old articles are known already
            minhash = self._signatures[article_id][1]
            for other in self._lsh.query(minhash):
                if other != article_id:
                    score = minhash.jaccard(self._signatures[other][1])
                    if score >= self.threshold:
                        self._pairs[tuple(sorted((article_id, other)))] = round(score, 3)
        return sorted((a, b, score) for (a, b), score in self._pairs.items())


def story_clusters(ids: Iterable[str], pairs: Iterable[tuple[str, str, float]]) -> dict[str, str]:
    """Article id -> the id that stands for its story (the smallest id in its group of same-story pairs)."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((a, b) for a, b, _ in pairs if a in graph and b in graph)
    return {i: min(group) for group in nx.connected_components(graph) for i in group}


def merge_story_events(results: list[ArticleFacts], pairs: Iterable[tuple[str, str, float]]) -> list[ArticleFacts]:
    """Within each story (articles linked by same-story pairs), give an undated event the node of the
    one dated event of the same class and principals, so two editions of one meeting are one event. An
    event still undated then takes the day of its story's earliest dated article (news reports the day's
    events: the dateline's or the metadata's day), so every event a dated article reports has a date.

    Returns new ``ArticleFacts`` where something changed, the same objects elsewhere.
    """
    story = story_clusters((r.article.id for r in results), pairs)
    dated: dict[tuple[str, EventKey], set[Node]] = {}
    first_day: dict[tuple[str, EventKey], DateValue] = {}
    for result in results:
        day = article_day(result.article)
        for node in result.nodes():
            if node.kind == NodeKind.EVENT and node.key.date:
                dated.setdefault((story[result.article.id], node.key.undated()), set()).add(node)
            elif node.kind == NodeKind.EVENT and day is not None:
                ident = (story[result.article.id], node.key)
                value = DateValue(day.year, day.month, day.day)
                if ident not in first_day or value.iso() < first_day[ident].iso():
                    first_day[ident] = value
    merged = []
    for result in results:
        remap: dict[Node, Node] = {}
        days: dict[Node, DateValue] = {}
        for node in result.nodes():
            if node.kind == NodeKind.EVENT and not node.key.date:
                ident = (story[result.article.id], node.key)
                targets = dated.get(ident, set())
                if len(targets) == 1:
                    remap[node] = next(iter(targets))
                elif ident in first_day:
                    day = first_day[ident]
                    remap[node] = replace(node, key=replace(node.key, date=day.iso()))
                    days[remap[node]] = day
        if not remap:
            merged.append(result)
            continue
        facts = list(dict.fromkeys(replace(fact, subject=remap.get(fact.subject, fact.subject),
                                           object=remap.get(fact.object, fact.object)) for fact in result.facts))
        # The day an event took from its article, said by the sentence that reports the event (the article's
        # date is the rest of the evidence).
        for node, day in days.items():
            told = next((f for f in facts if f.subject == node and f.evidence), None)
            facts.append(replace(told or facts[0], subject=node, relation=Relation.START_DATE, object=day,
                                 **({} if told else {"evidence": None, "start": None, "end": None})))
        aliases = {remap.get(node, node): forms for node, forms in result.aliases.items()}
        merged.append(replace(result, facts=facts, aliases=aliases))
    return merged
