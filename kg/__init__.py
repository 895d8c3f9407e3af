"""kg: a knowledge-graph builder for Chinese news.

The package is layered one way (see the README, "How kg is built"):
``io`` reads text and metadata, ``nlp`` finds persons, posts and events,
``facts`` holds the plain records between them and ``rdf``, which states
them as RDF, and ``out`` writes files and pages and runs the commands.
"""

__version__ = "0.1.0"


class KgError(Exception):
    """An error kg reports to its user as one line (``kg: error: …``), never as a traceback.

    Every layer's errors derive from it, so the command line catches this one type.
    """
