"""Build the six default letter templates with python-docx.

    python templates/build_templates.py

writes apology / response / followup × zh / en as .docx into templates/ and the identical
bytes into officebot/data/templates/ (the packaged copies). Edit the texts below, run the
script, and commit both folders. The office may equally edit the .docx files in Word.
"""

import io
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
    ("left", "{% if 客户姓名 %}尊敬的{{ 客户姓名 }}客户：{% else %}尊敬的客户：{% endif %}"),
]
# How to reach us, as far as the settings say: hotline, email, else a reply to the letter.
ZH_CONTACT = ("{% if 客服热线 %}请致电客服热线 {{ 客服热线 }}{% if 公司邮箱 %}，或发送电子邮件至 "
              "{{ 公司邮箱 }}{% endif %}{% elif 公司邮箱 %}请发送电子邮件至 {{ 公司邮箱 }}"
              "{% else %}请直接回复本函{% endif %}")
ZH_HANDLED_BY = ("{% if 责任部门 %}{{ 责任部门 }}{% else %}我们{% endif %}"
                 "{% if 处理人 %}已指定{{ 处理人 }}负责{% else %}已安排专人负责{% endif %}")
ZH_SIGN = ("sign", [("公司名称", "{{ 公司名称 }}"), ("责任部门", "{{ 责任部门 }}"),
                    ("处理人", "经办人：{{ 处理人 }}"), "{{ 函件日期 }}"])
ZH_CLOSE = ("close", ["此致", "敬礼！"])
# The same customer's other cases this letter stands in for (one letter of a kind per run).
ZH_ALSO = ("if", "其他投诉编号", [
    ("p", "您同期反映的其他问题（投诉编号：{{ 其他投诉编号 }}），本函一并答复。")])
ZH_FOOT = "{{ 联系方式 or \"\" }}"

EN_RECIPIENT = [
    ("if", "customer", [("left", "{{ customer }}")]),
    ("if", "customer_address", [("left", "{{ customer_address }}")]),
    ("gap",),
    ("left", "Our reference: {{ case_id }}"),
    ("left", "{{ letter_date }}"),
    ("gap",),
    ("left", "{% if customer %}Dear {{ customer }},{% else %}Dear Sir or Madam,{% endif %}"),
]
EN_CONTACT = ("{% if hotline %}please call us on {{ hotline }}{% if company_email %} or email "
              "{{ company_email }}{% endif %}{% elif company_email %}please email us at "
              "{{ company_email }}{% else %}please write back to us{% endif %}")
EN_SIGN = ("sign", ["{% if customer %}Yours sincerely,{% else %}Yours faithfully,{% endif %}",
                    "", ("handler", "{{ handler }}"), ("department", "{{ department }}"),
                    ("company", "{{ company }}")])
EN_ALSO = ("if", "other_cases", [
    ("p", "This letter also answers your other complaint of the same period (our reference "
          "{{ other_cases }}).")])
EN_FOOT = "{{ sender_contacts or \"\" }}"

LETTERS = {
    ("apology", "zh"): [
        ("letterhead",),
        ("title", "致歉函"),
        ("ref", "编号：{{ 投诉编号 }}"),
        *ZH_RECIPIENT,
        ("p", "您于{{ 受理日期 }}向我们反映的问题（投诉编号：{{ 投诉编号 }}），我们已登记受理。"
              "{% if 投诉内容 %}您反映的情况是：“{{ 投诉内容 }}”{% endif %}"),
        ("if", "是否重复投诉", [
            ("p", "这一问题您此前已向我们反映过（原投诉编号：{{ 原投诉编号 }}），却未能在第一次"
                  "得到解决，使您不得不再次投诉。这是我们工作的失误。")]),
        ("if", "答复逾期", [
            ("p", "按照我们的服务承诺，应在{{ 答复期限 }}前给您答复，我们没有做到，让您久等了。")]),
        ("p", "对由此给您带来的不便和困扰，我们深表歉意。"),
        ("ifelse", "已办结", [
            ("p", "本案已于{{ 结案日期 }}办结。{% if 处理结果 %}处理结果是：{{ 处理结果 }}。{% endif %}"
                  "{% if 赔偿金额 %}补偿金额为人民币 {{ 赔偿金额 }} 元。{% endif %}"
                  "我们已就此次暴露的问题检查了相关工作环节，避免再次发生。")], [
            ("p", ZH_HANDLED_BY + "跟进本案。{% if 处理结果 %}目前的处理意见是：{{ 处理结果 }}。"
                  "{% endif %}{% if 赔偿金额 %}补偿金额为人民币 {{ 赔偿金额 }} 元。{% endif %}"
                  "我们将在{{ 承诺日期 }}前办结本案，并把结果告知您。")]),
        ZH_ALSO,
        ("p", "如您还有疑问或意见，" + ZH_CONTACT + "。感谢您的理解与监督。"),
        ZH_CLOSE,
        ZH_SIGN,
    ],
    ("response", "zh"): [
        ("letterhead",),
        ("title", "关于投诉处理情况的函"),
        ("ref", "编号：{{ 投诉编号 }}"),
        *ZH_RECIPIENT,
        ("p", "您于{{ 受理日期 }}反映的问题（投诉编号：{{ 投诉编号 }}），我们已调查核实"
              "{% if 已办结 %}并办理完毕{% endif %}。现将处理情况函告如下。"),
        ("if", "需致歉", [
            ("p", "{% if 是否重复投诉 %}这一问题您此前已向我们反映过（原投诉编号：{{ 原投诉编号 }}），"
                  "却未能一次解决{% if 答复逾期 %}；这一次我们又没有在{{ 答复期限 }}前按时答复您"
                  "{% endif %}。{% elif 答复逾期 %}我们没有在{{ 答复期限 }}前按时答复您，让您久等了。"
                  "{% endif %}对由此给您带来的不便，我们深表歉意。")]),
        ("h", "一、您反映的问题"),
        ("p", "{% if 投诉内容 %}{{ 投诉内容 }}{% else %}您反映的问题已登记在上述投诉编号下。{% endif %}"),
        ("h", "二、调查核实情况"),
        ("p", "收到您的投诉后，" + ZH_HANDLED_BY + "调查核实。主要经过如下："),
        ("loop", "{%p for 步骤 in 处理经过 %}", "{{ 步骤.日期 }}　{{ 步骤.事项 }}", "{%p endfor %}"),
        ("h", "三、处理结果"),
        ("p", "{% if 处理结果 %}{{ 处理结果 }}。{% elif 已办结 %}本案已于{{ 结案日期 }}办结。"
              "{% else %}处理意见确定后，我们将另行函告。{% endif %}"
              "{% if 赔偿金额 %}补偿金额为人民币 {{ 赔偿金额 }} 元。{% endif %}"
              "{% if not 已办结 %}我们将在{{ 承诺日期 }}前全部办结，并把结果告知您。{% endif %}"),
        ("if", "其他投诉", [
            ("p", "您同期反映的其他问题，本函一并答复如下："),
            ("loop", "{%p for 其他 in 其他投诉 %}", "投诉编号 {{ 其他.编号 }}（{{ 其他.受理日期 }}受理）："
             "{% if 其他.处理结果 %}{{ 其他.处理结果 }}。{% elif 其他.结案日期 %}已于{{ 其他.结案日期 }}"
             "办结。{% else %}正在办理中，办结后另行函告。{% endif %}", "{%p endfor %}")]),
        ("h", "四、改进措施"),
        ("p", "我们已将此次投诉涉及的问题通报相关部门，逐项检查有关工作环节，防止类似问题再次发生。"),
        ("p", "如您对上述处理有不同意见，" + ZH_CONTACT + "，我们将认真研究。感谢您对我们工作的监督。"),
        ("p", "特此函告。"),
        ZH_CLOSE,
        ZH_SIGN,
    ],
    ("followup", "zh"): [
        ("letterhead",),
        ("title", "投诉处理回访函"),
        ("ref", "编号：{{ 投诉编号 }}"),
        *ZH_RECIPIENT,
        ("p", "您于{{ 受理日期 }}反映的问题（投诉编号：{{ 投诉编号 }}）"
              "{% if 已办结 %}已于{{ 结案日期 }}办结{% else %}正在办理中{% endif %}"
              "{% if 处理结果 %}，处理结果是：{{ 处理结果 }}{% endif %}。"),
        ("if", "客户满意", [
            ("p", "感谢您在回访中给予我们“{{ 满意度评价 }}”的评价。您的认可是对我们的鼓励，"
                  "我们会继续改进，把服务做得更好。")]),
        ("if", "客户不满意", [
            ("p", "您在回访中对处理结果的评价是“{{ 满意度评价 }}”，我们十分重视。本案已交"
                  "{% if 责任部门 %}{{ 责任部门 }}{% else %}相关部门{% endif %}重新核查，"
                  "{% if 处理人 %}{{ 处理人 }}{% else %}负责人员{% endif %}将与您联系，了解仍未解决"
                  "的问题，并与您商定进一步的解决办法。")]),
        ("if", "not 满意度评价", [
            ("p", "为了解处理的实际效果，烦请您对本次处理作出评价："),
            ("boxes", "□ 非常满意　　□ 满意　　□ 基本满意　　□ 不满意"),
            ("boxes", "问题是否已彻底解决：□ 是　　□ 否，尚存的问题：____________________"),
            ("p", "您可以在本函上勾选后寄回给我们{% if 公司地址 %}（地址：{{ 公司地址 }}）{% endif %}"
                  "{% if 客服热线 %}，也可以致电 {{ 客服热线 }}{% endif %}"
                  "{% if 公司邮箱 %}，或发送电子邮件至 {{ 公司邮箱 }}{% endif %}。")]),
        ZH_ALSO,
        ("p", "如您还有其他意见或建议，" + ZH_CONTACT + "。您的意见是我们改进工作的依据，谢谢您的支持。"),
        ZH_CLOSE,
        ZH_SIGN,
    ],
    ("apology", "en"): [
        ("letterhead",),
        *EN_RECIPIENT,
        ("subject", "Your complaint of {{ received }}: our apology"),
        ("p", "Thank you for bringing this matter to our attention.{% if complaint %} We "
              "recorded your complaint as follows: “{{ complaint }}”{% endif %}"),
        ("if", "is_repeat", [
            ("p", "I know that this is not the first time you have had to raise this with us "
                  "(our earlier reference {{ repeat_of }}). It should have been put right then, "
                  "and I am sorry that it was not.")]),
        ("if", "reply_was_late", [
            ("p", "You should have had our reply by {{ reply_due }}. It did not reach you in "
                  "time, and I apologise for keeping you waiting.")]),
        ("p", "Please accept our sincere apologies for the inconvenience this has caused you."),
        ("ifelse", "is_closed", [
            ("p", "The matter was settled on {{ closed }}.{% if resolution %} The outcome: "
                  "{{ resolution }}.{% endif %}{% if amount %} The compensation due to you is "
                  "CNY {{ amount }}.{% endif %} We have also reviewed how your complaint was "
                  "handled, so that the same thing does not happen again.")], [
            ("p", "{% if handler %}{{ handler }}{% if department %} of {{ department }}"
                  "{% endif %} is now dealing with your case personally.{% elif department %}"
                  "{{ department }} is now dealing with your case.{% else %}We are now dealing "
                  "with your case.{% endif %}{% if resolution %} What we propose: "
                  "{{ resolution }}.{% endif %}{% if amount %} The compensation due to you is "
                  "CNY {{ amount }}.{% endif %} We will settle the matter by {{ promised_by }} "
                  "and write to you with the outcome.")]),
        EN_ALSO,
        ("p", "If you have any questions about this letter, " + EN_CONTACT + "."),
        EN_SIGN,
    ],
    ("response", "en"): [
        ("letterhead",),
        *EN_RECIPIENT,
        ("subject", "Your complaint of {{ received }}: the outcome"),
        ("p", "Thank you for your complaint. We have now looked into it{% if is_closed %} and "
              "closed the case{% endif %}, and this letter sets out what we found and what we "
              "have done."),
        ("if", "apology_due", [
            ("p", "First, an apology. {% if is_repeat %}You had already raised this matter with "
                  "us (our earlier reference {{ repeat_of }}), and it should have been resolved "
                  "then.{% if reply_was_late %} You should also have had our reply by "
                  "{{ reply_due }}.{% endif %} {% elif reply_was_late %}You should have had our "
                  "reply by {{ reply_due }}, and it did not reach you in time. {% endif %}I am "
                  "sorry for the trouble this has caused you.")]),
        ("if", "complaint", [
            ("p", "You told us: “{{ complaint }}”")]),
        ("p", "{% if handler %}{{ handler }}{% if department %} of {{ department }}{% endif %} "
              "investigated your complaint.{% elif department %}{{ department }} investigated "
              "your complaint.{% else %}We investigated your complaint.{% endif %} The main "
              "steps were:"),
        ("loop", "{%p for step in timeline %}", "{{ step.date }}   {{ step.event }}",
         "{%p endfor %}"),
        ("after", "{% if resolution %}The outcome: {{ resolution }}.{% elif is_closed %}The case was "
              "closed on {{ closed }}.{% else %}We will write to you again once we have decided "
              "what to do.{% endif %}{% if amount %} The compensation due to you is CNY "
              "{{ amount }}.{% endif %}{% if not is_closed %} We will complete the remaining "
              "work by {{ promised_by }} and let you know when it is done.{% endif %}"),
        ("if", "others", [
            ("after", "This letter also answers your other {% if others|length > 1 %}complaints"
                      "{% else %}complaint{% endif %} of the same period:"),
            ("loop", "{%p for other in others %}", "Reference {{ other.case_id }} (received "
             "{{ other.received }}): {% if other.resolution %}{{ other.resolution }}."
             "{% elif other.closed %}settled on {{ other.closed }}.{% else %}still in hand; we "
             "will write to you when it is settled.{% endif %}", "{%p endfor %}")]),
        ("after", "We have shared what we learned from your complaint with the teams involved, so "
              "that the same problem does not arise again."),
        ("p", "If you are not satisfied with this outcome, " + EN_CONTACT + ", and we will "
              "look at it again."),
        EN_SIGN,
    ],
    ("followup", "en"): [
        ("letterhead",),
        *EN_RECIPIENT,
        ("subject", "Your complaint of {{ received }}: following up"),
        ("p", "{% if is_closed %}We closed your complaint on {{ closed }}{% else %}We are still "
              "dealing with your complaint{% endif %}{% if resolution %} (outcome: "
              "{{ resolution }}){% endif %}, and I am writing to follow it up."),
        ("if", "satisfied", [
            ("p", "Thank you for your feedback: you rated our handling of the matter "
                  "“{{ satisfaction }}”. We are glad it was put right, and we will keep working "
                  "to deserve your confidence.")]),
        ("if", "dissatisfied", [
            ("p", "You rated the outcome “{{ satisfaction }}”, and we take that seriously. "
                  "We have asked {% if department %}"
                  "{{ department }}{% else %}the team concerned{% endif %} to review your case, "
                  "and {% if handler %}{{ handler }}{% else %}a member of that team{% endif %} "
                  "will contact you to understand what is still wrong and to agree with you what "
                  "more we can do.")]),
        ("if", "not satisfaction", [
            ("p", "We would like to know whether this solved the problem for you. Please take a "
                  "minute to tell us how satisfied you are:"),
            ("boxes", "□ Very satisfied    □ Satisfied    □ Fairly satisfied    □ Not satisfied"),
            ("boxes", "Has the problem been fully solved?   □ Yes    □ No; what remains: "
                      "____________________"),
            ("p", "You can tick the boxes and return this letter{% if address %} to "
                  "{{ address }}{% endif %}{% if hotline %}, call us on {{ hotline }}{% endif %}"
                  "{% if company_email %}, or email {{ company_email }}{% endif %}.")]),
        EN_ALSO,
        ("p", "If there is anything else you would like to tell us, " + EN_CONTACT + ". Thank "
              "you for helping us improve our service."),
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
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11 if lang == "en" else 12)
    set_fonts(normal.element, latin, east)
    normal.paragraph_format.space_after = Pt(6 if lang == "en" else 4)
    normal.paragraph_format.line_spacing = 1.25 if lang == "en" else 1.4
    props = doc.core_properties
    props.title = KIND_TITLES[kind][0 if lang == "zh" else 1]
    props.author = props.last_modified_by = "officebot"
    for block in LETTERS[(kind, lang)]:
        add_block(doc, block, lang)
    footer = section.footer.paragraphs[0]
    footer.text = ZH_FOOT if lang == "zh" else EN_FOOT
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in footer.runs:
        r.font.size = Pt(8.5)
        r.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


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
    elif tag == "p":
        p = doc.add_paragraph(block[1])
        if zh:
            p.paragraph_format.first_line_indent = Pt(24)
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
        doc.add_paragraph(block[1][1])
    elif tag == "sign":
        doc.add_paragraph().paragraph_format.space_after = Pt(0)
        for line in block[1]:
            condition, text = line if isinstance(line, tuple) else (None, line)
            if condition:
                tag_paragraph(doc, f"{{%p if {condition} %}}")
            p = doc.add_paragraph(text)
            p.paragraph_format.space_after = Pt(0)
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
