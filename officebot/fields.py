"""Every register field in one place: key, header aliases (Chinese and English), value kind.

Also the columns officebot itself writes (status columns), so the reader can recognise and
skip them: officebot never reads its own output as input.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

TEXT, TIME, PHONE, NUMBER = "text", "time", "phone", "number"


@dataclass(frozen=True)
class Field:
    key: str
    zh: str  # the name shown to Chinese users
    en: str  # the name shown to English users
    kind: str
    aliases: Tuple[str, ...]


FIELDS: Tuple[Field, ...] = (
    Field("case_id", "编号", "Case No.", TEXT,
          ("编号", "投诉编号", "工单号", "单号", "case no.", "case no", "case id", "id", "case number",
           "工单编号", "受理编号", "诉求编号", "complaint id", "complaint no.", "complaint no",
           "complaint number", "ticket no.", "ticket no", "ticket id", "ticket number")),
    Field("received_at", "受理时间", "Received", TIME,
          ("受理时间", "投诉时间", "登记时间", "来电时间", "投诉日期", "received", "received at",
           "date received", "received time", "反映时间", "诉求时间", "来电日期", "受理日期",
           "received date", "date of complaint")),
    Field("channel", "渠道", "Channel", TEXT, ("渠道", "投诉渠道", "来源", "工单来源", "诉求渠道", "channel", "source")),
    Field("customer", "客户姓名", "Customer", TEXT,
          ("客户姓名", "客户", "投诉人", "姓名", "来电人", "诉求人", "反映人", "customer",
           "customer name", "name", "complainant")),
    Field("phone", "联系电话", "Phone", PHONE,
          ("联系电话", "电话", "手机", "来电号码", "联系方式", "phone", "telephone", "mobile",
           "phone number")),
    Field("email", "邮箱", "Email", TEXT, ("邮箱", "电子邮箱", "email", "e-mail")),
    Field("category", "投诉类别", "Category", TEXT,
          ("投诉类别", "类别", "投诉类型", "诉求类型", "问题分类", "category", "type")),
    Field("severity", "投诉等级", "Severity", TEXT,
          ("投诉等级", "严重程度", "等级", "severity", "level")),
    Field("summary", "投诉内容", "Complaint", TEXT,
          ("投诉内容", "问题描述", "内容", "诉求内容", "反映内容", "来电内容", "complaint",
           "description", "summary")),
    Field("department", "责任部门", "Department", TEXT,
          ("责任部门", "处理部门", "部门", "承办单位", "承办部门", "department", "dept")),
    Field("handler", "处理人", "Handler", TEXT,
          ("处理人", "责任人", "首问负责人", "handler", "owner")),
    Field("first_contact_at", "首次联系时间", "First contact", TIME,
          ("首次联系时间", "first contact", "first contacted")),
    Field("replied_at", "答复时间", "Replied", TIME,
          ("答复时间", "回复时间", "replied", "replied at", "reply time")),
    Field("closed_at", "结案时间", "Closed", TIME,
          ("结案时间", "办结时间", "closed", "closed at", "close time")),
    Field("resolution", "处理结果", "Resolution", TEXT,
          ("处理结果", "处理意见", "处理方案", "办理结果", "办理情况", "resolution")),
    Field("satisfaction", "客户满意度", "Satisfaction", TEXT,
          ("客户满意度", "满意度", "回访结果", "satisfaction")),
    Field("amount", "赔偿金额", "Amount", NUMBER,
          ("赔偿金额", "补偿金额", "金额", "amount", "compensation")),
    Field("followup_at", "回访时间", "Followed up", TIME,
          ("回访时间", "回访日期", "followed up", "follow-up time", "follow-up date")),
    Field("agreed_reply_at", "约定答复时间", "Agreed reply by", TIME,
          ("约定答复时间", "约定回复时间", "agreed reply by", "agreed reply time")),
    Field("extended_to", "延期至", "Extended to", TIME,
          ("延期至", "延期结案时间", "约定办结时间", "约定结案时间", "extended to",
           "extended close")),
    Field("address", "地址", "Address", TEXT,
          ("地址", "联系地址", "通讯地址", "客户地址", "address", "postal address")),
    Field("language", "语言", "Language", TEXT,
          ("语言", "函件语言", "language", "letter language")),
    # Any text here holds back the case's letters from `officebot mail` (see the README).
    Field("hold", "暂缓发送", "Hold", TEXT,
          ("暂缓发送", "暂缓寄送", "暂缓", "hold", "hold letters", "do not send")),
)

FIELD_BY_KEY: Dict[str, Field] = {f.key: f for f in FIELDS}
REQUIRED = ("case_id", "received_at")
TIME_FIELDS = tuple(f.key for f in FIELDS if f.kind == TIME)

# Columns officebot writes into the register sheet (issue: write-back). Keys and headers.
STATUS_COLUMNS: Tuple[Tuple[str, str, str], ...] = (
    ("reply_due", "答复期限", "Reply due"),
    ("close_due", "结案期限", "Close due"),
    ("reply_status", "答复状态", "Reply status"),
    ("close_status", "结案状态", "Close status"),
    ("repeat_of", "重复投诉原件", "Repeat of"),
    ("escalation", "升级级别", "Escalation level"),
    ("escalate_to", "升级责任人", "Escalated to"),
    ("letters", "函件文件", "Letter files"),
    ("note", "officebot备注", "officebot note"),
    ("mailed", "函件发送", "Letters mailed"),   # officebot mail: sent time and address
)
# officebot recognises its own columns by their exact header text, in either language.
STATUS_HEADERS = {h for _, zh, en in STATUS_COLUMNS for h in (zh, en)}

_SPACE = re.compile(r"\s+")
_NOTE = re.compile(r"[(\[【（][^)\]】）]*[)\]】）]")  # "受理时间（必填）", "Received (date)"


def normalise_header(text: object) -> str:
    """Header text folded for matching: full-width to half-width, lower case, no spaces,
    without a bracketed note or a trailing colon or required-field star."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACE.sub("", s).lower().strip(":*")
    bare = _NOTE.sub("", s).strip(":*")
    return bare or s


_ALIAS_INDEX: Dict[str, str] = {}
for _f in FIELDS:
    for _a in _f.aliases + (_f.zh, _f.en):
        _ALIAS_INDEX.setdefault(normalise_header(_a), _f.key)


def field_for_header(text: object, explicit: Optional[Dict[str, str]] = None) -> Optional[str]:
    """The field key a header names, via the settings' explicit map first, then the aliases."""
    norm = normalise_header(text)
    if not norm:
        return None
    if explicit:
        for key, header in explicit.items():
            if normalise_header(header) == norm:
                return key
    if norm in {normalise_header(h) for h in STATUS_HEADERS}:
        return None
    return _ALIAS_INDEX.get(norm)


def display_name(key: str, language: str) -> str:
    """The field's name in the user's language."""
    f = FIELD_BY_KEY[key]
    return f.zh if language == "zh" else f.en
