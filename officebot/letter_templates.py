"""Word letter templates: find, check and compile them once, then fill them many times.

A template is a .docx whose text holds Jinja placeholders with readable names
(``{{ 客户姓名 }}`` / ``{{ customer }}``). Preparing a template merges the runs Word split a
placeholder into (docxtpl's cleaning), checks every name against the placeholders officebot
fills, and compiles each XML part that holds a placeholder. Filling renders those parts and
writes a new package, copying every other part unchanged.
"""

import difflib
import re
import zipfile
from html import escape
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .docx_package import RawPart, raw_part, replaced, write_package
from .errors import TemplateError
from .package import unsafe_xml

PACKAGED_DIR = Path(__file__).with_name("data") / "templates"
KINDS = ("apology", "response", "followup")
KIND_NAMES = {"apology": ("致歉信", "apology letter"),
              "response": ("投诉处理情况的函", "response letter"),
              "followup": ("回访信", "follow-up letter")}


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


def _environment() -> SandboxedEnvironment:
    # Sandboxed: the office edits the templates, but a template is no place for code.
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined,
                                keep_trailing_newline=True)


_ENV = _environment()


def _unescape_tag(m: "re.Match") -> str:
    # Inside a tag, XML escapes are Jinja text: "A&amp;B" in a fallback means "A&B".
    return m.group(0).replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _patch(xml: str) -> str:
    """docxtpl's cleaning: merge split runs inside tags, straighten quotes, {%p %} etc."""
    from docxtpl import DocxTemplate
    return _IN_TAG.sub(_unescape_tag, DocxTemplate.patch_xml(None, xml))


def _near_tag(xml_line: str) -> str:
    """The text of a paragraph from its last {{ or {% on: the placeholder Jinja choked on."""
    text = _TAGS.sub("", xml_line).strip()
    start = max(text.rfind("{{"), text.rfind("{%"), 0)
    text = text[start:]
    return text if len(text) <= 60 else text[:57] + "..."


class PreparedTemplate:
    """One template, checked and compiled: ``fill(values)`` returns the new .docx bytes."""

    def __init__(self, name: str, path: Path, parts: List[Tuple[zipfile.ZipInfo, bytes]],
                 compiled: Dict[str, Tuple[object, frozenset]]):
        self.name = name
        self.path = path
        self._parts = [raw_part(info, data) for info, data in parts]  # deflated once
        self._by_name = {part.name: part for part in self._parts}
        self._compiled = compiled   # part name -> (Jinja template, names it uses)
        self._constant: Dict[tuple, RawPart] = {}
        self.names = frozenset().union(*(used for _, used in compiled.values()))  # all used

    def fill(self, values: Dict[str, object]) -> bytes:
        """The filled package; raises MissingValue naming a required blank placeholder."""
        changes = {}
        for part, (template, used) in self._compiled.items():
            if used <= CONSTANT_NAMES:
                # a blank value is a new Missing each letter: key it as None to hit the cache
                key = (part,) + tuple(None if isinstance(values.get(n), Missing)
                                      else values.get(n) for n in sorted(used))
                cached = self._constant.get(key)
                if cached is None:
                    data = template.render(values).encode("utf-8")
                    cached = self._constant[key] = replaced(self._by_name[part], data)
                changes[part] = cached
            else:
                changes[part] = template.render(values).encode("utf-8")
        return write_package(self._parts, changes)


def template_path(name: str, folder: Optional[Path]) -> Optional[Path]:
    """The office's copy in folder/templates/ when present, else the packaged one, else None."""
    for base in ([Path(folder) / "templates"] if folder else []) + [PACKAGED_DIR]:
        path = base / name
        if path.is_file():
            return path
    return None


def prepare_template(path: Path) -> PreparedTemplate:
    """Read, check and compile a template; TemplateError names the template and placeholder."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [(info, zf.read(info)) for info in zf.infolist()]
    except (OSError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"Template {name} cannot be read as a Word .docx file ({exc}); "
                            "save it again from Word as .docx") from None
    for info, data in parts:  # every letter copies the template's XML: no DOCTYPE in it
        if unsafe_xml(data):
            raise TemplateError(f"Template {name} has a DOCTYPE or entity declarations in "
                                f"{info.filename}, which Word never writes; save it again "
                                "from Word as .docx")
    compiled = {}
    for info, data in parts:
        if not _TEMPLATE_PART.match(info.filename):
            continue
        try:
            xml = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateError(f"Template {name} has a part {info.filename} that is not "
                                "UTF-8; save it again from Word as .docx") from None
        plain = _TAGS.sub("", xml)
        wide = _FULL_WIDTH.search(plain)
        if wide:
            around = plain[max(0, wide.start() - 10): wide.end() + 20]
            raise TemplateError(
                f"Template {name} has a placeholder typed with full-width braces near "
                f"\"{around.strip()}\"; retype the braces as {{{{ }}}} with the input method in "
                "English mode")
        if "{" not in plain:
            continue
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
            where = _near_tag(lines[exc.lineno - 1]) if exc.lineno and \
                exc.lineno <= len(lines) else ""
            raise TemplateError(
                f"Template {name} has a placeholder Jinja cannot read near \"{where}\" "
                f"({exc.message}); fix its braces or spelling in Word") from None
        if unknown:
            hint = difflib.get_close_matches(unknown[0], sorted(KNOWN_NAMES), n=1)
            fix = f"did you mean {{{{ {hint[0]} }}}}?" if hint else \
                "use a name listed in the README (section Letters)"
            raise TemplateError(
                f"Template {name} uses the unknown placeholder {{{{ {unknown[0]} }}}}; {fix}")
    if not any({"case_id", "投诉编号"} & used for _, used in compiled.values()):
        raise TemplateError(
            f"Template {name} does not show the case id, which every letter must carry as its "
            "reference number; add {{ 投诉编号 }} (in English {{ case_id }}) to it in Word")
    return PreparedTemplate(name, path, parts, compiled)
