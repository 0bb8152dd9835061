"""Letters say only what the register says: promises, claims, severity, shorthand, English,
combining, what a letter knows, templates a clerk edits, bounds and layout."""

import datetime as dt
import json
import re
import zipfile

import docx
import openpyxl
import pytest

from officebot.letter_templates import PACKAGED_DIR
from officebot.letters import draft_letters, facts_fingerprint, letter_settings
from officebot.settings import load_settings

from test_letters_content import AS_OF, T, dates_in, docx_text, judge, settings_with

CJK = re.compile(r"[\u3400-\u9fff]")
HEADERS = ("编号", "受理时间", "客户姓名", "联系电话", "投诉类别", "投诉等级", "投诉内容", "责任部门",
           "处理人", "答复时间", "结案时间", "处理结果", "客户满意度", "赔偿金额", "延期至", "语言",
           "整改措施", "答复客户内容", "英文投诉内容", "英文答复内容")


def write(path, rows, headers=HEADERS, amount_header="赔偿金额"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([amount_header if h == "赔偿金额" else h for h in headers])
    for r in rows:
        ws.append([r.get(h) for h in headers])
    wb.save(path)
    return path


SENDER = ('[letters]\ncompany_zh = "云栖物业服务中心"\ncompany_en = "Yunqi Property Services"\n'
          'hotline = "0571-8888 6666"\n')


def drafted(tmp_path, rows, settings_text=SENDER, **kw):
    settings = settings_with(tmp_path, settings_text)
    path = write(tmp_path / "r.xlsx", rows, **{k: v for k, v in kw.items()
                                               if k == "amount_header"})
    result = judge(path, settings, kw.get("as_of", AS_OF))
    out = draft_letters(result, settings, tmp_path)
    texts = {(x.case_id, x.kind): docx_text(tmp_path / x.path) for x in out.drafted}
    return out, texts, result


def manifest(tmp_path):
    return json.loads((tmp_path / "letters/officebot-letters.json").read_text("utf-8"))["letters"]


# --- (1) invented promises ---------------------------------------------------------------------
def test_a_passed_due_time_is_never_replaced_by_an_invented_date(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "C28", "受理时间": T(40), "客户姓名": "张伟", "投诉内容": "空调不制冷",
         "处理结果": "已委托第三方检测机构于12月8日上门鉴定"}])
    text = texts[("C28", "response")]
    assert "前全部办结" not in text and "前办结本案" not in text
    assert "本案办结后，我们会把处理结果告知您。" in text
    assert all(d <= AS_OF.date() for d in dates_in(text)), text
    assert "promised" not in manifest(tmp_path)["C28"]["response"]


def test_the_registers_extended_date_is_the_promise_and_is_recorded(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "E1", "受理时间": T(20), "客户姓名": "李娜", "延期至": AS_OF + dt.timedelta(days=5),
         "处理结果": "已联系厂家更换配件"},
        {"编号": "E2", "受理时间": T(20), "客户姓名": "Sam Taylor",
         "延期至": AS_OF + dt.timedelta(days=4), "处理结果": "New parts ordered"}])
    assert "我们将在2026年3月25日前办结本案，并把结果告知您。" in texts[("E1", "response")]
    assert "We will settle the matter by 24 March 2026" in texts[("E2", "response")]
    entries = manifest(tmp_path)
    assert entries["E1"]["response"]["promised"] == "2026-03-25"
    assert entries["E2"]["response"]["promised"] == "2026-03-24"


def test_a_promise_shows_in_the_letters_sheet_and_passes_as_overdue():
    from officebot.mail.status import promise_state
    day = "2026-03-25"
    assert promise_state(day, None, dt.datetime(2026, 3, 20)) == "ahead"
    assert promise_state(day, None, dt.datetime(2026, 3, 26)) == "overdue"
    assert promise_state(day, dt.datetime(2026, 3, 24, 9), dt.datetime(2026, 3, 26)) == "kept"
    assert promise_state(day, dt.datetime(2026, 3, 26, 9), dt.datetime(2026, 3, 27)) == "late"
    assert promise_state(None, None, dt.datetime(2026, 3, 26)) == ""


# --- (2) claims nothing recorded ---------------------------------------------------------------
def test_no_investigation_finding_or_measure_unless_a_field_says_so(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "N1", "受理时间": T(10), "客户姓名": "王强", "投诉内容": "停车费多收",
         "答复时间": T(9), "结案时间": T(8), "处理结果": "经核实收费无误，已向客户解释"},
        {"编号": "N2", "受理时间": T(10), "客户姓名": "赵敏", "投诉内容": "电梯异响",
         "答复时间": T(9), "结案时间": T(8), "处理结果": "已更换导靴", "整改措施": "每周增加一次巡检"}])
    plain = texts[("N1", "response")]
    for claim in ("调查核实", "通报相关部门", "逐项检查", "防止类似问题", "改进措施", "失误"):
        assert claim not in plain, claim
    measured = texts[("N2", "response")]
    assert "四、改进措施" in measured and "针对此事，我们采取的改进措施是：每周增加一次巡检。" in measured


def test_a_repeat_is_told_as_a_fact_not_an_admission(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "TS-0256", "受理时间": T(12), "客户姓名": "谢秀兰", "联系电话": "13900000001",
         "投诉类别": "服务", "投诉内容": "电梯停运一整天", "答复时间": T(11), "结案时间": T(10)},
        {"编号": "TS-0276", "受理时间": T(4), "客户姓名": "谢秀兰", "联系电话": "13900000001",
         "投诉类别": "服务", "投诉内容": "售楼处承诺的资料迟迟不给"}])
    text = texts[("TS-0276", "apology")]
    assert "您曾于2026年3月8日就“电梯停运一整天”联系我们（投诉编号：TS-0256）。" in text
    for admission in ("失误", "未能在第一次", "不得不再次"):
        assert admission not in text


# --- (3) severity ------------------------------------------------------------------------------
@pytest.mark.parametrize("severity,words", [
    ("危机", "我们已将您反映的情况列为最高等级的投诉"), ("严重", "我们已将您反映的问题列为严重投诉"),
])
def test_serious_cases_are_apologised_to_in_their_first_letter_naming_the_person(
        tmp_path, severity, words):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "S1", "受理时间": T(1), "客户姓名": "刘强", "投诉等级": severity,
         "投诉内容": "电梯下坠两层", "责任部门": "工程部", "处理人": "黄磊", "答复时间": T(0, 20),
         "处理结果": "已停梯检修"}])
    text = texts[("S1", "response")]       # answered on time, yet apologised to
    assert words in text and "诚恳地向您道歉" in text
    assert "本案由工程部的黄磊负责。如需联系黄磊，请致电客服热线 0571-8888 6666。" in text


def test_an_ordinary_case_answered_on_time_gets_no_apology(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "G1", "受理时间": T(1), "客户姓名": "刘强", "投诉内容": "水龙头滴水",
         "答复时间": T(0, 20), "处理结果": "已更换水龙头"}])
    assert "歉" not in texts[("G1", "response")]


# --- (4) register shorthand --------------------------------------------------------------------
def test_register_shorthand_is_not_pasted_in(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "H1", "受理时间": T(10), "客户姓名": "张先生", "投诉内容": "窗台长期积水\n客户要求赔偿损失。",
         "答复时间": T(9), "结案时间": T(8), "处理结果": "已退还多收的停车费，并向客户致歉",
         "赔偿金额": 0},
        {"编号": "H2", "受理时间": T(10), "客户姓名": "Mr John O'Brien", "投诉内容": "Lift broken",
         "答复时间": T(9), "结案时间": T(8), "处理结果": "Apologised to the customer in person",
         "赔偿金额": 150}], amount_header="退款金额")
    zh = texts[("H1", "response")]
    assert "尊敬的张先生：" in zh and "张先生客户" not in zh
    assert "已退还多收的停车费，并向您致歉" in zh
    assert "客户要求" not in zh and "窗台长期积水。" in zh      # the clerk's note is no quote
    assert "0.00" not in zh and "补偿" not in zh
    assert not re.search(r"该客户|向客户|客户要求", zh)
    en = texts[("H2", "response")]
    assert "Dear Mr O'Brien," in en and "Mr John O'Brien," not in en
    assert "Apologised to you in person" in en and "the customer" not in en
    assert "The refund due to you is CNY 150.00." in en


def test_the_reply_written_for_the_customer_replaces_the_internal_one(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "R1", "受理时间": T(10), "客户姓名": "周杰", "答复时间": T(9), "结案时间": T(8),
         "处理结果": "内部：追责施工队", "答复客户内容": "已为您更换全部密封条"}])
    text = texts[("R1", "response")]
    assert "已为您更换全部密封条" in text and "追责" not in text


# --- (5) no Chinese inside English letters -----------------------------------------------------
def test_english_letters_hold_no_chinese_and_the_run_says_what_is_missing(tmp_path):
    rows = [{"编号": "EN1", "受理时间": T(10), "客户姓名": "Ann Lee", "投诉类别": "维修",
             "投诉内容": "空调维修两次后仍不制冷", "责任部门": "维修中心", "处理人": "吴德明",
             "答复时间": T(9), "结案时间": T(8), "处理结果": "已更换压缩机"},
            {"编号": "EN2", "受理时间": T(10), "客户姓名": "王芳", "语言": "English",
             "投诉内容": "噪音", "英文投诉内容": "Noise at night", "责任部门": "维修中心",
             "答复时间": T(9), "结案时间": T(8), "处理结果": "已加装隔音垫",
             "英文答复内容": "We fitted sound insulation"}]
    out, texts, _ = drafted(tmp_path, rows)
    for key in (("EN1", "response"), ("EN2", "response")):
        text = texts[key].replace("王芳", "")    # the customer's own name may be Chinese
        assert not CJK.search(text), (key, text)
    assert "You told us: “Noise at night”." in texts[("EN2", "response")]
    assert "The outcome: We fitted sound insulation." in texts[("EN2", "response")]
    gaps = [p for p in out.problems if p.startswith("英文函件中")]
    assert len(gaps) == 1
    assert "处理人的英文名 “吴德明”（EN1）" in gaps[0] and "部门的英文名 “维修中心”（EN1, EN2）" in gaps[0]
    # with English names in the settings the sentences come back
    (tmp_path / "letters").rename(tmp_path / "old-letters")
    names = SENDER + ('english_names = [{zh = "维修中心", en = "Maintenance Centre"}, '
                      '{zh = "吴德明", en = "Wu Deming"}]\n')
    out, texts, _ = drafted(tmp_path, rows, names)
    assert "Wu Deming" in texts[("EN1", "response")]
    assert "Maintenance Centre" in texts[("EN2", "response")]


# --- (6) combining only the same person --------------------------------------------------------
def test_a_shared_phone_with_different_names_gets_two_letters(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "C11", "受理时间": T(9), "客户姓名": "张伟", "联系电话": "13800000001",
         "责任部门": "销售部", "投诉内容": "资料迟迟不给"},
        {"编号": "C17", "受理时间": T(6), "客户姓名": "张丽", "联系电话": "13800000001",
         "责任部门": "工程部", "投诉内容": "墙面裂缝"}])
    assert sorted(x.case_id for x in out.drafted) == ["C11", "C17"]
    assert "C11" not in texts[("C17", "apology")]


def test_a_combined_letter_names_each_case_and_shows_on_every_row(tmp_path):
    out, texts, result = drafted(tmp_path, [
        {"编号": "P1", "受理时间": T(9), "客户姓名": "陈晨", "联系电话": "13900000001",
         "投诉内容": "电梯停运", "责任部门": "工程部", "处理人": "黄磊"},
        {"编号": "P2", "受理时间": T(6), "客户姓名": "陈晨", "联系电话": "13900000001",
         "投诉内容": "停车费多收", "责任部门": "客服部"}])
    assert [x.case_id for x in out.drafted] == ["P2"]
    text = texts[("P2", "apology")]
    assert "投诉编号 P1（2026年3月11日受理，“电梯停运”）：由工程部的黄磊负责，正在办理中。" in text
    rows = {c.case_id: c.row for c in result.cases}
    assert out.files_by_row[rows["P1"]] == out.files_by_row[rows["P2"]] == [out.drafted[0].path]
    assert manifest(tmp_path)["P2"]["apology"]["covers"] == ["P1"]


# --- (7) what the letter knows -----------------------------------------------------------------
def test_a_recorded_dissatisfaction_and_a_late_closure_are_said(tmp_path):
    out, texts, _ = drafted(tmp_path, [
        {"编号": "D1", "受理时间": T(30), "客户姓名": "孙丽", "答复时间": T(29), "结案时间": T(15),
         "处理结果": "已返修", "客户满意度": "不满意"}])
    text = texts[("D1", "response")]
    assert "您在回访中对处理结果的评价是“不满意”，我们已如实记录。" in text
    assert "本案于2026年3月5日办结，晚于应办结的2026年2月25日" in text and "深表歉意" in text
    assert "如您对上述处理有不同意见" not in text and "将与您联系" not in text


def test_manifest_entry_carries_the_facts_fingerprint(tmp_path):
    out, texts, result = drafted(tmp_path, [
        {"编号": "F1", "受理时间": T(5), "客户姓名": "王强", "处理结果": "已修复"}])
    entry = manifest(tmp_path)["F1"]["response"]
    case, judgement = result.cases[0], result.judgements[0]
    settings = load_settings(folder=tmp_path)
    assert entry["facts"] == facts_fingerprint(case, judgement, "zh", letter_settings(settings))
    changed = case._replace(resolution="已修复并赔偿")
    assert facts_fingerprint(changed, judgement, "zh", {}) != entry["facts"]


# --- (8)/(19) templates a clerk edits ----------------------------------------------------------
def template_with(path, xml_paragraphs, rels_extra=""):
    """A copy of the packaged apology_zh.docx with its body replaced by raw paragraphs."""
    src = PACKAGED_DIR / "apology_zh.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode()
                start = xml.index("<w:body>") + len("<w:body>")
                end = xml.index("<w:sectPr")
                data = (xml[:start] + "".join(xml_paragraphs) + xml[end:]).encode()
            if info.filename == "word/_rels/document.xml.rels" and rels_extra:
                data = data.replace(b"</Relationships>", rels_extra.encode() + b"</Relationships>")
            zout.writestr(info, data)
    return path


def p(*runs):
    return "<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{r}</w:t></w:r>' for r in runs) \
        + "</w:p>"


BOUNDED = [
    ("loop", [p("{{ 投诉编号 }}"), p("{% for i in range(10**9) %}x{% endfor %}")], "超出函件的限度"),
    ("repeat", [p("{{ 投诉编号 }}"), p("{{ 'x'*10**10 }}")], "超出函件的限度"),
    ("power", [p("{{ 投诉编号 }}"), p("{{ 2**100000000 }}")], "超出函件的限度"),
    ("include", [p("{{ 投诉编号 }}"), '<w:p><w:r><w:instrText> INCLUDEPICTURE "file:///etc/passwd" '
                 '</w:instrText></w:r></w:p>'], "含有 Word 域 INCLUDEPICTURE"),
    ("closing", [p("{{ 投诉编号 }}"), p("尊敬的", "{{ 客户姓名 }", "：")], "括号不成对"),
]


@pytest.mark.parametrize("label,paragraphs,expected", BOUNDED, ids=[b[0] for b in BOUNDED])
def test_a_hostile_or_broken_template_ends_in_one_sentence(tmp_path, label, paragraphs, expected):
    template_with(tmp_path / "templates/apology_zh.docx", paragraphs)
    out, texts, _ = drafted(tmp_path, [{"编号": "B1", "受理时间": T(5), "客户姓名": "王强"}])
    assert out.drafted == []
    assert len(out.problems) == 1 and out.problems[0].startswith("函件模板 apology_zh.docx")
    assert expected in out.problems[0] and "\n" not in out.problems[0]


def test_an_external_image_is_refused(tmp_path):
    rel = ('<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/image" Target="file:///etc/passwd" TargetMode="External"/>')
    template_with(tmp_path / "templates/apology_zh.docx", [p("{{ 投诉编号 }}")], rel)
    out, texts, _ = drafted(tmp_path, [{"编号": "B1", "受理时间": T(5), "客户姓名": "王强"}])
    assert out.drafted == [] and "链接了文件以外的内容" in out.problems[0]


def test_text_inside_a_tag_paragraph_is_refused_naming_its_words(tmp_path):
    template_with(tmp_path / "templates/apology_zh.docx",
                  [p("{{ 投诉编号 }}"), p("{%p if 投诉内容 %}"), p("{{ 投诉内容 }}"),
                   p("{%p endif %}请保留这句话")])
    out, texts, _ = drafted(tmp_path, [{"编号": "B1", "受理时间": T(5), "客户姓名": "王强"}])
    assert out.drafted == []
    assert "（段落“{%p endif %}请保留这句话”）中的文字“请保留这句话”不会出现在任何函件中" in out.problems[0]


@pytest.mark.parametrize("name", sorted(x.name for x in PACKAGED_DIR.glob("*.docx")))
def test_every_packaged_template_passes_its_own_proof(name):
    from officebot.letters import load_template
    load_template(PACKAGED_DIR / name, letter_settings(load_settings()),
                  "en" if name.endswith("_en.docx") else "zh")


# --- (9) layout --------------------------------------------------------------------------------
def test_document_properties_keep_with_next_and_page_numbers(tmp_path):
    out, texts, _ = drafted(tmp_path, [{"编号": "L1", "受理时间": T(5), "客户姓名": "王强"}])
    path = tmp_path / out.drafted[0].path
    d = docx.Document(str(path))
    props = d.core_properties
    assert props.author == "云栖物业服务中心" and props.title == "致歉信 L1"
    assert props.created.replace(tzinfo=None) == AS_OF and "python-docx" not in (props.comments or "")
    with zipfile.ZipFile(path) as zf:
        assert not [n for n in zf.namelist() if "thumbnail" in n]
        assert b"thumbnail" not in zf.read("_rels/.rels")
    texts = [x.text for x in d.paragraphs]
    closing = [x for x in d.paragraphs if x.text in ("此致", "敬礼！")]
    assert closing and all(x.paragraph_format.keep_with_next for x in closing)
    before = d.paragraphs[texts.index("此致") - 1]
    assert before.paragraph_format.keep_with_next             # the last body paragraph
    section = d.sections[0]
    assert section.different_first_page_header_footer
    later = "".join(x._p.xml for x in section.footer.paragraphs)
    assert 'w:instr=" PAGE "' in later and 'w:instr=" NUMPAGES "' in later
    first = "".join(x._p.xml for x in section.first_page_footer.paragraphs)
    assert "PAGE" not in first                                 # a one-page letter: no number


def test_pdf_font_table_names_the_declared_substitutes():
    from officebot.pdf import font_table
    pairs = letter_settings(load_settings())["pdf_fonts"]
    xml = font_table(pairs)
    assert "<value>宋体</value>" in xml and "<value>Noto Serif CJK SC</value>" in xml
    assert {"font": "黑体", "use": "Noto Sans CJK SC"} in pairs


def test_doctor_refuses_a_broken_template_and_names_the_pdf_fonts(tmp_path):
    from click.testing import CliRunner
    from officebot.cli import cli
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    template_with(tmp_path / "templates/response_zh.docx", [p("编号：{{ 投诉编号 }")])
    res = runner.invoke(cli, ["doctor", str(tmp_path)])
    assert "函件模板 response_zh.docx（段落“编号：{{ 投诉编号 }”）中有括号不成对的占位符" in res.output
    assert "[正常] 函件模板: 函件模板" not in res.output
    assert "宋体 → Noto Serif CJK SC" in res.output
    assert "Traceback" not in res.output


def test_an_unedited_earlier_default_template_is_replaced_by_the_current_one(tmp_path,
                                                                           monkeypatch):
    import hashlib
    from officebot import letter_templates
    old = template_with(tmp_path / "templates/response_zh.docx",
                        [p("{{ 投诉编号 }}"), p("我们已调查核实，现函告如下。")])
    with zipfile.ZipFile(old) as zf:
        digest = hashlib.sha256(zf.read("word/document.xml")).hexdigest()[:16]
    monkeypatch.setattr(letter_templates, "OLD_DEFAULTS", frozenset({digest}))
    out, texts, _ = drafted(tmp_path, [{"编号": "O1", "受理时间": T(10), "客户姓名": "王强",
                                        "处理结果": "已修复"}])
    assert "调查核实" not in texts[("O1", "response")]
    assert out.problems == ["templates/response_zh.docx 是 officebot 早先的默认模板（未改动过），"
                            "本次改用新版默认模板起草；删除该文件即可不再提示"]


def test_doctor_says_which_english_letters_lack_what(tmp_path):
    from click.testing import CliRunner
    from officebot.cli import cli
    write(tmp_path / "台账.xlsx", [{"编号": "EN1", "受理时间": T(3), "客户姓名": "Ann Lee",
                                   "责任部门": "维修中心"}])
    res = CliRunner().invoke(cli, ["doctor", str(tmp_path)])
    assert "英文函件中因缺少英文内容而略去了句子：部门的英文名 “维修中心”（EN1）" in res.output


def test_pdf_draws_songti_with_the_declared_serif_face(tmp_path):
    import subprocess
    from conftest import need_tool
    need_tool("soffice")
    need_tool("pdffonts")
    settings = settings_with(tmp_path, SENDER)
    result = judge(write(tmp_path / "r.xlsx", [{"编号": "P1", "受理时间": T(5), "客户姓名": "王强"}]),
                   settings)
    out = draft_letters(result, settings, tmp_path, pdf=True)
    assert out.pdfs, out.problems
    fonts = subprocess.run(["pdffonts", str(tmp_path / out.pdfs[0])], capture_output=True,
                           text=True, check=True).stdout
    body = [line for line in fonts.splitlines() if "CJK" in line and "Bold" not in line]
    assert body and all("Serif" in line for line in body), fonts   # 宋体 → a serif CJK face


@pytest.mark.parametrize("text,lang,expected", [
    ("已退还多收的停车费，并向客户致歉", "zh", "已退还多收的停车费，并向您致歉"),
    ("已向该客户当面道歉。", "zh", "已向您当面道歉"),
    ("已转交客户服务中心处理", "zh", "已转交客户服务中心处理"),
    ("第一行\n第二行", "zh", "第一行；第二行"),
    ("Apologised to the customer; refunded the customer's fee", "en",
     "Apologised to you; refunded your fee"),
    ("Passed to customer service.", "en", "Passed to customer service"),
])
def test_register_text_said_to_the_customer(text, lang, expected):
    from officebot.letters.sentences import clean_reply
    assert clean_reply(text, lang) == expected


@pytest.mark.parametrize("text,expected", [
    ("窗台长期积水\n客户要求赔偿损失。", "窗台长期积水"),
    ("=楼上漏水这是第三次反映了\n上次说好一周修好，到现在没人来", "=楼上漏水这是第三次反映了；上次说好一周修好，到现在没人来"),
    ("  门关不严  ", "门关不严"),
])
def test_the_complaint_is_quoted_in_the_customers_words_on_one_line(text, expected):
    from officebot.letters.sentences import customer_words
    assert customer_words(text, "zh") == expected


@pytest.mark.parametrize("name,lang,expected", [
    ("张伟", "zh", "尊敬的张伟客户："), ("张先生", "zh", "尊敬的张先生："), ("李女士", "zh", "尊敬的李女士："),
    ("王芳客户", "zh", "尊敬的王芳客户："), ("", "zh", "尊敬的客户："),
    ("Mr John O'Brien", "en", "Dear Mr O'Brien,"), ("mrs. Ann Lee", "en", "Dear Mrs Lee,"),
    ("Sam Taylor", "en", "Dear Sam Taylor,"), ("", "en", "Dear Sir or Madam,"),
])
def test_salutation_never_doubles_a_courtesy_form(name, lang, expected):
    from types import SimpleNamespace
    from officebot.letters.sentences import Source, salutation
    s = Source(SimpleNamespace(customer=name), None, lang, {}, AS_OF)
    assert salutation(s) == expected


def matrix():
    """Every severity x state x answer x repeat x language, with register shorthand in it."""
    import itertools
    from officebot.records import Case, Judgement
    d = dt.timedelta
    first = Case(2, "M0", T(40), customer="张伟", summary="电梯停运", category="服务")
    states = {
        "open": ("pending", "pending", None, None, AS_OF + d(days=3)),
        "overdue": ("overdue", "overdue", None, None, T(2)),
        "closed": ("on_time", "on_time", T(8), T(6), T(5)),
        "late": ("late", "late", T(8), T(1), T(5)),
    }
    for i, (sev, state, answer, repeat, lang) in enumerate(itertools.product(
            ("一般", "严重", "危机"), states, (None, "满意", "不满意", 4), (False, True),
            ("zh", "en"))):
        reply_status, close_status, replied, closed, close_due = states[state]
        name = "张伟" if lang == "zh" else "Mr John O'Brien"
        case = Case(3 + i, f"M{i + 1}", T(10), customer=name, severity=sev, category="维修",
                    summary="窗台积水\n客户要求赔偿损失。", department="工程部", handler="黄磊",
                    resolution="已修复，并向客户致歉", satisfaction=answer, amount=0.0)
        satisfied = None if answer is None else answer == "满意"
        j = Judgement(case.case_id, case.row, T(8), close_due, reply_status, close_status,
                      "M0" if repeat else None, 2, "", replied, closed, satisfied)
        yield case, j, lang, ((first, Judgement("M0", 2, T(38), T(33), "on_time", "on_time",
                                                None, 0, "", T(39), T(35), None))
                              if repeat else None)


@pytest.mark.parametrize("kind", ["apology", "response", "followup"])
def test_every_state_reads_true_in_both_languages(kind):
    from officebot.letters import letter_values, load_template
    table = letter_settings(load_settings())
    templates = {lang: load_template(PACKAGED_DIR / f"{kind}_{lang}.docx", table, lang)
                 for lang in ("zh", "en")}
    from test_letters_content import part_texts
    for case, j, lang, original in matrix():
        template = templates[lang]
        values = letter_values(case, j, lang, table, AS_OF, template.names, kind == "apology",
                               (), original=original, first_letter=True, gaps=[])
        text = "\n".join(part_texts(template.fill(values)))
        where = (kind, case.case_id, case.severity, j.close_status, case.satisfaction, lang)
        for bad in ("{{", "{%", "None", "0.00", "客户要求", "向客户", "the customer", "失误",
                    "调查核实", "investigated", "will contact you", "将与您联系"):
            assert bad not in text, (where, bad)
        if lang == "en":
            assert not CJK.search(text), (where, text)
        if case.severity in ("严重", "危机") and kind != "followup":
            assert ("诚恳地向您道歉" if lang == "zh" else "apologise sincerely") in text, where
        if j.closed_at is None and j.close_due <= AS_OF:
            assert not re.search(r"将在.{0,12}前办结|settle the matter by", text), where
        if j.repeat_of and kind != "followup":
            assert "M0" in text, where
        if j.satisfied is False and kind != "apology":
            assert ("我们已如实记录" if lang == "zh" else "we have recorded that") in text, where


def test_the_other_cases_reply_reads_as_the_letters_own_reply_does():
    """An English letter listing another case of the customer's: its English-only resolution
    is said to the customer in English (second person, lines joined as English joins them),
    exactly as the case's own reply sentence says it."""
    from officebot.letters import letter_values
    from officebot.letters.sentences import Source, reply_text
    from officebot.records import Case, Judgement
    table = letter_settings(load_settings())
    case = Case(3, "E1", T(10), customer="Mr John O'Brien", category="维修", summary="Leak",
                resolution="Repaired the pipe for the customer\nSent a voucher")
    j = Judgement("E1", 3, T(8), T(5), "on_time", "on_time", None, 0, "", T(9), T(6), None)
    for lang in ("en", "zh"):
        values = letter_values(case, j, lang, table, AS_OF, ["others"], also=[(case, j)])
        (other,) = values["others"]
        own = reply_text(Source(case, j, lang, table, AS_OF))
        assert other["resolution"] == own
    values = letter_values(case, j, "en", table, AS_OF, ["others"], also=[(case, j)])
    assert values["others"][0]["resolution"] == "Repaired the pipe for you; Sent a voucher"
    chinese = Case(4, "E2", T(10), customer="Mr John O'Brien", category="维修", summary="Leak",
                   resolution="已修复")
    (other,) = letter_values(case, j, "en", table, AS_OF, ["others"],
                             also=[(chinese, j)])["others"]
    assert other["resolution"] == ""                 # no Chinese in an English letter


def test_letter_settings_are_made_once_and_one_offices_bounds_never_reach_anothers(tmp_path):
    """Two working folders in one process: the template proven under the first office's
    [letters] template_max_range keeps it while the second office's settings are read."""
    from officebot.letters import load_template
    from officebot.settings import Settings
    from test_letters_content import part_texts
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    roomy = settings_with(tmp_path / "a", "[letters]\ntemplate_max_range = 3000\n")
    table = letter_settings(roomy)
    assert letter_settings(roomy) is table                     # made once per Settings
    assert table["english_by_zh"] == {}
    path = template_with(tmp_path / "t/apology_zh.docx", [
        p("{{ 投诉编号 }}"), p("{% for i in range(2000) %}{% endfor %}共 2000 项")])
    template = load_template(path, table, "zh")
    strict = settings_with(tmp_path / "b", "[letters]\ntemplate_max_range = 10\n")
    assert letter_settings(strict)["template_max_range"] == 10   # the other office, read now
    values = {"投诉编号": "B1", "case_id": "B1"}
    assert "共 2000 项" in "".join(part_texts(template.fill(values)))
    named = Settings({**strict.data, "letters": {**strict.data["letters"], "english_names": [
        {"zh": "维修", "en": "Repairs"}, {"zh": "维修", "en": "later"}]}})
    assert letter_settings(named)["english_by_zh"] == {"维修": "Repairs"}   # the first pair
