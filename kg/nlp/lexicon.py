"""The lexicons kg reads from ``data/lexicons``, and a longest-match scanner over them.

Lexicons are data, not code: see ``data/lexicons/README.md`` for each file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

#: the project's ``data/lexicons``, installed inside the package as ``kg.lexicons``
DEFAULT_DIR = Path(str(resources.files("kg.lexicons")))

# Unit categories the scanner reports.
COUNTRY = "COUNTRY"
COUNTRY_ABBR = "COUNTRY_ABBR"
ORG = "ORG"
TITLE = "TITLE"
PLACE = "PLACE"
AGENCY = "AGENCY"


@dataclass(frozen=True)
class Unit:
    """One lexicon match in a text: characters ``start:end`` of category ``kind``."""

    start: int
    end: int
    kind: str
    text: str


def _lines(path: Path) -> list[str]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.startswith("#") else ""
        if line.strip():
            out.append(line)
    return out


@dataclass
class Lexicon:
    """Every lexicon kg uses, loaded from one folder."""

    countries: dict[str, str] = field(default_factory=dict)  # any name or alias -> canonical name
    country_abbr: dict[str, str] = field(default_factory=dict)  # 中 -> 中国
    organizations: set[str] = field(default_factory=set)
    org_suffixes: list[str] = field(default_factory=list)
    titles: dict[str, bool] = field(default_factory=dict)  # title -> standalone
    surnames: list[str] = field(default_factory=list)  # longest first
    name_stops: list[str] = field(default_factory=list)  # longest first
    name_openers: list[str] = field(default_factory=list)
    not_names: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    place_suffixes: list[str] = field(default_factory=list)
    agencies: set[str] = field(default_factory=set)
    events: dict[str, str] = field(default_factory=dict)  # noun -> event class
    attendance: list[str] = field(default_factory=list)
    ner_cues: list[str] = field(default_factory=list)  # with events and attendance: sentences NER reads
    gazetteer_places: set[str] = field(default_factory=set)  # the NER model's place feature; posts' place qualifiers
    gazetteer_countries: set[str] = field(default_factory=set)  # ISO 3166-1 names: post qualifiers, never persons
    word_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> words, in file order
    _index: dict[str, str] = field(default_factory=dict, repr=False)
    _max_len: int = 0
    _lengths_by_first: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _first_char_maps: dict[int, dict[str, list[str]]] = field(default_factory=dict, repr=False)
    _gazetteer_lengths: dict[str, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, folder: str | Path | None = None) -> Lexicon:
        """Read every lexicon file in ``folder`` (default: the project's ``data/lexicons``)."""
        root = Path(folder) if folder else DEFAULT_DIR
        lex = cls()
        for line in _lines(root / "countries.tsv"):
            cols = (line.split("\t") + ["", ""])[:3]
            name, aliases, abbr = cols[0].strip(), cols[1].strip(), cols[2].strip()
            lex.countries[name] = name
            for alias in filter(None, aliases.split("|")):
                lex.countries.setdefault(alias, name)
            if abbr:
                lex.country_abbr.setdefault(abbr, name)
        lex.organizations = set(_lines(root / "organizations.txt"))
        lex.org_suffixes = sorted(set(_lines(root / "org_suffixes.txt")), key=len, reverse=True)
        for line in _lines(root / "titles.tsv"):
            title, _, kind = line.partition("\t")
            lex.titles[title.strip()] = kind.strip() == "standalone"
        lex.surnames = sorted(set(_lines(root / "surnames.txt")), key=len, reverse=True)
        lex.name_stops = sorted(set(_lines(root / "name_stops.txt")), key=len, reverse=True)
        lex.name_openers = sorted(set(_lines(root / "name_openers.txt")), key=len, reverse=True)
        lex.not_names = set(_lines(root / "not_names.txt"))
        lex.places = set(_lines(root / "places.txt"))
        lex.place_suffixes = sorted(set(_lines(root / "place_suffixes.txt")), key=len, reverse=True)
        lex.agencies = set(_lines(root / "agencies.txt"))
        for line in _lines(root / "events.tsv"):
            noun, _, klass = line.partition("\t")
            lex.events[noun.strip()] = klass.strip()
        lex.attendance = sorted(set(_lines(root / "attendance.txt")), key=len, reverse=True)
        lex.ner_cues = sorted(set(_lines(root / "ner_cues.txt")), key=len, reverse=True)
        for line in _lines(root / "word_classes.tsv"):
            klass, _, word = line.partition("\t")
            lex.word_classes[klass.strip()] = (*lex.word_classes.get(klass.strip(), ()), word.strip())
        # 西班牙王国, 斐济共和国: a country's name with its form of state, as formal news writes it
        for form in lex.word_classes.get("state_form", ()):
            for alias, name in list(lex.countries.items()):
                if len(alias) >= 2 and not alias.endswith(("国", "方")):
                    lex.countries.setdefault(alias + form, name)
        # 常务副省长, 第一副外长: a rank word before a deputy's title makes a title of its own
        for prefix in lex.word_classes.get("title_rank", ()):
            for title, standalone in list(lex.titles.items()):
                if title.startswith("副"):
                    lex.titles.setdefault(prefix + title, standalone)
        if (root / "gazetteer_countries.txt").is_file():
            lex.gazetteer_countries = set(_lines(root / "gazetteer_countries.txt"))
        if (root / "gazetteer_places.txt").is_file():
            lex.gazetteer_places = set(_lines(root / "gazetteer_places.txt"))
        lex.gazetteer_countries |= {country + form for country in lex.gazetteer_countries
                                    for form in lex.word_classes.get("state_form", ())
                                    if not country.endswith(("国", "方"))}
        lex._build_index()
        return lex

    def _build_index(self) -> None:
        index: dict[str, str] = {}
        # Later categories win on identical strings: a title beats a body of the same spelling.
        for word in self.places:
            index[word] = PLACE
        for word in self.agencies:
            index[word] = AGENCY
        for word in self.organizations:
            index[word] = ORG
        for word in self.org_suffixes:
            if len(word) >= 2:  # multi-character endings (办公室, 委员会) are bodies by themselves
                index.setdefault(word, ORG)
        for word in self.countries:
            index[word] = COUNTRY
        for word in self.titles:
            index[word] = TITLE
        self._index = index
        self._max_len = max(map(len, index)) if index else 0
        # The lengths of the entries each first character starts, longest first: most characters start
        # none, and a scan then costs one lookup instead of one per possible length.
        self._lengths_by_first = self._lengths_by_first_char(index)
        self._gazetteer_lengths = self._lengths_by_first_char(self.gazetteer_places)
        self._first_char_maps = {id(words): self._first_char_map(words) for words in (
            self.surnames, self.name_stops, self.name_openers, self.org_suffixes, self.place_suffixes,
            self.attendance, self.ner_cues)}

    @staticmethod
    def _lengths_by_first_char(words) -> dict[str, list[int]]:
        lengths: dict[str, set[int]] = {}
        for word in words:
            lengths.setdefault(word[0], set()).add(len(word))
        return {char: sorted(ls, reverse=True) for char, ls in lengths.items()}

    def index_words(self, words: list[str]) -> None:
        """Let :meth:`starts_with` look ``words`` up by first character; the caller keeps the list."""
        self._first_char_maps[id(words)] = self._first_char_map(words)

    @staticmethod
    def _first_char_map(words: list[str]) -> dict[str, list[str]]:
        """First character -> the words starting with it, in the list's order (longest first)."""
        out: dict[str, list[str]] = {}
        for word in words:
            if word:
                out.setdefault(word[0], []).append(word)
        return out

    # --- scanning -----------------------------------------------------------------

    def match_at(self, text: str, pos: int) -> Unit | None:
        """The longest lexicon entry starting at ``pos``, if any."""
        for length in self._lengths_by_first.get(text[pos], ()) if pos < len(text) else ():
            kind = self._index.get(text[pos:pos + length]) if pos + length <= len(text) else None
            if kind:
                return Unit(pos, pos + length, kind, text[pos:pos + length])
        return None

    def match_ending_at(self, text: str, end: int, kinds: tuple[str, ...] = (ORG, COUNTRY)) -> Unit | None:
        """The longest entry of one of ``kinds`` that ends exactly at ``end``."""
        for length in range(min(self._max_len, end), 0, -1):
            kind = self._index.get(text[end - length:end])
            if kind in kinds:
                return Unit(end - length, end, kind, text[end - length:end])
        return None

    def scan(self, text: str) -> list[Unit]:
        """Greedy leftmost-longest lexicon units over ``text``.

        Country abbreviations (中, 美) count only where they pair with another
        abbreviation (中美, 美中) or take 方 (美方), since alone they are too ambiguous.
        """
        units: list[Unit] = []
        pos = 0
        while pos < len(text):
            unit = self.match_at(text, pos)
            if unit is None:
                unit = self._abbr_at(text, pos)
            if unit is None:
                pos += 1
                continue
            units.append(unit)
            pos = unit.end
        return units

    def gazetteer_matches(self, text: str) -> list[tuple[int, int]]:
        """Greedy leftmost-longest ``(start, end)`` spans of ``gazetteer_places`` names in ``text``."""
        spans: list[tuple[int, int]] = []
        pos = 0
        while pos < len(text):
            end = next((pos + length for length in self._gazetteer_lengths.get(text[pos], ())
                        if pos + length <= len(text) and text[pos:pos + length] in self.gazetteer_places), None)
            if end is None:
                pos += 1
                continue
            spans.append((pos, end))
            pos = end
        return spans

    def gazetteer_country_ending_at(self, text: str, end: int) -> Unit | None:
        """The longest ISO country name (阿塞拜疆) ending exactly at ``end``, as a country unit."""
        return _longest_ending_at(text, end, self.gazetteer_countries, 10, COUNTRY)

    def gazetteer_ending_at(self, text: str, end: int) -> Unit | None:
        """The longest gazetteer place (四川省, 廊坊市) ending exactly at ``end``, as a body unit."""
        return _longest_ending_at(text, end, self.gazetteer_places, 8, ORG)

    def is_place_name(self, word: str) -> bool:
        """A country (ISO or kg's list) or a Chinese division in its full form (陕西省, 廊坊市)."""
        return (word in self.gazetteer_countries or self.country_name(word) is not None
                or (word in self.gazetteer_places and len(word) >= 3 and word.endswith(self.words("admin_prefix"))))

    def _abbr_at(self, text: str, pos: int) -> Unit | None:
        char = text[pos]
        if char not in self.country_abbr:
            return None
        prev_char = text[pos - 1] if pos else ""
        next_char = text[pos + 1] if pos + 1 < len(text) else ""
        if next_char in self.country_abbr or prev_char in self.country_abbr or next_char == "方":
            return Unit(pos, pos + 1, COUNTRY_ABBR, char)
        return None

    # --- word classes ----------------------------------------------------------------

    def starts_with(self, text: str, pos: int, words: list[str]) -> str | None:
        """The longest of ``words`` that ``text`` has at ``pos``."""
        by_first = self._first_char_maps.get(id(words))
        if by_first is not None:  # one of the lexicon's own lists: only words with the right first character
            if pos >= len(text):
                return None
            words = by_first.get(text[pos], ())
        for word in words:
            if text.startswith(word, pos):
                return word
        return None

    def ends_with(self, text: str, end: int, words: list[str]) -> str | None:
        """The longest of ``words`` that ends at ``end`` in ``text``."""
        for word in words:
            if end - len(word) >= 0 and text.startswith(word, end - len(word)):
                return word
        return None

    def words(self, klass: str) -> tuple[str, ...]:
        """The words of one class of ``word_classes.tsv`` (spouse, conjunction, speech_verb, ...)."""
        try:
            return self.word_classes[klass]
        except KeyError:
            raise KeyError(f"word_classes.tsv has no class {klass!r}") from None

    def country_name(self, surface: str) -> str | None:
        """The canonical country for a name, alias or abbreviation (美方 -> 美国)."""
        if surface in self.countries:
            return self.countries[surface]
        if surface in self.country_abbr:
            return self.country_abbr[surface]
        form = self.ends_with(surface, len(surface), self.words("state_form")) if self.word_classes else None
        if form and surface[:-len(form)] in self.gazetteer_countries:
            return surface[:-len(form)]  # 斐济共和国 -> 斐济
        return None

    def is_org_word(self, word: str) -> bool:
        """True for a known body, or a word of two or more characters with a body ending."""
        if word in self.organizations:
            return True
        return len(word) >= 2 and any(word.endswith(s) and word != s for s in self.org_suffixes)

    def is_place_phrase(self, phrase: str) -> bool:
        """True for a known place or a phrase with a place ending (…广场, …宫)."""
        if phrase in self.places:
            return True
        # A suffix of three or more characters (人民大会堂) is a place by itself.
        return any(phrase.endswith(s) and (len(phrase) > len(s) or len(s) >= 3) for s in self.place_suffixes)


def _longest_ending_at(text: str, end: int, words: set[str], longest: int, kind: str) -> Unit | None:
    """The longest of ``words`` (two to ``longest`` characters) that ends exactly at ``end``."""
    for length in range(min(longest, end), 1, -1):
        if text[end - length:end] in words:
            return Unit(end - length, end, kind, text[end - length:end])
    return None


@lru_cache(maxsize=4)
def load_lexicon(folder: str | None = None) -> Lexicon:
    """Load (once per process) the lexicons of ``folder`` or the default folder."""
    return Lexicon.load(folder)
