"""The spaCy pipeline: components from config.cfg, and what they find in unseen text."""

from __future__ import annotations

from conftest import relation_pairs


def test_pipeline_is_assembled_from_config(nlp):
    assert nlp.pipe_names == ["sentencizer", "kg_lexicon", "ner", "kg_persons", "kg_relations", "kg_entity_spans"]
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "pkuseg"


def test_entities_align_to_tokens_even_when_pkuseg_splits_a_name(nlp):
    doc = nlp("中共中央政治局委员、中央财经委员会办公室主任刘鹤，外交部部长王毅等参加。")
    persons = [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert persons == ["刘鹤", "王毅"]
    assert {s.text for s in doc.spans["kg_posts"]} >= {"中共中央政治局委员", "外交部部长"}


def test_holds_and_no_title_in_names(extract_text):
    facts = extract_text("国务院总理李强28日在人民大会堂会见新加坡总理黄循财。")
    assert relation_pairs(facts, "holds") == {("李强", "国务院总理"), ("黄循财", "新加坡总理")}
    assert relation_pairs(facts, "met") == {("李强", "黄循财")}


def test_separate_meetings_do_not_link_the_guests(extract_text):
    facts = extract_text("国家副主席韩正10日在北京分别会见法国外长巴罗和德国外长贝尔伯克。外交部副部长孙卫东陪同。")
    met = relation_pairs(facts, "met")
    assert met == {("韩正", "巴罗"), ("韩正", "贝尔伯克")}
    events = {f.subject for f in facts.facts if f.relation == "attendee"}
    assert len(events) == 2
    attendees = relation_pairs(facts, "attendee")
    assert {a for e, a in attendees} == {"韩正", "巴罗", "贝尔伯克", "孙卫东"}
    assert relation_pairs(facts, "location") == {("韩正会见巴罗", "北京"), ("韩正会见贝尔伯克", "北京")}


def test_talks_ceremony_spouse_and_attendance_list(extract_text):
    text = ("中共中央总书记、国家主席习近平12日在钓鱼台国宾馆同越共中央总书记苏林举行会谈。"
            "会谈前，习近平在人民大会堂为苏林举行欢迎仪式。习近平和夫人彭丽媛出席。蔡奇、王毅等参加。")
    facts = extract_text(text)
    assert relation_pairs(facts, "met") == {("习近平", "苏林")}
    assert relation_pairs(facts, "spouse") == {("习近平", "彭丽媛")}
    attendees = relation_pairs(facts, "attendee")
    ceremony = {p for e, p in attendees if "欢迎仪式" in e}
    talks = {p for e, p in attendees if "会谈" in e}
    assert ceremony == {"习近平", "苏林", "彭丽媛", "蔡奇", "王毅"}
    assert talks == {"习近平", "苏林"}
    places = dict(relation_pairs(facts, "location"))
    assert places["习近平同苏林在钓鱼台国宾馆会谈"] == "钓鱼台国宾馆"
    assert ("苏林", "越共中央总书记") in relation_pairs(facts, "holds")


def test_heads_of_state_and_pronoun_resolve(extract_text):
    text = ("国家主席习近平9日同法国总统马克龙举行会谈。会谈后，两国元首共同见证了合作文件的签署。"
            "习近平指出，我同马克龙总统去年会晤时达成了共识。")
    facts = extract_text(text)
    signing = {p for e, p in relation_pairs(facts, "attendee") if "签署" in e}
    assert signing == {"习近平", "马克龙"}
    assert relation_pairs(facts, "met") == {("习近平", "马克龙")}


def test_phone_call_is_an_event_but_not_a_meeting(extract_text):
    facts = extract_text("俄罗斯总统普京8日同国家主席习近平通电话。")
    assert relation_pairs(facts, "met") == set()
    assert {p for _, p in relation_pairs(facts, "attendee")} == {"普京", "习近平"}


def test_visit_has_visitor_and_destination(extract_text):
    facts = extract_text("美国总统拜登总统访华期间，两国签署了协议。")
    assert relation_pairs(facts, "visitor") == {("拜登访华", "拜登")}
    assert relation_pairs(facts, "destination") == {("拜登访华", "中国")}


def test_country_short_forms_resolve(extract_text):
    facts = extract_text("中方愿同美方一道推动中美关系发展。")
    countries = {o.label for o in (f.object for f in facts.facts if f.relation == "mentions")}
    assert countries == {"中国", "美国"}
    aliases = {n.label: a for n, a in facts.aliases.items()}
    assert {"中方", "中"} <= aliases["中国"] and {"美方", "美"} <= aliases["美国"]


def test_dateline_gives_authors_and_event_date(extract_text):
    facts = extract_text("国务院总理李强28日会见新加坡总理黄循财。（新华社北京3月28日电记者王明、张华）")
    assert {o.label for o in (f.object for f in facts.facts if f.relation == "author")} == {"王明", "张华"}
    (date,) = [f.object for f in facts.facts if f.relation == "startDate"]
    assert date.iso() == "--03-28"


def test_a_gathering_has_its_attendees_place_and_later_attendees(extract_text):
    facts = extract_text("省政府3日在杭州召开全省安全生产工作会议。省长王建国主持会议并讲话。"
                         "副省长刘晓东、陈立群出席会议。")
    attended = {s for s, o in relation_pairs(facts, "attendee") for s in [o] if "安全生产工作会议" in s} or {
        o for s, o in relation_pairs(facts, "attendee") if "安全生产工作会议" in s}
    assert {"王建国", "刘晓东", "陈立群"} <= attended
    assert any("安全生产工作会议" in s and o == "杭州" for s, o in relation_pairs(facts, "location"))


def test_a_title_before_a_list_of_names_is_every_listed_persons(extract_text):
    facts = extract_text("全国政协副主席马晓光、林志远、胡宏伟出席会议。")
    holders = {s for s, o in relation_pairs(facts, "holds") if o == "全国政协副主席"}
    assert holders == {"马晓光", "林志远", "胡宏伟"}


def test_a_country_or_province_before_a_title_qualifies_the_post_and_is_no_person(extract_text):
    facts = extract_text("他们是：阿塞拜疆总统阿利耶夫、亚美尼亚总统哈恰图良。会上，四川省副省长刘文杰讲话。")
    holds = relation_pairs(facts, "holds")
    assert ("阿利耶夫", "阿塞拜疆总统") in holds and ("刘文杰", "四川省副省长") in holds
    persons = {f.object.label for f in facts.facts if f.relation == "mentions" and f.object.kind == "Person"}
    assert not persons & {"阿塞拜疆", "亚美尼亚"}


def test_a_body_the_lexicons_lack_is_read_back_to_where_the_chain_opens(extract_text):
    facts = extract_text("座谈会上，东岳新材料股份有限公司董事长秦立新、南江大学党委书记任海波、"
                         "北山省农业科学院院长于明远先后发言。会议由省政协副主席时海英主持。")
    holds = relation_pairs(facts, "holds")
    assert ("秦立新", "东岳新材料股份有限公司董事长") in holds
    assert ("任海波", "南江大学党委书记") in holds  # 任 ends 王沪宁任组长, but opens a name
    assert ("于明远", "北山省农业科学院院长") in holds
    assert ("时海英", "省政协副主席") in holds  # 会议由 is no part of the body


def test_a_stop_that_is_a_surname_still_ends_a_name(extract_text):
    holds = relation_pairs(extract_text("会上，省委书记李建国任组长，主席和平安出席。"), "holds")
    assert ("李建国", "省委书记") in holds and not any(name.startswith("和") for name, _ in holds)


def test_who_reports_at_a_gathering_attended_it(extract_text):
    facts = extract_text("省十二届人大常委会举行第九次会议。会议还举行了颁发任命书仪式。"
                         "副主任赵明远主持开幕会，副主任钱立新作相关议案的说明。"
                         "会议听取了省高级人民法院院长孙志刚受省政府委托作的关于审判工作情况的报告。")
    attended = relation_pairs(facts, "attendee")
    for person in ("赵明远", "钱立新", "孙志刚"):
        assert ("第九次会议", person) in attended, person  # the session, not the ceremony before
    assert not any(person == "钱立新" and "仪式" in event for event, person in attended)
    assert "孙志刚" in {person for person, _ in relation_pairs(facts, "holds")}  # 受 ends the name


def test_titled_hosts_over_commas_all_met_the_guest_and_speakers_join_the_named_gathering(extract_text):
    facts = extract_text("2021东盟农业合作论坛在南宁举行。全国政协原副主席周文华出席论坛并致辞。"
                         "会前，自治区党委书记、自治区人大常委会主任马建新，自治区党委副书记、自治区代主席"
                         "林振东拜会了周文华。农业农村部副部长吴立平，泰国驻华大使阿塔育等分别在论坛上致辞。")
    met = {frozenset(pair) for pair in relation_pairs(facts, "met")}
    assert met == {frozenset({"马建新", "周文华"}), frozenset({"林振东", "周文华"})}
    holds = relation_pairs(facts, "holds")
    assert ("林振东", "自治区党委副书记") in holds and ("林振东", "自治区代主席") in holds  # 代 kept, chain kept
    attended = relation_pairs(facts, "attendee")
    assert ("2021东盟农业合作论坛", "吴立平") in attended and ("2021东盟农业合作论坛", "阿塔育") in attended
    assert ("阿塔育", "泰国驻华大使") in holds  # the post is the sending country's


def test_a_city_the_lexicons_lack_is_the_place_of_a_meeting(extract_text):
    facts = extract_text("国务院副总理丁学祥在阿根廷布宜诺斯艾利斯会见阿根廷总统米莱。"
                         "次日，丁学祥在圣保罗会见巴西副总统阿尔克明。")
    places = {o for _, o in relation_pairs(facts, "location")}
    assert places == {"阿根廷布宜诺斯艾利斯", "圣保罗"}


def test_a_list_of_foreign_leaders_keeps_its_names_and_countries(extract_text):
    facts = extract_text("致电的有：古巴国家主席迪亚斯-卡内尔，约旦国王阿卜杜拉二世、王储兼首相侯赛因，"
                         "东盟秘书长高金洪、上海合作组织秘书长叶尔梅克巴耶夫等。")
    holds = relation_pairs(facts, "holds")
    assert ("迪亚斯-卡内尔", "古巴国家主席") in holds  # a hyphen joins a name
    assert ("阿卜杜拉二世", "约旦国王") in holds  # a monarch's ordinal is part of the name
    assert {("侯赛因", "王储"), ("侯赛因", "首相")} <= holds  # listed after 约旦国王…、: Jordan's
    assert ("王储", "约旦") in relation_pairs(facts, "postIn")
    assert ("叶尔梅克巴耶夫", "上海合作组织秘书长") in holds  # a long name after a body's title


def test_a_run_after_a_title_too_long_for_a_chinese_name_is_no_person(extract_text):
    facts = extract_text("“这是在镇党委谋划下发展起来的。”东河镇党委副书记刘建毅一语破的。")
    persons = {f.object.label for f in facts.facts if f.relation == "mentions" and f.object.kind == "Person"}
    assert not any(name.startswith("刘建毅") and name != "刘建毅" for name in persons)


def test_an_attendance_list_runs_over_a_semicolon(extract_text):
    facts = extract_text("省十二届人大常委会举行第九次会议。副省长陈立军，省法院院长郑华明；"
                         "省人大常委会副秘书长，各办事机构负责人列席会议。")
    attended = {person for event, person in relation_pairs(facts, "attendee") if event == "第九次会议"}
    assert {"陈立军", "郑华明"} <= attended


def test_a_gathering_named_by_a_theme_in_quotes_with_commas(extract_text):
    facts = extract_text("省委宣传部在杭州召开“学习宣传宪法，弘扬法治精神，建设法治浙江”座谈会。"
                         "省委副书记周建平出席座谈会并讲话。")
    attended = relation_pairs(facts, "attendee")
    assert any(event.endswith("建设法治浙江”座谈会") and person == "周建平" for event, person in attended)


def test_those_who_join_the_activities_attend_the_events_reported(extract_text):
    facts = extract_text("省委书记王建国在郑州会见了法国驻华大使白林。副省长刘晓东、陈立群参加活动。")
    attended = {person for event, person in relation_pairs(facts, "attendee") if "会见" in event}
    assert {"王建国", "白林", "刘晓东", "陈立群"} <= attended


def test_a_video_meeting_is_attended_but_not_met(extract_text):
    facts = extract_text("国家主席习近平9日在北京同巴西总统卢拉举行视频会晤。")
    assert not relation_pairs(facts, "met")
    assert {o for _, o in relation_pairs(facts, "attendee")} >= {"习近平", "卢拉"}


def test_a_gathering_named_first_then_attended_by_reference(extract_text):
    facts = extract_text("第五届全国农业发展论坛12日在成都开幕。农业农村部部长孙光明出席开幕式并讲话。"
                         "副部长周立新等出席相关活动。")
    forum = {s for s, o in relation_pairs(facts, "location") if o == "成都"}
    assert any("农业发展论坛" in s for s in forum)
    attendees = {o for s, o in relation_pairs(facts, "attendee") if "农业发展论坛" in s}
    assert {"孙光明", "周立新"} <= attendees


def test_the_pipeline_runs_with_its_ner_disabled(nlp):
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp("国务院总理李强会见新加坡总理黄循财。")
    assert [span._.kg_name for span in doc.spans["kg_persons"]] == ["李强", "黄循财"]


def test_kg_persons_and_relations_run_after_another_ner():
    """A spaCy user's own NER (here a component that tags PERSON) feeds kg_persons and kg_relations."""
    from spacy.language import Language

    from kg.nlp.pipeline import load_pipeline
    from kg.nlp.records import get_events
    from kg.nlp.token_spans import token_spans

    @Language.component("test_their_ner")
    def their_ner(doc):
        at = doc.text.find("周文涛")
        if at == -1:
            return doc
        doc, doc.ents = token_spans(doc, [(at, at + 3, "PERSON")])
        return doc

    nlp = load_pipeline()
    nlp.replace_pipe("ner", "test_their_ner")
    doc = nlp("国家主席习近平同周文涛举行会谈。")
    assert [span._.kg_name for span in doc.spans["kg_persons"]] == ["习近平", "周文涛"]
    (talks,) = get_events(doc)
    assert talks.met == [("习近平", "周文涛")] and doc.spans["kg_events"][0].text == "国家主席习近平同周文涛举行会谈。"
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "PERSON"] == [("习近平", "PERSON"), ("周文涛", "PERSON")]
    assert [(s.text, s._.kg_holders) for s in doc.spans["kg_posts"]] == [("国家主席", ["习近平"])]


def test_spans_stay_on_their_words_when_a_later_component_splits_tokens(nlp):
    """kg_entity_spans splits tokens after kg_persons published its spans: they must still cover the names."""
    from conftest import ARTICLES

    for path in sorted(ARTICLES.glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        assert doc.spans["kg_persons"] and doc.spans["kg_posts"]
        assert all(span.text == span._.kg_name for span in doc.spans["kg_persons"])
        assert all(span.text == span._.kg_office.text for span in doc.spans["kg_posts"])
        assert all(span.text.strip() and span.start_char == span[0].idx for span in doc.spans["kg_events"])


def test_a_post_written_with_the_short_form_of_its_country_is_the_same_post(extract_text):
    facts = extract_text("俄总统普京当天表示欢迎。俄罗斯总统普京会见了来访的美国特使威特科夫。")
    posts = {f.object.key for f in facts.facts if f.relation == "holds" and f.subject.label == "普京"}
    assert posts == {"俄罗斯总统"}


def test_a_post_in_a_head_of_states_office_keeps_the_head_and_the_country(extract_text):
    facts = extract_text("法国总统外事顾问博纳表示欢迎。俄罗斯总统助理乌沙科夫、美国总统特使维特科夫出席。")
    holds = relation_pairs(facts, "holds")
    assert ("乌沙科夫", "俄罗斯总统助理") in holds and ("维特科夫", "美国总统特使") in holds
    assert ("俄罗斯总统助理", "俄罗斯") in relation_pairs(facts, "postIn")


def test_a_delegations_head_is_a_post_of_its_side(extract_text):
    facts = extract_text("俄罗斯总统助理、俄方谈判代表团团长米哈伊洛夫表示。乌国防部长彼得连科带领乌方代表团。")
    holds = relation_pairs(facts, "holds")
    assert {("米哈伊洛夫", "俄罗斯总统助理"), ("米哈伊洛夫", "俄方谈判代表团团长"), ("彼得连科", "乌国防部长")} <= holds


def test_appointments_give_the_post_after_wei(extract_text):
    facts = extract_text("会议经表决，决定任命张海波为湖北省教育厅厅长；刘志红为湖北省农业农村厅厅长；"
                         "陈立新为省人大常委会农业和农村工作委员会副主任。副省长王建华与省邮政局局长李明签约。")
    holds = relation_pairs(facts, "holds")
    assert {("张海波", "湖北省教育厅厅长"), ("刘志红", "湖北省农业农村厅厅长"),
            ("陈立新", "省人大常委会农业和农村工作委员会副主任")} <= holds
    assert ("李明", "省邮政局局长") in holds and ("王建华", "副省长") in holds  # 与 joins no body across a name


def test_a_given_name_may_open_with_a_conjunction_character(extract_text):
    facts = extract_text("政协委员李和平、杨立新作了发言。宁夏回族自治区副主席王和山出席。国家主席习近平和夫人彭丽媛出席。")
    holds = relation_pairs(facts, "holds")
    assert {("李和平", "政协委员"), ("杨立新", "政协委员"), ("王和山", "宁夏回族自治区副主席"), ("习近平", "国家主席")} <= holds
    persons = {f.object.label for f in facts.facts if f.relation == "mentions" and f.object.kind == "Person"}
    assert "彭丽媛" in persons and not any(name.startswith("习近平和") for name in persons)


def test_a_banquet_for_unnamed_guests_is_attended_by_its_hosts_and_those_present(extract_text):
    facts = extract_text("国家主席林振华在北京出席国际论坛开幕式。当天中午，林振华和夫人周丽为与会国际贵宾举行欢迎宴会。"
                         "王立新、陈海等出席上述活动。")
    banquet = {person for event, person in relation_pairs(facts, "attendee") if "欢迎宴会" in event}
    assert banquet == {"林振华", "周丽", "王立新", "陈海"}


def test_those_listed_before_yuhui_attend_the_meeting(extract_text):
    facts = extract_text("国务院总理李明出席东亚合作理事会第五次会议。泰国总理巴差、越南副总理范文等与会。")
    attended = {person for event, person in relation_pairs(facts, "attendee") if event.endswith("第五次会议")}
    assert {"李明", "巴差", "范文"} <= attended


def test_a_zuotan_between_named_persons_is_a_meeting_and_a_credited_reporter_no_participant(extract_text):
    facts = extract_text("南方日报讯 （记者/林海 通讯员/陈涛）12月4日，两省举行工作座谈。"
                         "广东省委书记黄明、江西省委书记刘强参加座谈。签约前，黄明、刘强与周立新一行座谈。")
    met = {frozenset(pair) for pair in relation_pairs(facts, "met")}
    assert {frozenset({"黄明", "周立新"}), frozenset({"刘强", "周立新"})} <= met
    attended = relation_pairs(facts, "attendee")
    assert ("工作座谈", "黄明") in attended and ("工作座谈", "刘强") in attended
    assert not any(person in ("林海", "陈涛") for _, person in attended)


def test_the_host_of_a_meeting_is_the_subject_of_its_own_clause(extract_text):
    facts = extract_text("全国人大常委会委员长王立明在人民大会堂会见泰国国会主席万诺。王立明说，今年2月，"
                         "林振华主席同巴差总理会面，达成重要共识。")
    met = {frozenset(pair) for pair in relation_pairs(facts, "met")}
    assert frozenset({"王立明", "巴差"}) not in met and frozenset({"林振华", "巴差"}) in met


def test_consultations_are_talks_with_their_place(extract_text):
    facts = extract_text("国务院副总理丁学祥与美国财政部长斯科特在马来西亚吉隆坡举行中美经贸磋商。")
    assert frozenset({"丁学祥", "斯科特"}) in {frozenset(pair) for pair in relation_pairs(facts, "met")}
    assert any("磋商" in event and place == "马来西亚吉隆坡" for event, place in relation_pairs(facts, "location"))


def test_a_whole_body_before_a_title_that_starts_with_its_ending_is_kept_whole(extract_text):
    facts = extract_text("外交部部长王毅出席。俄罗斯经济发展部长列舍特尼科夫出席。")
    post_in = relation_pairs(facts, "postIn")
    assert ("外交部部长", "外交部") in post_in  # not 外交部部
    assert ("俄罗斯经济发展部长", "经济发展部") in post_in  # 经济发展|部长 shares 部 with its title
