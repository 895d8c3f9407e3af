"""Build the kg spaCy pipeline from ``config.cfg``."""

from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from kg import KgError
from kg.nlp import lexicon_matcher, persons, relations, spans, tokenizer  # noqa: F401
from kg.nlp.lexicon import Lexicon, load_lexicon

# Importing the component modules registers their factories.
from kg.nlp.ner import component  # noqa: F401
from kg.nlp.segmenter.model import require_model

CONFIG_PATH = Path(__file__).with_name("config.cfg")


class ConfigError(KgError):
    """A pipeline config that cannot be read or does not describe a kg pipeline."""


def read_config(path: str | Path | None = None) -> str:
    """The text of a pipeline config file (``kg build --config``), or of kg's own."""
    path = Path(path) if path else CONFIG_PATH
    try:
        text = path.read_text(encoding="utf-8")
        config = spacy.util.load_config_from_str(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the pipeline config ({exc.strerror})") from None
    except (UnicodeDecodeError, ValueError, KeyError) as exc:  # thinc's ConfigValidationError is a ValueError
        reason = " ".join(str(exc).split())[:160]
        raise ConfigError(f"{path}: not a spaCy config ({reason})") from None
    if "nlp" not in config or "components" not in config:
        raise ConfigError(f"{path}: not a spaCy pipeline config (no [nlp] or [components] section)")
    return text


def config_lexicon(config_text: str | None = None) -> Lexicon:
    """The lexicon a config's ``kg_lexicon`` component reads, without building the pipeline."""
    if config_text is None:
        return load_lexicon()
    config = spacy.util.load_config_from_str(config_text)
    settings = config["components"].get("kg_lexicon", {})
    return load_lexicon(settings.get("lexicon_dir"))


def load_pipeline(config_path: str | Path = CONFIG_PATH, model_dir: str | Path | None = None,
                  config_text: str | None = None) -> Language:
    """Assemble and initialize the pipeline described by ``config_text`` or the file ``config_path``.

    ``model_dir`` is the pkuseg model folder; by default the verified cache
    (:func:`kg.nlp.segmenter.model.require_model`).
    """
    if config_text is not None:
        config = spacy.util.load_config_from_str(config_text)
    else:
        config = spacy.util.load_config(config_path)
    model = Path(model_dir) if model_dir else require_model()
    config["initialize"]["tokenizer"]["pkuseg_model"] = str(model)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp


def load_segmenter(config_path: str | Path = CONFIG_PATH) -> Language:
    """The pipeline's tokenizer (pkuseg with its settings) and no components.

    Training data must be cut exactly as live text is, so this reads the same
    config, only without the pipeline that needs trained models.
    """
    config = spacy.util.load_config(config_path)
    config["nlp"]["pipeline"] = []
    config["components"] = {}
    config["initialize"]["tokenizer"]["pkuseg_model"] = str(require_model())
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp


@lru_cache(maxsize=2)
def shared_pipeline(config_text: str | None = None) -> Language:
    """One pipeline per process (the pkuseg model takes seconds to load).

    The models' millions of objects live as long as the process, so they
    are moved out of the garbage collector's sight (``gc.freeze``): otherwise
    every full collection walks them again, about a quarter of the time
    spent after segmentation.
    """
    nlp = load_pipeline(config_text=config_text)
    gc.collect()
    gc.freeze()
    return nlp
