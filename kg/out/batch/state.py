"""What an output folder remembers between builds, so a rebuild only extracts what changed.

``<out>/.kg-state/manifest.json`` maps each article id to the sha256 of its
text; ``<out>/.kg-state/facts/<sha256>.json`` holds that text's extracted
facts. A new build reads the manifest, extracts only articles whose id is new
or whose text changed, and assembles the graph from every article's facts, so
the result equals a build from scratch. The manifest is written last (after
the outputs), so an interrupted build leaves the previous state usable.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from kg.facts import ArticleFacts
from kg.facts.json_form import from_json, to_json
from kg.io.articles import KG_OUTPUT_MARKER
from kg.io.atomic import atomic_open

STATE_DIR = KG_OUTPUT_MARKER  # the input reader skips folders that hold it (a build's -o is no input)
FORMAT = 6  # bump when ArticleFacts changes shape; older state is then ignored


class BuildState:
    """The manifest and the facts cache of one output folder."""

    def __init__(self, out: Path, fresh: bool = False, extractor: str = "") -> None:
        self.folder = Path(out) / STATE_DIR
        self.facts_dir = self.folder / "facts"
        #: the extractor the cached facts came from (:func:`kg.nlp.fingerprint.extractor_fingerprint`)
        self.extractor = extractor
        self.manifest: dict[str, str] = {} if fresh else self._read_manifest()
        # Facts read or written in this process, by digest: a watching build keeps them between rounds.
        self._loaded: dict[str, ArticleFacts] = {}

    def _read_manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("extractor", "") != self.extractor:
            return {}  # another shape, or facts another extractor made: extract everything again
        return {str(k): str(v) for k, v in data.get("articles", {}).items()}

    def _path(self, digest: str) -> Path:
        return self.facts_dir / f"{digest}.json"

    def is_current(self, article_id: str, digest: str) -> bool:
        """True when this article's text was extracted before and its facts are cached."""
        return self.manifest.get(article_id) == digest and self._path(digest).is_file()

    def put(self, result: ArticleFacts) -> None:
        """Cache one article's facts and record it in the manifest (written by :meth:`save`)."""
        self.facts_dir.mkdir(parents=True, exist_ok=True)
        path = self._path(result.article.content_hash)
        with atomic_open(path, "w", encoding="utf-8") as handle:
            json.dump(to_json(result), handle, ensure_ascii=False, separators=(",", ":"))
        self.manifest[result.article.id] = result.article.content_hash
        self._loaded[result.article.content_hash] = result

    def results(self) -> Iterator[ArticleFacts]:
        """Every article's facts, in article-id order."""
        for article_id in sorted(self.manifest):
            digest = self.manifest[article_id]
            if digest not in self._loaded:
                with self._path(digest).open(encoding="utf-8") as handle:
                    self._loaded[digest] = from_json(json.load(handle))
            yield self._loaded[digest]

    def save(self) -> None:
        """Write the manifest and drop cached facts no article points at any more."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_open(self.folder / "manifest.json", "w", encoding="utf-8") as handle:
            json.dump({"format": FORMAT, "extractor": self.extractor, "articles": dict(sorted(self.manifest.items()))},
                      handle, indent=0)
        current = set(self.manifest.values())
        self._loaded = {d: facts for d, facts in self._loaded.items() if d in current}
        wanted = {f"{d}.json" for d in current}
        for path in self.facts_dir.glob("*"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget everything (``kg build --fresh``)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.manifest = {}
        self._loaded = {}
