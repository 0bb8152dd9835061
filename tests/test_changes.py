"""Old status cells are decoded the way the reader decodes cells (the change log and the
letters column read back exactly what officebot wrote, and what the office typed there)."""

import pytest

from officebot.workbook.changes import cell_value
from officebot.workbook.sheetxml import text_xml

SHARED = ["共享文本", "a & b"]


def shared(index):
    return SHARED[index]


@pytest.mark.parametrize("value", [
    "TS-1_致歉信.docx; TS-1_回访信.docx", "R&D <urgent>", "bell\x07and_x0041_text",
    " leading and trailing ", "=SUM(A1:A9)", "😀 𠀀", ""])
def test_text_officebot_writes_reads_back_the_same(value):
    body = f"<is><t xml:space=\"preserve\">{text_xml(value)}</t></is>".encode("utf-8")
    assert cell_value(b' r="Z3" t="inlineStr"', body, shared) == value


@pytest.mark.parametrize("attrs,body,expected", [
    (b' r="S3" s="5"', b"<v>46033.375</v>", 46033.375),
    (b' r="X3"', b"<v>3</v>", 3),
    (b' r="X3"', b"", None),
    (b' r="X3"', b"<v></v>", None),
    (b' r="U3" t="s"', b"<v>1</v>", "a & b"),
    (b' r="U3" t="s"', b"<v>9</v>", "#REF!"),  # no such shared string: as the reader says
    (b" r='U3' t='s'", b"<v>1</v>", "a & b"),  # single quotes, as the reader reads them
    (b' r="U3" t="s"', b"<v>1<!-- 0 --></v>", "a & b"),
    (b' r="U3" t="inlineStr"', b"<is><t>a<!--x-->b<![CDATA[<c>]]></t></is>", "ab<c>"),
    (b' r="U3" t="str"', b"<f>A1</f><v>&lt;b&gt;</v>", "<b>"),
    (b' r="U3" t="str"', b"<f>A1</f><v></v>", ""),
    (b' r="U3" t="inlineStr"', "<is><r><rPr><b/></rPr><t>已</t></r><r><t>逾期</t></r>"
                               "<rPh sb=\"0\" eb=\"1\"><t>yi</t></rPh></is>".encode(), "已逾期"),
    (b' r="U3" t="inlineStr"', "<x:is><x:t>前缀</x:t></x:is>".encode(), "前缀"),
    (b' r="U3" t="inlineStr"', b"<is/>", ""),
    (b' r="U3" t="e"', b"<v>#N/A</v>", "#N/A"),
])
def test_cells_of_every_kind(attrs, body, expected):
    got = cell_value(attrs, body, shared)
    assert (str(got) if expected in ("#N/A", "#REF!") else got) == expected
