"""Changes of office the text reports, beside the posts held now.

* a former post: a marker word right before the title chain (原国务院副总理刘鹤, 前美国总统奥巴马);
* a post taken up: after a person, 当选为 / 就任 / 出任 and the post (李强当选为国务院总理);
  任命X为Y is read by :meth:`kg.nlp.grammar.Grammar.appointed_names`;
* a post left: 免去X的Y职务, and after a person 辞去 / 卸任 and the post;
* a post-elect: an elect marker inside the title (美国当选总统特朗普), read by
  :meth:`kg.nlp.grammar.Grammar.office_before` into ``Office.elect``.

The marker and verb words are classes of ``data/lexicons/word_classes.tsv``
(former_marker, removal_verb, leave_verb, start_verb, post_tail).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kg.nlp.grammar import Grammar, Office, TitledName
from kg.nlp.lexicon import TITLE, Unit

#: where the clause that names a changed post ends
CLAUSE_ENDS = "；;，,。！？!?\n"
#: how far after its verb a changed post may end (a post's name is short; this bounds the look-ahead)
MAX_POST_CHARS = 40

START, END, FORMER, ELECT = "start", "end", "former", "elect"


@dataclass
class Change:
    """A person (``text[start:end]``) whose ``office`` starts or ends (``change``: START or END)."""

    start: int
    end: int
    name: str
    office: Office
    change: str


class OfficeChanges:
    """Finds the changes of office in a text with the grammar's lexicon and name reader."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self.lex = grammar.lex

    def former_before(self, text: str, start: int, word_starts: set[int]) -> bool:
        """Whether a former marker stands as a word of its own (not the end of 目前, 此前) before ``start``."""
        marker = self.lex.ends_with(text, start, self.lex.words("former_marker"))
        return bool(marker) and (start - len(marker) == 0 or start - len(marker) in word_starts)

    def changes(self, text: str, persons: list[tuple[int, int, str]], units: list[Unit]) -> list[Change]:
        """The posts taken up and left: after a removal verb and a name, and after a known person and a
        start or leave verb. ``persons`` are the mentions found so far as ``(start, end, name)``."""
        titles = {u.end: u for u in units if u.kind == TITLE}
        if not titles:
            return []
        found: list[Change] = []
        for verb in self.lex.words("removal_verb"):
            pos = text.find(verb)
            while pos != -1:
                cursor = pos + len(verb)
                end = self.grammar.read_name(text, cursor)
                if end is not None:
                    office = self._post_from(text, end + 1 if text.startswith("的", end) else end, titles)
                    if office is not None:
                        found.append(Change(cursor, end, text[cursor:end], office, END))
                pos = text.find(verb, cursor)
        starting = self.lex.words("start_verb")
        verbs = [*starting, *self.lex.words("leave_verb")]  # once per text, not per person
        for start, end, name in persons:
            verb = self.lex.starts_with(text, end, verbs)
            if verb:
                office = self._post_from(text, end + len(verb), titles)
                if office is not None:
                    found.append(Change(start, end, name, office, START if verb in starting else END))
        return found

    def _post_from(self, text: str, at: int, titles: dict[int, Unit]) -> Office | None:
        """The post written from ``at`` to the end of its clause, or to a post tail (职务, 一职) there."""
        limit = min(len(text), at + MAX_POST_CHARS)
        stop = next((i for i in range(at, limit) if text[i] in CLAUSE_ENDS), limit if limit == len(text) else None)
        if stop is None:
            return None
        tail = self.lex.ends_with(text, stop, list(self.lex.words("post_tail")))
        title = titles.get(stop - len(tail or ""))
        if title is None or title.start < at:
            return None
        # Read in a window that starts at ``at``: nothing before the verb joins the post.
        window = text[at:title.end]
        office = self.grammar.office_before(window, replace(title, start=title.start - at, end=title.end - at))
        if office.start != 0 and window[:office.start].strip():
            return None  # words between the verb and the post that are no part of it
        return replace(office, start=office.start + at, end=office.end + at)


def titled_changes(changes: OfficeChanges, text: str, titled: TitledName, word_starts: set[int]) -> list[str | None]:
    """Per office of a title chain: ELECT, FORMER (a former marker before the chain) or None (held now)."""
    former = changes.former_before(text, titled.offices[0].start, word_starts) if titled.offices else False
    return [ELECT if office.elect else FORMER if former or office.former else None for office in titled.offices]


__all__ = ["CLAUSE_ENDS", "ELECT", "END", "FORMER", "START", "Change", "OfficeChanges", "titled_changes"]
