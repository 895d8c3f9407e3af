"""A build's output files change together: written into a new generation, switched in with one rename.

``<out>/graph.ttl``, ``graph.trig`` and ``graph.html`` are links to
``.kg-outputs/current/<name>``, and ``current`` is a link to the latest
complete generation (``.kg-outputs/gen-…``). A build writes its files into a
new generation folder, then replaces ``current`` with one atomic rename: a
reader, or a build killed at any moment, sees the old set or the new set,
never a mix. Generations that are not current (the one replaced, or one a
killed build left half-written) are removed by the next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from kg import KgError
from kg.io.atomic import replace_link

OUTPUTS = ("graph.ttl", "graph.trig", "graph.html")
GENERATIONS = ".kg-outputs"
CURRENT = "current"


class OutputError(KgError, OSError):
    """The outputs could not be written (a full disk, a read-only folder); the message is one line."""


def publish(out: Path, write: Callable[[Path], None]) -> None:
    """Have ``write`` fill a new generation folder with :data:`OUTPUTS`, then make it the current one."""
    staging = stage_outputs(out, write)
    switch_outputs(out, staging)
    remove_stale_generations(out)


def stage_outputs(out: Path, write: Callable[[Path], None]) -> Path:
    """Have ``write`` fill a new generation folder with :data:`OUTPUTS`; not current yet
    (:func:`switch_outputs`). A failure removes it and leaves the current set as it was."""
    generations = out / GENERATIONS
    try:
        generations.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="gen-", dir=generations))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the outputs ({exc.strerror})") from None
    try:
        write(staging)
        for name in OUTPUTS:
            os.chmod(staging / name, 0o644)
        os.chmod(staging, 0o755)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{out}: cannot write the outputs ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def current_generation(out: Path) -> str | None:
    """The name of the generation ``current`` points at (None: no outputs yet)."""
    current = out / GENERATIONS / CURRENT
    return os.readlink(current) if current.is_symlink() else None


def switch_outputs(out: Path, generation: Path | str | None) -> None:
    """Make ``generation`` (a folder of :data:`GENERATIONS`; None: none) the current set with one rename of
    a link, and ``out``'s files links into it."""
    generations = out / GENERATIONS
    current = generations / CURRENT
    try:
        if current.is_dir() and not current.is_symlink():
            # A copy of an output folder made by a tool that follows links (shutil.copytree) holds the
            # current set as a plain folder: it becomes a stale generation, removed later.
            current.rename(generations / f"gen-copied-{os.getpid()}")
        if generation is None:
            current.unlink(missing_ok=True)
            return
        replace_link(current, Path(generation).name)  # the one switch: old set before, new set after
        for name in OUTPUTS:
            _link_output(out, name)
    except OSError as exc:
        raise OutputError(f"{out}: cannot switch the outputs ({exc.strerror or exc})") from None


def _link_output(out: Path, name: str) -> None:
    """``out/name`` as a link into the current generation; once made, it never changes again."""
    path = out / name
    target = os.path.join(GENERATIONS, CURRENT, name)
    if path.is_symlink() and os.readlink(path) == target:
        return
    if path.is_dir() and not path.is_symlink():
        raise OutputError(f"{path}: a folder stands where kg writes a file")
    replace_link(path, target)  # replaces a regular file left by an older kg in the same single rename


def remove_stale_generations(out: Path) -> None:
    """Delete every generation but the current one: those replaced, and those a killed build left."""
    generations = out / GENERATIONS
    if not generations.is_dir():
        return
    keep = current_generation(out)
    for entry in generations.iterdir():
        if entry.name in (CURRENT, keep):
            continue
        if entry.is_symlink() or entry.is_file():
            entry.unlink(missing_ok=True)  # a temporary link a killed switch left
        else:
            shutil.rmtree(entry, ignore_errors=True)


def current_outputs(out: Path) -> dict[str, Path]:
    """The real files of the current set (what the links resolve to)."""
    return {name: (out / name).resolve() for name in OUTPUTS}
