"""Native Excel charts (DrawingML chart parts) for officebot's summary sheets.

A chart references cells of a summary sheet and carries a cache of their values, so Excel,
WPS and LibreOffice draw it at once. ``chart_parts`` returns the drawing part and the chart
parts; the worksheet points at the drawing with a relationship.
"""

from typing import List, NamedTuple, Optional, Sequence, Tuple

from .sheetxml import number_text, quote_sheet, text_xml

NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


class Series(NamedTuple):
    """One data series: its name cell, category cells and value cells on a sheet."""

    sheet: str
    name_ref: str            # e.g. "$F$1"
    name: str
    cat_ref: str             # e.g. "$A$2:$A$9"
    categories: Sequence[str]
    val_ref: str
    values: Sequence[Optional[float]]
    format_code: str = "General"


class Chart(NamedTuple):
    """A chart and where it sits: (from col, from row, to col, to row), 0-based cells."""

    kind: str                # "bar" (horizontal bars), "col_line" (columns + line, 2 axes)
    title: str
    series: Sequence[Series]
    anchor: Tuple[int, int, int, int]
    percent_axis: bool = False


def _str_ref(sheet: str, ref: str, texts: Sequence[str]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{text_xml(t)}</c:v></c:pt>' for i, t in enumerate(texts))
    return (f"<c:strRef><c:f>{text_xml(quote_sheet(sheet))}!{ref}</c:f><c:strCache>"
            f'<c:ptCount val="{len(texts)}"/>{pts}</c:strCache></c:strRef>')


def _num_ref(sheet: str, ref: str, values: Sequence[Optional[float]], fmt: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{number_text(v)}</c:v></c:pt>'
                  for i, v in enumerate(values) if v is not None)
    return (f"<c:numRef><c:f>{text_xml(quote_sheet(sheet))}!{ref}</c:f><c:numCache>"
            f"<c:formatCode>{text_xml(fmt)}</c:formatCode>"
            f'<c:ptCount val="{len(values)}"/>{pts}</c:numCache></c:numRef>')


def _series(idx: int, s: Series, bar: bool, color: str) -> str:
    sp = (f'<c:spPr><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></c:spPr>' if bar else
          f'<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
          "</a:ln></c:spPr>")
    extra = ('<c:invertIfNegative val="0"/>' if bar
             else '<c:marker><c:symbol val="circle"/></c:marker>')
    tail = "" if bar else '<c:smooth val="0"/>'
    return (f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>'
            f"<c:tx>{_str_ref(s.sheet, s.name_ref, [s.name])}</c:tx>{sp}{extra}"
            f"<c:cat>{_str_ref(s.sheet, s.cat_ref, s.categories)}</c:cat>"
            f"<c:val>{_num_ref(s.sheet, s.val_ref, s.values, s.format_code)}</c:val>{tail}"
            "</c:ser>")


def _cat_ax(ax_id: int, cross: int, pos: str, reverse: bool = False, delete: bool = False) -> str:
    orient = "maxMin" if reverse else "minMax"
    return (f'<c:catAx><c:axId val="{ax_id}"/><c:scaling><c:orientation val="{orient}"/>'
            f'</c:scaling><c:delete val="{int(delete)}"/><c:axPos val="{pos}"/>'
            '<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
            '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="{cross}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')


def _val_ax(ax_id: int, cross: int, pos: str, fmt: str, percent: bool,
            crosses: str = "autoZero", grid: bool = True) -> str:
    scale = '<c:max val="1"/><c:min val="0"/>' if percent else '<c:min val="0"/>'
    return (f'<c:valAx><c:axId val="{ax_id}"/><c:scaling><c:orientation val="minMax"/>{scale}'
            f'</c:scaling><c:delete val="0"/><c:axPos val="{pos}"/>'
            + ("<c:majorGridlines/>" if grid else "")
            + f'<c:numFmt formatCode="{text_xml(fmt)}" sourceLinked="0"/>'
            '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'<c:crossAx val="{cross}"/><c:crosses val="{crosses}"/>'
            '<c:crossBetween val="between"/></c:valAx>')


def _title(text: str) -> str:
    return ('<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/>'
            f'</a:pPr><a:r><a:rPr lang="zh-CN" sz="1200" b="1"/><a:t>{text_xml(text)}</a:t></a:r>'
            '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>')


def chart_xml(chart: Chart) -> bytes:
    """The chart part for one Chart."""
    if chart.kind == "bar":
        body = ('<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/>'
                '<c:varyColors val="0"/>'
                + "".join(_series(i, s, True, "4472C4") for i, s in enumerate(chart.series))
                + '<c:gapWidth val="60"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>'
                + _cat_ax(1001, 1002, "l", reverse=True)
                + _val_ax(1002, 1001, "b", "0%" if chart.percent_axis else "General",
                          chart.percent_axis))
        legend = ""
    elif chart.kind == "col_line":
        first, *rest = chart.series
        body = ('<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
                '<c:varyColors val="0"/>' + _series(0, first, True, "4472C4")
                + '<c:gapWidth val="80"/><c:axId val="2001"/><c:axId val="2002"/></c:barChart>'
                '<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
                + "".join(_series(i + 1, s, False, "ED7D31") for i, s in enumerate(rest))
                + '<c:marker val="1"/><c:axId val="2003"/><c:axId val="2004"/></c:lineChart>'
                + _cat_ax(2001, 2002, "b")
                + _val_ax(2002, 2001, "l", "General", False)
                + _cat_ax(2003, 2004, "b", delete=True)
                + _val_ax(2004, 2003, "r", "0%", True, crosses="max", grid=False))
        legend = ('<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>')
    else:  # pragma: no cover - programming error
        raise ValueError(chart.kind)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_R}">'
            '<c:roundedCorners val="0"/><c:chart>' + _title(chart.title)
            + '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>' + body + "</c:plotArea>"
            + legend + '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
            "</c:chartSpace>").encode("utf-8")


def drawing_xml(anchors: List[Tuple[Tuple[int, int, int, int], str, str]]) -> bytes:
    """A drawing part holding one graphic frame per (anchor, relationship id, name)."""
    frames = []
    for n, ((c1, r1, c2, r2), rid, name) in enumerate(anchors, start=2):
        frames.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f"<xdr:from><xdr:col>{c1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r1}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{c2}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r2}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:to>"
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{n}" '
            f'name="{text_xml(name)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{NS_C}"><c:chart xmlns:c="{NS_C}" r:id="{rid}"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>"
            "</xdr:twoCellAnchor>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}" xmlns:r="{NS_R}">'
            + "".join(frames) + "</xdr:wsDr>").encode("utf-8")
