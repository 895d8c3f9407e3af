"""Event and post rules read from the structure of news sentences (sentences written for these tests)."""

from __future__ import annotations

from conftest import relation_pairs


def _attendees(facts, word: str) -> set[str]:
    return {p for e, p in relation_pairs(facts, "attendee") if word in e}


def test_a_guest_described_by_a_clause_and_a_list_of_guests(extract_text):
    facts = extract_text("外交部长刘海明5日同到访的法国外长杜兰举行会谈。"
                         "国务院副总理陈立与美方牵头人、美国财政部长卡森和商务部长贝克举行磋商。")
    met = relation_pairs(facts, "met")
    assert ("刘海明", "杜兰") in met
    assert {("陈立", "卡森"), ("陈立", "贝克")} <= met
    assert ("卡森", "贝克") not in met and ("贝克", "卡森") not in met


def test_an_envoy_charged_with_a_matter_and_a_visitor_described_by_the_visit(extract_text):
    facts = extract_text("国家主席习近平同来华进行国事访问的法国总统马克龙举行会谈。"
                         "外交部长王明会见了美国中东问题特使罗森。")
    assert ("罗森", "美国中东问题特使") in relation_pairs(facts, "holds")
    assert ("王明", "罗森") in relation_pairs(facts, "met")
    visits = relation_pairs(facts, "visitor")
    assert {v for _, v in visits} == {"马克龙"}
    assert {d for _, d in relation_pairs(facts, "destination")} == {"中国"}


def test_a_visit_goes_to_the_country_visited_not_the_visitors_own(extract_text):
    facts = extract_text("10日，匈牙利总理奥班访问奥地利，并与奥地利总理卡尔举行会谈。")
    assert {d for _, d in relation_pairs(facts, "destination")} == {"奥地利"}
    assert "奥班" in _attendees(facts, "访问")
    assert any("访问" in e and place == "奥地利" for e, place in relation_pairs(facts, "location"))


def test_talks_between_two_provinces_meet_across_the_sides_only(extract_text):
    facts = extract_text("8日，湖南、贵州两省在长沙举行工作座谈。湖南省委书记罗建华主持座谈并讲话，"
                         "贵州省委书记周明远讲话。湖南省省长林志强，贵州省省长高文分别介绍两省情况。"
                         "湖南省领导孙立、赵平参加座谈。")
    met = {tuple(sorted(pair)) for pair in relation_pairs(facts, "met")}
    hunan, guizhou = {"罗建华", "林志强"}, {"周明远", "高文"}
    assert met == {tuple(sorted((a, b))) for a in hunan for b in guizhou}
    assert hunan | guizhou | {"孙立", "赵平"} <= _attendees(facts, "座谈")


def test_talks_between_delegations_are_attended_by_their_heads(extract_text):
    facts = extract_text("甲国和乙国代表团12日在日内瓦进行了第二轮谈判。"
                         "俄方代表团团长、总统助理梅林表示，谈判富有成果。乌方代表团由乌国防部长科瓦尔率领。")
    (talks,) = {e for e, _ in relation_pairs(facts, "location") if "谈判" in e}
    assert ("梅林" in _attendees(facts, talks)) and ("科瓦尔" in _attendees(facts, talks))
    assert (talks, "日内瓦") in relation_pairs(facts, "location")


def test_a_signing_two_bodies_hold_is_joined_by_who_signs_and_witnesses(extract_text):
    facts = extract_text("3日上午，江西省人民政府与国家铁路局在南昌签署战略合作协议。"
                         "省委书记王立新，国家铁路局局长赵东见证签约。副省长孙明与国家铁路局副局长李强共同签署协议。")
    signing = _attendees(facts, "签署")
    assert {"王立新", "赵东", "孙明", "李强"} <= signing
    assert any("签署" in e and p == "南昌" for e, p in relation_pairs(facts, "location"))


def test_a_welcome_ceremony_held_as_a_ceremony_that_welcomes(extract_text):
    facts = extract_text("国家主席习近平12日在人民大会堂举行仪式，欢迎挪威王国国王哈拉尔五世对我国进行国事访问。"
                         "外交部长王毅等出席欢迎仪式。")
    assert {"习近平", "哈拉尔五世", "王毅"} <= _attendees(facts, "欢迎仪式")
    assert ("哈拉尔五世", "挪威王国国王") in relation_pairs(facts, "holds")
    assert {d for _, d in relation_pairs(facts, "destination")} == {"中国"}


def test_an_attendance_invited_or_planned_is_not_one(extract_text):
    facts = extract_text("普京表示，热烈欢迎习近平主席出席胜利日纪念活动。")
    assert _attendees(facts, "纪念活动") == set()


def test_posts_with_ranks_levels_and_shared_body_endings(extract_text):
    facts = extract_text("会见了宁夏自治区主席马文、甘肃省委常委、常务副省长宋平，"
                         "蒙古国第一副总理兼经济发展部长巴特尔和乌克兰第一副外长科兹洛夫。")
    holds = relation_pairs(facts, "holds")
    assert {("马文", "宁夏自治区主席"), ("宋平", "常务副省长"), ("巴特尔", "蒙古国第一副总理"),
            ("巴特尔", "经济发展部长"), ("科兹洛夫", "乌克兰第一副外长")} <= holds


def test_an_acting_post_is_not_part_of_the_name(extract_text):
    facts = extract_text("习近平主席同苏巴代总统举行了会晤。")
    assert {p for _, p in relation_pairs(facts, "met")} | {s for s, _ in relation_pairs(facts, "met")} == {
        "习近平", "苏巴"}


def test_evidence_is_bounded_and_its_offsets_find_it_in_the_text(extract_text):
    from kg.nlp.doc_facts import MAX_EVIDENCE_CHARS

    filler = "各方围绕合作议题深入交换意见并达成广泛共识" * 60  # a long run with no sentence punctuation
    text = filler + "国务院总理李强会见新加坡总理黄循财" + filler + "。"
    facts = extract_text(text)
    (met,) = [f for f in facts.facts if f.relation == "met"]
    assert len(met.evidence) <= MAX_EVIDENCE_CHARS and "李强会见新加坡总理黄循财" in met.evidence
    assert text[met.start:met.end] == met.evidence
    short = extract_text("国务院总理李强会见新加坡总理黄循财。")
    (met,) = [f for f in short.facts if f.relation == "met"]
    assert met.evidence == "国务院总理李强会见新加坡总理黄循财。" and (met.start, met.end) == (0, len(met.evidence))
