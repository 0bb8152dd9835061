"""Letters converted to PDF by LibreOffice: the customer's name is in the PDF, one A4 page."""

import datetime as dt
import re
import subprocess
from types import SimpleNamespace

import pytest

from conftest import AS_OF, need_tool
from officebot import pdf
from officebot.letters import draft_letters
from officebot.records import Case, Judgement
from officebot.settings import load_settings


def typical_cases():
    """A Chinese and an English customer, each needing all three kinds of letter."""
    cases, judgements = [], []
    for row_no, (case_id, name) in enumerate((("TS-2026-031", "欧阳明月"),
                                              ("TS-2026-032", "Oliver Grant")), 3):
        c = Case(row=row_no, case_id=case_id, received_at=dt.datetime(2026, 2, 20, 9, 30),
                 channel="来电", customer=name, phone="13800138000", category="维修质量",
                 severity="严重", summary="热水器维修后第三天再次漏水，地板被泡，要求上门复查并赔偿损失。",
                 department="售后服务部", handler="陈立", resolution="已更换密封圈并复查，赔偿地板清理费用",
                 amount=380.0)
        j = Judgement(case_id, row_no, dt.datetime(2026, 2, 22, 9, 30),
                      dt.datetime(2026, 2, 27, 9, 30), "late", "on_time", None, 0, "",
                      dt.datetime(2026, 2, 23, 10, 0), dt.datetime(2026, 2, 26, 16, 0), None)
        cases.append(c)
        judgements.append(j)
    return SimpleNamespace(cases=cases, judgements=judgements, as_of=AS_OF, language="zh")


def each_kind():
    """Settings drafting every kind a case is due in one run (combine = false)."""
    settings = load_settings()
    return settings.with_changes(letters=dict(settings.data["letters"], combine=False))


def without_english_gaps(problems):
    # Oliver Grant's case has a Chinese handler and department: one sentence says so
    return [p for p in problems if not p.startswith("英文函件中")]


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_pdf_holds_the_customer_name_and_fits_one_page(tmp_path):
    need_tool("soffice")
    need_tool("pdftotext")
    need_tool("pdfinfo")
    out = draft_letters(typical_cases(), each_kind(), tmp_path, pdf=True)
    assert without_english_gaps(out.problems) == []
    assert len(out.drafted) == 6 and len(out.pdfs) == 6
    for letter in out.drafted:
        pdf_path = (tmp_path / letter.path).with_suffix(".pdf")
        text = pdf_text(pdf_path)
        name = "欧阳明月" if letter.case_id.endswith("31") else "Oliver Grant"
        assert name in text.replace(" ", "") or name in text, letter
        assert letter.case_id in text
        # the default settings hold no sender details: nothing stands in for them
        for bad in ("{{", "{%", "None", "nan", "400-000", "example.com", "officebot.toml",
                    "客户服务中心", "Customer Service Centre", "（请", "(set"):
            assert bad not in text, (letter, bad)
        assert pdf_pages(pdf_path) == 1, letter
    assert out.files_by_row[3] == [
        "letters/2026-03/TS-2026-031_apology.docx", "letters/2026-03/TS-2026-031_apology.pdf",
        "letters/2026-03/TS-2026-031_response.docx", "letters/2026-03/TS-2026-031_response.pdf",
        "letters/2026-03/TS-2026-031_followup.docx", "letters/2026-03/TS-2026-031_followup.pdf"]


@pytest.mark.parametrize("language, expected", [
    ("zh", "这台电脑没有安装 LibreOffice，因此没有生成 PDF（Word 函件已起草）；如需 PDF，"
           "请安装 LibreOffice，或在 Word 中打印这些函件"),
    ("en", "LibreOffice is not installed, so no PDF was made (the Word letters were drafted); "
           "install LibreOffice to get PDFs, or print the letters from Word")])
def test_without_libreoffice_the_word_letters_are_still_drafted(tmp_path, monkeypatch,
                                                                language, expected):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    out = draft_letters(typical_cases(), each_kind().with_changes(language=language), tmp_path,
                        pdf=True)
    assert len(out.drafted) == 6 and out.pdfs == []
    assert [p for p in without_english_gaps(out.problems)
            if not p.startswith("English letters left")] == [expected]
    assert all((tmp_path / let.path).exists() for let in out.drafted)


def test_redrafted_letter_gets_a_fresh_pdf_without_asking(tmp_path):
    need_tool("soffice")
    need_tool("pdftotext")
    result = typical_cases()
    result.cases, result.judgements = result.cases[:1], result.judgements[:1]
    draft_letters(result, load_settings(), tmp_path, kinds=["apology"], pdf=True)
    result.cases[0] = result.cases[0]._replace(customer="上官云飞")
    out = draft_letters(result, load_settings(), tmp_path, kinds=["apology"], redo=True)
    assert out.pdfs == ["letters/2026-03/TS-2026-031_apology.pdf"] and out.problems == []
    assert "上官云飞" in pdf_text(tmp_path / out.pdfs[0]).replace(" ", "")


def test_no_pdf_work_when_nothing_asks_for_it(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "convert_to_pdf", lambda *a, **k: pytest.fail("converted"))
    out = draft_letters(typical_cases(), each_kind(), tmp_path)
    assert len(out.drafted) == 6 and out.pdfs == []


def test_a_libreoffice_that_cannot_start_is_said_in_the_office_language(tmp_path, monkeypatch):
    missing = str(tmp_path / "no-soffice")
    monkeypatch.setattr(pdf, "find_soffice", lambda: missing)
    (tmp_path / "a.docx").write_bytes(b"PK")
    made, zh = pdf.convert_to_pdf([tmp_path / "a.docx"])
    assert made == [] and zh.startswith(f"无法启动 LibreOffice（{missing}）（")
    assert zh.endswith("）；请检查它的安装")
    _, en = pdf.convert_to_pdf([tmp_path / "a.docx"], language="en")
    assert en.startswith(f"LibreOffice ({missing}) could not be started (")
