"""``kg_persons``: persons and the offices they hold, found from the text's structure.

Cues, strongest first:
1. a title chain before a name (国务院副总理汪洋, 美国总统特朗普);
2. a name before an honorific title (习近平主席, 特朗普总统);
3. a spouse after 夫人 (习近平主席夫人彭丽媛);
4. a person entity of the NER (``doc.ents`` labelled PER or PERSON: kg's model
   or another spaCy NER before this component), after lexicon titles, bodies
   and places are trimmed off it: the lexicons win where they disagree;
5. an untitled list before an attendance verb (蔡奇、王毅等参加);
6. every other occurrence of a name found by 1-5 in the same document.
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.grammar import NAME_JOINERS, Grammar
from kg.nlp.lexicon import TITLE, Lexicon
from kg.nlp.lexicon_matcher import pipeline_lexicon
from kg.nlp.ner.component import CharNer
from kg.nlp.ner.name_parts import NamePool
from kg.nlp.office_changes import START, OfficeChanges, titled_changes
from kg.nlp.records import (
    PERSON_LABELS,
    Holding,
    PersonMention,
    Spouses,
    doc_text,
    get_list,
    register_extensions,
    sentence_of,
    sentence_spans,
    set_holdings,
    set_persons,
)
from kg.nlp.token_spans import Overlaps, segmenter_words

#: a monarch's ordinal after the name (费利佩六世, 查尔斯三世)
MAX_VOUCHED_NAME = 4  # the longest unseen transliteration a foreign post and a speech verb vouch for
MAX_LISTED_NAME = 12  # the longest item of a list of bare names looked at (a name is 2-4 characters)
REGNAL = re.compile(r"(?<=..)[一二三四五六七八九十]+世$")


class PersonFinder:
    """Writes ``doc.spans["kg_persons"]``, ``doc.spans["kg_posts"]`` and ``doc._.kg_spouses``."""

    def __init__(self, nlp: Language, lexicon_dir: str | None):
        register_extensions()
        self.nlp, self.lexicon_dir = nlp, lexicon_dir
        self.pool: NamePool | None = None
        self._verdicts: dict[str, bool] = {}
        self.use_lexicon(pipeline_lexicon(nlp, lexicon_dir))

    def use_lexicon(self, lexicon: Lexicon) -> None:
        """Read with ``lexicon`` (and the grammar and word lists made from it)."""
        self.lexicon = lexicon
        self.grammar = Grammar(lexicon)
        self.office_changes = OfficeChanges(self.grammar)
        self.place_endings = [s for s in lexicon.place_suffixes if len(s) >= 2]

    def _name_pool(self) -> NamePool | None:
        """The NER component's name-part counts, when the pipeline runs one."""
        ner = next((c for _, c in self.nlp.pipeline if isinstance(c, CharNer)), None) if self.nlp else None
        return ner.names if ner is not None else None

    def plausible(self, name: str, vouched: bool = False) -> bool:
        """A name, not a body, place, country or title read as one; a name without a surname is made of
        the characters transliterated names use (so 重要 in 总书记重要讲话 is not a person)."""
        lexicon = self.lexicon
        bare = REGNAL.sub("", "".join(c for c in name if c not in NAME_JOINERS))  # 费利佩六世 is 费利佩's name
        surname = lexicon.starts_with(bare, 0, lexicon.surnames) is not None
        # A body: a known one, or one with a body ending (江西省委, 宣传部); after a surname the endings
        # that also end given names (军, 社) do not count (袁家军 and 鹿心社 are persons).
        weak = lexicon.words("given_name_ending")
        if bare in lexicon.organizations or any(bare.endswith(s) and bare != s and not (surname and s in weak)
                                                for s in lexicon.org_suffixes):
            return False
        if lexicon.is_place_phrase(bare) or lexicon.is_place_name(bare):
            return False
        unit = lexicon.match_at(bare, 0)
        if unit is not None and unit.end == len(bare):
            return False
        stop = lexicon.starts_with(bare, 0, lexicon.name_stops)
        if stop in lexicon.words("stop_surname") and len(bare) <= 3:
            stop = None  # 任 stops 王沪宁任组长 but opens 任正非
        if stop or lexicon.ends_with(bare, len(bare), lexicon.name_stops):
            return False  # 上周 (主席上周), 连续第 (总书记连续第13年)
        if lexicon.starts_with(bare, 0, lexicon.surnames) and len(bare) <= 4:
            return True
        if any(word in bare for word in lexicon.words("admin_prefix") if len(word) >= 2):
            return False  # 自治区代 (自治区代主席): a division's word, not a name
        names = self.pool
        if names is None or vouched:
            return True
        # Two characters and no surname: a short transliteration (普京) or a word (重要, 提出); five or more:
        # too long for a Chinese name, so a transliteration (叶尔梅克巴耶夫, not 刘正毅一语破的); else every
        # character must occur in some name (习近平 does, 发展了 and 级会议 do not).
        joined = any(c in NAME_JOINERS for c in name)  # 马哈茂德·陶菲克: shaped as a foreign name already
        if len(bare) == 2 or (len(bare) >= 5 and not joined):
            return names.looks_foreign(bare)
        return names.all_seen_in_names(bare)

    def _verdict(self, name: str) -> bool:
        """:meth:`plausible`, judged once per name in a Doc."""
        verdict = self._verdicts.get(name)
        if verdict is None:
            verdict = self._verdicts[name] = self.plausible(name, name in self._vouched)
        return verdict

    def from_disk(self, path, exclude=()) -> PersonFinder:
        """Take the pipeline's lexicon again after ``nlp.from_disk`` (the component keeps no data of its own)."""
        self.use_lexicon(pipeline_lexicon(self.nlp, self.lexicon_dir))
        return self

    def __call__(self, doc: Doc) -> Doc:
        self.pool = self._name_pool()  # looked up per Doc: a pipeline may run with its NER disabled
        self._verdicts = {}  # plausible() per name, asked twice per mention
        self._vouched: set[str] = set()
        text = doc_text(doc)
        sentences = sentence_spans(doc)
        token_spans = segmenter_words(doc)  # the segmenter's words: a body's name ends at a word edge
        persons: list[PersonMention] = []
        holdings: list[Holding] = []
        foreign: dict[str, bool] = {}

        units = doc._.kg_units
        word_starts = {start for start, _ in token_spans}
        for titled in self.grammar.titled_names(text, token_spans, units):
            persons.append(PersonMention(titled.start, titled.end, titled.name, titled.offices, titled.foreign))
            foreign[titled.name] = foreign.get(titled.name, False) or titled.foreign
            changes = titled_changes(self.office_changes, text, titled, word_starts)  # 原…, 当选总统
            for office, change in zip(titled.offices, changes, strict=True):
                if office.is_post:
                    holdings.append(Holding(titled.name, office, sentence_of(sentences, titled.start), change))
        for appointed in self.grammar.appointed_names(text, token_spans, units):  # 任命甲为…厅长
            persons.append(PersonMention(appointed.start, appointed.end, appointed.name, appointed.offices))
            holdings.append(Holding(appointed.name, appointed.offices[0], sentence_of(sentences, appointed.start),
                                    START))
        known = {p.name for p in persons}
        self._vouched = self._vouched_foreigners(text, persons)

        for start, end, _title in self.grammar.honorific_names(text, known, units, set(token_spans)):
            name = text[start:end]
            persons.append(PersonMention(start, end, name))
            known.add(name)

        self._spouses(doc, persons, known, sentences, foreign)
        self._model_names(doc, persons, known)
        self._listed_names(text, persons, known)
        self._propagate(text, persons, known)
        self._changes_of_office(text, persons, holdings, units, sentences)
        persons.sort(key=lambda p: (p.start, -p.end))
        kept = _without_overlaps([p for p in persons if self._verdict(p.name)])
        self._shared_titles(text, kept, holdings, sentences)
        names = {p.name for p in kept}
        holdings[:] = [h for h in holdings if h.person in names]
        spouses = get_list(doc, "kg_spouses")
        spouses[:] = [s for s in spouses if s.a in names and s.b in names]
        doc = set_persons(doc, kept)
        return set_holdings(doc, holdings)

    def _changes_of_office(self, text: str, persons: list[PersonMention], holdings: list[Holding], units,
                           sentences) -> None:
        """Posts taken up and left (免去甲的…职务, 乙当选为…, 丙辞去…职务), as holdings with their change."""
        mentions = [(p.start, p.end, p.name) for p in persons]
        known = {p.name for p in persons}
        for change in self.office_changes.changes(text, mentions, units):
            if change.name not in known:  # 免去甲的…: a name read after the verb
                persons.append(PersonMention(change.start, change.end, change.name))
                known.add(change.name)
            holdings.append(Holding(change.name, change.office, sentence_of(sentences, change.start), change.change))

    def _vouched_foreigners(self, text: str, persons: list[PersonMention]) -> set[str]:
        """Names after a foreign post whose characters the name counts have not all seen, vouched for:
        by the text, which also has them speak (缅甸总理纽梭 … 纽梭表示), or by the name itself, three
        characters or more with one unseen at most (德国总理朔尔茨)."""
        verbs = self.lexicon.words("speech_verb")
        vouched: set[str] = set()
        seen: set[str] = set()
        for person in persons:
            if not (person.foreign and person.offices and len(person.name) <= MAX_VOUCHED_NAME):
                continue
            if person.name in seen:
                continue  # one look per name: a long text repeats names thousands of times
            seen.add(person.name)
            if self.pool is not None and len(person.name) >= 3 and sum(
                    not self.pool.looks_foreign(c) for c in person.name) <= 1:
                vouched.add(person.name)
                continue
            at = text.find(person.name)
            while at != -1 and person.name not in vouched:
                if self.lexicon.starts_with(text, at + len(person.name), verbs):
                    vouched.add(person.name)
                at = text.find(person.name, at + 1)
        return vouched

    def _shared_titles(self, text: str, persons: list[PersonMention], holdings: list[Holding],
                       sentences: list[tuple[int, int]]) -> None:
        """A title before a list of names is every listed person's (全国政协副主席甲、乙、丙): the names
        right after a titled one, parted by 、 alone and without titles of their own, hold its posts."""
        for i, titled in enumerate(persons):
            posts = [o for o in titled.offices if o.is_post]
            if not posts:
                continue
            previous = titled
            for listed in persons[i + 1:]:
                if listed.offices or text[previous.end:listed.start] not in self.lexicon.words("list_separator"):
                    break
                for office in posts:
                    holdings.append(Holding(listed.name, office, sentence_of(sentences, listed.start)))
                previous = listed

    def _spouses(self, doc, persons, known, sentences, foreign) -> None:
        text = doc_text(doc)
        spouses = get_list(doc, "kg_spouses")
        for word in self.lexicon.words("spouse"):
            pos = text.find(word)
            while pos != -1:
                partner = self._name_ending_before(text, pos, known)
                if partner:
                    start = pos + len(word)
                    end = self.grammar.read_name(text, start, foreign=foreign.get(partner, False))
                    if end is None and foreign.get(partner) is False:
                        end = self.grammar.read_name(text, start, foreign=True)
                    if end is not None:
                        name = text[start:end]
                        persons.append(PersonMention(start, end, name))
                        known.add(name)
                        spouses.append(Spouses(partner, name, sentence_of(sentences, pos)))
                pos = text.find(word, pos + 1)

    def _name_ending_before(self, text: str, pos: int, known: set[str]) -> str | None:
        """A known name right before ``pos``, allowing a title or 的 in between (习近平主席夫人)."""
        end = pos
        if text[end - 1:end] in self.lexicon.words("spouse_link"):  # 习近平的夫人 / 习近平和夫人
            end -= 1
        unit = self.lexicon.match_ending_at(text, end, (TITLE,))
        if unit is not None:
            end = unit.start
        for name in sorted(known, key=len, reverse=True):
            if text.startswith(name, end - len(name)) and end - len(name) >= 0:
                return name
        return None

    def _model_names(self, doc: Doc, persons: list[PersonMention], known: set[str]) -> None:
        """Persons the NER model found that the structural cues did not."""
        text = doc_text(doc)
        taken = Overlaps((p.start, p.end) for p in persons if self._verdict(p.name))  # an implausible reading blocks none
        units = sorted(get_list(doc, "kg_units"), key=lambda u: u.start)
        unit_starts = [u.start for u in units]
        longest = max((u.end - u.start for u in units), default=0)
        for entity in doc.ents:
            if entity.label_ not in PERSON_LABELS:
                continue
            near = units[bisect.bisect_left(unit_starts, entity.start_char - longest):
                         bisect.bisect_left(unit_starts, entity.end_char)]
            span = _trim_units(entity.start_char, entity.end_char, near)
            if span is None or taken.any(*span):
                continue
            name = text[span[0]:span[1]]
            # 海湖 in 海湖庄园: a name-like word before a place ending names the place;
            # and no name ends in one (庄园 itself, 庄 being a surname).
            if (not self.grammar.valid_name(name) or self.lexicon.starts_with(text, span[1], self.place_endings)
                    or self.lexicon.ends_with(name, len(name), self.place_endings)):
                continue
            foreign = any(c in NAME_JOINERS for c in name) or not self.lexicon.starts_with(name, 0, self.lexicon.surnames)
            persons.append(PersonMention(span[0], span[1], name, foreign=foreign))
            known.add(name)

    def _listed_names(self, text: str, persons: list[PersonMention], known: set[str]) -> None:
        """Untitled names in a list before an attendance verb (蔡奇、王毅等参加).

        Each item between separators must be exactly a Chinese name (a
        surname and one or two characters) and the list must end in 等 or an
        attendance verb, so ordinary words do not qualify.
        """
        for verb in self.lexicon.attendance:
            pos = text.find(verb)
            while pos != -1:
                end = pos - 1 if text[pos - 1:pos] == "等" else pos
                cursor = end
                while cursor > 0:
                    start = cursor
                    while start > 0 and text[start - 1] not in "、，,；。\n" and cursor - start <= MAX_LISTED_NAME:
                        start -= 1  # an item longer than a name is no name: stop looking there
                    item = text[start:cursor]
                    is_name = self._is_bare_name(item)
                    if not is_name:
                        break
                    if item not in known:
                        known.add(item)
                        persons.append(PersonMention(start, cursor, item))
                    if start == 0 or text[start - 1] not in "、，,":
                        break
                    cursor = start - 1
                pos = text.find(verb, pos + len(verb))

    def _is_bare_name(self, item: str) -> bool:
        surname = self.lexicon.starts_with(item, 0, self.lexicon.surnames)
        if not surname or len(item) - len(surname) not in (1, 2):
            return False
        return self.grammar.valid_name(item) and self.lexicon.match_at(item, 0) is None and not any(
            self.lexicon.starts_with(item, i, self.lexicon.name_stops) for i in range(len(item)))

    @staticmethod
    def _propagate(text: str, persons: list[PersonMention], known: set[str]) -> None:
        """Mark every other occurrence of a known name."""
        taken = {(p.start, p.end) for p in persons}
        for name in sorted(known, key=len, reverse=True):
            pos = text.find(name)
            while pos != -1:
                if (pos, pos + len(name)) not in taken:
                    persons.append(PersonMention(pos, pos + len(name), name))
                pos = text.find(name, pos + len(name))


def _trim_units(start: int, end: int, units: list) -> tuple[int, int] | None:
    """``start, end`` with lexicon units cut off either edge; None if one sits inside.

    A lexicon unit is a title, body, country or place, never part of a name.
    """
    for unit in units:
        if unit.end <= start or unit.start >= end:
            continue
        if unit.start <= start:
            start = unit.end
        elif unit.end >= end:
            end = unit.start
        else:
            return None
    return (start, end) if end - start >= 2 else None


def _without_overlaps(persons: list[PersonMention]) -> list[PersonMention]:
    """Keep the first (longest) of overlapping mentions, preferring ones that carry offices."""
    kept: list[PersonMention] = []
    for person in persons:
        if kept and person.start < kept[-1].end:
            if person.offices and not kept[-1].offices and person.start == kept[-1].start:
                kept[-1] = person
            continue
        kept.append(person)
    return kept


@Language.factory("kg_persons", default_config={"lexicon_dir": None})
def make_person_finder(nlp: Language, name: str, lexicon_dir: str | None) -> PersonFinder:
    """Create the person finder with the pipeline's lexicon (``lexicon_dir`` only without a ``kg_lexicon``)."""
    return PersonFinder(nlp, lexicon_dir)
