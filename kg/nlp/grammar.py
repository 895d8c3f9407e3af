"""Character-level grammar of Chinese news: title chains, names, places, dates.

Pure functions over a string and a :class:`~kg.nlp.lexicon.Lexicon`. Both the
reader (to find where a glued headline ends) and the spaCy components (to
find persons and offices) use them; they know no article and no person.

A *title chain* is what Chinese news puts before a name::

    中共中央政治局委员、中央书记处书记、国务委员郭声琨
    └── office ──────┘ └── office ──┘ └office┘└name┘

An office is a run of bodies or countries (中共中央政治局, 美国) followed by
a title (委员, 总统); a standalone title (国务委员, 国家主席) needs no body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kg.nlp.lexicon import COUNTRY, ORG, TITLE, Lexicon, Unit

DELIMITERS = set("，。、；：！？,.;:!?（）()“”‘’「」『』《》【】[]<>—…\"' \t\r\n\u3000")
NAME_JOINERS = set("·•‧・-－")  # 马哈茂德·陶菲克, 迪亚斯-卡内尔
MAX_FOREIGN_NAME = 10
MAX_QUALIFIER_UNITS = 8
#: the longest name read after a body's title with no surname to start it (叶尔梅克巴耶夫 is six)
MAX_NAME_AFTER_BODY = 7
#: the longest proper name of a body kg reads without a lexicon (新希望控股, 上海韦尔半导体股份): words and characters
MAX_BODY_NAME_WORDS = 5
MAX_BODY_NAME_CHARS = 10


def is_han(char: str) -> bool:
    """True for a CJK unified ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@dataclass
class Office:
    """One office in a title chain: ``text[start:end]``, with its title and bodies."""

    start: int
    end: int
    text: str
    title: str
    qualified: bool  # a body or country stands before the title
    countries: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    #: written with an elect marker (美国当选总统, 候任总统): elected or designated, not yet held; ``text``
    #: is the post without the marker
    elect: bool = False
    #: written with a former marker inside the chain (新西兰前总理): no longer held; ``text`` without it
    former: bool = False

    @property
    def is_post(self) -> bool:
        """Whether the office names a post: a title before a name is one as the article writes it
        (国务院副总理, and a bare 副省长 or 总统 too: the guidelines' post is the title as written)."""
        return True


@dataclass
class TitledName:
    """A name found after a title chain, with the offices of the chain."""

    start: int
    end: int
    name: str
    offices: list[Office]
    foreign: bool

    @property
    def chain_start(self) -> int:
        return min((o.start for o in self.offices), default=self.start)


class Grammar:
    """The title/name grammar bound to one lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        # longest first, sorted once: read at every step of every title chain
        self.admin_prefixes = sorted(lexicon.words("admin_prefix"), key=len, reverse=True)

    # --- names --------------------------------------------------------------------

    def _blocks_name(self, text: str, pos: int, at_start: bool = False) -> bool:
        """A name cannot go on at ``pos``: end of text, a delimiter, a digit, a stop word or a unit.

        ``at_start``: the name would begin at ``pos``; a stop that is also a surname (word class
        ``stop_surname``: 任 in 王沪宁任组长, 任正非) ends a name but may begin one.
        """
        if pos >= len(text):
            return True
        char = text[pos]
        if char in DELIMITERS or char.isdigit() or not (is_han(char) or char in NAME_JOINERS):
            return True
        stop = self.lex.starts_with(text, pos, self.lex.name_stops)
        if stop and not (at_start and stop in self.lex.words("stop_surname")):
            return True
        unit = self.lex.match_at(text, pos)
        return unit is not None and unit.kind in (TITLE, ORG, COUNTRY) and len(unit.text) >= 2

    def valid_name(self, name: str) -> bool:
        """Reject words that sit where names sit but are not names."""
        if len(name) < 2 or name in self.lex.not_names:
            return False
        unit = self.lex.match_at(name, 0)
        if unit is not None and unit.text == name:
            return False
        # 美国, 中方, 他们; but 王建国, a surname with a given name that ends so, is a name.
        if name.endswith(("国", "方", "们")) and (len(name) == 2 or not self.lex.starts_with(name, 0, self.lex.surnames)):
            return False
        return all(is_han(c) or c in NAME_JOINERS for c in name)

    def read_name(self, text: str, pos: int, foreign: bool = False) -> int | None:
        """End of the name starting at ``pos``, or None when no name starts there.

        Chinese names are a surname (欧阳, 汪) and one or two more characters;
        the third character is kept unless a stop word (出席, 等, 在) or a
        delimiter starts there. Foreign names run to the next stop word.
        """
        if self._blocks_name(text, pos, at_start=True):
            return None
        surname = None if foreign else self.lex.starts_with(text, pos, self.lex.surnames)
        if surname:
            first = pos + len(surname)
            # 李和平, 王和山: a conjunction right after a surname, with the name going on, is a given name's
            joined = text[first:first + 1] in self.lex.words("conjunction") and not self._blocks_name(text, first + 1)
            if self._blocks_name(text, first) and not joined:
                return None
            end = first + 1 if self._blocks_name(text, first + 1) else first + 2
            if not self._blocks_name(text, end):
                return None  # 海湖庄|园: the name would stop inside a longer word
            name = text[pos:end]
            return end if self.valid_name(name) else None
        end = pos
        while end < len(text) and end - pos < MAX_FOREIGN_NAME and not (
            end > pos and self._blocks_name(text, end)
        ):
            if not (is_han(text[end]) or text[end] in NAME_JOINERS):
                break
            end += 1
        if not foreign and end - pos > 3:
            return None  # not a Chinese name, and nothing says it is foreign
        return end if self.valid_name(text[pos:end]) else None

    def _word_name_before(self, text: str, end: int, words: set[tuple[int, int]]) -> int | None:
        """A segmenter word of two or three characters ending at ``end`` that is a Chinese name."""
        for length in (3, 2):
            start = end - length
            if start >= 0 and (start, end) in words:
                name = text[start:end]
                if self.lex.starts_with(name, 0, self.lex.surnames) and self.valid_name(name) and not (
                        self.lex.starts_with(name, 0, self.lex.name_stops)):
                    return start
        return None

    def read_name_before(self, text: str, end: int, known: set[str] | None = None) -> int | None:
        """Start of a name that ends at ``end`` (before an honorific: 特朗普总统).

        A name known from elsewhere in the document wins; otherwise the name
        must be bounded on its left by a delimiter, an opener (同, 会见) or the
        start of the text.
        """
        if known:
            for name in sorted(known, key=len, reverse=True):
                if end - len(name) >= 0 and text.startswith(name, end - len(name)):
                    return end - len(name)
        for length in range(2, 7):
            start = end - length
            if start < 0:
                break
            candidate = text[start:end]
            if not all(is_han(c) or c in NAME_JOINERS for c in candidate):
                break
            if any(self.lex.match_at(text, i) and self.lex.match_at(text, i).kind in (ORG, COUNTRY, TITLE)  # type: ignore[union-attr]
                   for i in range(start, end)):
                break
            left_ok = start == 0 or text[start - 1] in DELIMITERS or self.lex.ends_with(
                text, start, self.lex.name_openers)
            if left_ok and self.valid_name(candidate) and not self.lex.starts_with(
                    candidate, 0, self.lex.name_stops):
                return start
        return None

    # --- offices ------------------------------------------------------------------

    def office_before(self, text: str, title: Unit, token_spans: dict[int, list[tuple[int, int]]] | None = None,
                      ) -> Office:
        """The office ending with ``title``: the title and the bodies or countries right before it."""
        start = title.start
        countries: list[str] = []
        bodies: list[str] = []
        taken = 0
        acting = self.lex.ends_with(text, start, self.lex.words("acting_marker"))
        if acting:
            start -= len(acting)  # 自治区代主席, 代省长: an acting post, written with its marker
            taken = 1  # what comes before qualifies the post as a body would (自治区|代主席)
        elect = None if acting else self._marker_in_chain(text, start, "elect_marker")
        former = None if acting or elect else self._marker_in_chain(text, start, "former_marker")
        marker = elect or former
        if marker:
            start -= len(marker)  # 美国当选总统, 新西兰前总理: the post is 美国总统, 新西兰总理
        marker_at = start if marker else None
        station = self._station_before(text, start)
        if station is not None:
            start, taken = station, 1  # 缅甸驻华大使: the post is the sending country's
        head = self.lex.ends_with(text, start, self.lex.words("office_head"))
        if head and taken == 0:
            start, taken = start - len(head), 1  # 俄罗斯总统助理: a post in a head of state's office
        portfolio = self._portfolio_before(text, start, token_spans) if taken == 0 else None
        if portfolio is not None:
            start, taken = portfolio, 1  # 美国中东问题特使: the matter an envoy is charged with
        while taken < MAX_QUALIFIER_UNITS and start > 0:
            unit = self.lex.match_ending_at(text, start, (ORG, COUNTRY))
            if unit is not None and unit.kind == ORG:
                unit = self._whole_word(text, unit, token_spans)  # 清华大学, not 大学
            if unit is None:
                unit = self._org_token_ending_at(text, start, token_spans)
            if unit is None and taken and token_spans:
                unit = self._sandwiched_word(text, start, token_spans)
            if unit is None:
                unit = self.lex.gazetteer_country_ending_at(text, start)  # 阿塞拜疆|总统
            if unit is None:
                unit = self._place_qualifier(text, start)  # 四川省|人大常委会副主任
            if unit is None:
                unit = self._bounded_prefix(text, start, taken)  # 省|人大常委会副主任, 俄|总统助理
            # 经济发展部长: the title's first character ends the body's name (经济发展部|部长)
            shared = not taken and start == title.start and title.text[:1] in self.lex.org_suffixes
            if unit is None and (taken or shared) and token_spans:
                unit = self._body_name_before(text, start, token_spans)  # 清华|大学, 比亚迪|股份|有限公司
            if unit is None:
                break
            if unit.kind == COUNTRY:
                countries.insert(0, self.lex.country_name(unit.text) or unit.text)
            else:
                # 经济发展|部长 shares 部 with its title; 外交部|部长 does not (its body is whole already)
                joined = shared and unit.end == title.start and not unit.text.endswith(title.text[0])
                bodies.insert(0, unit.text + (title.text[0] if joined else ""))
            start = unit.start
            taken += 1
        # A chain must not start with a word that only joins bodies (财经 in 中央财经领导小组 is fine).
        written = text[start:title.end]
        if marker_at is not None:  # the post itself: the text without its elect or former marker
            written = text[start:marker_at] + text[marker_at + len(marker):title.end]
        return Office(start, title.end, written, title.text,
                      qualified=start < title.start - len(marker or "") or self.lex.titles.get(title.text, False),
                      countries=countries, bodies=bodies, elect=bool(elect), former=bool(former))

    def _marker_in_chain(self, text: str, end: int, klass: str) -> str | None:
        """A marker word of ``klass`` ending at ``end`` (right before a title) that stands inside a title
        chain: a country or body ends right before it (美国当选总统, 新西兰前总理), or it opens the clause
        (候任总统). After anything else it belongs to the words before (穆塔里卡当选|总统, 目前|总理)."""
        marker = self.lex.ends_with(text, end, self.lex.words(klass))
        if not marker:
            return None
        at = end - len(marker)
        if at == 0 or text[at - 1] in DELIMITERS or self.lex.match_ending_at(text, at, (ORG, COUNTRY)) is not None:
            return marker
        return None

    def _station_before(self, text: str, end: int) -> int | None:
        """Start of 驻 + a country right before ``end`` (驻华, 驻巴西, 驻联合国 is no country), where an
        ambassador or envoy is posted."""
        for length in range(1, 8):
            at = end - length - 1
            if at < 0:
                return None
            place = text[at + 1:end]
            if text[at] == "驻" and (self.lex.country_name(place) or place in self.lex.words("station_short")):
                return at
        return None

    def _portfolio_before(self, text: str, end: int, token_spans) -> int | None:
        """Start of the matter a post is charged with, right before its title (中东问题|特使,
        朝鲜半岛事务|特别代表): a place or one short word, then a portfolio marker."""
        marker = self.lex.ends_with(text, end, self.lex.words("portfolio_marker"))
        if not marker:
            return None
        at = end - len(marker)
        place = self.lex.gazetteer_ending_at(text, at) or self.lex.match_ending_at(text, at, (COUNTRY,))
        if place is not None:
            return place.start
        for t_start, t_end in (token_spans or {}).get(at, ()):
            word = text[t_start:t_end]
            if 2 <= len(word) <= 4 and all(is_han(c) for c in word) and not self._is_function_word(word):
                return t_start
        return None

    def _place_qualifier(self, text: str, end: int) -> Unit | None:
        """A gazetteer place ending at ``end`` that opens the chain: after a delimiter, a chain joiner or a
        name opener (会见四川省委书记), or a full name with its level (陕西省): 合作 in 深化合作 is no place."""
        unit = self.lex.gazetteer_ending_at(text, end)
        if unit is None:
            # 宁夏自治区 (of 宁夏回族自治区): a place's short name with its level, as news writes it
            level = self.lex.ends_with(text, end, self.admin_prefixes)
            place = self.lex.gazetteer_ending_at(text, end - len(level)) if level and len(level) >= 2 else None
            if place is None:
                return None
            unit = Unit(place.start, end, ORG, text[place.start:end])
        start = unit.start
        bounded = (start == 0 or text[start - 1] in DELIMITERS or text[start - 1] in self.lex.words("chain_joiner")
                   or self.lex.ends_with(text, start, self.lex.name_openers) is not None)
        return unit if bounded or (len(unit.text) >= 3 and unit.text[-1] in self.lex.words("admin_prefix")) else None

    def _opens_chain(self, text: str, start: int) -> bool:
        """Whether a chain may begin at ``start``: the text's start, a delimiter, a chain joiner or a name opener."""
        return (start == 0 or text[start - 1] in DELIMITERS or text[start - 1] in self.lex.words("chain_joiner")
                or text[start - 1] in self.lex.words("chain_particle")
                or self.lex.ends_with(text, start, self.lex.name_openers) is not None)

    def _bounded_prefix(self, text: str, end: int, taken: int) -> Unit | None:
        """A short word that opens a chain: this province's (省, 自治区) before a body, or a country's
        one-character name (俄, 乌, 美) before a title."""
        prefix = self.lex.ends_with(text, end, self.admin_prefixes)
        if prefix and taken and self._opens_chain(text, end - len(prefix)):
            return Unit(end - len(prefix), end, ORG, prefix)
        char = text[end - 1] if end else ""
        if char in self.lex.country_abbr and self._opens_chain(text, end - 1):
            return Unit(end - 1, end, COUNTRY, char)
        return None

    def _whole_word(self, text: str, unit: Unit, token_spans) -> Unit:
        """A body the lexicon matched at the end of a longer word (大学 in 清华大学, 学院 in 科学院): the
        whole word is the body's name, when it is all Han characters and no verb or cue kg reads."""
        if not token_spans:
            return unit
        for t_start, t_end in token_spans.get(unit.end, ()):
            word = text[t_start:t_end]
            if t_start < unit.start and all(is_han(c) for c in word) and not self._is_function_word(word):
                return Unit(t_start, t_end, ORG, word)
        return unit

    def _org_token_ending_at(self, text: str, end: int, token_spans) -> Unit | None:
        if not token_spans:
            return None
        for t_start, t_end in token_spans.get(end, ()):
            # A body ending cut off as a word of its own (农村|厅): the word before it joins it.
            if t_end - t_start == 1 and text[t_start] in self.lex.org_suffixes:
                for p_start, p_end in token_spans.get(t_start, ()):
                    word = text[p_start:p_end]
                    if len(word) >= 2 and all(is_han(c) for c in word) and not self._is_function_word(word):
                        return Unit(p_start, t_end, ORG, text[p_start:t_end])
        for t_start, t_end in token_spans.get(end, ()):
            if t_end - t_start >= 2:
                word = text[t_start:t_end]
                if all(is_han(c) for c in word) and self.lex.is_org_word(word):
                    return Unit(t_start, t_end, ORG, word)
        return None

    def _body_name_before(self, text: str, end: int, token_spans) -> Unit | None:
        """The proper name of a body the lexicons do not know (清华 in 清华大学, 比亚迪股份有限 in
        比亚迪股份有限公司): the words right before a body back to where the chain opens (a delimiter, a
        joiner or a name opener before them, or a known place or body), none of them a verb or cue kg
        reads, at most :data:`MAX_BODY_NAME_WORDS` words and :data:`MAX_BODY_NAME_CHARS` characters."""
        start = end
        # 农业和农村工作委员会: a committee's name may join two fields; no other body's (何树山与国家邮政局)
        committee = text.startswith(self.lex.words("joined_body"), end)
        for _ in range(MAX_BODY_NAME_WORDS):
            spans = token_spans.get(start, ())
            if not spans:
                return None
            t_start, t_end = spans[0]
            word = text[t_start:t_end]
            joins = committee and start < end and word in self.lex.words("conjunction")
            # 李强同: a name the segmenter glued to the 同/与 after it ends the chain (国务院总理李强同|斐济总理)
            glued = len(word) >= 3 and word[-1] in self.lex.words("conjunction") and not joins
            if not all(is_han(c) for c in word) or (self._is_function_word(word) and not joins) or (
                    end - t_start > MAX_BODY_NAME_CHARS) or glued:
                return None
            start = t_start
            before = token_spans.get(start, ())
            if joins or (committee and before and text[before[0][0]:before[0][1]] in self.lex.words("conjunction")):
                continue  # a conjunction inside a name (农业和农村工作委员会) neither opens nor ends it
            if self._opens_chain(text, start) or self.lex.match_ending_at(text, start, (ORG, COUNTRY)) or (
                    self.lex.gazetteer_ending_at(text, start)):
                if end - start < 2:
                    return None  # one character is no name
                return Unit(start, end, ORG, text[start:end])
        return None

    def _is_function_word(self, word: str) -> bool:
        """A verb or cue kg reads (会见, 出席, 强调): never part of a body's name."""
        lex = self.lex
        return bool(word in lex.name_openers or word in lex.name_stops or word in lex.attendance
                    or word in lex.events or word in lex.words("gathering_verb") or word in lex.words("speech_verb")
                    or word in lex.words("gathering_head") or word in lex.words("preposition")
                    or word in lex.words("sentence_adverb") or lex.starts_with(word, 0, lex.name_stops))

    def _sandwiched_word(self, text: str, end: int, token_spans) -> Unit | None:
        """A word between two bodies (财经 in 中央|财经|领导小组) belongs to the body."""
        for t_start, t_end in token_spans.get(end, ()):
            word = text[t_start:t_end]
            if (len(word) >= 2 and all(is_han(c) for c in word)
                    and self.lex.match_ending_at(text, t_start, (ORG, COUNTRY))):
                return Unit(t_start, t_end, ORG, word)
        return None

    def titled_names(self, text: str, token_spans: list[tuple[int, int]] | None = None,
                     units: list[Unit] | None = None) -> list[TitledName]:
        """Every name that follows a title chain in ``text``, with the chain's offices.

        ``token_spans`` (the segmenter's words) let bodies the lexicons lack be
        recognised by their ending; ``units`` is a scan of ``text`` made before.
        """
        found: list[TitledName] = []
        units = [u for u in (units if units is not None else self.lex.scan(text)) if u.kind == TITLE]
        # The segmenter's words by where they end (words never overlap), only for a text with a title.
        token_spans = {span[1]: (span,) for span in token_spans} if token_spans and units else None  # type: ignore[assignment]
        for title in units:
            office = self.office_before(text, title, token_spans)
            offices = [office]
            # Walk back over 、-separated offices of the same chain.
            cursor = office.start
            while cursor > 0 and text[cursor - 1] in self.lex.words("chain_joiner"):  # 委员、国务委员兼外交部长
                prev_title = self.lex.match_ending_at(text, cursor - 1, (TITLE,))
                if prev_title is None:
                    break
                prev = self.office_before(text, prev_title, token_spans)
                offices.insert(0, prev)
                cursor = prev.start
            foreign = any(c != "中国" for o in offices for c in o.countries)
            carried = self._country_carried(text, found, offices)
            if carried:  # 沙特国王萨勒曼、王储兼首相穆罕默德: the list's country goes on
                offices = [replace(o, countries=[carried]) for o in offices]
                foreign = True
            end = self.read_name(text, title.end, foreign=foreign)
            if end is None and not foreign and office.start < office.end - len(office.title):
                # A body before the title but no known surname: a name of another script (联合国秘书长古特雷斯).
                # One that opens with a surname's character is read so only when too long for a Chinese name
                # (叶尔梅克巴耶夫).
                end = self.read_name(text, title.end, foreign=True)
                if end is not None and (end - title.end > MAX_NAME_AFTER_BODY or (
                        end - title.end <= 3 and not self._looks_foreign(text, title.end))):
                    end = None
            if end is None:
                continue
            found.append(TitledName(title.end, end, text[title.end:end], offices, foreign))
        return found

    def appointed_names(self, text: str, token_spans: list[tuple[int, int]] | None = None,
                        units: list[Unit] | None = None) -> list[TitledName]:
        """任命刘建林为陕西省教育厅厅长；孙科为…: each name appointed, with the post after 为 (one per
        clause, the clauses parted by ；)."""
        found: list[TitledName] = []
        titles = {u.end: u for u in (units if units is not None else self.lex.scan(text)) if u.kind == TITLE}
        if not titles:
            return found
        spans = {span[1]: (span,) for span in token_spans} if token_spans else None
        for verb in self.lex.words("appointment_verb"):
            pos = text.find(verb)
            while pos != -1:
                cursor = pos + len(verb)
                while cursor < len(text):
                    end = self.read_name(text, cursor)
                    if end is None or not text.startswith("为", end):
                        break
                    clause_end = next((i for i in range(end + 1, len(text)) if text[i] in "；;，,。"), len(text))
                    title = titles.get(clause_end)
                    if title is None or title.start <= end:
                        break
                    # The post starts after 为: what comes before is masked off so no chain runs into it.
                    office = self.office_before("，" * (end + 1) + text[end + 1:], title, spans)
                    office = replace(office, text=text[office.start:office.end])
                    found.append(TitledName(cursor, end, text[cursor:end], [office], False))
                    if clause_end >= len(text) or text[clause_end] not in "；;":
                        break
                    cursor = clause_end + 1
                pos = text.find(verb, pos + len(verb))
        return found

    def _country_carried(self, text: str, found: list[TitledName], offices: list[Office]) -> str | None:
        """The country of the titled foreign name listed right before bare ``offices`` (、 between)."""
        if not found or any(o.countries or o.bodies for o in offices):
            return None
        previous = found[-1]
        if not previous.foreign or text[previous.end:offices[0].start] not in self.lex.words("list_separator"):
            return None
        countries = [c for o in previous.offices for c in o.countries]
        return countries[-1] if countries else None

    def _looks_foreign(self, text: str, pos: int) -> bool:
        return self.lex.starts_with(text, pos, self.lex.surnames) is None

    def honorific_names(self, text: str, known: set[str], units: list[Unit] | None = None,
                        words: set[tuple[int, int]] | None = None) -> list[tuple[int, int, Unit]]:
        """Names right before a title that no name follows (习近平主席, 特朗普总统).

        ``words``: the segmenter's words as (start, end); a Chinese name (surname first) that is one
        word right before the title needs no delimiter on its left (贯彻|习近平|总书记).
        """
        found = []
        for title in (u for u in (units if units is not None else self.lex.scan(text)) if u.kind == TITLE):
            acting = self.lex.ends_with(text, title.start, self.lex.words("acting_marker"))
            if acting and title.start - len(acting) - 2 >= 0:
                # 敏昂莱代总统: an acting president, not a name ending in 代, unless the longer name is known
                shorter = self.read_name_before(text, title.start - len(acting), known)
                if shorter is not None and text[shorter:title.start] not in known:
                    found.append((shorter, title.start - len(acting), title))
                    continue
            start = self.read_name_before(text, title.start, known)
            if start is None and words:
                start = self._word_name_before(text, title.start, words)
            if start is None:
                continue
            name = text[start:title.start]
            if name in known or self.valid_name(name):
                found.append((start, title.start, title))
        return found


DATE_RE = re.compile(
    r"(?:(?P<year>\d{4}|[〇零一二三四五六七八九]{4})年)?"
    r"(?:(?P<month>\d{1,2}|[一二三四五六七八九十]{1,3})月)?"
    r"(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})日"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = 0


def chinese_number(text: str) -> int:
    """``"11"``, ``"十一"``, ``"二〇一七"`` -> int."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS[char]
    return value


@dataclass(frozen=True)
class DateMention:
    """A date in the text; year and month may be unknown."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int


def find_dates(text: str) -> list[DateMention]:
    """Every 2017年11月9日 / 11月9日 / 9日 in ``text``."""
    out = []
    for match in DATE_RE.finditer(text):
        try:
            year = chinese_number(match["year"]) if match["year"] else None
            month = chinese_number(match["month"]) if match["month"] else None
            day = chinese_number(match["day"])
        except KeyError:
            continue
        if not 1 <= day <= 31 or (month is not None and not 1 <= month <= 12):
            continue
        out.append(DateMention(match.start(), match.end(), year, month, day))
    return out
