"""Plain records passed between the stages: cases read, problems found, judgements made."""

import datetime as dt
from typing import NamedTuple, Optional


class Case(NamedTuple):
    """One readable register row. Text fields are '' when blank; times None when blank."""

    row: int
    case_id: str
    received_at: dt.datetime
    channel: str = ""
    customer: str = ""
    phone: str = ""          # as typed (display); identity uses values.phone_digits
    email: str = ""
    category: str = ""
    severity: str = "一般"    # normalised: 一般 / 严重 / 危机 or the text as typed
    summary: str = ""
    department: str = ""
    handler: str = ""
    first_contact_at: Optional[dt.datetime] = None
    replied_at: Optional[dt.datetime] = None
    closed_at: Optional[dt.datetime] = None
    resolution: str = ""
    satisfaction: object = None  # raw answer: text or score
    amount: Optional[float] = None
    identity: Optional[str] = None  # "tel:<digits>", "mail:<address>" or "name:<name>"
    followup_at: Optional[dt.datetime] = None      # 回访时间: when the follow-up call was made
    agreed_reply_at: Optional[dt.datetime] = None  # 约定答复时间: replaces the reply due
    extended_to: Optional[dt.datetime] = None      # 延期至: replaces the close due
    address: str = ""        # the customer's postal address, for the letters
    language: str = ""       # the register's language column as typed (中文, English ...)
    hold: str = ""           # any text: `officebot mail` holds the case's letters back
    reply_text: str = ""     # 答复客户内容: the reply written for the customer (letters)
    improvement: str = ""    # 整改措施: what the office changed (letters)
    summary_en: str = ""     # the complaint in English, for English letters
    reply_en: str = ""       # the reply in English, for English letters


class RuleCase(NamedTuple):
    """What the rules and the figures need of a case: what a lean read keeps of each row."""

    row: int
    case_id: str
    received_at: dt.datetime
    channel: str
    category: str
    severity: str
    department: str
    handler: str
    replied_at: Optional[dt.datetime]
    closed_at: Optional[dt.datetime]
    satisfaction: object
    identity: Optional[str]
    first_contact_at: Optional[dt.datetime] = None
    followup_at: Optional[dt.datetime] = None
    agreed_reply_at: Optional[dt.datetime] = None
    extended_to: Optional[dt.datetime] = None


class Problem(NamedTuple):
    """A row officebot could not judge: where it is and what is wrong."""

    sheet: str
    row: int
    column: str   # the sheet's own header text
    message: str
    value: str = ""   # the cell as typed ("" when blank)
    kind: str = ""    # blank_id | duplicate_id | blank_received | bad_time | error_value


# made(cls, fields): a record of class cls from all its fields at once, in order (what
# cls(*fields) makes), for the loops that make one a row: tuple's own constructor, called in
# C (a NamedTuple's __new__ is a Python function, about three times slower).
made = tuple.__new__


class Judgement(NamedTuple):
    """What the rules say about one case at the as-of time."""

    case_id: str
    row: int
    reply_due: dt.datetime
    close_due: dt.datetime
    reply_status: str   # pending | due_soon | overdue | on_time | late
    close_status: str
    repeat_of: Optional[str]
    escalation: int     # 0 handler ... 5 general manager
    escalate_to: str    # the person at that level
    replied_at: Optional[dt.datetime]   # effective reply time at T (close counts as reply)
    closed_at: Optional[dt.datetime]    # close time if closed by T
    satisfied: Optional[bool]           # None: no answer
    reply_explain: str = ""
    close_explain: str = ""
    judged: bool = False   # counts for the reply rates: replied, or reply due, by the as-of time
    # The clocks that are off or have no column by default ("" / None then):
    first_response_due: Optional[dt.datetime] = None
    first_response_status: str = ""   # pending | overdue | on_time | late, when switched on
    followup_due: Optional[dt.datetime] = None
    followup_status: str = ""         # pending | due | overdue | done, with a 回访时间 column
