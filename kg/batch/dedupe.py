"""Near-duplicate articles: MinHash signatures and LSH (datasketch) over character shingles.

Two editions of one story (lightly edited, re-headlined) share most of their
character 5-grams; unrelated articles share few. Pairs whose estimated
Jaccard similarity reaches ``THRESHOLD`` are linked with ``kg:sameStoryAs``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

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
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=zlib.crc32)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return [int(v) for v in minhash.hashvalues]


def _minhash(values: list[int]) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME)


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return _minhash(a).jaccard(_minhash(b))


def same_story_pairs(signatures: Iterable[tuple[str, list[int]]], threshold: float = THRESHOLD
                     ) -> list[tuple[str, str, float]]:
    """(id, id, similarity) of every pair of articles that tell the same story, in a stable order."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes: dict[str, MinHash] = {}
    for article_id, values in signatures:
        if values is None or article_id in hashes:
            continue
        hashes[article_id] = _minhash(values)
        lsh.insert(article_id, hashes[article_id])
    pairs = set()
    for article_id, minhash in hashes.items():
        for other in lsh.query(minhash):
            if other != article_id:
                score = minhash.jaccard(hashes[other])
                if score >= threshold:
                    pairs.add((*sorted((article_id, other)), round(score, 3)))
    return sorted(pairs)


def story_clusters(ids: Iterable[str], pairs: Iterable[tuple[str, str, float]]) -> dict[str, str]:
    """Article id -> the id that stands for its story (the smallest id in its group of same-story pairs)."""
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in parent}


def merge_story_events(results: list, pairs: Iterable[tuple[str, str, float]]) -> list:
    """Within each story (articles linked by same-story pairs), give an undated event the node of the
    one dated event of the same class and principals, so two editions of one meeting are one event.

    An event's key is ``class|principals|date``; an undated key ends in ``|``. Returns new
    ``ArticleFacts`` where something changed, the same objects elsewhere.
    """
    from dataclasses import replace

    from kg.facts import EVENT

    story = story_clusters((r.article.id for r in results), pairs)
    dated: dict[tuple[str, str], set] = {}
    for result in results:
        for node in result.nodes():
            if node.kind == EVENT and not node.key.endswith("|"):
                dated.setdefault((story[result.article.id], node.key.rsplit("|", 1)[0]), set()).add(node)
    merged = []
    for result in results:
        remap = {}
        for node in result.nodes():
            if node.kind == EVENT and node.key.endswith("|"):
                targets = dated.get((story[result.article.id], node.key[:-1]), set())
                if len(targets) == 1:
                    remap[node] = next(iter(targets))
        if not remap:
            merged.append(result)
            continue
        facts = []
        for fact in result.facts:
            moved = replace(fact, subject=remap.get(fact.subject, fact.subject),
                            object=remap.get(fact.object, fact.object))
            if moved not in facts:
                facts.append(moved)
        aliases = {remap.get(node, node): forms for node, forms in result.aliases.items()}
        merged.append(replace(result, facts=facts, aliases=aliases))
    return merged
