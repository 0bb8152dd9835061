"""Word letter templates: find, check and compile them once, then fill them many times.

A template is a .docx whose text holds Jinja placeholders with readable names
(``{{ 客户姓名 }}`` / ``{{ customer }}``). Preparing a template merges the runs Word split a
placeholder into (docxtpl's cleaning), checks every name against the placeholders officebot
fills, and compiles each XML part that holds a placeholder. Filling renders those parts and
writes a new package, copying every other part unchanged.
"""

import difflib
import hashlib
import re
import zipfile
from html import escape
from pathlib import Path
from contextvars import ContextVar
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .docx_package import RawPart, raw_part, replaced, stored, write_package
from .errors import TemplateError
from .messages import msg, pair
from .package import unsafe_xml

PACKAGED_DIR = Path(__file__).with_name("data") / "templates"
KINDS = ("apology", "response", "followup")
KIND_NAMES = {kind: (msg("zh", "template.kind." + kind), msg("en", "template.kind." + kind))
              for kind in KINDS}


class Placeholder(NamedTuple):
    key: str   # the English name, also the key of the value officebot computes
    zh: str    # the Chinese name
    meaning: str


# Every name a template may use, Chinese and English (either works in any template).
PLACEHOLDERS: Tuple[Placeholder, ...] = (
    Placeholder("case_id", "投诉编号", "case id, the letter's reference number"),
    Placeholder("customer", "客户姓名", "customer's name"),
    Placeholder("phone", "联系电话", "customer's phone"),
    Placeholder("customer_email", "客户邮箱", "customer's email"),
    Placeholder("channel", "投诉渠道", "channel of the complaint"),
    Placeholder("category", "投诉类别", "category"),
    Placeholder("severity", "投诉等级", "severity (一般 when blank)"),
    Placeholder("complaint", "投诉内容", "the complaint in the customer's words"),
    Placeholder("department", "责任部门", "department in charge"),
    Placeholder("handler", "处理人", "the person in charge of the case"),
    Placeholder("received", "受理日期", "date received"),
    Placeholder("replied", "答复日期", "date replied"),
    Placeholder("closed", "结案日期", "date closed"),
    Placeholder("reply_due", "答复期限", "reply deadline"),
    Placeholder("close_due", "结案期限", "close deadline"),
    Placeholder("promised_by", "承诺日期", "date by which the remedy is promised"),
    Placeholder("resolution", "处理结果", "resolution"),
    Placeholder("amount", "赔偿金额", "amount of compensation, two decimals"),
    Placeholder("letter_date", "函件日期", "date of the letter (the as-of date)"),
    Placeholder("repeat_of", "原投诉编号", "case id of the first complaint when a repeat"),
    Placeholder("is_repeat", "是否重复投诉", "true for a repeat complaint"),
    Placeholder("reply_was_late", "答复逾期", "true when the reply is overdue or was late"),
    Placeholder("timeline", "处理经过", "list of steps, each with date/日期 and event/事项"),
    Placeholder("company", "公司名称", "sender ([letters] company_zh / company_en)"),
    Placeholder("hotline", "客服热线", "service hotline ([letters] hotline)"),
    Placeholder("company_email", "公司邮箱", "service email ([letters] email)"),
    Placeholder("address", "公司地址", "sender's address ([letters] address_zh / address_en)"),
    Placeholder("sender_contacts", "联系方式", "the sender's hotline, email and address that are "
                "set, on one line"),
    Placeholder("customer_address", "客户地址", "customer's postal address"),
    Placeholder("is_closed", "已办结", "true when the case was closed by the letter's date"),
    Placeholder("apology_due", "需致歉", "true when an apology is due (the response letter "
                "then carries it)"),
    Placeholder("other_cases", "其他投诉编号", "the same customer's other cases this letter "
                "also answers (one letter of a kind per customer and run)"),
    Placeholder("others", "其他投诉", "list of those other cases, each with case_id/编号, "
                "received/受理日期, complaint/投诉内容, resolution/处理结果, closed/结案日期"),
    Placeholder("satisfaction", "满意度评价", "the customer's recorded satisfaction answer"),
    Placeholder("satisfied", "客户满意", "true when the recorded answer counts as satisfied"),
    Placeholder("dissatisfied", "客户不满意", "true when the recorded answer counts as not "
                "satisfied (不满意, a score of 6 or less)"),
    # Sentences officebot makes from the register (see docs/letters.md for their fields):
    Placeholder("salutation", "称呼", "尊敬的张伟客户： / Dear Mr O'Brien, (no doubled courtesy form)"),
    Placeholder("valediction", "结束语", "Yours sincerely, / Yours faithfully,"),
    Placeholder("opening", "开头语", "when the complaint came, with its case id"),
    Placeholder("apology_text", "致歉语", "the apology with the deadlines missed, fitted to "
                "the severity; blank when none is due"),
    Placeholder("repeat_note", "前次投诉", "a repeat as a fact: when and about what the "
                "customer contacted us before"),
    Placeholder("responsible", "负责人说明", "who answers for the case and how to reach them"),
    Placeholder("outcome", "处理情况", "closed on, the reply for the customer, the amount"),
    Placeholder("promise", "后续安排", "what happens next on an open case (a date only when "
                "the case's own due time is still ahead)"),
    Placeholder("improvement", "整改说明", "the improvement column (整改措施) as a sentence"),
    Placeholder("satisfaction_note", "满意度说明", "a recorded 不满意 as recorded"),
    Placeholder("invitation", "联系邀请", "the closing invitation to call or write"),
    Placeholder("contact_means", "联系途径", "hotline and/or e-mail as one phrase"),
    Placeholder("timeline_text", "经过说明", "the recorded steps (received, first contact, "
                "replied, closed) in one sentence"),
    Placeholder("reply_ways", "回复方式", "how to return the rating (post, phone, e-mail)"),
    Placeholder("covered", "一并答复", "one line per other case of the same person this "
                "letter also answers"),
)
KNOWN_NAMES = frozenset([p.key for p in PLACEHOLDERS] + [p.zh for p in PLACEHOLDERS])

_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEMPLATE_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_FULL_WIDTH = re.compile(r"｛\s*[｛{%％]|{\s*[｛％]|[｝}%％]\s*｝|[％｝]\s*}")
_TAGS = re.compile(r"<[^>]+>")
_IN_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_SPECIAL = re.compile("[&<>\"'\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Values that are the same for every letter (from settings): parts using only these (the
# footer) are rendered once per run.
CONSTANT_NAMES = frozenset({"company", "hotline", "company_email", "address", "sender_contacts",
                            "公司名称", "客服热线", "公司邮箱", "公司地址", "联系方式"})


class MissingValue(Exception):
    """A placeholder without a fallback met a blank value."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class Missing:
    """A blank value: false in ``or``/``if`` (so fallbacks work), an error when printed."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __bool__(self):
        return False

    def __len__(self):
        return 0

    def __iter__(self):
        return iter(())

    def __html__(self):
        raise MissingValue(self.name)

    def __str__(self):
        raise MissingValue(self.name)


def text_value(text: str) -> Markup:
    """Customer text as safe WordprocessingML text: escaped, line breaks and tabs kept."""
    if not _SPECIAL.search(text):  # the common case, and the fast one
        return Markup(text)
    # Control characters are shown, never dropped: U+2400 + code (␇), else the replacement mark.
    text = _ILLEGAL_XML.sub(lambda m: chr(0x2400 + ord(m.group(0))) if m.group(0) < " "
                            else "\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return Markup(escape(text, quote=False).replace("\n", _BREAK).replace("\t", _TAB))


class Limits(NamedTuple):
    """Bounds on what a template may make (a clerk's typo, or a hostile colleague's loop): a
    range's length, and repeated text and each rendered part's size, in characters."""

    range: int = 1000
    output: int = 8 * 1024 * 1024


# The bounds of the template being filled now: PreparedTemplate.fill sets its own ([letters]
# template_max_range and template_max_output_kb, given by load_template) for that call only.
_LIMITS: ContextVar[Limits] = ContextVar("officebot_template_limits", default=Limits())


class TemplateTooBig(Exception):
    """A template's rendering went past one of its Limits."""


class _BoundedEnvironment(SandboxedEnvironment):
    """The sandbox (no attribute tricks), with ranges, repetition, powers and output bounded."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise TemplateTooBig("power")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) \
                        and len(seq) * n > _LIMITS.get().output:
                    raise TemplateTooBig("repetition")
        return super().call_binop(context, operator, left, right)


def _range(*args):
    values = range(*args)
    if len(values) > _LIMITS.get().range:
        raise TemplateTooBig("range")
    return values


def _environment() -> SandboxedEnvironment:
    # Sandboxed: the office edits the templates, but a template is no place for code.
    env = _BoundedEnvironment(autoescape=True, undefined=StrictUndefined,
                              keep_trailing_newline=True)
    env.globals["range"] = _range
    return env


def render_bounded(template, values: Dict[str, object]) -> str:
    """Render one part, stopping once its text passes the limits' output characters."""
    out, size, cap = [], 0, _LIMITS.get().output
    for piece in template.generate(values):
        size += len(piece)
        if size > cap:
            raise TemplateTooBig("output")
        out.append(piece)
    return "".join(out)


_ENV = _environment()


def _unescape_tag(m: "re.Match") -> str:
    # Inside a tag, XML escapes are Jinja text: "A&amp;B" in a fallback means "A&B".
    return m.group(0).replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _patch(xml: str) -> str:
    """docxtpl's cleaning: merge split runs inside tags, straighten quotes, {%p %} etc."""
    from docxtpl import DocxTemplate
    return _IN_TAG.sub(_unescape_tag, DocxTemplate.patch_xml(None, xml))


class PreparedTemplate:
    """One template, checked and compiled: ``fill(values)`` returns the new .docx bytes."""

    def __init__(self, name: str, path: Path, parts: List[Tuple[zipfile.ZipInfo, bytes]],
                 compiled: Dict[str, Tuple[object, frozenset]],
                 pieces: Sequence[Tuple[str, str]] = ()):
        self.name = name
        self.pieces = list(pieces)  # the literal text some letter must show
        self.path = path
        self._parts = [raw_part(info, data) for info, data in parts]  # deflated once
        self._by_name = {part.name: part for part in self._parts}
        self._compiled = compiled   # part name -> (Jinja template, names it uses)
        self._constant: Dict[tuple, RawPart] = {}
        self.names = frozenset().union(*(used for _, used in compiled.values()))  # all used
        self.limits = Limits()  # the office's [letters] bounds: load_template sets them

    def fill(self, values: Dict[str, object], properties: Optional[Dict[str, str]] = None
             ) -> bytes:
        """The filled package; raises MissingValue naming a required blank placeholder and
        TemplateError when the template goes past its bounds. ``properties``: the document's
        title, author and created time (docProps/core.xml)."""
        changes = {}
        bounds = _LIMITS.set(self.limits)
        try:
            for part, (template, used) in self._compiled.items():
                if used <= CONSTANT_NAMES:
                    # a blank value is a new Missing each letter: key it as None to hit the cache
                    key = (part,) + tuple(None if isinstance(values.get(n), Missing)
                                          else values.get(n) for n in sorted(used))
                    cached = self._constant.get(key)
                    if cached is None:
                        data = render_bounded(template, values).encode("utf-8")
                        cached = self._constant[key] = replaced(self._by_name[part], data)
                    changes[part] = cached
                else:
                    changes[part] = render_bounded(template, values).encode("utf-8")
        except SecurityError:
            raise refuse(self.name, "proof.sandbox") from None
        except (TemplateTooBig, OverflowError, MemoryError, RecursionError):
            raise TemplateError(*pair("proof.too_big", name=self.name)) from None
        finally:
            _LIMITS.reset(bounds)
        if properties is not None and CORE_PART in self._by_name:
            # a few hundred bytes: stored, not deflated (one deflate less per letter)
            changes[CORE_PART] = stored(self._by_name[CORE_PART], core_properties(properties))
        return write_package(self._parts, changes)


CORE_PART = "docProps/core.xml"
_THUMBNAIL_REL = re.compile(rb'<Relationship [^>]*Type="[^"]*/metadata/thumbnail"[^>]*/>')


def core_properties(props: Dict[str, str]) -> bytes:
    """docProps/core.xml: title, author (the office), created and modified (drafting time)."""
    def e(key: str) -> str:
        return escape(str(props.get(key, "")), quote=False)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{e("title")}</dc:title><dc:creator>{e("author")}</dc:creator>'
            f'<cp:lastModifiedBy>{e("author")}</cp:lastModifiedBy><cp:revision>1</cp:revision>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{e("created")}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{e("created")}</dcterms:modified>'
            '</cp:coreProperties>').encode("utf-8")


def _without_thumbnail(parts: List[Tuple[zipfile.ZipInfo, bytes]]
                       ) -> List[Tuple[zipfile.ZipInfo, bytes]]:
    """The template's parts without its thumbnail picture (a blank page, or the template's
    own look, never the letter's)."""
    kept = []
    for info, data in parts:
        if info.filename.startswith("docProps/thumbnail"):
            continue
        if info.filename == "_rels/.rels":
            data = _THUMBNAIL_REL.sub(b"", data)
        kept.append((info, data))
    return kept


# The document.xml (SHA-256, first 16 hex) of earlier officebot default templates: an office
# copy that is one of them, unedited, promises and claims what the register does not say, so
# the current default is used instead (and the run says so).
OLD_DEFAULTS = frozenset("""
7a84c2778728998e d48d5993060dad7c e3f432a7ca8f35e1 aa8858add29f381c da3a804ac94ce376
e1c89f15e5e34ff6 ec7d0032d06dd092 34d2719a2df89d8a 49992068c6939c2e 531e5bb5ce912df4
538bfbeb0a1c4bac 39a12f13111dfdbc 553dc4d4b2b18cd6 678189d61f1c7bda 96545d2b045ff32e
ce2856a5c8f8e626 28f877ce874527f5 6538be43c2b2f7aa 98138d39775734a5 d1b1e87d6d42b41d
06119949872a0f2e 2e414d15c400c3cc 3e65a891f9c4b055 aad17ef2fcbe048e d440d6dcb61bb61b
""".split())


def is_old_default(path: Path) -> bool:
    """True for an unedited copy of an earlier officebot default template."""
    try:
        with zipfile.ZipFile(path) as zf:
            digest = hashlib.sha256(zf.read("word/document.xml")).hexdigest()[:16]
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return False
    return digest in OLD_DEFAULTS


def template_path(name: str, folder: Optional[Path]) -> Optional[Path]:
    """The office's copy in folder/templates/ when present (unless it is an unedited earlier
    default), else the packaged one, else None."""
    for base in ([Path(folder) / "templates"] if folder else []) + [PACKAGED_DIR]:
        path = base / name
        if path.is_file() and not (base != PACKAGED_DIR and is_old_default(path)):
            return path
    return None


def _words(xml_paragraph: str) -> str:
    """A paragraph's own words, short enough for one sentence."""
    text = " ".join(_TAGS.sub("", xml_paragraph).split())
    return text if len(text) <= 40 else text[:37] + "..."


def refuse(name: str, what: str, words: str = "", **values) -> TemplateError:
    """The one sentence refusing a template, naming it and the paragraph's words (``what``:
    the key of what is wrong with it, filled with ``values``)."""
    return TemplateError(*(msg(lang, "proof.refused", name=name, what=msg(lang, what, **values),
                               at=msg(lang, "proof.at_paragraph", words=words) if words else "")
                           for lang in ("en", "zh")))


_FIELD_CODE = re.compile(r'<w:instrText[^>]*>([^<]*)<|<w:fldSimple\b[^>]*w:instr="([^"]*)"')
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
_EXTERNAL = re.compile(rb'TargetMode\s*=\s*["\']External["\']')
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.S)


def check_package(name: str, parts: List[Tuple[zipfile.ZipInfo, bytes]]) -> None:
    """Refuse field codes other than page numbering (DDEAUTO, INCLUDEPICTURE ...) and any
    link outside the file (an external image, a linked template, a web address)."""
    for info, data in parts:
        if info.filename.endswith(".rels") and _EXTERNAL.search(data):
            raise refuse(name, "proof.external", part=info.filename)
        if not _TEMPLATE_PART.match(info.filename):
            continue
        text = data.decode("utf-8", "replace")
        codes = [(m.group(1) or m.group(2) or "", m.start()) for m in _FIELD_CODE.finditer(text)]
        for code, at in codes:
            word = (code.split() or [""])[0].upper().lstrip("\\")
            if word and word not in _PAGE_FIELDS:
                para = text.rfind("<w:p", 0, at)
                raise refuse(name, "proof.field",
                             _words(text[para:text.find("</w:p>", at)]) if para >= 0 else "",
                             word=word)


def check_braces(name: str, xml: str) -> None:
    """Every paragraph's {{ }} and {% %} balanced, no placeholder left open or half typed."""
    for m in _PARAGRAPH.finditer(xml):
        text = _TAGS.sub("", m.group(0))
        if "{" not in text and "}" not in text:
            continue
        opens, closes = text.count("{{"), text.count("}}")
        tag_opens, tag_closes = text.count("{%"), text.count("%}")
        rest = _IN_TAG.sub("", text)
        if opens != closes or tag_opens != tag_closes or "{" in rest or "}" in rest:
            raise refuse(name, "proof.braces", _words(m.group(0)))


def prepare_template(path: Path) -> PreparedTemplate:
    """Read, check and compile a template; TemplateError names the template and paragraph."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [(info, zf.read(info)) for info in zf.infolist()]
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
        raise TemplateError(*pair("proof.not_docx", name=name, exc=exc)) from None
    for info, data in parts:  # every letter copies the template's XML: no DOCTYPE in it
        if unsafe_xml(data):
            raise refuse(name, "proof.entities", part=info.filename)
    check_package(name, parts)
    parts = _without_thumbnail(parts)
    compiled = {}
    for info, data in parts:
        if not _TEMPLATE_PART.match(info.filename):
            continue
        try:
            xml = data.decode("utf-8")
        except UnicodeDecodeError:
            raise refuse(name, "proof.not_utf8", part=info.filename) from None
        plain = _TAGS.sub("", xml)
        wide = _FULL_WIDTH.search(plain)
        if wide:
            around = plain[max(0, wide.start() - 10): wide.end() + 20].strip()
            raise refuse(name, "proof.full_width", around)
        if "{" not in plain and "}" not in plain:
            continue
        check_braces(name, xml)
        patched = _patch(xml)
        # One paragraph per line, so that a syntax error's line number names its paragraph.
        src = _PARAGRAPH_START.sub(r"\n<w:p\1", patched)
        try:
            used = frozenset(meta.find_undeclared_variables(_ENV.parse(src)))
            unknown = sorted(used - KNOWN_NAMES)
            if not unknown:
                compiled[info.filename] = (_ENV.from_string(patched), used)
        except TemplateSyntaxError as exc:
            lines = src.splitlines()
            where = _words(lines[exc.lineno - 1]) if exc.lineno and \
                exc.lineno <= len(lines) else ""
            raise refuse(name, "proof.syntax", where) from None
        if unknown:
            hint = difflib.get_close_matches(unknown[0], sorted(KNOWN_NAMES), n=1)
            where = next((_words(ln) for ln in src.splitlines() if unknown[0] in ln), "")
            raise refuse(name, "proof.unknown_placeholder" if hint else "proof.unknown_name",
                         where, placeholder=unknown[0], hint=hint[0] if hint else "")
    if not any({"case_id", "投诉编号"} & used for _, used in compiled.values()):
        raise refuse(name, "proof.no_case_id")
    return PreparedTemplate(name, path, parts, compiled, literal_pieces(parts))


def literal_pieces(parts: List[Tuple[zipfile.ZipInfo, bytes]]) -> List[Tuple[str, str]]:
    """[(text piece, its paragraph's words)]: the template's own text outside placeholders,
    each of which some letter must show (see letters.proof)."""
    pieces = []
    for info, data in parts:
        if not _TEMPLATE_PART.match(info.filename):
            continue
        xml = data.decode("utf-8", "replace")
        for m in _PARAGRAPH.finditer(xml):
            text = _TAGS.sub("", m.group(0))
            for piece in _IN_TAG.split(text):
                piece = " ".join(piece.split())
                if piece and any(ch.isalnum() for ch in piece):
                    pieces.append((piece, _words(m.group(0))))
    return pieces
