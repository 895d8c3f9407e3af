"""What the extractor is made of, as one digest: a build reuses cached facts only while it stays the same.

The digest covers the pipeline config, the lexicons it reads, the NER model
and the extraction code (``kg/nlp``), so upgrading kg, editing a lexicon or
building with another ``--config`` re-extracts every article instead of
mixing old facts with new ones. Reading files only, it loads no spaCy.
"""

from __future__ import annotations

import configparser
import hashlib
import json
from pathlib import Path

from kg.nlp.lexicon import DEFAULT_DIR as LEXICON_DIR

NLP_DIR = Path(__file__).parent
CONFIG_PATH = NLP_DIR / "config.cfg"
MODEL_DIR = NLP_DIR / "ner" / "model"


def _lexicon_dir(config_text: str) -> Path:
    """The ``lexicon_dir`` of the config's ``kg_lexicon`` component (kg's own lexicons when null)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(config_text)
        value = json.loads(parser.get("components.kg_lexicon", "lexicon_dir", fallback="null"))
    except (configparser.Error, ValueError):
        value = None
    return Path(value) if value else LEXICON_DIR


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def extractor_fingerprint(config_text: str | None = None) -> str:
    """The sha256 of the config text, the lexicon files, the NER model files and the ``kg/nlp`` sources."""
    text = config_text if config_text is not None else CONFIG_PATH.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8"))
    for root, pattern in ((_lexicon_dir(text), "*"), (MODEL_DIR, "*"), (NLP_DIR, "*.py")):
        for path in _files(root, pattern):
            digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
