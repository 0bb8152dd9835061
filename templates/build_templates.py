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
KIND_TITLES = {"apology": ("致歉信", "Apology"), "response": ("投诉处理情况的函", "Response letter"),
               "followup": ("回访信", "Follow-up letter")}
TARGETS = (HERE, HERE.parent / "officebot" / "data" / "templates")

FONTS = {  # (Latin font, East Asian font, heading East Asian font)
    "zh": ("Times New Roman", "宋体", "黑体"),
    "en": ("Calibri", "宋体", "宋体"),
}

# Each letter: a list of blocks. ("title", text) ("p", paragraph) ("h", section heading)
# ("plain", paragraph without indent) ("close", closing lines) ("sign", signature lines).
ZH_HEAD = [("ref", "编号：{{ 投诉编号 }}"), ("ref", "日期：{{ 函件日期 }}")]
ZH_SIGN = ("sign", ["{{ 公司名称 }}", "{{ 责任部门 or \"客户服务部\" }}　处理人：{{ 处理人 or \"客户服务专员\" }}",
                    "{{ 函件日期 }}"])
ZH_FOOT = "客服热线：{{ 客服热线 }}　　邮箱：{{ 公司邮箱 }}　　地址：{{ 公司地址 }}"

EN_HEAD = [("ref", "Our reference: {{ case_id }}"), ("ref", "Date: {{ letter_date }}")]
EN_SIGN = ("sign", ["Yours sincerely,", "", "{{ handler or \"Customer Service Officer\" }}",
                    "{{ department or \"Customer Service\" }}, {{ company }}"])
EN_FOOT = "Hotline {{ hotline }}  ·  {{ company_email }}  ·  {{ address }}"

LETTERS = {
    ("apology", "zh"): ZH_HEAD + [
        ("title", "致 歉 信"),
        ("plain", "尊敬的{{ 客户姓名 or \"客户\" }}："),
        ("p", "感谢您在{{ 受理日期 }}把遇到的问题告诉我们（投诉编号 {{ 投诉编号 }}）。正是您的反映，"
              "让我们看到了工作中需要改正的地方。"),
        ("p", "{% if 投诉内容 %}您反映的情况是：“{{ 投诉内容 }}”。{% else %}您反映的问题，"
              "我们已逐项记录在案。{% endif %}"),
        ("pif", "是否重复投诉",
         "我们注意到，这是您就同一问题再次与我们联系（首次投诉编号 {{ 原投诉编号 }}）。"
         "问题在第一次没有得到解决，责任在我们。"),
        ("pif", "答复逾期", "我们也没有在应当答复的时间（{{ 答复期限 }}）之前给您回音，让您久等了。"),
        ("p", "由此给您带来的不便和困扰，我们诚恳地向您道歉。"),
        ("p", "我们的处理办法是：{{ 处理结果 or \"我们正在核实处理，有了结论会第一时间告诉您\" }}。"
              "{% if 赔偿金额 %}我们将向您支付补偿 {{ 赔偿金额 }} 元。{% endif %}"
              "本案由{{ 责任部门 or \"客户服务部\" }}的{{ 处理人 or \"专人\" }}负责跟进到底，"
              "我们将在{{ 承诺日期 }}前办结，并把结果告诉您。"),
        ("p", "如您还有其他疑问，欢迎随时拨打客服热线 {{ 客服热线 }}。再次感谢您的理解和监督。"),
        ("close", ["此致", "敬礼！"]),
        ZH_SIGN,
    ],
    ("response", "zh"): ZH_HEAD + [
        ("title", "关于投诉处理情况的函"),
        ("plain", "尊敬的{{ 客户姓名 or \"客户\" }}："),
        ("p", "您于{{ 受理日期 }}{% if 投诉渠道 %}通过{{ 投诉渠道 }}{% endif %}反映的问题"
              "（投诉编号 {{ 投诉编号 }}），我们已经调查处理。现将处理情况告知如下。"),
        ("h", "一、您反映的问题"),
        ("p", "{{ 投诉内容 or \"您反映的问题已记录在案，详见上述投诉编号。\" }}"),
        ("h", "二、核实情况"),
        ("p", "收到您的反映后，{{ 责任部门 or \"我们\" }}安排{{ 处理人 or \"专人\" }}进行了核实。"
              "主要经过如下："),
        ("loop", "{%p for 步骤 in 处理经过 %}", "{{ 步骤.日期 }}　{{ 步骤.事项 }}", "{%p endfor %}"),
        ("h", "三、处理措施"),
        ("p", "{{ 处理结果 or \"我们正在核实处理，有了结论会第一时间告诉您\" }}。"
              "{% if 赔偿金额 %}补偿金额为 {{ 赔偿金额 }} 元。{% endif %}"),
        ("h", "四、改进措施"),
        ("p", "我们已把这次的问题通报到相关部门，对涉及的工作环节逐一检查，并在今后的日常工作中"
              "加强监督，避免同样的问题再次出现。"),
        ("h", "五、感谢与致歉"),
        ("p", "感谢您把问题告诉我们，也再次为给您带来的不便表示歉意。如对处理结果有不同意见，"
              "请拨打 {{ 客服热线 }} 或直接回复本函。"),
        ("close", ["此致", "敬礼！"]),
        ZH_SIGN,
    ],
    ("followup", "zh"): ZH_HEAD + [
        ("title", "投诉处理回访函"),
        ("plain", "尊敬的{{ 客户姓名 or \"客户\" }}："),
        ("p", "您于{{ 受理日期 }}反映的问题（投诉编号 {{ 投诉编号 }}）已在{{ 结案日期 or \"近日\" }}"
              "办结，处理结果是：{{ 处理结果 or \"已按与您商定的方案处理完毕\" }}。"),
        ("p", "为了解处理的实际效果，想请您花一两分钟告诉我们您的评价："),
        ("p", "□ 非常满意　　□ 满意　　□ 基本满意　　□ 不满意"),
        ("p", "问题是否已经彻底解决：□ 是　　□ 否，仍然存在的问题：________________"),
        ("p", "您可以在本函上勾选后寄回，也可以拨打 {{ 客服热线 }} 或发邮件到 {{ 公司邮箱 }} 告诉我们。"
              "负责本案的{{ 处理人 or \"客户服务专员\" }}也会在近期与您电话联系。"),
        ("p", "您的意见是我们改进服务的依据，谢谢您的支持。"),
        ("close", ["此致", "敬礼！"]),
        ZH_SIGN,
    ],
    ("apology", "en"): EN_HEAD + [
        ("title", "Our apology"),
        ("plain", "Dear {{ customer or \"Customer\" }},"),
        ("plain", "Thank you for telling us on {{ received }} about the problem you met (reference "
                  "{{ case_id }}). Your report shows us where our work must improve."),
        ("plain", "{% if complaint %}You told us: “{{ complaint }}”.{% else %}We have recorded "
                  "each point you raised.{% endif %}"),
        ("pif", "is_repeat", "We note that this is the second time you have contacted us about "
                             "the same matter (first reference {{ repeat_of }}). It should have "
                             "been solved the first time, and that is our fault."),
        ("pif", "reply_was_late", "We also failed to answer you by {{ reply_due }}, as we "
                                  "should have, and kept you waiting."),
        ("plain", "We are sincerely sorry for the trouble this has caused you."),
        ("plain", "What we are doing about it: {{ resolution or \"we are looking into the matter "
                  "and will tell you our decision as soon as it is made\" }}."
                  "{% if amount %} We will pay you compensation of CNY {{ amount }}.{% endif %} "
                  "{% if handler %}{{ handler }}{% if department %} ({{ department }}){% endif %} "
                  "is personally responsible for your case and will see it settled{% else %}We "
                  "will see your case settled{% endif %} by {{ promised_by }}, and tell you the "
                  "outcome."),
        ("plain", "If you have any further questions, please call us on {{ hotline }}. Thank you "
                  "again for your patience."),
        EN_SIGN,
    ],
    ("response", "en"): EN_HEAD + [
        ("title", "How we handled your complaint"),
        ("plain", "Dear {{ customer or \"Customer\" }},"),
        ("plain", "We have looked into the matter you raised on {{ received }}{% if channel %} "
                  "by {{ channel }}{% endif %} (reference {{ case_id }}). This letter sets out "
                  "what we found and what we have done."),
        ("h", "1. Your complaint"),
        ("plain", "{{ complaint or \"Your complaint is on record under the reference above.\" }}"),
        ("h", "2. What we found"),
        ("plain", "{{ department or \"Our team\" }} asked {{ handler or \"a member of staff\" }} "
                  "to investigate. The main steps were:"),
        ("loop", "{%p for step in timeline %}", "{{ step.date }}   {{ step.event }}",
         "{%p endfor %}"),
        ("h", "3. What we have done"),
        ("plain", "{{ resolution or \"We are looking into the matter and will tell you our "
                  "decision as soon as it is made\" }}.{% if amount %} The compensation "
                  "amounts to CNY {{ amount }}.{% endif %}"),
        ("h", "4. Making sure it does not happen again"),
        ("plain", "We have reported the problem to the departments concerned, checked each step "
                  "of the work involved, and will watch it closely so that the same problem does "
                  "not recur."),
        ("h", "5. Thank you"),
        ("plain", "Thank you for telling us, and once more our apologies for the inconvenience. "
                  "If you disagree with the outcome, please call {{ hotline }} or reply to this "
                  "letter."),
        EN_SIGN,
    ],
    ("followup", "en"): EN_HEAD + [
        ("title", "Following up on your complaint"),
        ("plain", "Dear {{ customer or \"Customer\" }},"),
        ("plain", "The matter you raised on {{ received }} (reference {{ case_id }}) was settled "
                  "{% if closed %}on {{ closed }}{% else %}recently{% endif %}: {{ resolution or "
                  "\"it was handled as agreed with you\" }}."),
        ("plain", "We would like to know whether this really solved the problem. Please take a "
                  "minute to tell us how satisfied you are:"),
        ("plain", "□ Very satisfied    □ Satisfied    □ Fairly satisfied    □ Not satisfied"),
        ("plain", "Is the problem fully solved?  □ Yes    □ No, what remains: ________________"),
        ("plain", "You can tick the boxes and send this letter back, call {{ hotline }} or write "
                  "to {{ company_email }}. {{ handler or \"Our customer service officer\" }} will "
                  "also call you shortly."),
        ("plain", "Your answer helps us improve our service. Thank you."),
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
    normal.font.size = Pt(11 if lang == "en" else 10.5)
    set_fonts(normal.element, latin, east)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.2
    props = doc.core_properties
    props.title = KIND_TITLES[kind][0 if lang == "zh" else 1]
    props.author = props.last_modified_by = "officebot"

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("{{ 公司名称 }}" if lang == "zh" else "{{ company }}")
    run.bold, run.font.size = True, Pt(18)
    run.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
    set_fonts(run._r, latin, heading_east)
    bottom_border(head)

    for block in LETTERS[(kind, lang)]:
        tag = block[0]
        if tag == "ref":
            p = doc.add_paragraph(block[1])
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.space_after = Pt(0)
        elif tag == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(12), Pt(12)
            r = p.add_run(block[1])
            r.bold, r.font.size = True, Pt(15)
            set_fonts(r._r, latin, heading_east)
        elif tag == "h":
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            r = p.add_run(block[1])
            r.bold = True
            set_fonts(r._r, latin, heading_east)
        elif tag in ("p", "plain"):
            p = doc.add_paragraph(block[1])
            if tag == "p" and lang == "zh":
                p.paragraph_format.first_line_indent = Pt(21)
        elif tag == "pif":  # a paragraph shown only when a condition holds
            doc.add_paragraph(f"{{%p if {block[1]} %}}")
            p = doc.add_paragraph(block[2])
            if lang == "zh":
                p.paragraph_format.first_line_indent = Pt(21)
            doc.add_paragraph("{%p endif %}")
        elif tag == "loop":
            doc.add_paragraph(block[1])
            p = doc.add_paragraph(block[2])
            p.paragraph_format.left_indent = Cm(1.0 if lang == "zh" else 0.6)
            p.paragraph_format.space_after = Pt(2)
            doc.add_paragraph(block[3])
        elif tag == "close":
            first = doc.add_paragraph(block[1][0])
            first.paragraph_format.first_line_indent = Pt(21)
            first.paragraph_format.space_after = Pt(0)
            doc.add_paragraph(block[1][1])
        elif tag == "sign":
            if lang == "zh":
                doc.add_paragraph().paragraph_format.space_after = Pt(0)
            for line in block[1]:
                p = doc.add_paragraph(line)
                p.paragraph_format.space_after = Pt(0)
                if lang == "zh":
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:  # pragma: no cover - a typo in the tables above
            raise ValueError(tag)

    footer = section.footer.paragraphs[0]
    footer.text = ZH_FOOT if lang == "zh" else EN_FOOT
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in footer.runs:
        r.font.size = Pt(8.5)
        r.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


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
