"""What a customer reads: no false promise, no placeholder, one coherent letter per case."""

import datetime as dt
import itertools
import json
import re
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from officebot.check import ReadOptions, check_register
from officebot.cli import cli
from officebot.letter_templates import KINDS, PACKAGED_DIR, prepare_template
from officebot.letters import draft_letters, letter_settings, letter_values
from officebot.records import Case, Judgement
from officebot.settings import load_settings

AS_OF = dt.datetime(2026, 3, 20, 12, 0)
T = lambda days, hours=0: AS_OF - dt.timedelta(days=days, hours=hours)  # noqa: E731
DUMMIES = ("400-000", "example.com", "客户服务中心", "Customer Service Centre", "officebot.toml",
           "（请", "(set", "客户服务部", "Customer Service Officer")
_MONTHS = ("January February March April May June July August September October November "
           "December").split()


def write(path, rows, headers=("编号", "受理时间", "客户姓名", "联系电话", "投诉类别", "投诉内容",
                               "责任部门", "处理人", "答复时间", "结案时间", "处理结果", "客户满意度")):
    """A register: one header row, then rows given as {header: value}."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(h) for h in headers])
    wb.save(path)
    return path


def judge(path, settings=None, as_of=AS_OF):
    return check_register(path, settings or load_settings(), as_of, ReadOptions(cases="full"))


def settings_with(folder, text):
    (folder / "officebot.toml").write_text(text, encoding="utf-8")
    return load_settings(folder=folder)


def part_texts(data: bytes):
    """Paragraph texts of the body, headers and footers of a filled .docx, in order."""
    lines = []
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
        for name in zf.namelist():
            if re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
                xml = zf.read(name).decode("utf-8")
                for para in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
                    lines.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)))
    return lines


def docx_text(path):
    return "\n".join(part_texts(path.read_bytes()))


def dates_in(text):
    """Every date a letter names, as dates."""
    found = [dt.date(int(y), int(m), int(d))
             for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)]
    found += [dt.date(int(y), _MONTHS.index(m) + 1, int(d))
              for d, m, y in re.findall(r"(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})", text)]
    return found


def assert_clean(text, where=""):
    for bad in ("{{", "}}", "{%", "%}", "None", "nan", "NaN", "Missing", *DUMMIES):
        assert bad not in text, (where, bad, text)
    for line in text.splitlines():
        # no label left standing without its value, no empty courtesy form
        assert not re.fullmatch(r"\s*(收件人|地\s*址|编号|经办人|Our reference)[：:]\s*", line), \
            (where, line)
        assert line.strip() not in ("Dear ,", "尊敬的客户客户："), (where, line)


# --- every template, every optional field missing ----------------------------------------------
def bare_states():
    """Cases with only a case id and a received time, in every state a letter must handle."""
    received = T(10)
    case = Case(row=2, case_id="B-1", received_at=received, severity="")
    for closed, reply, repeat, answer in itertools.product(
            (None, T(2)), ("overdue", "late", "on_time"), (None, "B-0"),
            (None, "满意", "不满意", 5)):
        replied = None if reply == "overdue" else T(3)
        j = Judgement("B-1", 2, received + dt.timedelta(hours=48),
                      received + dt.timedelta(days=7), reply,
                      "on_time" if closed else "overdue", repeat, 1, "", replied, closed,
                      None if answer is None else answer == "满意")
        yield case._replace(satisfaction=answer), j


@pytest.mark.parametrize("kind,lang", [(k, lang) for k in KINDS for lang in ("zh", "en")])
def test_every_template_with_every_optional_field_missing_reads_clean(kind, lang):
    template = prepare_template(PACKAGED_DIR / f"{kind}_{lang}.docx")
    table = letter_settings(load_settings())       # a new folder: no sender detail is set
    for case, j in bare_states():
        other = (Case(row=3, case_id="B-0", received_at=T(20), severity=""), j)
        for apology_due, also in ((False, ()), (True, ()), (True, (other,))):
            values = letter_values(case, j, lang, table, AS_OF, template.names, apology_due,
                                   also)
            lines = part_texts(template.fill(values))
            text = "\n".join(lines)
            where = (kind, lang, j.reply_status, j.closed_at, j.repeat_of, case.satisfaction)
            assert_clean(text, where)
            assert "B-1" in text
            assert ("尊敬的客户：" if lang == "zh" else "Dear Sir or Madam,") in text
            if lang == "en":
                assert "Yours faithfully," in text
            if j.closed_at is not None:      # a closed case is never promised a date
                assert all(d <= AS_OF.date() for d in dates_in(text)), (where, text)


def test_no_letter_names_a_dummy_contact_and_the_letterhead_is_left_out(tmp_path):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "C1", "受理时间": T(9), "客户姓名": "张伟", "投诉内容": "漏水"},
        {"编号": "C2", "受理时间": T(30), "客户姓名": "Anna Lee", "答复时间": T(29),
         "结案时间": T(25), "处理结果": "已修复"}])
    settings = load_settings(folder=tmp_path)
    out = draft_letters(judge(path, settings), settings, tmp_path)
    assert {(x.case_id, x.kind) for x in out.drafted} == {("C1", "apology"), ("C2", "response")}
    for letter in out.drafted:
        lines = part_texts((tmp_path / letter.path).read_bytes())
        assert_clean("\n".join(lines), letter)
        assert lines[0] != ""   # the letter opens with its title/recipient, no empty letterhead
    assert out.missing_sender == ["company_zh", "company_en", "address_zh", "address_en",
                                  "hotline", "email"]


def test_sender_details_set_appear_in_letterhead_signature_and_footer(tmp_path):
    settings = settings_with(tmp_path, '[letters]\ncompany_zh = "云栖物业服务中心"\n'
                                       'hotline = "0571-8888 6666"\n')
    path = write(tmp_path / "r.xlsx", [{"编号": "C1", "受理时间": T(9), "客户姓名": "张伟"}])
    out = draft_letters(judge(path, settings), settings, tmp_path)
    text = docx_text(tmp_path / out.drafted[0].path)
    assert text.count("云栖物业服务中心") == 2            # letterhead and signature
    assert "客服热线：0571-8888 6666" in text             # footer, without email or address
    assert "邮箱" not in text and "地址" not in text
    assert "请致电客服热线 0571-8888 6666" in text
    assert out.missing_sender == ["address_zh", "email"]   # only Chinese letters went out


# --- no false promise ----------------------------------------------------------------------------
def test_apology_to_a_closed_repeat_says_what_was_done_and_names_no_later_date(tmp_path):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "A1", "受理时间": T(20), "客户姓名": "李娜", "联系电话": "13800000001",
         "投诉类别": "维修", "答复时间": T(19), "结案时间": T(18)},
        # a repeat, closed on time the next day: its apology may promise nothing
        {"编号": "A2", "受理时间": T(3), "客户姓名": "李娜", "联系电话": "13800000001",
         "投诉类别": "维修", "答复时间": T(2, 20), "结案时间": T(2, 18)}])
    out = draft_letters(judge(path), load_settings(), tmp_path, kinds=["apology"])
    assert [(x.case_id, x.kind) for x in out.drafted] == [("A2", "apology")]
    text = docx_text(tmp_path / out.drafted[0].path)
    assert "已于2026年3月17日办结" in text
    assert "您曾于2026年2月28日就“维修方面的问题”联系我们（投诉编号：A1）" in text   # a fact
    assert "失误" not in text and "未能" not in text                             # no admission
    assert all(d <= AS_OF.date() for d in dates_in(text)), text
    assert "前办结本案" not in text


def test_apology_to_an_open_case_promises_a_date_not_in_the_past(tmp_path):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "O1", "受理时间": T(5), "客户姓名": "王强"},      # close deadline in 2 days
        {"编号": "O2", "受理时间": T(12), "客户姓名": "Tom Hill"}])  # close deadline passed
    out = draft_letters(judge(path), load_settings(), tmp_path)
    texts = {x.case_id: docx_text(tmp_path / x.path) for x in out.drafted}
    assert "我们将在2026年3月22日前办结本案" in texts["O1"]
    # the close deadline passed: what happens next, without a date nothing recorded
    assert "We will settle the matter by" not in texts["O2"]
    assert "We will write to you with the outcome once the matter is settled." in texts["O2"]
    manifest = json.loads((tmp_path / "letters/officebot-letters.json").read_text("utf-8"))
    assert manifest["letters"]["O1"]["apology"]["promised"] == "2026-03-22"
    assert "promised" not in manifest["letters"]["O2"]["apology"]


# --- one coherent letter per case and run --------------------------------------------------------
def late_closed_resolved():
    return {"编号": "R1", "受理时间": T(30), "客户姓名": "赵敏", "答复时间": T(26),
            "结案时间": T(20), "处理结果": "已更换配件并减免维修费"}


def test_response_carries_the_apology_and_the_follow_up_waits(tmp_path):
    path = write(tmp_path / "r.xlsx", [late_closed_resolved()])
    first = draft_letters(judge(path), load_settings(), tmp_path)
    assert [(x.case_id, x.kind) for x in first.drafted] == [("R1", "response")]
    text = docx_text(tmp_path / first.drafted[0].path)
    assert "我们的答复晚于应答复的2026年2月20日" in text and "深表歉意" in text
    again = draft_letters(judge(path), load_settings(), tmp_path)
    assert again.drafted == []                        # no separate apology after it, no follow-up
    week_later = AS_OF + dt.timedelta(days=7)
    later = draft_letters(judge(path, as_of=week_later), load_settings(), tmp_path)
    assert [(x.case_id, x.kind) for x in later.drafted] == [("R1", "followup")]


def test_combine_false_drafts_each_kind_by_its_rule(tmp_path):
    settings = settings_with(tmp_path, "[letters]\ncombine = false\n")
    path = write(tmp_path / "r.xlsx", [late_closed_resolved()])
    out = draft_letters(judge(path, settings), settings, tmp_path)
    assert sorted(x.kind for x in out.drafted) == ["apology", "followup", "response"]


def test_a_customer_gets_one_letter_of_a_kind_per_run(tmp_path):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "P1", "受理时间": T(9), "客户姓名": "陈晨", "联系电话": "139 0000 0001",
         "投诉类别": "账单"},
        {"编号": "P2", "受理时间": T(6), "客户姓名": "陈晨", "联系电话": "13900000001",
         "投诉类别": "维修"},
        {"编号": "P3", "受理时间": T(6), "客户姓名": "周杰", "联系电话": "13900000002"}])
    out = draft_letters(judge(path), load_settings(), tmp_path)
    assert sorted(x.case_id for x in out.drafted) == ["P2", "P3"]
    assert [(x.case_id, x.path) for x in out.skipped] == [("P1", out.drafted[0].path)]
    # two complaints of different kinds: the one letter answers both
    assert "投诉编号 P1（2026年3月11日受理，“账单方面的问题”）：正在办理中。" in \
        docx_text(tmp_path / out.drafted[0].path)
    again = draft_letters(judge(path), load_settings(), tmp_path)
    assert again.drafted == []     # P1's apology is not sent the next run either


def test_one_response_for_a_customer_gives_the_outcome_of_each_case(tmp_path):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "G1", "受理时间": T(12), "客户姓名": "Amy Wu", "联系电话": "13900000009",
         "投诉类别": "账单", "答复时间": T(11), "处理结果": "Refunded the double charge"},
        {"编号": "G2", "受理时间": T(8), "客户姓名": "Amy Wu", "联系电话": "13900000009",
         "投诉类别": "维修", "答复时间": T(7), "处理结果": "Replaced the lock"}])
    out = draft_letters(judge(path), load_settings(), tmp_path)
    assert [(x.case_id, x.kind) for x in out.drafted] == [("G2", "response")]
    text = docx_text(tmp_path / out.drafted[0].path)
    assert "Where things stand: Replaced the lock." in text
    assert "Reference G1 (received 8 March 2026): Refunded the double charge; still in hand." \
        in text
    assert_clean(text)


def test_no_follow_up_on_the_day_the_customer_gets_another_letter(tmp_path):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "H0", "受理时间": T(20), "客户姓名": "Tom Hill", "联系电话": "13900000019",
         "投诉类别": "维修", "答复时间": T(19), "结案时间": T(18)},
        {"编号": "H1", "受理时间": T(3), "客户姓名": "Tom Hill", "联系电话": "13900000019",
         "投诉类别": "维修", "答复时间": T(2, 20), "结案时间": T(2, 18)}])
    out = draft_letters(judge(path), load_settings(), tmp_path)
    assert [(x.case_id, x.kind) for x in out.drafted] == [("H1", "apology")]
    later = draft_letters(judge(path), load_settings(), tmp_path)
    assert [(x.case_id, x.kind) for x in later.drafted] == [("H0", "followup")]


# --- satisfaction ----------------------------------------------------------------------------
@pytest.mark.parametrize("answer,expect,absent", [
    ("满意", "感谢您在回访中给予我们“满意”的评价", "□"),
    ("不满意", "您在回访中对处理结果的评价是“不满意”，我们已如实记录", "将与您联系"),
    (6, "“6分”", "□"),
    (9, "“9分”的评价", "重新核查"),
    (None, "□ 非常满意", "感谢您在回访中"),
])
def test_follow_up_thanks_for_a_recorded_answer_and_asks_only_without_one(tmp_path, answer,
                                                                         expect, absent):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "F1", "受理时间": T(30), "客户姓名": "孙丽", "答复时间": T(29), "结案时间": T(25),
         "客户满意度": answer}])
    out = draft_letters(judge(path), load_settings(), tmp_path)
    assert [x.kind for x in out.drafted] == ["followup"]
    text = docx_text(tmp_path / out.drafted[0].path)
    assert expect in text and absent not in text
    assert_clean(text)


def test_english_follow_up_for_a_dissatisfied_customer_says_what_happens_next(tmp_path):
    path = write(tmp_path / "r.xlsx", [
        {"编号": "F2", "受理时间": T(30), "客户姓名": "Ruth Evans", "答复时间": T(29),
         "结案时间": T(25), "客户满意度": 4, "处理人": "Li Qiang"}])
    out = draft_letters(judge(path), load_settings(), tmp_path)
    text = docx_text(tmp_path / out.drafted[0].path)
    assert "You rated our handling of it “4 out of 10”" in text
    assert "If you would tell us what is still wrong" in text
    assert "will contact you" not in text and "□" not in text   # no call nobody is listed for


# --- recipient, courtesy form, language --------------------------------------------------------
@pytest.mark.parametrize("header", ["地址", "联系地址", "通讯地址", "Address"])
def test_recipient_block_shows_the_address_from_any_of_its_headers(tmp_path, header):
    path = write(tmp_path / "r.xlsx",
                 [{"编号": "D1", "受理时间": T(9), "客户姓名": "张伟", header: "杭州市解放路8号"}],
                 headers=("编号", "受理时间", "客户姓名", header))
    out = draft_letters(judge(path), load_settings(), tmp_path)
    lines = part_texts((tmp_path / out.drafted[0].path).read_bytes())
    assert "收件人：张伟" in lines and "地　址：杭州市解放路8号" in lines
    assert "尊敬的张伟客户：" in lines
    assert not any("先生" in line or "女士" in line for line in lines)


def test_courtesy_form_guesses_no_gender_in_english(tmp_path):
    path = write(tmp_path / "r.xlsx", [{"编号": "E1", "受理时间": T(9), "客户姓名": "Sam Taylor"}])
    out = draft_letters(judge(path), load_settings(), tmp_path)
    text = docx_text(tmp_path / out.drafted[0].path)
    assert "Dear Sam Taylor," in text and "Yours sincerely," in text
    assert not re.search(r"\b(Mr|Mrs|Ms|Miss|Sir|Madam)\b", text)


@pytest.mark.parametrize("name,said,lang", [
    ("张伟", "English", "en"), ("Mary Lee", "中文", "zh"), ("张伟", "英文", "en"),
    ("Mary Lee", "", "en"), ("张伟", "法语", "zh"),     # blank or unknown: the name decides
])
def test_language_column_decides_the_letter_language(tmp_path, name, said, lang):
    path = write(tmp_path / "r.xlsx", [{"编号": "L1", "受理时间": T(9), "客户姓名": name,
                                        "语言": said}],
                 headers=("编号", "受理时间", "客户姓名", "语言"))
    out = draft_letters(judge(path), load_settings(), tmp_path)
    assert out.drafted[0].template == f"apology_{lang}.docx"


# --- the command line -------------------------------------------------------------------------
def test_unknown_case_is_a_usage_error_and_nothing_is_written(tmp_path):
    path = write(tmp_path / "r.xlsx", [{"编号": "K1", "受理时间": T(9), "客户姓名": "张伟"}])
    before = path.read_bytes()
    res = CliRunner().invoke(cli, ["letters", str(path), "--case", "TS-2026-031",
                                   "--as-of", "2026-03-20 12:00"])
    assert res.exit_code == 2
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "TS-2026-031" in lines[0], res.output
    assert "没有编号为 TS-2026-031 的案件" in lines[0] and "No case TS-2026-031" in lines[0]
    assert path.read_bytes() == before
    assert not (tmp_path / "letters").exists() and not (tmp_path / "backups").exists()


def test_unknown_case_in_english_settings_is_one_english_sentence(tmp_path):
    (tmp_path / "officebot.toml").write_text('language = "en"\n', encoding="utf-8")
    path = write(tmp_path / "r.xlsx", [{"编号": "K1", "受理时间": T(9)}])
    res = CliRunner().invoke(cli, ["letters", str(path), "--case", "K2"])
    assert res.exit_code == 2
    assert res.output.strip().startswith("officebot: No case K2") and "没有" not in res.output


def many_rows(n):
    return [{"编号": f"M{i}", "受理时间": T(9), "客户姓名": f"客户{i}", "联系电话": f"1390000{i:04d}"}
            for i in range(n)]


def test_many_letters_are_counted_before_drafting_and_can_be_declined(tmp_path):
    settings = settings_with(tmp_path, "[letters]\nconfirm_over = 2\n")
    path = write(tmp_path / "r.xlsx", many_rows(3))
    asked = []

    def confirm(count, limit):
        asked.append((count, limit, (tmp_path / "letters").exists()))
        return False

    out = draft_letters(judge(path, settings), settings, tmp_path, confirm=confirm)
    assert asked == [(3, 2, False)] and out.drafted == []
    assert out.declined == 3 and out.problems == []   # a choice, not a letter that failed
    out = draft_letters(judge(path, settings), settings, tmp_path, confirm=lambda n, lim: True)
    assert len(out.drafted) == 3
    settings = settings_with(tmp_path, "[letters]\nconfirm_over = 2\n")
    again = draft_letters(judge(path, settings), settings, tmp_path,
                          confirm=lambda n, lim: pytest.fail("asked about 0 letters"))
    assert again.drafted == []


def test_run_without_a_terminal_says_the_count_and_the_missing_details_once(tmp_path):
    (tmp_path / "officebot.toml").write_text("[letters]\nconfirm_over = 2\n", encoding="utf-8")
    path = write(tmp_path / "r.xlsx", many_rows(3))
    res = CliRunner().invoke(cli, ["run", str(path), "--as-of", "2026-03-20 12:00"])
    assert res.exit_code == 0, res.output
    assert "本次将起草 3 封函件" in res.output and "已起草函件 3 封" in res.output
    assert res.output.count("函件中没有寄件单位的") == 1
    assert "中文单位名称 company_zh" in res.output and "英文单位名称" not in res.output


def test_launcher_asks_the_clerk_and_a_no_drafts_nothing(tmp_path):
    import io
    from officebot.launcher import launch
    (tmp_path / "officebot.toml").write_text("[letters]\nconfirm_over = 2\n", encoding="utf-8")
    write(tmp_path / "台账.xlsx", many_rows(3))
    out = io.StringIO()
    code = launch(tmp_path, as_of=AS_OF, pause=False, out=out, stdin=io.StringIO("n\n"),
                  progress=False, interactive=True)
    assert code == 0
    assert "本次将起草 3 封函件" in out.getvalue() and "现在起草这些函件吗？" in out.getvalue()
    assert not list((tmp_path / "letters").glob("*/*.docx"))
    last = out.getvalue().splitlines()[-1]
    assert "按你的选择，本次没有起草 3 封函件" in last and "未能起草" not in last


def test_doctor_names_the_missing_sender_details(tmp_path):
    from officebot.doctor import run_doctor
    (tmp_path / "officebot.toml").write_text('[letters]\ncompany_zh = "某某中心"\n',
                                             encoding="utf-8")
    report = run_doctor(tmp_path)
    line = next(c for c in report.checks if c.name == "函件寄件信息")
    assert not line.ok and not line.essential
    assert "company_zh" not in line.detail and "hotline" in line.detail


def test_init_takes_the_sender_details_as_options(tmp_path):
    folder = tmp_path / "office"
    res = CliRunner().invoke(cli, ["init", str(folder), "--company", "云栖物业服务中心",
                                   "--company-en", "Yunqi Property Services",
                                   "--address", "杭州市文三路100号", "--address-en",
                                   "100 Wensan Road, Hangzhou", "--hotline", "0571-88886666",
                                   "--email", "kefu@yunqi.cn"])
    assert res.exit_code == 0, res.output
    table = load_settings(folder=folder).conf.letters.as_dict()
    assert (table["company_zh"], table["company_en"], table["address_zh"], table["address_en"],
            table["hotline"], table["email"]) == (
        "云栖物业服务中心", "Yunqi Property Services", "杭州市文三路100号",
        "100 Wensan Road, Hangzhou", "0571-88886666", "kefu@yunqi.cn")
    text = (folder / "officebot.toml").read_text("utf-8")
    assert "# 寄件单位" in text and text.count("company_zh =") == 1   # comments kept, no copy


def test_init_at_a_terminal_asks_for_the_blank_details(tmp_path, monkeypatch):
    import officebot.cli
    monkeypatch.setattr(officebot.cli, "_interactive", lambda: True)
    folder = tmp_path / "office"
    res = CliRunner().invoke(cli, ["init", str(folder), "--hotline", "0571-88886666"],
                             input='某某"服务"中心\n\nkefu@x.cn\n')
    assert res.exit_code == 0, res.output
    table = load_settings(folder=folder).conf.letters.as_dict()
    assert table["company_zh"] == '某某"服务"中心' and table["address_zh"] == ""
    assert table["hotline"] == "0571-88886666" and table["email"] == "kefu@x.cn"
    assert res.output.count("客服热线") == 0        # given as an option: not asked again
