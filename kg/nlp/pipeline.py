"""Build the kg spaCy pipeline from ``config.cfg``."""

from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from kg.nlp import lexicon_matcher, persons, relations, spans, tokenizer  # noqa: F401

# Importing the component modules registers their factories.
from kg.nlp.ner import component  # noqa: F401
from kg.nlp.segmenter.model import require_model

CONFIG_PATH = Path(__file__).with_name("config.cfg")


def load_pipeline(config_path: str | Path = CONFIG_PATH, model_dir: str | Path | None = None) -> Language:
    """Assemble and initialize the pipeline described by ``config_path``.

    ``model_dir`` is the pkuseg model folder; by default the verified cache
    (:func:`kg.nlp.segmenter.model.require_model`).
    """
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


@lru_cache(maxsize=1)
def shared_pipeline() -> Language:
    """One pipeline per process (the pkuseg model takes seconds to load).

    The models' millions of objects live as long as the process, so they
    are moved out of the garbage collector's sight (``gc.freeze``): otherwise
    every full collection walks them again, about a quarter of the time
    spent after segmentation.
    """
    nlp = load_pipeline()
    gc.collect()
    gc.freeze()
    return nlp
