"""Graph files kg reads and writes: hostile files are refused with one line (issue 16 items 5, 7, 17)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.rdf.files import GraphFileError, load_dataset, serialize

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">
 <rdf:Description rdf:about="http://ex.org/s"><ex:p>&b;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_rdf_xml_that_declares_entities_is_refused_before_parsing(tmp_path):
    path = tmp_path / "laughs.rdf"
    path.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(GraphFileError, match="declares XML entities") as info:
        load_dataset(path)
    assert "\n" not in str(info.value)
    plain = tmp_path / "plain.rdf"
    plain.write_text(LAUGHS.replace(LAUGHS[LAUGHS.index("<!DOCTYPE"):LAUGHS.index("<rdf:RDF")], "")
                     .replace("&b;", "text"), encoding="utf-8")
    assert len(load_dataset(plain)) == 1


def test_a_remote_json_ld_context_is_not_fetched(tmp_path):
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://ex.org/s", "name": "x"}',
                    encoding="utf-8")
    with pytest.raises(GraphFileError, match="remote context"):
        load_dataset(path)


def test_rdf_xml_export_refuses_characters_xml_cannot_hold(tmp_path):
    dataset = ox.Dataset([ox.Quad(ox.NamedNode("http://ex.org/s"), ox.NamedNode("http://ex.org/p"),
                                  ox.Literal("a\u0001b"), ox.DefaultGraph())])
    with pytest.raises(GraphFileError, match="U\\+0001"):
        serialize(dataset, "xml")
    assert b"a\\u0001b" in serialize(dataset, "nt")


def test_iris_carry_readable_names_per_rfc_3987():
    from kg.facts import Node, NodeKind
    from kg.rdf.iris import iri_segment, node_iri

    assert node_iri(Node(NodeKind.PERSON, "习近平", "习近平")).value == "https://kg.example/id/person/习近平"
    # what an IRI path may not hold is percent-encoded: ASCII delimiters, spaces, private use, non-characters
    assert iri_segment("a b/c?d#e%") == "a%20b%2Fc%3Fd%23e%25"
    assert iri_segment("\ue000\ufdd0\ufffe") == "%EE%80%80%EF%B7%90%EF%BF%BE"
    assert iri_segment("中共中央，总书记·Ａ") == "中共中央，总书记·Ａ"


def test_a_graph_of_the_old_percent_encoded_form_loads_with_readable_iris(tmp_path):
    from urllib.parse import quote

    new = ox.Dataset([ox.Quad(ox.NamedNode("https://kg.example/id/person/习近平"),
                              ox.NamedNode("http://www.w3.org/ns/org#holds"),
                              ox.NamedNode("https://kg.example/id/post/a%20b"),
                              ox.NamedNode("https://kg.example/id/article/x"))])
    old = tmp_path / "old.nq"
    old.write_text(f"<https://kg.example/id/person/{quote('习近平', safe='')}> <http://www.w3.org/ns/org#holds> "
                   "<https://kg.example/id/post/a%20b> <https://kg.example/id/article/x> .\n", encoding="utf-8")
    assert set(load_dataset(old)) == set(new)
