"""Namespaces, declared once (see ``schemas/kg.ttl`` for the ``kg:`` terms)."""

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://kg.example/"
KG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
SDO = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

PREFIXES = {
    "kg": KG, "id": ID, "schema": SDO, "org": ORG, "prov": PROV, "rdf": RDF, "rdfs": RDFS,
    "skos": SKOS, "xsd": XSD, "owl": OWL,
}

__all__ = ["BASE", "ID", "KG", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD"]
