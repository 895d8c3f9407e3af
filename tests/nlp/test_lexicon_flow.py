"""One lexicon flows through the pipeline: shared by the components, saved and loaded with them, and a
build can run another pipeline config."""

from __future__ import annotations

import shutil

from conftest import ARTICLES, ROOT, SAMPLES

from kg.nlp.lexicon import DEFAULT_DIR
from kg.nlp.lexicon_matcher import pipeline_lexicon


def test_every_component_reads_the_lexicon_components_lexicon(nlp):
    lexicon = nlp.get_pipe("kg_lexicon").lexicon
    assert pipeline_lexicon(nlp) is lexicon
    for name in ("ner", "kg_persons", "kg_relations"):
        assert nlp.get_pipe(name).lexicon is lexicon, name


def test_word_lists_are_lexicon_data():
    from kg.nlp.lexicon import Lexicon

    lexicon = Lexicon.load()
    assert lexicon.words("spouse") == ("夫人", "丈夫", "妻子")
    assert "两国元首" in lexicon.words("pair_word")


def test_to_disk_writes_the_lexicons_and_from_disk_gives_them_to_every_component(nlp, tmp_path):
    from kg.nlp.pipeline import load_pipeline

    nlp.get_pipe("kg_lexicon").to_disk(tmp_path / "lexicons")
    assert (tmp_path / "lexicons" / "titles.tsv").read_bytes() == (DEFAULT_DIR / "titles.tsv").read_bytes()
    # An edited copy: a title the default lexicons lack.
    with open(tmp_path / "lexicons" / "titles.tsv", "a", encoding="utf-8") as handle:
        handle.write("首席巡视员\tstandalone\n")
    other = load_pipeline()
    for name, component in other.pipeline:
        if hasattr(component, "from_disk") and name.startswith(("kg_", "ner")):
            component.from_disk(tmp_path / "lexicons" if name == "kg_lexicon" else tmp_path / name)
    lexicon = other.get_pipe("kg_lexicon").lexicon
    assert "首席巡视员" in lexicon.titles and "首席巡视员" not in nlp.get_pipe("kg_lexicon").lexicon.titles
    assert all(other.get_pipe(name).lexicon is lexicon for name in ("ner", "kg_persons", "kg_relations"))


def test_build_with_another_config_reads_its_lexicons(tmp_path):
    from kg.out.cli import main

    lexicons = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_DIR, lexicons, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    # Without 会谈 among the event nouns the sample's talks are not an event.
    events = (lexicons / "events.tsv").read_text(encoding="utf-8").replace("会谈\tTalks\n", "")
    (lexicons / "events.tsv").write_text(events, encoding="utf-8")
    config = (ROOT / "kg" / "nlp" / "config.cfg").read_text(encoding="utf-8")
    config = config.replace("[components.kg_lexicon]\nfactory = \"kg_lexicon\"\n# null: the project's data/lexicons "
                            "(installed as kg.lexicons)\nlexicon_dir = null",
                            f"[components.kg_lexicon]\nfactory = \"kg_lexicon\"\nlexicon_dir = \"{lexicons}\"")
    assert str(lexicons) in config
    (tmp_path / "other.cfg").write_text(config, encoding="utf-8")
    sample = ARTICLES / f"{SAMPLES[0]}.txt"
    assert main(["build", str(sample), "-o", str(tmp_path / "default"), "-q"]) == 0
    assert main(["build", str(sample), "-o", str(tmp_path / "other"), "-q", "--config", str(tmp_path / "other.cfg")]) == 0
    default = (tmp_path / "default" / "graph.ttl").read_text(encoding="utf-8")
    other = (tmp_path / "other" / "graph.ttl").read_text(encoding="utf-8")
    assert "kg:Talks" in default and "kg:Talks" not in other


def test_a_bad_config_is_one_line(tmp_path, capsys):
    from kg.out.cli import main

    (tmp_path / "bad.cfg").write_text("[nlp\nlang = ", encoding="utf-8")
    assert main(["build", str(ARTICLES), "-o", str(tmp_path / "out"), "--config", str(tmp_path / "bad.cfg")]) == 1
    assert main(["build", str(ARTICLES), "-o", str(tmp_path / "out"), "--config", str(tmp_path / "none.cfg")]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("kg: error: ") for line in lines)
    assert "not a spaCy config" in lines[0] and "cannot read" in lines[1]
    assert not (tmp_path / "out").exists()
