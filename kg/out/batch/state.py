"""What an output folder remembers between builds, so a rebuild only extracts what changed.

``<out>/.kg-state/manifest.json`` maps each article id to the sha256 of its
text; ``<out>/.kg-state/facts/<key>.json`` holds that article's extracted
facts, the key made of its id and its text's sha256 (two items with the same
text under different ids are two articles, each with its own facts). A new
build reads the manifest, extracts only articles whose id is new or whose
text changed, and assembles the graph from every article's facts, so the
result equals a build from scratch. The next manifest is staged beside the
current one and switched in by the build's commit
(:mod:`kg.out.batch.commit`), with the outputs and the store.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from kg.facts import ArticleFacts
from kg.facts.json_form import from_json, to_json
from kg.io.articles import KG_OUTPUT_MARKER
from kg.io.atomic import atomic_open

STATE_DIR = KG_OUTPUT_MARKER  # the input reader skips folders that hold it (a build's -o is no input)
FORMAT = 7  # bump when ArticleFacts or the facts files' naming change; older state is then ignored
MANIFEST = "manifest.json"
NEXT_MANIFEST = "manifest.next.json"


def facts_key(article_id: str, digest: str) -> str:
    """The name of an article's facts file: its id and its text's sha256, hashed together."""
    return hashlib.sha256(f"{article_id}\n{digest}".encode()).hexdigest()


class BuildState:
    """The manifest and the facts cache of one output folder."""

    def __init__(self, out: Path, fresh: bool = False, extractor: str = "") -> None:
        self.folder = Path(out) / STATE_DIR
        self.facts_dir = self.folder / "facts"
        #: the extractor the cached facts came from (:func:`kg.nlp.fingerprint.extractor_fingerprint`)
        self.extractor = extractor
        self.manifest: dict[str, str] = {} if fresh else self._read_manifest()
        # Facts read or written in this process, by facts key: a watching build keeps them between rounds.
        self._loaded: dict[str, ArticleFacts] = {}

    def _read_manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("extractor", "") != self.extractor:
            return {}  # another shape, or facts another extractor made: extract everything again
        return {str(k): str(v) for k, v in data.get("articles", {}).items()}

    def _path(self, key: str) -> Path:
        return self.facts_dir / f"{key}.json"

    def is_current(self, article_id: str, digest: str) -> bool:
        """True when this article's text was extracted before and its facts are cached."""
        return self.manifest.get(article_id) == digest and self._path(facts_key(article_id, digest)).is_file()

    def put(self, result: ArticleFacts) -> None:
        """Cache one article's facts and record it in the manifest (written by :meth:`save`)."""
        self.facts_dir.mkdir(parents=True, exist_ok=True)
        key = facts_key(result.article.id, result.article.content_hash)
        with atomic_open(self._path(key), "w", encoding="utf-8") as handle:
            json.dump(to_json(result), handle, ensure_ascii=False, separators=(",", ":"))
        self.manifest[result.article.id] = result.article.content_hash
        self._loaded[key] = result

    def results(self) -> Iterator[ArticleFacts]:
        """Every article's facts, in article-id order."""
        for article_id in sorted(self.manifest):
            key = facts_key(article_id, self.manifest[article_id])
            if key not in self._loaded:
                with self._path(key).open(encoding="utf-8") as handle:
                    self._loaded[key] = from_json(json.load(handle))
            yield self._loaded[key]

    def stage(self) -> None:
        """Write the manifest as the next one (switched in by :func:`commit_manifest`)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_open(self.folder / NEXT_MANIFEST, "w", encoding="utf-8") as handle:
            json.dump({"format": FORMAT, "extractor": self.extractor, "articles": dict(sorted(self.manifest.items()))},
                      handle, indent=0)

    def prune(self) -> None:
        """Drop cached facts no article of the manifest points at any more."""
        current = {facts_key(i, d) for i, d in self.manifest.items()}
        self._loaded = {k: facts for k, facts in self._loaded.items() if k in current}
        wanted = {f"{k}.json" for k in current}
        if self.facts_dir.is_dir():
            for path in self.facts_dir.glob("*"):
                if path.name not in wanted:
                    path.unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget everything (``kg build --fresh``)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.manifest = {}
        self._loaded = {}


def commit_manifest(out: Path) -> None:
    """Switch the staged manifest in (one rename); nothing to do when none is staged."""
    folder = Path(out) / STATE_DIR
    staged = folder / NEXT_MANIFEST
    if staged.is_file():
        staged.replace(folder / MANIFEST)


def discard_manifest(out: Path) -> None:
    """Forget a staged manifest (its build failed)."""
    (Path(out) / STATE_DIR / NEXT_MANIFEST).unlink(missing_ok=True)
