"""Gatherings: meetings of many, ceremonies, forums and inspections, and who attended them.

Part of ``kg_relations`` (:class:`kg.nlp.relations.RelationExtractor` mixes
these rules in and supplies the clause, place and subject helpers). Patterns:

* ``出席/参加/主持召开/听取 + …会议/座谈会/开幕式/论坛 …``: the persons before the verb
  attend the gathering the name (up to a head word) names; a bare head
  (出席会议) is the latest gathering so named, 出席相关活动 every event so far.
* ``…论坛在重庆举行``: a gathering named first, where it took place.
* ``X在P考察/调研``: an inspection by X at P, with those who accompany X.

The word classes (verbs, heads, links, references) are in ``data/lexicons/word_classes.tsv``.
"""

from __future__ import annotations

import re

from kg.nlp.records import EventRecord, within

GATHERING = "Gathering"
#: the longest name of a gathering read after its verb, and one that opens with a theme in quotes
#: (召开“深入学习宣传贯彻…法律体系”座谈会)
MAX_GATHERING_NAME, MAX_QUOTED_GATHERING_NAME = 40, 80
# A date or time of day between a gathering's name and its place (…论坛27日上午在北京举行).
TRAILING_TIME = re.compile(r"(?:(?:\d{1,2}月)?\d{1,2}日|[一二三四五六七八九十]{1,3}日|[上中下]午|晚间?|当天|今天|近日|日前|\s)+$")
# After a name: (受…委托)作(了/的)…报告/说明, within one clause.
REPORT = re.compile(r"(?:受[^，。；]{1,12}委托)?作(?:了|的)?[^，。；]{0,60}?(?:报告|说明)")
#: how many sentences, from the one that names a talk between two sides, introduce its participants
SIDE_TALKS_SENTENCES = 3
MAX_LISTED_CLAUSES = 4  # titled names listed over commas before the verb they share
LEADING_TIME = re.compile(r"^(?:\d{1,2}月\d{1,2}日|\d{1,2}日|[上中下]午|晚间?|当天|今天|近日|日前|\s)+")


class GatheringRules:
    """The gathering rules of ``kg_relations``; the host class provides ``lexicon``, ``nouns``,
    ``gathering_verbs``, ``gathering_heads`` and the clause, place and subject helpers."""

    def _gatherings(self, text, sent, in_sent, state, order) -> list[EventRecord]:
        """出席/参加/主持召开 + the name of a gathering: the persons before the verb attend it.

        The name runs from after the verb to a gathering head (会议, 座谈会, 开幕式 …) that ends the
        clause or is followed by a link word (并, 时, 上); a bare head (出席会议) is the latest gathering.
        """
        found: list[EventRecord] = self._gatherings_named_first(text, sent, in_sent)
        found += self._inspections(text, sent, in_sent)
        self._speakers(text, sent, in_sent, order)
        pos, floor = sent[0], sent[0]
        while pos < sent[1]:
            verb = self.lexicon.starts_with(text, pos, self.gathering_verbs)
            if verb is None:
                pos += 1
                continue
            after = pos + len(verb)
            name = self._gathering_name(text, sent, after)
            if name is not None:
                event = self._gathering(text, sent, in_sent, state, order, pos, name, floor,
                                        held=verb in self.lexicon.words("gathering_holder"))
                if event is not None:
                    found.append(event)
            floor, pos = pos + 1, after  # the next verb's persons stand after this one
        self._reporters(text, sent, in_sent, order, found)
        return found

    def _sides_meet(self, text: str, sentences: list[tuple[int, int]], persons, order) -> None:
        """广东、江西两省举行工作座谈…李希、刘奇、马兴瑞参加座谈: at a talk (座谈) between two provinces
        or bodies, the persons who take part in it (preside, speak, report, join the talk) in the
        sentences that introduce it met each other across the sides, the side being the first place
        their title chain names; the officials listed later only attended."""
        starts = [s for s, _ in sentences]
        person_starts = [p.start for p in persons]  # persons come sorted by start
        for event in order:
            if event.klass != GATHERING or not event.name.endswith(self.lexicon.words("side_talks")):
                continue
            first = starts.index(event.evidence[0])
            near = {sentences[i] for i in range(first, min(first + SIDE_TALKS_SENTENCES, len(sentences)))}
            sides: dict[str, str] = {}
            for sent in sorted(near):
                in_sent = within(persons, person_starts, sent)
                for person in in_sent:
                    side = self._side(text, person)
                    if side and self._takes_part(text, sent, person, in_sent):
                        sides.setdefault(person.name, side)
                        event.attendees.setdefault(person.name, sent)
            names = list(sides)
            event.met.extend((a, b) for i, a in enumerate(names) for b in names[i + 1:] if sides[a] != sides[b])

    def _takes_part(self, text: str, sent: tuple[int, int], person, in_sent) -> bool:
        """Whether a talks role follows ``person`` in their clause, or after the titled names listed
        with them over commas (浙江省委副书记、省长郑栅洁，云南省委副书记、代省长王予波分别介绍)."""
        pos = person.end
        for _ in range(MAX_LISTED_CLAUSES):
            end = self._clause_end(text, sent, pos)
            if any(text.find(w, pos, end) != -1 for w in self.lexicon.words("talks_role")):
                return True
            nxt = next((p for p in in_sent if p.start > end), None)
            if text[pos:end].strip() or nxt is None or self._clause_end(text, sent, nxt.start) < nxt.end:
                return False
            pos = nxt.end
        return False

    def _side(self, text: str, person) -> str | None:
        """The province, city or country a person's title chain names first (广东 of 广东省委书记)."""
        for office in person.offices:
            if office.countries:
                return office.countries[0]
            spans = self.lexicon.gazetteer_matches(office.text)
            if spans:
                place = office.text[spans[0][0]:spans[0][1]]
                suffix = self.lexicon.ends_with(place, len(place), self.lexicon.words("admin_prefix"))
                return place[:-len(suffix)] if suffix and len(place) > len(suffix) + 1 else place
        return None

    def _speakers(self, text, sent, in_sent, order) -> None:
        """程红委员代表民盟中央发言说: a sentence that opens with a person who speaks (发言) at the
        gathering the story reports; the person attended it."""
        gathering = next((e for e in reversed(order) if e.klass == GATHERING), None)
        if gathering is None or not in_sent or text[sent[0]:in_sent[0].start].strip():
            return
        speaker = in_sent[0]
        for verb in self.lexicon.words("speaking_verb"):
            at = text.find(verb, speaker.end, min(sent[1], speaker.end + 20))
            if at != -1 and not any(c in "，。；,;" for c in text[speaker.end:at]):
                gathering.attendees.setdefault(speaker.name, sent)
                return

    def _reporters(self, text, sent, in_sent, order, here) -> None:
        """会议听取了…院长张军作的…报告, 潘功胜受国务院委托作…报告: a person who makes a report or an
        explanation (作…报告, 作…说明) attended the gathering of the sentence (``here``) or else the
        story's latest meeting."""
        reporters = [p for p in in_sent if REPORT.match(text, p.end, sent[1]) and not self._is_modifier(text, p)]
        if not reporters:
            return
        ours = [e for e in reversed(here) if e.klass == GATHERING]
        gathering = ours[0] if ours else self._story_gathering([*order, *here])
        for person in reporters if gathering is not None else ():
            gathering.attendees.setdefault(person.name, sent)

    def _story_gathering(self, events: list[EventRecord], name: str | None = None) -> EventRecord | None:
        """The gathering a bare reference means, latest first: one whose name ends with ``name``, else
        the latest meeting (…会, …会议: reports and 开幕会 belong to the session, not to a ceremony), else
        the latest gathering."""
        gatherings = [e for e in reversed(events) if e.klass == GATHERING]
        named = next((e for e in gatherings if self._named_with(e.name, name)), None) if name else None
        meeting = next((e for e in gatherings if e.name.endswith(self.lexicon.words("session_ending"))), None)
        return named or meeting or (gatherings[0] if gatherings else None)

    def _named_with(self, name: str, head: str) -> bool:
        """Whether a gathering's ``name`` ends with ``head``, or joins one so named to another with 暨
        (交易会开幕式暨…论坛 is an 开幕式 and a 论坛)."""
        parts = [name]
        for joiner in self.lexicon.words("gathering_joiner"):
            parts = [piece for part in parts for piece in part.split(joiner)]
        return any(part.endswith(head) for part in parts)

    def _inspections(self, text, sent, in_sent) -> list[EventRecord]:
        """习近平在贵州考察, 赴企业调研: the persons of the clause inspect, at the place after 在."""
        found = []
        for verb in self.lexicon.words("inspection_verb"):
            pos = text.find(verb, sent[0], sent[1])
            while pos != -1:
                clause_start = self._clause_start(text, sent, pos)
                who = [p.name for p in in_sent if clause_start <= p.start and p.end <= pos
                       and not self._is_modifier(text, p)]
                place = self._place_after_zai(text, clause_start, pos, in_sent)
                if who and place and not text.startswith(("团", "组"), pos + len(verb)):
                    name = f"{who[0]}在{place}{verb}"
                    event = EventRecord(GATHERING, name, (), sent, place=place, name=name)
                    for person in dict.fromkeys(who):
                        event.attendees[person] = sent
                    found.append(event)
                pos = text.find(verb, pos + len(verb), sent[1])
        return found

    def _gatherings_named_first(self, text, sent, in_sent) -> list[EventRecord]:
        """…论坛在重庆举行, 全体会议9日在人民大会堂召开: a clause that opens with a gathering's name and
        says where it took place; its attendees come with the sentences that follow."""
        found = []
        for verb in self.lexicon.words("gathering_passive"):
            pos = text.find(verb, sent[0], sent[1])
            while pos != -1:
                clause_start = self._clause_start(text, sent, pos)
                zai = text.rfind("在", clause_start, pos)
                name = LEADING_TIME.sub("", TRAILING_TIME.sub("", text[clause_start:zai if zai != -1 else pos]))
                place = text[zai + 1:pos].strip() if zai != -1 else ""
                inside_head = self.lexicon.starts_with(text, pos, self.gathering_heads) is not None  # 开幕|式
                if (4 <= len(name) <= 60 and name.endswith(tuple(self.gathering_heads)) and not inside_head
                        and not any(clause_start <= p.start < pos for p in in_sent)
                        and self.lexicon.ends_with(name, len(name), self.nouns) is None
                        and (not place or self._is_place(place))):
                    found.append(EventRecord(GATHERING, name, (), sent, place=place or None, name=name))
                pos = text.find(verb, pos + len(verb), sent[1])
        return found

    def _gathering_name(self, text: str, sent: tuple[int, int], start: int) -> str | None:
        if text.startswith("了", start):
            start += 1
        longest, after_theme = MAX_GATHERING_NAME, start
        if text.startswith("“", start):  # a theme in quotes may hold commas of its own
            close = text.find("”", start, min(sent[1], start + MAX_QUOTED_GATHERING_NAME))
            if close != -1:
                longest, after_theme = MAX_QUOTED_GATHERING_NAME, close + 1
        end = self._clause_end(text, sent, after_theme)
        links = self.lexicon.words("gathering_link")
        for i in range(start, min(end, start + longest)):
            head = self.lexicon.starts_with(text, i, self.gathering_heads)
            if head is None:
                continue
            stop = i + len(head)
            if stop == end or text.startswith(links, stop):
                name = text[start:stop]
                # 出席会见: the meeting's own rules; 举行工作座谈: a gathering (甲与乙座谈 is the meeting rules')
                if self.lexicon.ends_with(name, len(name), self.nouns) is None or name.endswith(
                        self.lexicon.words("gathering_or_meeting")):
                    return name
        return None

    def _gathering(self, text, sent, in_sent, state, order, pos, name, floor: int,
                   held: bool = False) -> EventRecord | None:
        """The gathering ``name`` with the persons before the verb at ``pos``; one that bodies hold
        (``held``: 两省召开座谈会) exists without them, for the persons who attend it later."""
        clause_start = self._clause_start(text, sent, pos)
        if any(text.find(w, clause_start, pos) != -1 for w in self.lexicon.words("unrealized_marker")):
            return None  # 欢迎习近平主席…出席纪念活动, 将出席峰会: invited or planned, not attended yet
        # The persons before the verb, back to the sentence's start or the previous verb of this kind
        # (``floor``): a list of titled names runs over commas (甲，乙、丙出席会议).
        floor = min(floor, clause_start)
        who = [p.name for p in in_sent if floor <= p.start and p.end <= pos and not self._is_modifier(text, p)]
        if not who:
            who = self._subject_before(text, sent[0], pos, in_sent, state, order)
        if not who and not held:
            return None
        if name.startswith(self.lexicon.words("gathering_reference")) or name in self.lexicon.words("gathering_any"):
            # 出席上述活动, 参加相关活动, 参加活动: every event the story has reported so far
            for event in order:
                if event.klass != "Visit":
                    for person in dict.fromkeys(who):
                        event.attendees.setdefault(person, sent)
            return None
        if name in self.gathering_heads:
            # 出席会议: the gathering the story is about, the latest so named (…会议) before any other
            latest = self._story_gathering(order, name)
            if latest is not None:
                name = latest.name
            elif not held:
                return None  # 两省举行座谈会: a gathering named by its kind alone is still one
        place = self._place_after_zai(text, clause_start, pos, in_sent)
        welcomed = self._welcomed(text, sent, in_sent, pos, name) if who else []
        if welcomed:
            # 习近平举行仪式，欢迎费利佩六世…: a welcome ceremony, its guests among its principals
            hosts = list(dict.fromkeys(who))
            label = f"{'、'.join(hosts)}为{'、'.join(welcomed)}举行欢迎{name}"
            event = EventRecord("WelcomeCeremony", label, (*hosts, *welcomed), sent, place=place)
            for person in (*hosts, *welcomed):
                event.attendees[person] = sent
            return event
        event = EventRecord(GATHERING, name, (), sent, place=place, name=name)
        for person in dict.fromkeys(who):
            event.attendees[person] = sent
        return event

    def _welcomed(self, text, sent, in_sent, pos, name: str) -> list[str]:
        """举行仪式，欢迎X…: the persons a ceremony welcomes, named in the clause right after it."""
        if name not in self.lexicon.words("welcome_gathering"):
            return []
        end = self._clause_end(text, sent, pos)
        if not text.startswith(("，欢迎", ",欢迎"), end):
            return []
        stop = self._clause_end(text, sent, end + 1)
        return [p.name for p in in_sent if end < p.start and p.end <= stop and not self._is_modifier(text, p)]
