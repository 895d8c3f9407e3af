"""A build's outputs, store and manifest switched in as one step, after everything is written.

A build stages each part where it will live: the files in a new output
generation (:mod:`kg.out.batch.outputs`), the database in a new store
generation (:mod:`kg.rdf.store`), the manifest as ``manifest.next.json``
(:mod:`kg.out.batch.state`). Nothing a reader sees changes while it does; a
failure at any of those steps removes what was staged and leaves the last
good state exactly as it was.

Then the commit: a journal naming the staged parts is written, the three are
switched in (each one rename), and the journal removed. A switch that fails
switches back what was switched; a kill between the switches leaves the
journal, and the next build into the folder finishes the commit before it
reads anything (every staged part is complete by then), so no state mixes
two builds for longer than the kill lasts.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.io.atomic import write_atomic
from kg.out.batch.outputs import GENERATIONS, current_generation, remove_stale_generations, switch_outputs
from kg.out.batch.state import STATE_DIR, commit_manifest, discard_manifest
from kg.rdf.store import GENERATIONS as STORE_GENERATIONS
from kg.rdf.store import current_generation as current_store_generation
from kg.rdf.store import is_store, switch_store
from kg.rdf.store import remove_stale_generations as remove_stale_store_generations

JOURNAL = "commit.json"


@dataclass
class Staged:
    """What a build has written but not switched in yet."""

    out: Path
    outputs: Path | None = None  # the new output generation
    store: Path | None = None  # the store folder
    store_generation: Path | None = None  # its new generation
    manifest: bool = False  # manifest.next.json is written

    def discard(self) -> None:
        """Remove everything staged: the build failed before its commit."""
        if self.outputs is not None:
            shutil.rmtree(self.outputs, ignore_errors=True)
        if self.store_generation is not None:
            shutil.rmtree(self.store_generation, ignore_errors=True)
        if self.manifest:
            discard_manifest(self.out)


def _journal(out: Path) -> Path:
    return out / STATE_DIR / JOURNAL


def commit(staged: Staged) -> None:
    """Switch the staged outputs, store generation and manifest in; on a failure, switch back and raise."""
    journal = _journal(staged.out)
    write_atomic(journal, json.dumps({
        "outputs": staged.outputs.name if staged.outputs else None,
        "store": str(staged.store.resolve()) if staged.store else None,
        "store_generation": staged.store_generation.name if staged.store_generation else None,
    }).encode("utf-8"))
    # What was current before, read first: a switch that fails half-way is switched back all the same.
    previous_store = current_store_generation(staged.store) if staged.store is not None else None
    previous_outputs = current_generation(staged.out)
    try:
        if staged.store_generation is not None:
            switch_store(staged.store, staged.store_generation)
        if staged.outputs is not None:
            switch_outputs(staged.out, staged.outputs)
        commit_manifest(staged.out)
    except BaseException:
        if staged.outputs is not None and current_generation(staged.out) != previous_outputs:
            switch_outputs(staged.out, previous_outputs)
        if staged.store_generation is not None and current_store_generation(staged.store) != previous_store:
            switch_store(staged.store, previous_store)
        journal.unlink(missing_ok=True)
        staged.discard()
        raise
    journal.unlink(missing_ok=True)
    tidy(staged.out, staged.store)


def tidy(out: Path, store: Path | None) -> None:
    """Remove generations nobody points at any more (replaced ones, ones a failed or killed build left)."""
    remove_stale_generations(out)
    if store is not None and is_store(store):
        remove_stale_store_generations(store)


def recover(out: Path) -> None:
    """Finish a commit a kill interrupted (its journal is still there): every part it names was complete
    before the journal was written, so what is still staged is switched in."""
    journal = _journal(out)
    if not journal.is_file():
        return
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        plan = {}
    store = Path(plan["store"]) if plan.get("store") else None
    if store is not None and plan.get("store_generation"):
        generation = store / STORE_GENERATIONS / plan["store_generation"]
        if generation.is_dir() and os.access(store, os.W_OK):
            switch_store(store, generation)
    if plan.get("outputs"):
        generation = out / GENERATIONS / plan["outputs"]
        if generation.is_dir():
            switch_outputs(out, generation)
    commit_manifest(out)
    journal.unlink(missing_ok=True)
