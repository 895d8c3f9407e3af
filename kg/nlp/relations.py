"""``kg_relations``: events, who took part, where and when, and who met whom.

Reads the persons (``doc.spans["kg_persons"]``, or another NER's person
entities), units and dates the earlier components left on the Doc and
writes ``doc.spans["kg_events"]``. Patterns, per sentence:

* ``X同/与/和Y(举行)会谈/会晤``: talks or a meeting of X and Y; X met Y.
* ``X会见/会晤Y(和Z)``: a meeting hosted by X; X met each guest, guests did not
  meet each other. ``X分别会见Y和Z``: one meeting per guest.
* ``X在P为Y举行欢迎仪式``: a welcome ceremony (likewise banquets).
* ``…见证…签署``: a signing witnessed by the persons named.
* ``X访华 / 访问C``: a visit of X to C (``kg:visitor``, ``kg:destination``).
* ``A，B，C等出席/参加/陪同``: attendees of the event named after the verb,
  or of the last event of the document.
* gatherings (出席…会议, …论坛在重庆举行, 在P考察): :mod:`kg.nlp.gatherings`.

``我`` is the speaker of the sentence (习近平强调，…我同…); ``两国元首`` and
``双方`` are the two principals of the document's first talks or meeting.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.gatherings import LEADING_TIME, TRAILING_TIME, GatheringRules
from kg.nlp.grammar import DELIMITERS, DateMention, is_han
from kg.nlp.lexicon import COUNTRY, COUNTRY_ABBR, TITLE, Lexicon
from kg.nlp.lexicon_matcher import pipeline_lexicon
from kg.nlp.records import (
    EventRecord,
    PersonMention,
    doc_text,
    get_list,
    get_persons,
    register_extensions,
    sentence_of,
    sentence_spans,
    set_events,
    within,
)

MEETING_CLASSES = {"Talks", "Meeting"}
PAIR_CLASSES = {"Talks", "Meeting", "PhoneCall"}
CEREMONY_CLASSES = {"WelcomeCeremony", "Banquet"}
PARENTHESES = re.compile(r"[（(][^（）()]*[）)]")
MAX_GUEST_CLAUSE = 16  # characters of a 的 clause between 同/与 and the guest it describes


class RelationExtractor(GatheringRules):
    """Finds events and their participants; writes ``doc.spans["kg_events"]``."""

    def __init__(self, nlp: Language, lexicon_dir: str | None):
        register_extensions()
        self.nlp, self.lexicon_dir = nlp, lexicon_dir
        self.use_lexicon(pipeline_lexicon(nlp, lexicon_dir))

    def use_lexicon(self, lexicon: Lexicon) -> None:
        """Read with ``lexicon`` (and the event nouns it lists, longest first)."""
        self.lexicon = lexicon
        self.nouns = sorted(lexicon.events, key=len, reverse=True)
        lexicon.index_words(self.nouns)
        self.gathering_verbs = sorted(lexicon.words("gathering_verb"), key=len, reverse=True)
        self.gathering_heads = sorted(lexicon.words("gathering_head"), key=len, reverse=True)
        lexicon.index_words(self.gathering_verbs)
        lexicon.index_words(self.gathering_heads)

    def from_disk(self, path, exclude=()) -> RelationExtractor:
        """Take the pipeline's lexicon again after ``nlp.from_disk`` (the component keeps no data of its own)."""
        self.use_lexicon(pipeline_lexicon(self.nlp, self.lexicon_dir))
        return self

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        # A reporter or correspondent credited in a byline is never a participant (通讯员/岳宗）…举行座谈).
        persons: list[PersonMention] = [p for p in get_persons(doc) if not self._credited(text, p)]
        dates: list[DateMention] = get_list(doc, "kg_dates")
        events: dict[tuple, EventRecord] = {}
        order: list[EventRecord] = []  # events in the order the text first names them
        # last_events: every event the latest reporting sentence created (分别会见 makes several).
        state = {"speaker": None, "last_date": None, "last_events": []}

        persons.sort(key=lambda p: p.start)
        starts = [p.start for p in persons]
        for sent in sentence_spans(doc):
            in_sent = within(persons, starts, sent)
            speaker = self._speaker(text, sent, in_sent)
            if speaker:
                state["speaker"] = speaker
            sent_dates = [d for d in dates if sent[0] <= d.start < sent[1]]
            created = []
            for found in self._events_in(text, sent, in_sent, state, order):
                if found.date is None and sent_dates:
                    found.date = sent_dates[0]
                # News reports the day once; later events of the story share it,
                # but not events recalled in someone's speech (…会晤时).
                if found.date is None and found.klass != "Visit" and not speaker:
                    found.date = state["last_date"]
                record = events.get(found.key)
                if record is None:
                    events[found.key] = record = found
                    order.append(record)
                else:
                    _merge(record, found)
                created.append(record)
                if record.date is not None:
                    state["last_date"] = record.date
            if created:
                state["last_events"] = created
            self._attendance(text, sent, in_sent, events, order, state)
        sentences = sentence_spans(doc)
        self._sides_meet(text, sentences, persons, order)
        self._delegation_heads(text, persons, order, sentences)
        return set_events(doc, order)

    # --- helpers -------------------------------------------------------------------

    def _speaker(self, text: str, sent: tuple[int, int], in_sent: list[PersonMention]) -> str | None:
        for person in in_sent[:1]:
            tail = text[person.end:sent[1]]
            if self.lexicon.starts_with(tail, 0, self.lexicon.words("speech_verb")):
                return person.name
        return None

    def _pair(self, order: list[EventRecord]) -> tuple[str, ...] | None:
        for event in order:
            if event.klass in MEETING_CLASSES and len(event.principals) == 2:
                return event.principals
        return None

    def _subject_before(self, text, start, end, in_sent, state, order) -> list[str]:
        """The persons acting as subject in ``text[start:end]``: named, 我, or 两国元首."""
        named = [p.name for p in in_sent if start <= p.start and p.end <= end and not self._is_modifier(text, p)]
        if named:
            return named
        segment = text[start:end]
        if "我" in segment and state["speaker"]:
            return [state["speaker"]]
        if any(word in segment for word in self.lexicon.words("pair_word")):
            pair = self._pair(order)
            if pair:
                return list(pair)
        return []

    def _is_modifier(self, text: str, person: PersonMention) -> bool:
        """习近平 in 习近平主席夫人彭丽媛 only says whose spouse follows."""
        pos = person.end
        unit = self.lexicon.match_at(text, pos)
        if unit is not None and unit.kind == TITLE:
            pos = unit.end
        if text.startswith("的", pos):
            pos += 1
        return text.startswith(self.lexicon.words("spouse"), pos)

    def _clause_start(self, text: str, sent: tuple[int, int], pos: int) -> int:
        for i in range(pos - 1, sent[0] - 1, -1):
            if text[i] in "，；;,":
                return i + 1
        return sent[0]

    def _clause_end(self, text: str, sent: tuple[int, int], pos: int) -> int:
        for i in range(pos, sent[1]):
            if text[i] in "，；;,。":
                return i
        return sent[1]

    def _place_after_zai(self, text: str, start: int, end: int, in_sent: list[PersonMention]) -> str | None:
        """The place in ``在P`` between ``start`` and ``end``."""
        pos = text.find("在", start, end)
        while pos != -1:
            stop = end
            for word in self.lexicon.words("place_boundary"):
                found = text.find(word, pos + 1, end)
                if found != -1:
                    stop = min(stop, found)
            for person in in_sent:
                if pos < person.start < stop:
                    stop = person.start
            phrase = text[pos + 1:stop].strip()
            if phrase and not any(c in DELIMITERS for c in phrase) and self._is_place(phrase):
                return phrase
            pos = text.find("在", pos + 1, end)
        return None

    def _is_place(self, phrase: str) -> bool:
        lexicon = self.lexicon
        if phrase in lexicon.words("city_short"):  # 在京
            return True
        if not 2 <= len(phrase) <= 16 or any(c.isdigit() for c in phrase):
            return False
        if lexicon.is_place_phrase(phrase) or phrase in lexicon.countries or (
                len(phrase) <= 4 and not lexicon.match_at(phrase, 0)):
            return True
        # A city the lexicons lack, alone (里约热内卢) or after its country or province (卡塔尔多哈, 广西南宁):
        # Han characters only, no verb, cue or preposition inside.
        if not all(is_han(c) for c in phrase) or any(
                lexicon.starts_with(phrase, i, lexicon.name_stops) for i in range(len(phrase))):
            return False
        for length in range(len(phrase) - 2, 1, -1):
            head = phrase[:length]
            if lexicon.is_place_name(head) or head in lexicon.countries or head in lexicon.gazetteer_places:
                return len(phrase) - length <= 8
        return len(phrase) <= 7 and not lexicon.match_at(phrase, 0)

    def _bare_place(self, text: str, start: int, end: int) -> str | None:
        """A place right before the event noun, with no 在 (…总统海湖庄园会晤)."""
        unit = self.lexicon.match_at(text, start)
        if unit is not None and unit.kind == TITLE:
            start = unit.end
        phrase = text[start:end]
        for word in ("举行", "进行", "了"):
            phrase = phrase.removesuffix(word)
        if phrase and self.lexicon.is_place_phrase(phrase) and not any(c in DELIMITERS for c in phrase):
            return phrase
        return None

    # --- events --------------------------------------------------------------------

    def _event_nouns(self, text: str, sent: tuple[int, int]):
        pos = sent[0]
        while pos < sent[1]:
            noun = self.lexicon.starts_with(text, pos, self.nouns)
            head = self.lexicon.starts_with(text, pos, self.gathering_heads) if noun else None
            if noun and head and len(head) > len(noun):
                noun = None  # 座谈会 is a gathering, for the gathering rules; 座谈 alone a meeting
            if noun:
                yield pos, noun
                pos += len(noun)
            else:
                pos += 1

    def _is_reference(self, text: str, sent: tuple[int, int], pos: int, noun: str) -> bool:
        """会谈前，/ 会谈后，/ 参加会见: the noun names an event, it does not report one."""
        after = pos + len(noun)
        tail = text[after:after + 3]
        clause_start = self._clause_start(text, sent, pos)
        if pos == clause_start and tail.startswith(self.lexicon.words("reference_after")):
            return True
        return self.lexicon.ends_with(text, pos, self.lexicon.attendance) is not None

    def _events_in(self, text, sent, in_sent, state, order) -> list[EventRecord]:
        found: list[EventRecord] = []
        for pos, noun in self._event_nouns(text, sent):
            if self._is_reference(text, sent, pos, noun):
                continue
            klass = self.lexicon.events[noun]
            evidence = sent
            if klass in PAIR_CLASSES:
                found.extend(self._pair_events(text, sent, in_sent, state, order, pos, noun, klass))
            elif klass in CEREMONY_CLASSES:
                event = self._ceremony(text, sent, in_sent, state, order, pos, noun, klass)
                if event:
                    found.append(event)
            elif klass == "Signing":
                before = text[sent[0]:pos]
                clause_start = self._clause_start(text, sent, pos)
                floor = self._titled_clauses_before(text, sent, clause_start, in_sent)  # 甲，乙，丙见证签约
                signers = [p.name for p in in_sent if floor <= p.start and p.end <= pos
                           and not self._is_modifier(text, p)]
                story = next((e for e in reversed(order) if e.klass == "Signing" and not e.principals), None)
                held = self._bodies_signing(text, sent, in_sent, clause_start, pos, noun) if (
                    not signers and story is None) else None
                if story is not None and signers:
                    # 副省长甲与副局长乙共同签署协议, 甲见证签约: persons at the signing the bodies held
                    for name in dict.fromkeys(signers):
                        story.attendees.setdefault(name, sent)
                elif held is not None:
                    found.append(held)
                elif "见证" in before or "出席" in before:
                    who = self._subject_before(text, sent[0], pos, in_sent, state, order)
                    if who:
                        event = EventRecord(klass, "、".join(who) + "见证签署", tuple(who), evidence)
                        for name in who:
                            event.attendees[name] = sent
                        found.append(event)
            elif klass == "Visit":
                event = self._visit(text, sent, in_sent, pos, noun)
                if event:
                    found.append(event)
        found.extend(self._gatherings(text, sent, in_sent, state, order))
        return found

    def _conjunction_before(self, text: str, floor: int, chain_start: int) -> int | None:
        """Position of 同/与/和 right before a guest's title chain, allowing a short body the
        lexicons do not know (同越共中央总书记苏林: 越共 is unknown, 中央总书记 is read), or a clause
        that describes the guest and ends in 的 (同来华进行国事访问的法国总统马克龙, 与到访的美国特使凯洛格)."""
        reach = MAX_GUEST_CLAUSE if chain_start > floor and text[chain_start - 1] == "的" else 3
        for offset in range(1, reach + 1):
            at = chain_start - offset
            if at < floor or text[at] in DELIMITERS:
                return None
            if text[at] in self.lexicon.words("conjunction"):
                return at
        return None

    def _pair_events(self, text, sent, in_sent, state, order, pos, noun, klass) -> list[EventRecord]:
        clause_start = self._clause_start(text, sent, pos)
        # 1. X同Y…会谈: a conjunction right before the guest's title chain or name.
        before = [p for p in in_sent if p.end <= pos]
        for guest in reversed(before):
            chain_start = min([o.start for o in guest.offices] + [guest.start])
            conj_at = self._conjunction_before(text, sent[0], chain_start)
            if conj_at is None:
                continue
            guests, conj_at = self._guest_list(text, sent[0], guest, conj_at, before)
            chain_start = conj_at + 1
            conj = text[conj_at]
            # The subject of this clause when it names one (赵乐际说，…习近平主席同佩通坦总理会面), else the sentence's.
            clause_hosts = self._subject_before(text, self._clause_start(text, sent, conj_at), conj_at, in_sent,
                                                state, order)
            hosts = clause_hosts or self._subject_before(text, sent[0], chain_start - 1, in_sent, state, order)
            hosts = [h for h in hosts if h not in guests]
            if not hosts:
                continue
            host = hosts[-1] if len(hosts) > 1 and hosts[0] == guest.name else hosts[0]
            co_hosts = self._listed_with(text, host, hosts, in_sent)  # 甲、乙与丙一行座谈: both met 丙
            place = self._place_after_zai(text, sent[0], pos, in_sent) or self._bare_place(text, guest.end, pos)
            label = f"{host}{conj}{'、'.join(guests)}" + (f"在{place}" if place else "") + noun
            event = EventRecord(klass, label, (*co_hosts, *guests), sent, place=place)
            for name in (*co_hosts, *guests):
                event.attendees[name] = sent
            if klass in MEETING_CLASSES and not self._remote(text, clause_start, pos):
                event.met.extend((h, g) for h in co_hosts for g in guests)
            return [event]
        # 2. 俄乌两国代表团在伊斯坦布尔进行谈判: talks between delegations, their heads named later.
        if klass == "Talks":
            talks = self._delegation_talks(text, sent, in_sent, clause_start, pos, noun)
            if talks is not None:
                return [talks]
        # 3. X会见Y(和Z): the noun used as a verb, host before it, guests after it.
        if noun not in self.lexicon.words("meeting_verb"):
            return []
        floor = self._titled_clauses_before(text, sent, clause_start, in_sent)
        hosts = self._subject_before(text, floor, pos, in_sent, state, order)
        if not hosts:
            return []
        host = hosts[0]
        # 甲（titles），乙（titles）拜会了丙: a list of titled hosts over commas all met the guests.
        co_hosts = list(dict.fromkeys(hosts)) if floor < clause_start else [host]
        guests = [p.name for p in in_sent if pos < p.start and not self._is_modifier(text, p)]
        guests = [g for g in dict.fromkeys(guests) if g not in co_hosts]
        if not guests:
            # 会见了出席论坛的各国使节: the guests go unnamed; the host's meeting is still one to attend.
            event = EventRecord(klass, f"{host}{noun}", (host,), sent,
                                place=self._place_after_zai(text, clause_start, pos, in_sent))
            event.attendees[host] = sent
            return [event]
        place = self._place_after_zai(text, clause_start, pos, in_sent)
        separately = text[max(pos - 2, 0):pos] == "分别"
        groups = [[g] for g in guests] if separately else [guests]
        events = []
        for group in groups:
            label = f"{host}{noun}{'、'.join(group)}"
            event = EventRecord(klass, label, (*co_hosts, *group), sent, place=place)
            for name in (*co_hosts, *group):
                event.attendees[name] = sent
            if klass in MEETING_CLASSES and not self._remote(text, clause_start, pos):
                event.met.extend((h, g) for h in co_hosts for g in group)
            events.append(event)
        return events

    def _bodies_signing(self, text, sent, in_sent, clause_start: int, pos: int, noun: str) -> EventRecord | None:
        """安徽省人民政府与国家邮政局在合肥签署战略合作协议: a signing two bodies held at a place; the
        persons who sign, witness or attend it are named after (see the Signing rule of :meth:`_events_in`)."""
        place = self._place_after_zai(text, clause_start, pos, in_sent)
        zai = text.rfind("在", clause_start, pos)
        if not place or zai == -1:
            return None
        parties = _parties(text[clause_start:zai])
        if not parties:
            return None
        label = f"{parties}在{place}{noun}"
        return EventRecord("Signing", label, (), sent, place=place, name=label)

    def _delegation_talks(self, text, sent, in_sent, clause_start: int, pos: int, noun: str) -> EventRecord | None:
        """Talks whose sides are delegations (俄罗斯和乌克兰代表团…在伊斯坦布尔开始会谈) and no person of
        the clause: an event of its own, which the delegations' heads attend (see :meth:`_delegation_heads`)."""
        if any(clause_start <= p.start < pos for p in in_sent):
            return None
        word = next((w for w in self.lexicon.words("delegation") if text.find(w, clause_start, pos) != -1), None)
        if word is None:
            return None
        sides = _parties(text[clause_start:text.find(word, clause_start, pos) + len(word)])
        place = self._place_after_zai(text, clause_start, pos, in_sent)
        label = sides + (f"在{place}" if place else "") + noun
        return EventRecord("Talks", label, (), sent, place=place, name=label)

    def _delegation_heads(self, text: str, persons: list[PersonMention], order: list[EventRecord],
                          sentences: list[tuple[int, int]]) -> None:
        """The head of a delegation (俄方谈判代表团团长梅金斯基, 代表团由国防部长乌梅罗夫率领) attends the
        latest delegations' talks before them."""
        text_talks = [e for e in order if e.klass == "Talks" and not e.principals and e.name]
        if not text_talks:
            return
        words = self.lexicon.words("delegation")
        for person in persons:
            talks = [e for e in text_talks if e.evidence[0] <= person.start]
            if not talks:
                continue
            sent = sentence_of(sentences, person.start)
            heads = any(any(w in o.text for w in words) for o in person.offices
                        if o.title in self.lexicon.words("delegation_head"))
            if heads or self._leads_delegation(text, sent, person):
                talks[-1].attendees.setdefault(person.name, sent)

    def _leads_delegation(self, text: str, sent: tuple[int, int], person: PersonMention) -> bool:
        """代表团由…X率领: a delegation led by ``person``."""
        clause_start = self._clause_start(text, sent, person.start)
        by = text.rfind("由", clause_start, person.start)
        return (by != -1 and any(text.find(w, clause_start, by) != -1 for w in self.lexicon.words("delegation"))
                and text.startswith(self.lexicon.words("lead_verb"), person.end))

    def _guest_list(self, text: str, floor: int, guest: PersonMention, conj_at: int,
                    before: list[PersonMention]) -> tuple[list[str], int]:
        """The guests of 同/与 when the last one is joined to others (与美国财政部长贝森特和贸易代表格里尔,
        同甲、乙和丙): their names, and where the conjunction before the first of them stands. A list
        with no 同/与 before it (何立峰和格里尔) is host and guest, not guests."""
        guests = [guest.name]
        at = conj_at
        while text[at] in self.lexicon.words("list_joiner"):
            previous = [p for p in before if p.end == at]
            if not previous:
                # 与美方牵头人、美国财政部长贝森特: a title kg does not read, listed before the guest's chain
                opener = self._opener_over_titles(text, floor, at, before)
                if opener is not None:
                    at = opener
                break
            chain_start = min([o.start for o in previous[0].offices] + [previous[0].start])
            if chain_start > floor and text[chain_start - 1] in self.lexicon.words("list_joiner"):
                earlier = chain_start - 1
            else:
                earlier = self._conjunction_before(text, floor, chain_start)
            if earlier is None:
                break
            guests.insert(0, previous[0].name)
            at = earlier
        if at != conj_at and text[at] in self.lexicon.words("list_joiner"):
            return [guest.name], conj_at  # 甲、乙和丙会谈 with no 同/与: 甲 and 乙 are the hosts
        return guests, at

    def _opener_over_titles(self, text: str, floor: int, end: int, before: list[PersonMention]) -> int | None:
        """A 同/与 a few characters before ``end`` with only title words between (no person, no
        delimiter but 、): 与|美方牵头人、."""
        for at in range(end - 1, max(floor, end - MAX_GUEST_CLAUSE) - 1, -1):
            if text[at] in DELIMITERS and text[at] != "、" or any(p.start <= at < p.end for p in before):
                return None
            if text[at] in self.lexicon.words("conjunction") and text[at] not in self.lexicon.words("list_joiner"):
                return at
        return None

    def _titled_clauses_before(self, text, sent, clause_start: int, in_sent) -> int:
        """Where a list of titled persons before ``clause_start`` begins: each earlier clause of the
        sentence that holds only one person's title chain and name (自治区党委书记、…主任鹿心社，)."""
        floor = clause_start
        while floor > sent[0] and text[floor - 1] in "，,":
            start = self._clause_start(text, sent, floor - 1)
            whole = [p for p in in_sent if p.end == floor - 1 and p.offices
                     and min(o.start for o in p.offices) == start]
            if not whole:
                break
            floor = start
        return floor

    def _credited(self, text: str, person: PersonMention) -> bool:
        """Whether ``person`` is credited as a byline's reporter or correspondent (记者 张三, 通讯员/岳宗)."""
        before = text[max(person.start - 8, 0):person.start].rstrip(" /／:：\u3000、")
        return self.lexicon.ends_with(before, len(before), self.lexicon.words("credit_role")) is not None

    def _listed_with(self, text: str, host: str, hosts: list[str], in_sent) -> list[str]:
        """``host`` and the hosts listed right after it with 、 or 和 alone between them (甲、乙与丙会谈)."""
        mentions = {p.name: p for p in in_sent}
        listed, previous = [host], mentions.get(host)
        for name in hosts[hosts.index(host) + 1:]:
            mention = mentions.get(name)
            if previous is None or mention is None or (
                    text[previous.end:mention.start] not in self.lexicon.words("list_joiner")):
                break
            listed.append(name)
            previous = mention
        return listed

    def _remote(self, text: str, start: int, end: int) -> bool:
        """视频会见, 以视频方式举行会谈: the clause says the principals were not in one place."""
        return any(text.find(word, start, end + 2) != -1 for word in self.lexicon.words("remote_marker"))

    def _ceremony(self, text, sent, in_sent, state, order, pos, noun, klass) -> EventRecord | None:
        clause_start = self._clause_start(text, sent, pos)
        wei = text.rfind("为", clause_start, pos)
        if wei != -1:
            hosts = self._subject_before(text, clause_start, wei, in_sent, state, order)
            guests = self._subject_before(text, wei + 1, pos, in_sent, state, order)
            if not hosts:
                return None
            place = self._place_after_zai(text, clause_start, wei + 1, in_sent)
            if guests:
                label = f"{hosts[0]}" + (f"在{place}" if place else "") + f"为{'、'.join(guests)}举行{noun}"
                principals = (hosts[0], *guests)
            else:  # 习近平和彭丽媛为与会国际贵宾举行欢迎宴会: the guests go unnamed, the hosts held it
                named = text[wei + 1:pos].removesuffix("举行")
                label = "、".join(hosts) + (f"在{place}" if place else "") + f"为{named}举行{noun}"
                principals = tuple(hosts)
        else:
            who = self._subject_before(text, clause_start, pos, in_sent, state, order)
            if not who:
                return None
            place = self._place_after_zai(text, clause_start, pos, in_sent)
            label = "、".join(who) + "出席" + noun
            principals = tuple(who)
        event = EventRecord(klass, label, principals, sent, place=place)
        for name in principals:
            event.attendees[name] = sent
        return event

    def _visit(self, text, sent, in_sent, pos, noun) -> EventRecord | None:
        clause_start = self._clause_start(text, sent, pos)
        end = pos + len(noun)
        described = text.startswith("的", end)
        if described:
            # 来华进行国事访问的法国总统马克龙: the clause describes the visitor named after it.
            clause_end = self._clause_end(text, sent, end)
            visitors = [p for p in in_sent if end < p.start and p.end <= clause_end][:1]
        else:
            visitors = [p for p in in_sent if clause_start <= p.start and p.end <= pos][-1:]
        if not visitors:
            return None
        visitor = visitors[0].name
        destination = "中国" if noun == "访华" or "来华" in text[clause_start:pos] else None
        if destination is None:
            # The country visited, not the one in the visitor's own title (匈牙利总理欧尔班访问塞尔维亚).
            scope = (clause_start, pos) if described else (visitors[0].end, self._clause_end(text, sent, pos))
            for unit in self.lexicon.scan(text[scope[0]:scope[1]]):
                if unit.kind in (COUNTRY, COUNTRY_ABBR):
                    destination = self.lexicon.country_name(unit.text)
                    break
        label = f"{visitor}{noun}" if noun == "访华" else f"{visitor}访问{destination or ''}"
        event = EventRecord("Visit", label, (visitor,), sent, visitor=visitor, destination=destination)
        # A visit the article reports: the visitor takes part in it (schema:attendee), and it takes place in
        # the country visited. Not one only recalled in someone's words or named as a time (访华期间).
        if not self._speaker(text, sent, in_sent) and not text.startswith(self.lexicon.words("time_frame"), end):
            event.attendees[visitor] = sent
        return event

    # --- attendance ------------------------------------------------------------------

    def _attendance(self, text, sent, in_sent, events, order, state) -> None:
        for verb in self.lexicon.attendance:
            pos = text.find(verb, sent[0], sent[1])
            while pos != -1:
                after = pos + len(verb)
                noun = self.lexicon.starts_with(text, after, self.nouns)
                at_end = after >= sent[1] or text[after] in DELIMITERS
                if noun or at_end:
                    who = [p.name for p in in_sent if p.end <= pos and not self._is_modifier(text, p)]
                    named = self._gathering_at(text, sent[0], pos, order) if not noun else None
                    for target in ([named] if named else self._targets(order, noun, state)):
                        for name in dict.fromkeys(who):
                            target.attendees.setdefault(name, sent)
                pos = text.find(verb, after, sent[1])

    def _gathering_at(self, text: str, start: int, end: int, order: list[EventRecord]) -> EventRecord | None:
        """在论坛上致辞, 论坛上，甲、乙先后发言: the latest gathering named with the head of 在…上 right
        before the verb, or of the …上， that opens the sentence."""
        head = None
        at = text.rfind("在", start, end)
        if at != -1 and text.startswith("上", end - 1):
            head = self.lexicon.ends_with(text, end - 1, self.gathering_heads)
            if head is not None and end - 1 - len(head) - at > 12:
                head = None
        if head is None:
            opening = self.lexicon.starts_with(text, start, self.gathering_heads)
            if opening is not None and text.startswith(("上，", "上,"), start + len(opening)):
                head = opening
        if head is None:
            return None
        return next((e for e in reversed(order) if e.klass == "Gathering" and e.name and self._named_with(e.name, head)),
                    None)

    def _targets(self, order: list[EventRecord], noun: str | None, state) -> list[EventRecord]:
        """The events an attendance verb refers to: the named kind's latest, else the latest reported."""
        if noun:
            klass = self.lexicon.events[noun]
            for event in reversed(order):
                if event.klass == klass:
                    return [event]
            return []
        return state["last_events"]


def _parties(phrase: str) -> str:
    """The bodies or delegations that open a clause, as its text names them: without a lead in front
    (央视网消息（新闻联播）：), a time in parentheses (今天（2月28日）) or a time at either end."""
    phrase = PARENTHESES.sub("", phrase)
    cut = max((i for i, c in enumerate(phrase) if c in DELIMITERS), default=-1)
    return TRAILING_TIME.sub("", LEADING_TIME.sub("", phrase[cut + 1:]))


def _merge(record: EventRecord, other: EventRecord) -> None:
    """Fold a second report of the same event into the first."""
    for name, evidence in other.attendees.items():
        record.attendees.setdefault(name, evidence)
    for pair in other.met:
        if pair not in record.met and pair[::-1] not in record.met:
            record.met.append(pair)
    record.place = record.place or other.place
    record.date = record.date or other.date
    record.destination = record.destination or other.destination


@Language.factory("kg_relations", default_config={"lexicon_dir": None})
def make_relation_extractor(nlp: Language, name: str, lexicon_dir: str | None) -> RelationExtractor:
    """Create the relation extractor with the pipeline's lexicon (``lexicon_dir`` only without a ``kg_lexicon``)."""
    return RelationExtractor(nlp, lexicon_dir)
