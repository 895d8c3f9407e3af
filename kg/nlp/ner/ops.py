"""Matrix products through numpy's OpenBLAS instead of blis, for the NER model.

thinc's ``NumpyOps`` multiplies matrices with blis by default. The blis wheel
pip installs here runs on one core with generic kernels: a 2,000 x 480 by
480 x 192 product (one encoder layer over a training batch) takes about 15 ms,
against 2.5 ms in numpy's OpenBLAS. ``NumpyOps(use_blis=False)`` is thinc's own
switch to numpy, so only the matrix products change. Most of a training step
is such products: 200 full-size ``spacy train`` steps took 58 s, against 131 s
with blis.

``kg/nlp/ner/train/train.cfg`` names the callback below in ``[nlp.before_creation]``, so
both ``spacy train`` and every load of the shipped model build their layers on
these ops. thinc layers keep the ops they were built with; the callback sets
the current ops of the process, as ``spacy train``'s own CPU setup does.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.util import registry
from thinc.api import NumpyOps, set_current_ops


@registry.callbacks("kg.openblas_ops.v1")
def openblas_ops() -> Callable[[type[Language]], type[Language]]:
    """A ``before_creation`` callback: build the pipeline's layers on numpy's BLAS."""

    def use_openblas(lang_class: type[Language]) -> type[Language]:
        set_current_ops(NumpyOps(use_blis=False))
        return lang_class

    return use_openblas
