"""Letters drafted from Word templates: choosing, filling, fonts, files, redo, hand edits."""

import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from docx.oxml.ns import qn

from officebot.check import ReadOptions, check_register
from officebot.errors import OfficebotError, SettingsError
from officebot.letter_templates import KNOWN_NAMES, PACKAGED_DIR, PLACEHOLDERS
from officebot.messages import msg
from officebot.letters import (draft_letters, fingerprint, format_amount, format_date,
                               letter_settings, safe_file_stem)
from officebot.records import Case, Judgement
from officebot.settings import load_settings

from conftest import AS_OF, row

REPO = Path(__file__).resolve().parents[1]
KINDS_LANGS = [(k, lang) for k in ("apology", "response", "followup") for lang in ("zh", "en")]


def all_text(path):
    """Body paragraphs, table cells and footer text of a .docx, one string."""
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for s in d.sections:
        parts += [p.text for p in s.footer.paragraphs] + [p.text for p in s.header.paragraphs]
    return "\n".join(t for t in parts if t)


def east_asia_font(path):
    d = docx.Document(str(path))
    fonts = d.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii"))


def judged(register, rows):
    path = register(rows)
    return check_register(path, load_settings(), AS_OF, ReadOptions(cases="full")), path.parent


def case(case_id="C001", row_no=3, **kw):
    base = dict(received_at=dt.datetime(2026, 3, 1, 9, 0), customer="张三", summary="投诉内容",
                department="客服部", handler="李四")
    base.update(kw)
    return Case(row=row_no, case_id=case_id, **base)


def judgement(c, reply_status="overdue", close_status="overdue", closed_at=None,
              replied_at=None, repeat_of=None):
    return Judgement(c.case_id, c.row, c.received_at + dt.timedelta(hours=48),
                     c.received_at + dt.timedelta(days=7), reply_status, close_status, repeat_of,
                     1, "班组长", replied_at, closed_at, None)


def result_of(*pairs, language="zh"):
    return SimpleNamespace(cases=[p[0] for p in pairs], judgements=[p[1] for p in pairs],
                           as_of=AS_OF, language=language)


def no_tags_left(text):
    return "{{" not in text and "{%" not in text and "}}" not in text


# --- the templates themselves ----------------------------------------------------------------
def test_packaged_templates_are_byte_identical_to_templates_folder():
    names = sorted(p.name for p in (REPO / "templates").glob("*.docx"))
    assert names == sorted(f"{k}_{lang}.docx" for k, lang in KINDS_LANGS)
    for name in names:
        assert (REPO / "templates" / name).read_bytes() == (PACKAGED_DIR / name).read_bytes(), name


@pytest.mark.parametrize("kind,lang", KINDS_LANGS)
def test_template_layout_a4_fonts_and_reference(kind, lang):
    path = PACKAGED_DIR / f"{kind}_{lang}.docx"
    d = docx.Document(str(path))
    section = d.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    east, latin = east_asia_font(path)
    assert east == "宋体" and latin in ("Times New Roman", "Calibri")
    text = all_text(path)
    assert ("{{ 投诉编号 }}" if lang == "zh" else "{{ case_id }}") in text
    assert ("{{ 联系邀请 }}" if lang == "zh" else "{{ invitation }}") in text


def test_every_placeholder_has_both_names():
    assert len(KNOWN_NAMES) == 2 * len(PLACEHOLDERS)


# --- drafting from a real register -----------------------------------------------------------
def office_rows():
    return [
        # reply late (72 h) and a resolution: apology + response
        row("C001", dt.datetime(2026, 3, 1, 9, 0), customer="张三", phone="13800138000",
            category="服务类", summary="营业厅排队两小时无人处理", department="客服部", handler="李四",
            replied_at=dt.datetime(2026, 3, 4, 9, 0), resolution="已向客户当面致歉并优先办理"),
        # closed 9 days before the as-of time: response + follow-up
        row("C002", dt.datetime(2026, 2, 25, 10, 0), customer="王五", phone="13900139000",
            category="产品质量", summary="空调漏水", replied_at=dt.datetime(2026, 2, 25, 15, 0),
            closed_at=dt.datetime(2026, 3, 1, 12, 0), resolution="上门更换排水管"),
        # pending: no letter
        row("C003", dt.datetime(2026, 3, 10, 8, 0), customer="赵六", summary="账单有误"),
        # English customer, reply overdue, no handler/department/resolution: fallbacks
        row("C004", dt.datetime(2026, 3, 2, 9, 0), customer="Mary Brown", email="mary@example.com",
            summary="Invoice sent twice"),
    ]


def test_drafts_the_letters_each_case_needs(register):
    result, folder = judged(register, office_rows())
    out = draft_letters(result, load_settings(), folder)
    assert out.problems == []
    got = {(let.case_id, let.kind) for let in out.drafted}
    # one letter per case: C001's response carries its apology, C002's follow-up waits
    assert got == {("C001", "response"), ("C002", "response"), ("C004", "apology")}
    assert out.out_dir == folder / "letters" / "2026-03"
    for letter in out.drafted:
        path = folder / letter.path
        assert path.parent == out.out_dir and path.name == f"{letter.case_id}_{letter.kind}.docx"
        text = all_text(path)
        assert no_tags_left(text), letter
        assert letter.case_id in text
        assert east_asia_font(path)[0] == "宋体"


def test_chinese_letter_text_dates_and_fallbacks(register):
    result, folder = judged(register, office_rows())
    draft_letters(result, load_settings(), folder)
    first = all_text(folder / "letters/2026-03/C001_response.docx")
    assert "尊敬的张三客户：" in first
    assert "编号：C001" in first
    assert "2026年3月10日" in first
    assert "营业厅排队两小时无人处理" in first
    assert "已向您当面致歉并优先办理" in first and "客户当面" not in first   # second person
    assert "客服部" in first and "经办人：李四" in first
    assert "我们的答复晚于应答复的2026年3月3日" in first     # the apology it carries
    assert "我们深表歉意" in first
    response = all_text(folder / "letters/2026-03/C002_response.docx")
    assert "2026年2月25日受理您的投诉，同日答复您，3月1日本案办结。" in response  # the steps


def test_english_letter_for_a_latin_name_uses_english_dates_and_fallbacks(register):
    result, folder = judged(register, office_rows())
    draft_letters(result, load_settings(), folder)
    path = folder / "letters/2026-03/C004_apology.docx"
    text = all_text(path)
    assert "Dear Mary Brown," in text and "Yours sincerely," in text
    assert "Our reference: C004" in text and "10 March 2026" in text
    assert "Your complaint of 2 March 2026" in text
    assert "responsible for your case" not in text    # no handler, no department
    assert "We will settle the matter by 9 March 2026" not in text   # that due time passed
    assert "We will write to you with the outcome once the matter is settled." in text
    assert east_asia_font(path)[1] == "Calibri"


def test_files_by_row_lists_every_letter_of_the_case(register):
    result, folder = judged(register, office_rows())
    first = draft_letters(result, load_settings(), folder, kinds=["apology"])
    assert first.files_by_row[3] == ["letters/2026-03/C001_apology.docx"]
    second = draft_letters(result, load_settings(), folder)
    assert second.files_by_row[3] == ["letters/2026-03/C001_apology.docx",
                                      "letters/2026-03/C001_response.docx"]
    assert second.files_by_row[5] == []     # C003: no letter
    assert {let.kind for let in second.drafted if let.case_id == "C001"} == {"response"}


def test_case_and_kind_filters(register):
    result, folder = judged(register, office_rows())
    out = draft_letters(result, load_settings(), folder, case_ids=["C002"],
                        kinds=["followup"])
    assert [(let.case_id, let.kind) for let in out.drafted] == [("C002", "followup")]
    assert out.problems == []
    with pytest.raises(OfficebotError, match="letter kind 'thanks'"):
        draft_letters(result, load_settings(), folder, kinds=["thanks"])


# --- customer text is text ---------------------------------------------------------------------
def test_customer_text_is_inserted_as_text(tmp_path):
    c = case(customer="A&B <注意>", summary="{{ 7*7 }} {% if 1 %}x{% endif %}\n第二行\r\n第三行",
             resolution="=1+1", amount=1234.5)
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert out.problems == []
    path = tmp_path / out.drafted[0].path
    text = all_text(path)
    assert "尊敬的A&B <注意>客户：" in text
    assert "{{ 7*7 }} {% if 1 %}x{% endif %}" in text and "49" not in text
    assert "=1+1" in text and "赔偿金额为人民币 1,234.50 元" in text
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode()
    assert "A&amp;B &lt;注意&gt;" in xml
    # the complaint is quoted on one line: no line break inside the customer's words
    assert "x{% endif %}；第二行；第三行" in text and "<w:br/>" not in xml


def test_control_characters_in_customer_text_are_shown(tmp_path):
    c = case(summary="bad\x0bchar\x01")
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert "bad\u240bchar\u2401" in all_text(tmp_path / out.drafted[0].path)


# --- templates the office edits -----------------------------------------------------------------
def make_template(path, paragraphs):
    """A template whose paragraphs are lists of runs (a str is one run)."""
    d = docx.Document()
    for runs in paragraphs:
        p = d.add_paragraph()
        for text in ([runs] if isinstance(runs, str) else runs):
            if text == "<DDE>":   # a Word field that runs a program when the letter opens
                p._p.append(docx.oxml.parse_xml(
                    '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                    '2006/main" w:instr="DDEAUTO c:\\windows\\system32\\cmd.exe &quot;/k calc&quot;">'
                    '<w:r><w:t>x</w:t></w:r></w:fldSimple>'))
            else:
                p.add_run(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path


def test_placeholder_split_across_runs_still_works(tmp_path):
    make_template(tmp_path / "templates/apology_zh.docx", [
        ["尊敬的", "{{ 客户", "姓名 }}", "："],
        ["编号：", "{", "{ 投诉", "编号 }", "}"],
        ["{%", " if 是否重复投诉 %}重复{% endif %}", "完"],
    ])
    c = case(customer="钱七")
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert out.problems == []
    text = all_text(tmp_path / out.drafted[0].path)
    assert text.splitlines() == ["尊敬的钱七：", "编号：C001", "完"]


BAD_TEMPLATES = [
    ("unknown", [["尊敬的{{ 客户名 }}："]], "不认识的占位符 {{ 客户名 }}（是否应为 {{ 客户姓名 }}？）"),
    ("syntax", [["编号：{{ 投诉编号 }"], ["x"]], "（段落“编号：{{ 投诉编号 }”）中有括号不成对的占位符"),
    ("closing", [["编号：{{ 投诉编号"], ["x"]], "（段落“编号：{{ 投诉编号”）中有括号不成对的占位符"),
    ("fullwidth", [["尊敬的｛｛ 客户姓名 ｝｝："]], "全角括号"),
    ("fullwidth_half", [["尊敬的{｛ 客户姓名 }}："]], "全角括号"),
    ("block", [["{% if 投诉内容 %}x"]], "（段落“{% if 投诉内容 %}x”）中有无法识别的占位符"),
    ("no_case_id", [["尊敬的{{ 客户姓名 }}："]], "没有显示投诉编号"),
    ("dropped", [["{{ 投诉编号 }}"], ["{%p if 投诉内容 %}此段照常"], ["{%p endif %}后面的字"]],
     "中的文字“此段照常”不会出现在任何函件中"),
    ("dde", [["{{ 投诉编号 }}"], ["<DDE>"]], "含有 Word 域 DDEAUTO"),
]


def english_gaps_left_out(problems):
    """The problems without the run's one sentence on English text missing."""
    return [p for p in problems if not p.startswith(("英文函件中", "English letters left"))]


@pytest.mark.parametrize("label,paragraphs,expected", BAD_TEMPLATES,
                         ids=[b[0] for b in BAD_TEMPLATES])
def test_bad_template_is_reported_and_other_letters_still_drafted(tmp_path, label, paragraphs,
                                                                  expected):
    make_template(tmp_path / "templates/apology_zh.docx", paragraphs)
    zh = case("C001", 3)
    en = case("C002", 4, customer="Ann Lee")
    out = draft_letters(result_of((zh, judgement(zh)), (en, judgement(en))), load_settings(),
                        tmp_path)
    problems = english_gaps_left_out(out.problems)
    assert len(problems) == 1, problems
    assert problems[0].startswith("函件模板 apology_zh.docx")
    assert expected in problems[0]
    assert problems[0].endswith("未用它起草函件；请在 Word 中改正")
    assert [(let.case_id, let.template) for let in out.drafted] == [("C002", "apology_en.docx")]


def english_settings(tmp_path):
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    return load_settings(tmp_path / "officebot.toml")


@pytest.mark.parametrize("lang, expected", [
    ("zh", "函件模板 apology_zh.docx 需要 {{ 处理人 }}，但案件 C002 没有这一项的值，因此未起草其"
           "致歉信；请在台账中填写这一项，或给占位符加一个默认值，例如 {{ 处理人 or \"...\" }}"),
    ("en", "Template apology_zh.docx needs {{ 处理人 }} but case C002 has no value for it, so "
           "its apology letter was not drafted; fill it in the register or give the placeholder "
           "a fallback like {{ 处理人 or \"...\" }}")])
def test_required_placeholder_without_value_skips_only_that_letter(tmp_path, lang, expected):
    make_template(tmp_path / "templates/apology_zh.docx", [["{{ 投诉编号 }} 处理人：{{ 处理人 }}"]])
    with_handler = case("C001", 3)
    without = case("C002", 4, handler="")
    settings = english_settings(tmp_path) if lang == "en" else load_settings()
    out = draft_letters(result_of((with_handler, judgement(with_handler)),
                                  (without, judgement(without))), settings, tmp_path)
    assert [let.case_id for let in out.drafted] == ["C001"]
    assert out.problems == [expected]


def test_office_copy_wins_over_packaged_template(tmp_path):
    make_template(tmp_path / "templates/apology_zh.docx", [["本单位自己的致歉信 {{ 投诉编号 }}"]])
    c = case()
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert all_text(tmp_path / out.drafted[0].path) == "本单位自己的致歉信 C001"


# --- redo and hand edits ----------------------------------------------------------------------
def test_not_drafted_twice_unless_redo(tmp_path):
    c = case()
    result = result_of((c, judgement(c)))
    first = draft_letters(result, load_settings(), tmp_path)
    path = tmp_path / first.drafted[0].path
    again = draft_letters(result, load_settings(), tmp_path)
    assert again.drafted == [] and again.skipped[0].reason == "已起草过；如需重新起草，请加 --redo"
    in_english = draft_letters(result, english_settings(tmp_path), tmp_path)
    assert in_english.skipped[0].reason == "already drafted; use --redo to draft it again"
    assert again.files_by_row == {3: [first.drafted[0].path]}
    redo = draft_letters(result, load_settings(), tmp_path, redo=True)
    assert [let.path for let in redo.drafted] == [first.drafted[0].path]
    assert path.exists()


def test_letter_edited_by_hand_is_never_overwritten(tmp_path):
    c = case()
    result = result_of((c, judgement(c)))
    first = draft_letters(result, load_settings(), tmp_path)
    path = tmp_path / first.drafted[0].path
    d = docx.Document(str(path))
    d.add_paragraph("经办人手工补充的一段话")
    d.save(str(path))
    edited = hashlib.sha256(path.read_bytes()).hexdigest()
    for redo in (False, True):
        out = draft_letters(result, load_settings(), tmp_path, redo=redo)
        assert out.drafted == []
        assert out.skipped[0].reason == msg("zh", "letters.skip.edited")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == edited
    assert out.files_by_row[3] == [first.drafted[0].path]


def test_file_officebot_did_not_write_is_left_alone(tmp_path):
    c = case()
    target = make_template(tmp_path / "letters/2026-03/C001_apology.docx", ["经办人自己写的信"])
    before = target.read_bytes()
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path, redo=True)
    assert out.drafted == [] and out.skipped[0].reason == "已有同名文件，但不是 officebot 生成的"
    assert target.read_bytes() == before


def test_letter_later_month_keeps_its_first_path(tmp_path):
    c = case()
    j = judgement(c)
    first = draft_letters(result_of((c, j)), load_settings(), tmp_path)
    later = SimpleNamespace(cases=[c], judgements=[j], as_of=dt.datetime(2026, 4, 2, 9, 0),
                            language="zh")
    out = draft_letters(later, load_settings(), tmp_path, redo=True)
    assert [let.path for let in out.drafted] == [first.drafted[0].path]


# --- rules and settings ------------------------------------------------------------------------
def with_letters(**changes):
    s = load_settings()
    table = dict(s.data["letters"])
    table.update(changes)
    return s.with_changes(letters=table)


def test_rule_can_skip_or_switch_template_by_severity(tmp_path):
    rules = [dict(kind="apology", when=["always"], severity=["一般"], skip=True),
             dict(kind="apology", when=["always"], severity=["危机"], template="apology_crisis"),
             dict(kind="apology", when=["reply_overdue"])]
    normal = case("C001", 3)
    crisis = case("C002", 4, severity="危机")
    serious = case("C003", 5, severity="严重")
    make_template(tmp_path / "templates/apology_crisis_zh.docx", [["危机致歉 {{ 投诉编号 }}"]])
    out = draft_letters(result_of(*[(c, judgement(c)) for c in (normal, crisis, serious)]),
                        with_letters(rules=rules), tmp_path)
    assert [(let.case_id, let.template) for let in out.drafted] == [
        ("C002", "apology_crisis_zh.docx"), ("C003", "apology_zh.docx")]
    assert all_text(tmp_path / out.drafted[0].path) == "危机致歉 C002"


def test_missing_template_named_by_a_rule_is_reported(tmp_path):
    rules = [dict(kind="apology", when=["always"], template="apology_vip")]
    c = case()
    out = draft_letters(result_of((c, judgement(c))), with_letters(rules=rules), tmp_path)
    assert out.drafted == [] and "templates/ 中没有函件模板 apology_vip_zh.docx" in out.problems[0]


@pytest.mark.parametrize("name,lang_setting,register_lang,expected", [
    ("张三", "auto", "en", "zh"), ("Mary Brown", "auto", "zh", "en"), ("", "auto", "en", "en"),
    ("", "auto", "zh", "zh"), ("Mary Brown", "zh", "zh", "zh"), ("张三", "en", "zh", "en"),
])
def test_letter_language(tmp_path, name, lang_setting, register_lang, expected):
    c = case(customer=name)
    out = draft_letters(result_of((c, judgement(c)), language=register_lang),
                        with_letters(language=lang_setting), tmp_path)
    assert out.drafted[0].template == f"apology_{expected}.docx"


def test_followup_due_after_followup_days(tmp_path):
    closed = case("C001", 3)
    j_old = judgement(closed, "on_time", "on_time", closed_at=AS_OF - dt.timedelta(days=7),
                      replied_at=AS_OF - dt.timedelta(days=8))
    recent = case("C002", 4)
    j_new = judgement(recent, "on_time", "on_time", closed_at=AS_OF - dt.timedelta(days=6),
                      replied_at=AS_OF - dt.timedelta(days=8))
    out = draft_letters(result_of((closed, j_old), (recent, j_new)), load_settings(), tmp_path)
    assert [(let.case_id, let.kind) for let in out.drafted] == [("C001", "followup")]


def test_repeat_gets_apology_naming_the_first_case(tmp_path):
    c = case("C009")
    j = judgement(c, "pending", "pending", repeat_of="C001")
    out = draft_letters(result_of((c, j)), load_settings(), tmp_path)
    text = all_text(tmp_path / out.drafted[0].path)
    assert "联系我们（投诉编号：C001）" in text


@pytest.mark.parametrize("changes,key", [
    (dict(language="fr"), "letters.language"),
    (dict(promise_days=-1), "letters.promise_days"),
    (dict(rules=[]), "letters.rules"),
    (dict(rules=[dict(kind="thanks", when=["always"])]), "letters.rules[1].kind"),
    (dict(rules=[dict(kind="apology", when=["sometimes"])]), "letters.rules[1].when"),
    (dict(rules=[dict(kind="apology", when=["always"], severty=["危机"])]),
     "letters.rules[1].severty"),
    (dict(rules=[dict(kind="apology", when=["always"], template="../x")]),
     "letters.rules[1].template"),
    (dict(rules=[dict(kind="apology", when=["always"], language=["fr"])]),
     "letters.rules[1].language"),
])
def test_bad_letter_settings_name_the_key(changes, key):
    with pytest.raises(SettingsError, match=f"'{key.replace('[', '.').replace(']', '.')}'"):
        letter_settings(with_letters(**changes))


def test_settings_file_rules_replace_defaults(tmp_path):
    (tmp_path / "officebot.toml").write_text(
        '[letters]\nlanguage = "en"\n[[letters.rules]]\nkind = "followup"\nwhen = ["always"]\n',
        encoding="utf-8")
    table = letter_settings(load_settings(folder=tmp_path))
    assert table["language"] == "en" and table["rules"] == [dict(kind="followup", when=["always"])]


# --- small pure helpers ---------------------------------------------------------------------------
@pytest.mark.parametrize("value,lang,expected", [
    (dt.datetime(2026, 3, 5, 14, 20), "zh", "2026年3月5日"),
    (dt.datetime(2026, 3, 5, 14, 20), "en", "5 March 2026"),
    (dt.datetime(2026, 12, 31), "en", "31 December 2026"),
    (None, "zh", ""),
])
def test_format_date(value, lang, expected):
    assert format_date(value, lang) == expected


@pytest.mark.parametrize("value,expected", [(1234.5, "1,234.50"), (0, "0.00"), (0.005, "0.01"),
                                            (None, "")])
def test_format_amount(value, expected):
    assert format_amount(value) == expected


@pytest.mark.parametrize("case_id,expected", [
    ("C001", "C001"), ("TS-2026-001", "TS-2026-001"), ("投诉001", "投诉001"),
])
def test_safe_file_stem_keeps_ordinary_ids(case_id, expected):
    assert safe_file_stem(case_id) == expected


@pytest.mark.parametrize("case_id", ["2026/001", "A:1", "CON", "x?", "a.", " b "])
def test_safe_file_stem_makes_windows_safe_distinct_names(case_id):
    stem = safe_file_stem(case_id)
    assert not set('\\/:*?"<>|') & set(stem)
    assert stem.split("~")[0].upper() != "CON" and not stem.endswith((".", " "))
    assert stem != safe_file_stem(case_id + "x")


# --- robustness ----------------------------------------------------------------------------------
def test_old_cases_get_no_new_letters_unless_asked_for(tmp_path):
    old = case("C001", 3, received_at=AS_OF - dt.timedelta(days=91))
    new = case("C002", 4, received_at=AS_OF - dt.timedelta(days=89))
    result = result_of((old, judgement(old)), (new, judgement(new)))
    out = draft_letters(result, load_settings(), tmp_path)
    assert [let.case_id for let in out.drafted] == ["C002"]
    asked = draft_letters(result, load_settings(), tmp_path, case_ids="C001")
    assert [let.case_id for let in asked.drafted] == ["C001"]
    unlimited = draft_letters(result, with_letters(max_age_days=0), tmp_path / "all")
    assert len(unlimited.drafted) == 2


def test_letter_cut_short_is_drafted_again(tmp_path):
    c = case()
    result = result_of((c, judgement(c)))
    first = draft_letters(result, load_settings(), tmp_path)
    path = tmp_path / first.drafted[0].path
    path.write_bytes(path.read_bytes()[:1000])
    out = draft_letters(result, load_settings(), tmp_path)
    assert [let.path for let in out.drafted] == [first.drafted[0].path]
    assert "C001" in all_text(path)


def test_letter_open_in_word_is_not_redone(tmp_path):
    c = case()
    result = result_of((c, judgement(c)))
    first = draft_letters(result, load_settings(), tmp_path)
    path = tmp_path / first.drafted[0].path
    path.with_name("~$" + path.name[2:]).write_bytes(b"owner")
    out = draft_letters(result, load_settings(), tmp_path, redo=True)
    assert out.drafted == [] and out.skipped[0].reason == msg("zh", "letters.skip.open")


def test_template_failing_while_filling_is_reported_once(tmp_path):
    make_template(tmp_path / "templates/apology_zh.docx", [["{{ 处理经过.foo }} {{ 投诉编号 }}"]])
    cases = [case(f"C{i}", i + 3) for i in range(5)]
    out = draft_letters(result_of(*[(c, judgement(c)) for c in cases]), load_settings(),
                        tmp_path)
    assert out.drafted == []
    assert len(out.problems) == 1 and out.problems[0].startswith(
        "函件模板 apology_zh.docx（段落") and "无法填写" in out.problems[0]


def test_manifest_records_what_was_written(tmp_path):
    c = case()
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    import json
    data = json.loads((tmp_path / "letters/officebot-letters.json").read_text(encoding="utf-8"))
    entry = data["letters"]["C001"]["apology"]
    assert entry["path"] == out.drafted[0].path
    data = (tmp_path / entry["path"]).read_bytes()
    with zipfile.ZipFile(tmp_path / entry["path"]) as zf:
        assert zf.testzip() is None
    assert entry["fingerprint"] == fingerprint(data)
    assert not entry["fingerprint"].startswith("file:")        # the zip directory was found
    assert fingerprint(data[:-30] + b"x" * 30) != entry["fingerprint"]
    assert entry["template"] == "apology_zh.docx"


def test_resolution_sentence_is_not_ended_twice(tmp_path):
    c = case(resolution="已更换配件。")
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    text = all_text(tmp_path / out.drafted[0].path)
    assert "已更换配件。" in text and "已更换配件。。" not in text


def test_template_cannot_reach_python_internals(tmp_path):
    make_template(tmp_path / "templates/apology_zh.docx",
                  [["{{ 投诉编号.__class__.__mro__[1].__subclasses__() }}"]])
    c = case()
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert out.drafted == [] and "不允许使用" in out.problems[0]


def test_placeholder_split_by_word_proofing_marks_and_formatting(tmp_path):
    d = docx.Document()
    p = d.add_paragraph()
    for text in ("尊敬的", "{{ ", "客户", "姓名", " }}"):
        p.add_run(text)
    runs = p._p.findall(qn("w:r"))
    runs[2].addprevious(docx.oxml.parse_xml(
        '<w:proofErr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'w:type="spellStart"/>'))
    runs[3].addnext(docx.oxml.parse_xml(
        '<w:proofErr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'w:type="spellEnd"/>'))
    p.runs[3].bold = True
    d.add_paragraph("{{ 投诉编号 }}")
    path = tmp_path / "templates/apology_zh.docx"
    path.parent.mkdir()
    d.save(str(path))
    c = case(customer="孙八")
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert out.problems == [] and all_text(tmp_path / out.drafted[0].path) == "尊敬的孙八\nC001"


def test_table_row_loop_over_the_timeline(tmp_path):
    d = docx.Document()
    d.add_paragraph("{{ 投诉编号 }}")
    table = d.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "日期", "事项"
    table.cell(1, 0).text = "{%tr for 步骤 in 处理经过 %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ 步骤.日期 }}", "{{ 步骤.事项 }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    path = tmp_path / "templates/response_zh.docx"
    path.parent.mkdir()
    d.save(str(path))
    c = case(resolution="已处理")
    j = judgement(c, "on_time", "pending", replied_at=dt.datetime(2026, 3, 2, 10, 0))
    out = draft_letters(result_of((c, j)), load_settings(), tmp_path, kinds=["response"])
    assert out.problems == []
    rows = docx.Document(str(tmp_path / out.drafted[0].path)).tables[0].rows
    assert [[cell.text for cell in r.cells] for r in rows] == [
        ["日期", "事项"], ["2026年3月1日", "受理您的投诉"], ["2026年3月2日", "答复您"]]


def test_unreadable_manifest_stops_drafting_with_one_sentence(tmp_path):
    c = case()
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters/officebot-letters.json").write_text("{broken", encoding="utf-8")
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert out.drafted == [] and len(out.problems) == 1
    assert "officebot-letters.json 无法读取，因此本次没有起草函件；请从备份中恢复该文件" \
        in out.problems[0]
    out = draft_letters(result_of((c, judgement(c))), english_settings(tmp_path), tmp_path)
    assert "officebot-letters.json cannot be read, so no letter was drafted" in out.problems[0]
    assert (tmp_path / "letters/officebot-letters.json").read_text(encoding="utf-8") == "{broken"


def test_unrecorded_letter_cut_short_is_drafted_again(tmp_path):
    c = case()
    target = tmp_path / "letters/2026-03/C001_apology.docx"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"PK\x03\x04 cut short")
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert [let.path for let in out.drafted] == ["letters/2026-03/C001_apology.docx"]
    assert "C001" in all_text(target)


def test_only_one_run_drafts_at_a_time(tmp_path):
    from officebot.workbook.safety import FileLock
    c = case()
    lock = tmp_path / "letters/.officebot-letters.lock"
    lock.parent.mkdir()
    with FileLock(lock):                                   # another run drafting
        out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
        assert out.drafted == [] and "本次没有起草函件，下次运行时会起草" in out.problems[0]
        out = draft_letters(result_of((c, judgement(c))), english_settings(tmp_path), tmp_path)
        assert out.drafted == [] and "Another officebot run is drafting letters" in \
            out.problems[0]
        assert lock.exists()                               # not ours to remove
    lock.write_text("4242 2026-03-01 09:00:00 elsewhere", encoding="utf-8")  # a killed run's
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert len(out.drafted) == 1 and out.problems == [] and not lock.exists()


def test_fallback_text_with_ampersand_and_chinese_quotes(tmp_path):
    make_template(tmp_path / "templates/apology_zh.docx",
                  [["{{ 投诉编号 }} {{ 处理结果 or “维修&更换” }} {{　客户姓名　}}"]])
    c = case(resolution="")
    out = draft_letters(result_of((c, judgement(c))), load_settings(), tmp_path)
    assert out.problems == []
    assert all_text(tmp_path / out.drafted[0].path) == "C001 维修&更换 张三"
