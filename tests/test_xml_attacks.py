"""XML attacks: DOCTYPEs and external entities in any part of a workbook, in any encoding.

Every workbook here is written by hand with zipfile. The attack is an entity declared
``SYSTEM "file:///<tmp>/secret.txt"`` and used in the part's text; a parser that resolved it
would copy the secret into what officebot writes or prints. Each run must end in one sentence
naming the part, with the secret nowhere in any output and the register untouched.

These tests also run under the oldest lxml that setup.cfg allows (.ci/run, second venv).
"""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from officebot import package as pk
from officebot.cli import cli

AS_OF = "2026-03-10 12:00"
SECRET = "TOP-SECRET-7f3a9c"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
DRAW = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STRINGS = ["编号", "受理时间", "客户姓名", "投诉类别", "TS-1", "2026-03-05 09:00", "张三", "服务"]


def _parts() -> dict:
    """A small register, every part as text (each starting with the XML declaration)."""
    sst = "".join(f"<si><t>{s}</t></si>" for s in STRINGS)
    cells = lambda r, first: "".join(  # noqa: E731
        f'<c r="{col}{r}" t="s"><v>{first + i}</v></c>' for i, col in enumerate("ABCD"))
    return {
        "[Content_Types].xml": DECL + (
            f'<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName='
            '"/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/><Override PartName="/xl/drawings/drawing1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.drawing+xml"/><Override PartName='
            '"/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
            'core-properties+xml"/></Types>'),
        "_rels/.rels": DECL + (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>'),
        "docProps/core.xml": DECL + (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:title>台账</dc:title></cp:coreProperties>'),
        "xl/workbook.xml": DECL + (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="台账" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": DECL + (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/styles" '
            f'Target="styles.xml"/><Relationship Id="rId3" Type="{REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'),
        "xl/styles.xml": DECL + (
            f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="等线"/>'
            '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
            '<border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>'),
        "xl/sharedStrings.xml": DECL + (
            f'<sst xmlns="{MAIN}" count="{len(STRINGS)}" uniqueCount="{len(STRINGS)}">{sst}'
            '</sst>'),
        "xl/worksheets/sheet1.xml": DECL + (
            f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData><row r="1">{cells(1, 0)}'
            f'</row><row r="2">{cells(2, 4)}</row></sheetData><drawing r:id="rId1"/>'
            '</worksheet>'),
        "xl/worksheets/_rels/sheet1.xml.rels": DECL + (
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/drawing" '
            'Target="../drawings/drawing1.xml"/></Relationships>'),
        "xl/drawings/drawing1.xml": DECL + f'<xdr:wsDr xmlns:xdr="{DRAW}"></xdr:wsDr>',
    }


PARTS = list(_parts())


def _attacked(xml: str, secret: Path, variant: str) -> bytes:
    """``xml`` with an external entity to ``secret`` declared before its root and used in
    its text, encoded as ``variant`` says."""
    body = xml[len(DECL):]
    doctype = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    # the reference as text of the root element (or of the first <t>): kept on writing back
    if "<t>" in body:
        body = body.replace("<t>", "<t>&xxe;", 1)
    else:
        close = body.index(">", body.index("<") + 1) + 1
        body = body[:close] + "&xxe;" + body[close:]
    decl16 = DECL.replace("UTF-8", "UTF-16")
    if variant == "utf-8":
        return (DECL + doctype + body).encode("utf-8")
    if variant == "utf-8-bom":
        return b"\xef\xbb\xbf" + (DECL + doctype + body).encode("utf-8")
    if variant == "utf-16-le-bom":
        return b"\xff\xfe" + (decl16 + doctype + body).encode("utf-16-le")
    if variant == "utf-16-be-bom":
        return b"\xfe\xff" + (decl16 + doctype + body).encode("utf-16-be")
    if variant == "utf-16-le":
        return (decl16 + doctype + body).encode("utf-16-le")
    if variant == "utf-16-be":
        return (decl16 + doctype + body).encode("utf-16-be")
    if variant == "utf-16-no-declaration":
        return b"\xff\xfe" + (doctype + body).encode("utf-16-le")
    if variant == "gb18030":
        return (DECL.replace("UTF-8", "GB18030") + doctype + body).encode("gb18030")
    if variant == "after-70k-comment":  # the comment holds a fake root element, too
        comment = "<!-- <sst> " + "x" * (70 << 10) + " -->"
        return (DECL + comment + doctype + body).encode("utf-8")
    if variant == "after-instruction":
        return (DECL + "<?note <root/> ?>\n" + doctype + body).encode("utf-8")
    if variant == "no-xml-declaration":
        return (doctype + body).encode("utf-8")
    raise AssertionError(variant)


ALL_VARIANTS = ["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le",
                "utf-16-be", "utf-16-no-declaration", "gb18030", "after-70k-comment",
                "after-instruction", "no-xml-declaration"]
CASES = ([(part, v) for part in PARTS for v in ("utf-16-le-bom", "after-70k-comment")]
         + [(part, v) for part in ("xl/styles.xml", "xl/sharedStrings.xml")
            for v in ALL_VARIANTS if v not in ("utf-16-le-bom", "after-70k-comment")])


def _write(path: Path, parts: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def _leaks(folder: Path, secret: Path) -> list:
    """Files under ``folder`` (zip members read too) holding the secret in any encoding."""
    needles = [SECRET.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    out = []
    for path in folder.rglob("*"):
        if path == secret or not path.is_file():
            continue
        blobs = [path.read_bytes()]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                blobs += [zf.read(i) for i in zf.infolist()]
        if any(n in blob for n in needles for blob in blobs):
            out.append(path)
    return out


def test_the_attack_is_real(tmp_path):
    """Control: a parser that resolves entities reads the secret out of these parts."""
    secret = _secret(tmp_path)
    unsafe = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    for variant in ALL_VARIANTS:
        data = _attacked(_parts()["xl/sharedStrings.xml"], secret, variant)
        if variant in ("utf-16-le", "utf-16-be"):
            continue  # libxml2 cannot tell these apart unaided; other readers may
        assert SECRET in etree.tostring(etree.fromstring(data, unsafe), encoding="unicode"), \
            variant


def test_the_clean_register_is_read(tmp_path):
    """Control: without the DOCTYPE the hand-made register checks and runs."""
    path = _write(tmp_path / "台账.xlsx", _parts())
    for command in ("check", "run"):
        result = CliRunner().invoke(cli, [command, str(path), "--as-of", AS_OF])
        assert result.exit_code == 0, (command, result.output)


@pytest.mark.parametrize("part,variant", CASES)
def test_a_doctype_in_any_part_is_refused_in_one_sentence(tmp_path, part, variant):
    secret = _secret(tmp_path)
    folder = tmp_path / "office"
    folder.mkdir()
    parts = _parts()
    parts[part] = _attacked(parts[part], secret, variant)
    path = _write(folder / "台账.xlsx", parts)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    commands = [["check"], ["run"], ["letters"], ["report", "--out", str(folder / "r.xlsx")]]
    for command, *options in commands:
        result = CliRunner().invoke(cli, [command, str(path), "--as-of", AS_OF, *options])
        assert result.exit_code == 1, (command, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("officebot: "), (command, result.stderr)
        assert "DOCTYPE" in lines[0] and part in lines[0], lines[0]
        assert SECRET not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    result = CliRunner().invoke(cli, ["doctor", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert SECRET not in result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (folder / "r.xlsx").exists()
    assert _leaks(tmp_path, secret) == []


def test_an_unknown_declared_encoding_is_one_sentence(tmp_path):
    parts = _parts()
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace("UTF-8", "X-NO-SUCH-CODEC")
    path = _write(tmp_path / "台账.xlsx", parts)
    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", AS_OF])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "X-NO-SUCH-CODEC" in lines[0] and "xl/styles.xml" in lines[0]


def _blocks(data: bytes, size: int):
    return iter([data[i:i + size] for i in range(0, len(data), size)] or [b""])


@pytest.mark.parametrize("data,expected", [
    (b'<?xml version="1.0"?><a/>', False),
    (b'<a><!DOCTYPE x></a>', False),  # not a declaration: text after the root (and no XML)
    (b'<a><![CDATA[<!DOCTYPE x [<!ENTITY e "1">]>]]></a>', False),
    (b'<!DOCTYPE a><a/>', True),
    (b'<!doctype a><a/>', True),
    (b'<!ENTITY e "x"><a/>', True),
    (b'\n\t <!DOCTYPE a><a/>', True),
    (b'<!-- <a> --><!DOCTYPE a><a/>', True),
    (b'<!-- - -- --><!DOCTYPE a><a/>', True),
    (b'<?pi <a/> ?><!DOCTYPE a><a/>', True),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE a><a/>', True),
    ('<?xml version="1.0" encoding="UTF-7"?><!DOCTYPE a><a/>'.encode("utf-7"), True),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16"), True),
    ('<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE a><a/>'.encode("utf-32"), True),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16-be"), True),
    ('<!DOCTYPE a><a/>'.encode("utf-32-le"), True),
    ('<?xml version="1.0" encoding="IBM037"?><!DOCTYPE a><a/>'.encode("cp037"), True),
    (b'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>', True),  # mislabelled
    (b"\x89PNG\r\n\x1a\n<!DOCTYPE", False),  # a binary part
    (b"<!-- " + b"x" * 300_000 + b" --><!DOCTYPE a><a/>", True),
    (b"<!-- " + b"x" * 300_000 + b" --><a/><!DOCTYPE a>", False),
])
@pytest.mark.parametrize("block", [1, 7, 1 << 16])
def test_declares_entities_table(data, expected, block):
    if block == 1 and len(data) > 1000:
        block = 997
    assert pk.declares_entities(_blocks(data, block)) is expected


def test_the_safe_parser_reads_no_file(tmp_path):
    """Whatever lxml's defaults: the parser officebot uses expands no external entity."""
    secret = _secret(tmp_path)
    data = _attacked(_parts()["xl/styles.xml"], secret, "utf-8")
    root = etree.fromstring(data, pk.safe_parser())
    assert SECRET not in etree.tostring(root, encoding="unicode")
    with pytest.raises(etree.XMLSyntaxError):
        pk.safe_fromstring(data)
    from officebot.workbook.styles import StyleBook
    with pytest.raises(etree.XMLSyntaxError):
        StyleBook(data)


def test_a_template_with_a_doctype_is_refused(tmp_path):
    """A letter template's XML is copied into every letter: a DOCTYPE there is refused."""
    from officebot.errors import TemplateError
    from officebot.letter_templates import prepare_template
    secret = _secret(tmp_path)
    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>{{ 投诉编号 }} &xxe;</w:t></w:r></w:p></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", _attacked(DECL + body, secret, "utf-16-le-bom"))
    path = tmp_path / "letter.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(TemplateError) as info:
        prepare_template(path)
    assert "DOCTYPE" in str(info.value) and "word/document.xml" in str(info.value)


def test_declaration_look_alikes_in_comments_and_utf16_parts_are_read(tmp_path):
    """No false alarm: "<!DOCTYPE" inside a comment, and a UTF-16 custom XML part (as
    SharePoint writes them) with a long comment, open and run."""
    parts = _parts()
    parts["customXml/item1.xml"] = b"\xff\xfe" + (
        '<?xml version="1.0" encoding="UTF-16"?><!-- ' + "注" * 40000 + " -->"
        '<ct:contentTypeSchema xmlns:ct="urn:x"/>').encode("utf-16-le")
    parts["xl/drawings/drawing1.xml"] = parts["xl/drawings/drawing1.xml"].replace(
        "?>\n", "?>\n<!-- <!DOCTYPE x [<!ENTITY e 'x'>]> -->", 1)
    path = _write(tmp_path / "台账.xlsx", parts)
    for command in ("check", "run"):
        result = CliRunner().invoke(cli, [command, str(path), "--as-of", AS_OF])
        assert result.exit_code == 0, (command, result.output)
    with zipfile.ZipFile(path) as zf:
        assert zf.read("customXml/item1.xml") == parts["customXml/item1.xml"]


def test_only_the_package_layer_parses_xml():
    """Every lxml parse goes through package.py's explicit parser: a call with lxml's
    defaults elsewhere (which expand external entities in lxml 4.9) fails this test."""
    import re
    root = Path(__file__).resolve().parents[1] / "officebot"
    calls = re.compile(r"etree\.(fromstring|parse|XML|iterparse|XMLParser|XMLPullParser)\(|"
                       r"xml\.dom|xml\.sax|ElementTree")
    found = [f"{path.relative_to(root)}:{n}" for path in root.rglob("*.py")
             if path.name != "package.py" or path.parent != root
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if calls.search(line)]
    assert found == []
