"""Build the six default letter templates with python-docx.

    python templates/build_templates.py

writes apology / response / followup × zh / en as .docx into templates/ and the identical
bytes into officebot/data/templates/ (the packaged copies). Edit the texts below, run the
script, and commit both folders. The office may equally edit the .docx files in Word.
"""

import datetime as dt
import io
import re
import zipfile
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
KIND_TITLES = {"apology": ("致歉函", "Our apology"),
               "response": ("关于投诉处理情况的函", "The outcome of your complaint"),
               "followup": ("投诉处理回访函", "Following up your complaint")}
TARGETS = (HERE, HERE.parent / "officebot" / "data" / "templates")

FONTS = {  # (Latin font, East Asian font, heading East Asian font)
    "zh": ("Times New Roman", "宋体", "黑体"),
    "en": ("Calibri", "宋体", "宋体"),
}

# Each letter is a list of blocks:
#   ("letterhead",)            the sender's name, only when [letters] company_* is set
#   ("title", text)            centred title          ("subject", text) bold subject line
#   ("ref", text)              right-aligned line     ("left", text) unindented line
#   ("p", text)                body paragraph (first-line indent in Chinese)
#   ("after", text)            a body paragraph with space above (after a list)
#   ("h", text)                section heading        ("boxes", text) a tick-box line
#   ("if", condition, blocks)  blocks shown only when the condition holds ({%p if %})
#   ("ifelse", condition, blocks, blocks)
#   ("loop", for-tag, paragraph, endfor-tag)           ("gap",) an empty line
#   ("close", [lines])         此致 / 敬礼！            ("sign", [lines]) signature lines
# A line of "sign" given as (condition, text) is shown only when the condition holds.
# A detail the register or the settings leave blank never leaves a gap or a stand-in: every
# sentence that needs one is inside an if.

ZH_RECIPIENT = [
    ("if", "客户姓名", [("left", "收件人：{{ 客户姓名 }}")]),
    ("if", "客户地址", [("left", "地　址：{{ 客户地址 }}")]),
    ("gap",),
    ("left", "{{ 称呼 }}"),
]
ZH_SIGN = ("sign", [("公司名称", "{{ 公司名称 }}"), ("责任部门", "{{ 责任部门 }}"),
                    ("处理人", "经办人：{{ 处理人 }}"), "{{ 函件日期 }}"])
ZH_CLOSE = ("close", ["此致", "敬礼！"])
# The same person's other cases this letter also answers (one letter of a kind per run).
ZH_ALSO = ("if", "一并答复", [
    ("p", "您同期反映的其他问题，本函一并答复如下："),
    ("loop", "{%p for 项 in 一并答复 %}", "{{ 项 }}", "{%p endfor %}")])
ZH_FOOT = "{{ 联系方式 or \"\" }}"


def zh_if(name):
    """A paragraph holding one sentence field, left out when the field is blank."""
    return ("if", name, [("p", "{{ %s }}" % name)])


EN_RECIPIENT = [
    ("if", "customer", [("left", "{{ customer }}")]),
    ("if", "customer_address", [("left", "{{ customer_address }}")]),
    ("gap",),
    ("left", "Our reference: {{ case_id }}"),
    ("left", "{{ letter_date }}"),
    ("gap",),
    ("left", "{{ salutation }}"),
]
EN_SIGN = ("sign", ["{{ valediction }}", "", ("handler", "{{ handler }}"),
                    ("department", "{{ department }}"), ("company", "{{ company }}")])
EN_ALSO = ("if", "covered", [
    ("after", "This letter also answers your other complaints of the same period:"),
    ("loop", "{%p for line in covered %}", "{{ line }}", "{%p endfor %}")])
EN_FOOT = "{{ sender_contacts or \"\" }}"
en_if = zh_if

LETTERS = {
    ("apology", "zh"): [
        ("letterhead",),
        ("title", "致歉函"),
        ("ref", "编号：{{ 投诉编号 }}"),
        *ZH_RECIPIENT,
        ("p", "{{ 开头语 }}"),
        ("if", "投诉内容", [("p", "您反映的情况是：“{{ 投诉内容 }}”。")]),
        zh_if("前次投诉"),
        zh_if("致歉语"),
        zh_if("处理情况"),
        zh_if("后续安排"),
        zh_if("负责人说明"),
        zh_if("整改说明"),
        ZH_ALSO,
        ("last", "{{ 联系邀请 }}"),
        ZH_CLOSE,
        ZH_SIGN,
    ],
    ("response", "zh"): [
        ("letterhead",),
        ("title", "关于投诉处理情况的函"),
        ("ref", "编号：{{ 投诉编号 }}"),
        *ZH_RECIPIENT,
        ("p", "{{ 开头语 }}现将处理情况函告如下。"),
        zh_if("致歉语"),
        ("h", "一、您反映的问题"),
        ("ifelse", "投诉内容", [("p", "{{ 投诉内容 }}。")],
         [("p", "您反映的问题已登记在上述投诉编号下。")]),
        zh_if("前次投诉"),
        ("h", "二、处理经过"),
        ("p", "{{ 经过说明 }}"),
        zh_if("负责人说明"),
        ("h", "三、处理结果"),
        ("ifelse", "处理情况", [("p", "{{ 处理情况 }}")],
         [("p", "处理意见确定后，我们将另行函告。")]),
        zh_if("后续安排"),
        ZH_ALSO,
        ("if", "整改说明", [("h", "四、改进措施"), ("p", "{{ 整改说明 }}")]),
        zh_if("满意度说明"),
        ("last", "{{ 联系邀请 }}特此函告。"),
        ZH_CLOSE,
        ZH_SIGN,
    ],
    ("followup", "zh"): [
        ("letterhead",),
        ("title", "投诉处理回访函"),
        ("ref", "编号：{{ 投诉编号 }}"),
        *ZH_RECIPIENT,
        ("p", "{{ 开头语 }}"),
        zh_if("处理情况"),
        zh_if("后续安排"),
        ("if", "客户满意", [
            ("p", "感谢您在回访中给予我们“{{ 满意度评价 }}”的评价。您的认可是对我们的鼓励，"
                  "我们会继续把服务做得更好。")]),
        zh_if("满意度说明"),
        ("if", "not 满意度评价", [
            ("p", "为了解处理的实际效果，烦请您对本次处理作出评价："),
            ("boxes", "□ 非常满意　　□ 满意　　□ 基本满意　　□ 不满意"),
            ("boxes", "问题是否已彻底解决：□ 是　　□ 否，尚存的问题：____________________"),
            ("p", "{{ 回复方式 }}")]),
        ZH_ALSO,
        ("last", "{{ 联系邀请 }}"),
        ZH_CLOSE,
        ZH_SIGN,
    ],
    ("apology", "en"): [
        ("letterhead",),
        *EN_RECIPIENT,
        ("subject", "Your complaint of {{ received }}: our apology"),
        ("p", "{{ opening }}"),
        ("if", "complaint", [("p", "You told us: “{{ complaint }}”.")]),
        en_if("repeat_note"),
        en_if("apology_text"),
        en_if("outcome"),
        en_if("promise"),
        en_if("responsible"),
        en_if("improvement"),
        EN_ALSO,
        ("last", "{{ invitation }}"),
        EN_SIGN,
    ],
    ("response", "en"): [
        ("letterhead",),
        *EN_RECIPIENT,
        ("subject", "Your complaint of {{ received }}: the outcome"),
        ("p", "{{ opening }} This letter sets out how your complaint was handled."),
        en_if("apology_text"),
        ("if", "complaint", [("p", "You told us: “{{ complaint }}”.")]),
        en_if("repeat_note"),
        ("p", "{{ timeline_text }}"),
        en_if("responsible"),
        ("ifelse", "outcome", [("after", "{{ outcome }}")],
         [("after", "We will write to you again once we have decided what to do.")]),
        en_if("promise"),
        EN_ALSO,
        en_if("improvement"),
        en_if("satisfaction_note"),
        ("last", "{{ invitation }}"),
        EN_SIGN,
    ],
    ("followup", "en"): [
        ("letterhead",),
        *EN_RECIPIENT,
        ("subject", "Your complaint of {{ received }}: following up"),
        ("p", "{{ opening }} I am writing to follow it up."),
        en_if("outcome"),
        en_if("promise"),
        ("if", "satisfied", [
            ("p", "Thank you for your feedback: you rated our handling of the matter "
                  "“{{ satisfaction }}”. We will keep working to deserve your confidence.")]),
        en_if("satisfaction_note"),
        ("if", "not satisfaction", [
            ("p", "We would like to know whether this solved the problem for you. Please take a "
                  "minute to tell us how satisfied you are:"),
            ("boxes", "□ Very satisfied    □ Satisfied    □ Fairly satisfied    □ Not satisfied"),
            ("boxes", "Has the problem been fully solved?   □ Yes    □ No; what remains: "
                      "____________________"),
            ("p", "{{ reply_ways }}")]),
        EN_ALSO,
        ("last", "{{ invitation }}"),
        EN_SIGN,
    ],
}


def set_fonts(rpr_owner, latin: str, east_asia: str) -> None:
    """Set Latin and East Asian fonts on a style or run (python-docx sets only the Latin one)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def bottom_border(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"),
                       ("w:color", "1F3864")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def build(kind: str, lang: str) -> bytes:
    """One template as .docx bytes."""
    latin, east, heading_east = FONTS[lang]
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.left_margin = section.right_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11 if lang == "en" else 12)
    set_fonts(normal.element, latin, east)
    normal.paragraph_format.space_after = Pt(6 if lang == "en" else 4)
    normal.paragraph_format.line_spacing = 1.2 if lang == "en" else 1.3
    props = doc.core_properties
    props.title = KIND_TITLES[kind][0 if lang == "zh" else 1]
    props.author = props.last_modified_by = "officebot"
    props.comments = ""  # python-docx's "generated by python-docx"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    for block in LETTERS[(kind, lang)]:
        add_block(doc, block, lang)
    # The first page's footer holds the contact line; later pages add their number, so a
    # one-page letter shows none and a longer one is numbered from page 2 on.
    section.different_first_page_header_footer = True
    contacts = ZH_FOOT if lang == "zh" else EN_FOOT
    footer_line(section.first_page_footer.paragraphs[0], contacts)
    later = section.footer.paragraphs[0]
    footer_line(later, contacts)
    number = section.footer.add_paragraph()
    footer_line(number, "第 " if zh_lang(lang) else "Page ")
    page_field(number, "PAGE")
    footer_line(number, " 页，共 " if zh_lang(lang) else " of ")
    page_field(number, "NUMPAGES")
    footer_line(number, " 页" if zh_lang(lang) else "")
    out = io.BytesIO()
    doc.save(out)
    return without_thumbnail(out.getvalue())


def without_thumbnail(data: bytes) -> bytes:
    """The package without python-docx's blank thumbnail picture and its relationship."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename.startswith("docProps/thumbnail"):
                continue
            part = zin.read(info)
            if info.filename == "_rels/.rels":
                part = re.sub(rb'<Relationship [^>]*/metadata/thumbnail"[^>]*/>', b"", part)
            zout.writestr(info, part)
    return out.getvalue()


def zh_lang(lang: str) -> bool:
    return lang == "zh"


def footer_line(paragraph, text: str) -> None:
    """Small grey centred footer text."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        r = paragraph.add_run(text)
        r.font.size = Pt(8.5)
        r.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def page_field(paragraph, name: str) -> None:
    """A PAGE or NUMPAGES field (the only fields a letter template may hold)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {name} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "17")
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def tag_paragraph(doc, tag: str) -> None:
    """A paragraph holding only a {%p %} tag: docxtpl removes it when filling."""
    doc.add_paragraph(tag)


def add_block(doc, block, lang: str) -> None:
    """Add one block of LETTERS (see the table's legend) to the document."""
    latin, _, heading_east = FONTS[lang]
    tag = block[0]
    zh = lang == "zh"
    if tag == "letterhead":
        tag_paragraph(doc, "{%p if 公司名称 %}" if zh else "{%p if company %}")
        head = doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head.paragraph_format.space_after = Pt(12)
        run = head.add_run("{{ 公司名称 }}" if zh else "{{ company }}")
        run.bold, run.font.size = True, Pt(18)
        run.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
        set_fonts(run._r, latin, heading_east)
        bottom_border(head)
        tag_paragraph(doc, "{%p endif %}")
    elif tag == "if":
        tag_paragraph(doc, f"{{%p if {block[1]} %}}")
        for inner in block[2]:
            add_block(doc, inner, lang)
        tag_paragraph(doc, "{%p endif %}")
    elif tag == "ifelse":
        tag_paragraph(doc, f"{{%p if {block[1]} %}}")
        for inner in block[2]:
            add_block(doc, inner, lang)
        tag_paragraph(doc, "{%p else %}")
        for inner in block[3]:
            add_block(doc, inner, lang)
        tag_paragraph(doc, "{%p endif %}")
    elif tag == "ref":
        p = doc.add_paragraph(block[1])
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(6)
    elif tag == "left":
        p = doc.add_paragraph(block[1])
        p.paragraph_format.space_after = Pt(0)
    elif tag == "gap":
        doc.add_paragraph().paragraph_format.space_after = Pt(0)
    elif tag == "title":
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(6), Pt(12)
        r = p.add_run(block[1])
        r.bold, r.font.size = True, Pt(16)
        set_fonts(r._r, latin, heading_east)
    elif tag == "subject":
        p = doc.add_paragraph()
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(6), Pt(6)
        p.add_run(block[1]).bold = True
    elif tag == "h":
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(4)
        p.paragraph_format.first_line_indent = Pt(24) if zh else None
        r = p.add_run(block[1])
        r.bold = True
        set_fonts(r._r, latin, heading_east)
    elif tag in ("p", "last"):
        p = doc.add_paragraph(block[1])
        if zh:
            p.paragraph_format.first_line_indent = Pt(24)
        if tag == "last":  # the last paragraph stays on the page of the closing and signature
            p.paragraph_format.keep_with_next = True
            p.paragraph_format.keep_together = True
    elif tag == "after":  # the paragraph after a list of steps
        p = doc.add_paragraph(block[1])
        p.paragraph_format.space_before = Pt(6)
        if zh:
            p.paragraph_format.first_line_indent = Pt(24)
    elif tag == "boxes":
        p = doc.add_paragraph(block[1])
        p.paragraph_format.left_indent = Cm(0.85 if zh else 0.6)
    elif tag == "loop":
        tag_paragraph(doc, block[1])
        p = doc.add_paragraph(block[2])
        p.paragraph_format.left_indent = Cm(1.7 if zh else 0.6)
        p.paragraph_format.space_after = Pt(2)
        tag_paragraph(doc, block[3])
    elif tag == "close":
        first = doc.add_paragraph(block[1][0])
        first.paragraph_format.first_line_indent = Pt(24)
        first.paragraph_format.space_before = Pt(6)
        first.paragraph_format.space_after = Pt(0)
        first.paragraph_format.keep_with_next = True
        doc.add_paragraph(block[1][1]).paragraph_format.keep_with_next = True
    elif tag == "sign":
        gap = doc.add_paragraph().paragraph_format
        gap.space_after, gap.keep_with_next = Pt(0), True
        for i, line in enumerate(block[1]):
            condition, text = line if isinstance(line, tuple) else (None, line)
            if condition:
                tag_paragraph(doc, f"{{%p if {condition} %}}")
            p = doc.add_paragraph(text)
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = i < len(block[1]) - 1
            if zh:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if condition:
                tag_paragraph(doc, "{%p endif %}")
    else:  # pragma: no cover - a typo in the tables above
        raise ValueError(tag)


def main() -> int:
    for kind in ("apology", "response", "followup"):
        for lang in ("zh", "en"):
            data = build(kind, lang)
            for target in TARGETS:
                target.mkdir(parents=True, exist_ok=True)
                (target / f"{kind}_{lang}.docx").write_bytes(data)
            print(f"{kind}_{lang}.docx  {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
