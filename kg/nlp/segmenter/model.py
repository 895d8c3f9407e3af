"""Fetch, verify and locate the pkuseg news segmentation model.

The pretrained pkuseg models live on release pages this project cannot reach,
but the PyPI source package ``pkuseg==0.0.25`` ships the default news model in
``pkuseg/models/default/``. ``python -m kg.nlp.segmenter.model fetch`` downloads
that package once with pip, checks it against the sha256 recorded below,
and unpacks the model folder into a cache outside git. Nothing after set-up
needs the network.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from kg import KgError
from kg.io.atomic import atomic_open

PACKAGE = "pkuseg==0.0.25"
ARCHIVE = "pkuseg-0.0.25.tar.gz"
#: sha256 of the sdist as PyPI serves it, and of the two model files inside.
ARCHIVE_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
MODEL_FILES_SHA256 = {
    "features.pkl": "265dcf5534a11d6429776f7e7450a9eef8e075b1a4bedb82ef996994d9c721ac",
    "weights.npz": "95d1632a1fed45993b5006d8ba85939cb110fae71313987673582d24669811dd",
}
MEMBER_PREFIX = "pkuseg-0.0.25/pkuseg/models/default/"


class ModelError(KgError, RuntimeError):
    """The segmentation model is missing or does not match its checksum."""


def model_dir() -> Path:
    """Where the model folder lives: ``$KG_PKUSEG_MODEL`` or the user cache."""
    override = os.environ.get("KG_PKUSEG_MODEL")
    if override:
        return Path(override)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "kg" / "pkuseg-0.0.25-default"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_ready(folder: Path | None = None) -> bool:
    """True when the model was fetched and verified (checksums are checked at fetch)."""
    folder = folder or model_dir()
    needed = ["weights.npz", "features.msgpack", ".verified"]
    return all((folder / name).is_file() for name in needed)


def _features_to_msgpack(folder: Path) -> None:
    """Write the ``features.msgpack`` spacy-pkuseg reads first, from the verified pickle.

    Without it spacy-pkuseg warns on every load and unpickles the features;
    converting once, right after the checksum, keeps pickle out of every run.
    """
    import pickle

    import srsly

    with open(folder / "features.pkl", "rb") as handle:
        data = pickle.load(handle)
    srsly.write_msgpack(folder / "features.msgpack", {
        "unigram": sorted(data["unigram"]), "bigram": sorted(data["bigram"]),
        "feature_to_idx": data["feature_to_idx"], "tag_to_idx": data["tag_to_idx"],
    })
    (folder / "features.pkl").unlink()


#: kg's cached feature tables, versioned with the layout of FeatureTemplates
FAST_FEATURES = "kg-feature-templates-2.pickle"  # 2: the class moved to kg.nlp.segmenter.features
_STALE_FEATURES = ("features.pickle", "kg-feature-templates-1.pickle")  # earlier kg versions' caches


def _fast_features(folder: Path) -> dict:
    """pkuseg's feature tables as :class:`FeatureTemplates`, from a pickle written next to the msgpack.

    spacy-pkuseg unpacks ``features.msgpack`` (69 MB, 2.6 million features)
    in about 3.3 s; kg then splits the features by template (about 4 s).
    Both happen once per model cache: the result is pickled there and loads
    in about 2 s. A model folder that cannot be written pays them each time.
    """
    import pickle

    from spacy_pkuseg.config import config

    from kg.nlp.segmenter.features import FeatureTemplates

    path = folder / FAST_FEATURES
    if path.is_file():
        with open(path, "rb") as handle:
            return pickle.load(handle)
    import srsly

    data = srsly.read_msgpack(folder / "features.msgpack")
    templates = FeatureTemplates(data["feature_to_idx"], set(data["unigram"]), config.wordMin, config.wordMax,
                                 config.numLetterNorm, config.wordFeature)
    tables = {"templates": templates, "tag_to_idx": data["tag_to_idx"]}
    del data
    try:  # a read-only model folder (KG_PKUSEG_MODEL on a shared disk) just stays on the slower path
        with atomic_open(path, "wb") as handle:
            pickle.dump(tables, handle, protocol=5)
        for stale in _STALE_FEATURES:
            (folder / stale).unlink(missing_ok=True)
    except OSError:
        pass
    return tables


def load_pkuseg(folder: Path, user_dict: str | None = "default"):
    """A :class:`kg.nlp.segmenter.fast.FastPkuseg` segmenter for the model in ``folder``.

    spacy-pkuseg 1.0.2 builds its feature extractor with
    ``FeatureExtractor.load()``; for the duration of the call that name is
    bound to a loader returning an extractor without the 2.6-million-entry
    feature dict (kg's templates replace it), and the rest of pkuseg's
    set-up runs unchanged. The segmentation is the same
    (tests/nlp/test_tokenizer.py compares it with spacy-pkuseg's own).
    """
    import spacy_pkuseg
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    from kg.nlp.segmenter.fast import FastPkuseg

    tables = _fast_features(folder)
    templates = tables["templates"]

    class _Preloaded:
        @staticmethod
        def load(model_dir=None):
            extractor = FeatureExtractor.__new__(FeatureExtractor)
            extractor.unigram, extractor.bigram = templates.unigram, set()
            extractor.feature_to_idx, extractor.tag_to_idx = {}, tables["tag_to_idx"]
            return extractor

    original = spacy_pkuseg.FeatureExtractor
    spacy_pkuseg.FeatureExtractor = _Preloaded
    try:
        segmenter = FastPkuseg(str(folder), user_dict=user_dict)
    finally:
        spacy_pkuseg.FeatureExtractor = original
    segmenter.use_templates(templates)
    return segmenter


def require_model() -> Path:
    """Return the model folder, or raise :class:`ModelError` saying how to get it."""
    folder = model_dir()
    if not is_ready(folder):
        raise ModelError(
            f"pkuseg model not found in {folder}; run `make setup` "
            "(or `python -m kg.nlp.segmenter.model fetch`) once with network access"
        )
    return folder


def fetch(folder: Path | None = None) -> Path:
    """Download the pkuseg sdist with pip, verify it and unpack the model folder.

    Idempotent: returns at once when the folder is already verified.
    """
    folder = folder or model_dir()
    if is_ready(folder):
        return folder
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        # pip builds the sdist's metadata while downloading it, hence
        # --no-build-isolation with setuptools, wheel, cython, numpy present.
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-build-isolation", PACKAGE, "-d", str(tmp_path)],
            check=True,
        )
        archive = tmp_path / ARCHIVE
        actual = _sha256(archive)
        if actual != ARCHIVE_SHA256:
            raise ModelError(f"{archive.name}: sha256 {actual} differs from the recorded {ARCHIVE_SHA256}")
        staging = tmp_path / "model"
        staging.mkdir()
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                name = member.name
                if name.startswith(MEMBER_PREFIX) and member.isfile():
                    base = name[len(MEMBER_PREFIX):]
                    if "/" in base:
                        continue
                    source = tar.extractfile(member)
                    assert source is not None
                    with open(staging / base, "wb") as out:
                        shutil.copyfileobj(source, out)
        for name, expected in MODEL_FILES_SHA256.items():
            got = _sha256(staging / name)
            if got != expected:
                raise ModelError(f"{name}: sha256 {got} differs from the recorded {expected}")
        _features_to_msgpack(staging)
        (staging / ".verified").write_text(ARCHIVE_SHA256 + "\n")
        folder.parent.mkdir(parents=True, exist_ok=True)
        if folder.exists():
            shutil.rmtree(folder)
        shutil.move(str(staging), str(folder))
    return folder


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.nlp.segmenter.model fetch|path``."""
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "fetch"
    try:
        if command == "fetch":
            print(f"pkuseg model ready in {fetch()}")
        elif command == "path":
            print(require_model())
        else:
            print(f"unknown command {command!r}; use fetch or path", file=sys.stderr)
            return 2
    except (ModelError, subprocess.CalledProcessError) as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
