"""The letters' sentences, made from register cells and settings only (pure functions).

Every sentence a letter says about the case is made here, so that each one can be traced to
the fields it stands on (docs/letters.md has the table) and a template paragraph holds one
field instead of nested conditions. A sentence whose facts are not recorded is None: the
template leaves its paragraph out. English letters hold no Chinese text except the customer's
own name and address: a sentence needing a Chinese value with no English name is left out and
the gap is noted in ``Source.gaps``.
"""

import datetime as dt
import hashlib
import re
from typing import List, NamedTuple, Optional, Sequence, Tuple

from ..values import category_key

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
SERIOUS = ("严重", "危机")
# A register line about the customer, not by the customer: 客户要求赔偿损失 / The customer ...
# (not 客户服务中心, 客户经理 ..., which name the office's own people)
_THIRD_ZH = re.compile(r"该客户|客户(?!服务|经理|中心|部|代表|专员|关系|端|满意)")
_THIRD_EN = re.compile(r"\b(the customer|customer)('s)?\b(?!\s+(service|care|relations))", re.I)
# Courtesy forms a name may already carry.
_ZH_COURTESY = re.compile(r"(先生|女士|小姐|太太|夫人|老师|师傅|阿姨|同志|经理|总)$")
_EN_TITLE = re.compile(r"^(mr|mrs|ms|miss|mx|dr|prof)\.?\s+(.+)$", re.I)
_EN_TITLES = {"mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss", "mx": "Mx", "dr": "Dr",
              "prof": "Professor"}
_END = "。.;；,，、 \t\r\n"


class Source(NamedTuple):
    """What one letter knows: the case, its judgement and the office's settings."""

    case: object
    judgement: object
    lang: str
    table: dict
    as_of: dt.datetime
    apology_due: bool = False
    also: Tuple[tuple, ...] = ()     # (case, judgement) of the customer's other cases covered
    original: Optional[tuple] = None  # (case, judgement) of the case this one repeats
    first_letter: bool = True        # no letter of the case was drafted before
    amount_header: str = ""          # the register's own header of the amount column
    gaps: Optional[list] = None      # English letters: what had no English text
    names: frozenset = frozenset()   # the placeholders the template uses


def format_date(value: Optional[dt.datetime], lang: str) -> str:
    """2026年3月5日 / 5 March 2026; '' when None."""
    if value is None:
        return ""
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_amount(value: Optional[float]) -> str:
    """An amount with two decimals and thousands separators; '' when None."""
    return "" if value is None else f"{value:,.2f}"


def english(s: Source, text: str, what: str) -> Optional[str]:
    """``text`` as an English letter may show it: itself when it holds no Chinese, its English
    name from [letters] english_names, else None (and the gap noted)."""
    text = (text or "").strip()
    if not text or s.lang == "zh" or not CJK.search(text):
        return text or None
    found = (s.table.get("english_by_zh") or {}).get(text)
    if found:
        return found
    if s.gaps is not None:
        s.gaps.append((what, text))
    return None


def _text_for(s: Source, zh_text: str, en_text: str, what: str) -> Optional[str]:
    """A register text in the letter's language: the English column, else the text itself
    when it holds no Chinese; None (gap noted) when there is none."""
    if s.lang == "zh":
        return zh_text or None
    if en_text:
        return en_text
    if zh_text and not CJK.search(zh_text):
        return zh_text
    if zh_text and s.gaps is not None:
        s.gaps.append((what, ""))
    return None


def _second_person(text: str, lang: str) -> str:
    """The register's third person (客户 / the customer) said to the customer."""
    if lang == "zh":
        return _THIRD_ZH.sub("您", text)
    return _THIRD_EN.sub(lambda m: "your" if m.group(2) else "you", text)


def customer_words(text: str, lang: str) -> str:
    """The complaint as the customer said it: one line, without the clerk's notes about the
    customer (a line naming 客户 / the customer in the third person)."""
    third = _THIRD_ZH if lang == "zh" else _THIRD_EN
    lines = [ln.strip().strip(_END) for ln in (text or "").replace("\r", "\n").split("\n")]
    kept = [ln for ln in lines if ln and not third.search(ln)]
    return ("；" if lang == "zh" else "; ").join(kept)


def clean_reply(text: str, lang: str) -> str:
    """A resolution or reply as a sentence to the customer: one line, second person, without
    its final stop (the sentence adds its own)."""
    lines = [ln.strip().strip(_END) for ln in (text or "").replace("\r", "\n").split("\n")]
    joined = ("；" if lang == "zh" else "; ").join(ln for ln in lines if ln)
    return _second_person(joined, lang)


def salutation(s: Source) -> str:
    """尊敬的张伟客户： / 尊敬的张先生： / Dear Mr O'Brien, / Dear Sir or Madam,"""
    name = (s.case.customer or "").strip()
    if s.lang == "zh":
        if not name:
            return "尊敬的客户："
        if name.endswith("客户"):
            name = name[:-2].strip() or name
        return f"尊敬的{name}：" if _ZH_COURTESY.search(name) else f"尊敬的{name}客户："
    if not name:
        return "Dear Sir or Madam,"
    m = _EN_TITLE.match(name)
    if m:
        surname = m.group(2).split()[-1]
        return f"Dear {_EN_TITLES[m.group(1).lower()]} {surname},"
    return f"Dear {name},"


def valediction(s: Source) -> str:
    """Yours sincerely to a named reader, Yours faithfully to Sir or Madam (English only)."""
    return "Yours sincerely," if (s.case.customer or "").strip() else "Yours faithfully,"


def complaint(s: Source) -> Optional[str]:
    """The complaint in the customer's words, one line (English letters: an English text)."""
    zh = customer_words(s.case.summary, "zh")
    if s.lang == "zh":
        return zh or None
    en = customer_words(getattr(s.case, "summary_en", ""), "en")
    if en:
        return en
    if zh and not CJK.search(zh):
        return zh
    if zh and s.gaps is not None:
        s.gaps.append(("complaint", ""))
    return None


def reply_text(s: Source) -> Optional[str]:
    """What was done, as written for the customer: 答复客户内容 when the register keeps it,
    else the resolution, in the second person."""
    raw = getattr(s.case, "reply_text", "") or s.case.resolution
    zh = clean_reply(raw, "zh")
    en = clean_reply(getattr(s.case, "reply_en", ""), "en") or (
        clean_reply(raw, "en") if raw and not CJK.search(raw) else "")
    return _text_for(s, zh, en, "reply")


def amount_sentence(s: Source) -> Optional[str]:
    """补偿金额为人民币 1,000.00 元 (named by the register's own column), never a zero."""
    amount = getattr(s.case, "amount", None)
    if not amount or amount <= 0:
        return None
    header = re.sub(r"[（(].*?[)）]|[:：*\s]", "", s.amount_header or "")
    money = format_amount(amount)
    if s.lang == "zh":
        word = header if header and CJK.search(header) else (
            "退款金额" if "refund" in header.lower() else "赔偿金额")
        return f"{word}为人民币 {money} 元。"
    low = header.lower()
    word = "refund" if ("退" in header or "refund" in low) else \
        "compensation" if (not header or "补偿" in header or "赔偿" in header
                           or "compensat" in low) else "amount"
    return f"The {word} due to you is CNY {money}."


def promised_date(s: Source) -> Optional[dt.datetime]:
    """The date a letter may promise: the case's own close due time (the office's deadline, or
    the register's 延期至 / agreed date, which replaces it) while it is still ahead; None for a
    closed case and once that time has passed."""
    j = s.judgement
    if j.closed_at is not None or j.close_due is None or j.close_due <= s.as_of:
        return None
    return j.close_due


def promise(s: Source) -> Optional[str]:
    """What happens next on an open case: a date only when promised_date allows one."""
    if s.judgement.closed_at is not None:
        return None
    when = promised_date(s)
    if s.lang == "zh":
        if when is not None:
            return f"我们将在{format_date(when, 'zh')}前办结本案，并把结果告知您。"
        return "本案办结后，我们会把处理结果告知您。"
    if when is not None:
        return f"We will settle the matter by {format_date(when, 'en')} and write to you " \
               "with the outcome."
    return "We will write to you with the outcome once the matter is settled."


def opening(s: Source) -> str:
    """The first sentence: when the complaint came and its reference number."""
    received = format_date(s.case.received_at, s.lang)
    if s.lang == "zh":
        return f"您于{received}向我们反映的问题（投诉编号：{s.case.case_id}），我们已登记受理。"
    return f"Thank you for contacting us on {received} (our reference {s.case.case_id})."


def _subject(case, s: Source) -> Optional[str]:
    """What a case was about, briefly: its complaint's first words, else its category."""
    words = customer_words(case.summary, "zh") if s.lang == "zh" else \
        customer_words(getattr(case, "summary_en", ""), "en")
    if s.lang == "en" and not words and case.summary and not CJK.search(case.summary):
        words = customer_words(case.summary, "en")
    if words:
        return words if len(words) <= 40 else words[:38] + "……" if s.lang == "zh" \
            else words[:60].rsplit(" ", 1)[0] + " ..."
    category = (case.category or "").strip()
    if not category:
        return None
    if s.lang == "zh":
        return f"{category_key(category)}方面的问题"
    name = english(s, category_key(category) or category, "category")
    return f"a {name.lower()} matter" if name else None


def repeat_note(s: Source) -> Optional[str]:
    """A repeat as a fact: when and about what the customer contacted us before."""
    if not s.judgement.repeat_of:
        return None
    ref = s.judgement.repeat_of
    if s.original is None:
        return f"您此前曾就相关问题联系我们（投诉编号：{ref}）。" if s.lang == "zh" else \
            f"You contacted us before (our reference {ref})."
    case = s.original[0]
    when = format_date(case.received_at, s.lang)
    subject = _subject(case, s)
    if s.lang == "zh":
        about = f"就“{subject}”" if subject else ""
        return f"您曾于{when}{about}联系我们（投诉编号：{ref}）。"
    about = f" about “{subject}”" if subject else ""
    return f"You contacted us on {when}{about} (our reference {ref})."


def _late_facts(s: Source) -> List[str]:
    """The deadlines the office missed, as facts with their dates."""
    j, zh, facts = s.judgement, s.lang == "zh", []
    if j.reply_status == "overdue":
        facts.append(f"我们本应在{format_date(j.reply_due, 'zh')}前答复您，至今没有做到" if zh
                     else f"you should have had our reply by {format_date(j.reply_due, 'en')}")
    elif j.reply_status == "late":
        facts.append(f"我们的答复晚于应答复的{format_date(j.reply_due, 'zh')}" if zh else
                     f"our reply reached you after {format_date(j.reply_due, 'en')}, the date "
                     "it was due")
    if j.close_status == "late":
        facts.append(f"本案于{format_date(j.closed_at, 'zh')}办结，晚于应办结的"
                     f"{format_date(j.close_due, 'zh')}" if zh else
                     f"the case was closed on {format_date(j.closed_at, 'en')}, later than the "
                     f"{format_date(j.close_due, 'en')} it was due")
    elif j.close_status == "overdue":
        facts.append(f"本案应在{format_date(j.close_due, 'zh')}前办结，至今尚未办结" if zh else
                     f"the case should have been settled by {format_date(j.close_due, 'en')} "
                     "and is not yet")
    return facts


def apology_needed(s: Source) -> bool:
    """An apology goes in this letter: the rules or a missed deadline call for it, or the case
    is serious or a crisis and this is its first letter."""
    j = s.judgement
    return bool(s.apology_due or (s.first_letter and s.case.severity in SERIOUS)
                or j.close_status == "late" or j.reply_status in ("overdue", "late"))


def apology(s: Source) -> Optional[str]:
    """The apology, in words that fit the harm, naming the deadlines missed."""
    if not apology_needed(s):
        return None
    facts = _late_facts(s)
    severity = s.case.severity
    if s.lang == "zh":
        start = "，".join(facts) + "。" if facts else ""
        if severity == "危机":
            return start + "我们已将您反映的情况列为最高等级的投诉，高度重视。对此事给您带来的困扰，我们诚恳地向您道歉。"
        if severity == "严重":
            return start + "我们已将您反映的问题列为严重投诉，高度重视。对由此给您带来的困扰，我们诚恳地向您道歉。"
        # "由此" needs a missed deadline before it to point at; without one it points at nothing
        return start + ("对由此给您带来的不便，我们深表歉意。" if facts else "给您带来不便，我们深表歉意。")
    start = " ".join(f[0].upper() + f[1:] + "." for f in facts)
    start = start + " " if start else ""
    if severity == "危机":
        return start + "We have given what you reported our highest priority. I apologise " \
                       "sincerely for the trouble this has caused you."
    if severity == "严重":
        return start + "We have classed what you reported as a serious complaint, and I " \
                       "apologise sincerely for the trouble it has caused you."
    return start + "I apologise for the inconvenience this has caused you."


def contact_means(s: Source) -> Optional[str]:
    """How to reach the office that day: the hotline and/or e-mail of [letters]."""
    hotline, email = s.table["hotline"], s.table["email"]
    if s.lang == "zh":
        if hotline and email:
            return f"请致电客服热线 {hotline}，或发送电子邮件至 {email}"
        if hotline:
            return f"请致电客服热线 {hotline}"
        return f"请发送电子邮件至 {email}" if email else None
    if hotline and email:
        return f"please call us on {hotline} or email {email}"
    if hotline:
        return f"please call us on {hotline}"
    return f"please email us at {email}" if email else None


def responsible(s: Source) -> Optional[str]:
    """Who answers for the case (the handler, of the department) and how to reach them; said
    on open cases and in every letter to a serious or crisis case."""
    if s.judgement.closed_at is not None and s.case.severity not in SERIOUS:
        return None
    handler = s.case.handler if s.lang == "zh" else english(s, s.case.handler, "handler")
    dept = s.case.department if s.lang == "zh" else \
        english(s, s.case.department, "department")
    means = contact_means(s)
    if s.lang == "zh":
        if handler:
            who = f"{dept}的{handler}" if dept else handler
        elif dept:
            who = dept
        else:
            return None
        reach = f"如需联系{handler or who}，{means}。" if means else ""
        return f"本案由{who}负责。" + reach
    if handler:
        who = f"{handler} of {dept}" if dept else handler
        verb = "is"
    elif dept:
        who, verb = dept, "is"
    else:
        return None
    reach = f" To reach {handler or who}, {means}." if means else ""
    return f"{who} {verb} responsible for your case.{reach}"


_OUTCOME = {"zh": ("本案已于{}办结。", "处理结果：{}。", "目前的处理情况：{}。"),
            "en": ("We closed the case on {}.", "The outcome: {}.", "Where things stand: {}.")}


def outcome(s: Source) -> Optional[str]:
    """What was done: closed on a date, the reply for the customer, the amount."""
    closed_on, result, so_far = _OUTCOME[s.lang]
    closed = s.judgement.closed_at
    reply = reply_text(s)
    parts = [closed_on.format(format_date(closed, s.lang))] if closed is not None else []
    if reply:
        parts.append((result if closed is not None else so_far).format(reply))
    money = amount_sentence(s)
    if money:
        parts.append(money)
    return ("" if s.lang == "zh" else " ").join(parts) or None


def improvement(s: Source) -> Optional[str]:
    """What the office changed, only when the register's improvement column says so."""
    text = clean_reply(getattr(s.case, "improvement", ""), s.lang if s.lang == "zh" else "en")
    if not text:
        return None
    if s.lang == "zh":
        return f"针对此事，我们采取的改进措施是：{text}。"
    text = english(s, text, "improvement")
    return f"What we have changed as a result: {text}." if text else None


def satisfaction_note(s: Source, answer: str) -> Optional[str]:
    """A recorded 不满意 said as recorded (the follow-up and any later letter)."""
    if s.judgement.satisfied is not False or not answer:
        return None
    if s.lang == "zh":
        return f"您在回访中对处理结果的评价是“{answer}”，我们已如实记录。"
    return f"You rated our handling of it “{answer}”, and we have recorded that."


def invitation(s: Source) -> str:
    """The closing invitation to write or call, fitted to a recorded answer."""
    means = contact_means(s)
    unhappy = s.judgement.satisfied is False
    if means and s.names & {"responsible", "负责人说明"} and responsible(s):
        # the letter has just said how to reach the person in charge: not twice
        means = "欢迎按上述方式与我们联系" if s.lang == "zh" else "please contact us as above"
    if s.lang == "zh":
        how = means or "请直接回复本函"
        if unhappy:
            return f"如您愿意告诉我们仍未解决的问题，{how}。感谢您对我们工作的监督。"
        return f"如您还有疑问或意见，{how}。感谢您对我们工作的监督。"
    how = means or "please write back to us"
    if unhappy:
        return f"If you would tell us what is still wrong, {how}."
    return f"If you have any questions about this letter, {how}."


def covered(s: Source) -> List[str]:
    """One line for each of the customer's other cases this letter also answers: its
    reference, when and what it was about, who answers for it, and where it stands."""
    lines = []
    for case, j in s.also:
        subject = _subject(case, s)
        received = format_date(case.received_at, s.lang)
        reply = clean_reply(getattr(case, "reply_text", "") or case.resolution, "zh")
        if s.lang == "zh":
            about = f"，“{subject}”" if subject else ""
            state = f"已于{format_date(j.closed_at, 'zh')}办结" if j.closed_at else "正在办理中"
            if reply:
                state += f"，处理结果：{reply}"
            who = case.handler or case.department
            lead = f"由{case.department + '的' if case.handler and case.department else ''}" \
                   f"{who}负责，" if who else ""
            lines.append(f"投诉编号 {case.case_id}（{received}受理{about}）：{lead}{state}。")
        else:
            about = f", about “{subject}”" if subject else ""
            state = f"closed on {format_date(j.closed_at, 'en')}" if j.closed_at else \
                "still in hand"
            en_reply = clean_reply(getattr(case, "reply_en", ""), "en") or (
                clean_reply(case.resolution, "en") if case.resolution
                and not CJK.search(case.resolution) else "")
            if en_reply:
                state = f"{en_reply}; {state}"
            handler = english(s, case.handler, "handler") if case.handler else None
            dept = english(s, case.department, "department") if case.department else None
            who = f"{handler} of {dept}" if handler and dept else handler or dept
            lead = f"{who} is responsible; " if who else ""
            lines.append(f"Reference {case.case_id} (received {received}{about}): {lead}"
                         f"{state}.")
    return lines


def covered_ids(also: Sequence[tuple], lang: str) -> str:
    """The covered cases' ids on one line."""
    return ("、" if lang == "zh" else ", ").join(c.case_id for c, _ in also)


def reply_ways(s: Source) -> str:
    """How to return the rating: by post (to the address set), by phone, by e-mail."""
    t = s.table
    address, hotline, email = t[f"address_{s.lang}"], t["hotline"], t["email"]
    if s.lang == "zh":
        text = "您可以在本函上勾选后寄回给我们" + (f"（地址：{address}）" if address else "")
        text += f"，也可以致电 {hotline}" if hotline else ""
        text += f"，或发送电子邮件至 {email}" if email else ""
        return text + "。"
    text = "You can tick the boxes and return this letter" + (f" to {address}" if address else "")
    text += f", call us on {hotline}" if hotline else ""
    text += f", or email {email}" if email else ""
    return text + "."


def facts_fingerprint(case, judgement, lang: str, settings) -> str:
    """A fingerprint of the case facts a letter is drafted from (the register cells and
    judgements its sentences stand on), so that a letter whose facts changed can be told."""
    def iso(value):
        return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value

    facts = [lang, case.case_id, case.customer, case.summary, case.resolution,
             getattr(case, "reply_text", ""), getattr(case, "improvement", ""),
             getattr(case, "summary_en", ""), getattr(case, "reply_en", ""),
             case.department, case.handler, case.severity, case.category,
             getattr(case, "amount", None), case.satisfaction, getattr(case, "address", ""),
             iso(judgement.closed_at), iso(judgement.replied_at), iso(judgement.close_due),
             iso(judgement.reply_due), judgement.repeat_of, judgement.satisfied,
             judgement.reply_status in ("overdue", "late"), judgement.close_status == "late"]
    return hashlib.sha256(repr(facts).encode("utf-8")).hexdigest()[:32]


_STEPS = {"zh": ("受理您的投诉", "首次与您联系", "答复您", "本案办结"),
          "en": ("we received your complaint", "we first contacted you", "we replied to you",
                 "we closed the case")}


def timeline(s: Source) -> Optional[str]:
    """The case's recorded steps in one sentence: 2026年9月8日受理您的投诉，同日首次与您联系……"""
    j = s.judgement
    whens = (s.case.received_at, getattr(s.case, "first_contact_at", None), j.replied_at,
             j.closed_at)
    parts, last = [], None
    for when, step in zip(whens, _STEPS[s.lang]):
        if when is None:
            continue
        day = when.date()
        if s.lang == "zh":
            said = "同日" if day == last else (
                f"{when.month}月{when.day}日" if last and day.year == last.year
                else format_date(when, "zh"))
            parts.append(said + step)
        else:
            said = "the same day" if day == last else f"on {format_date(when, 'en')}"
            parts.append(f"{said} {step}" if parts else f"{step[0].upper()}{step[1:]} {said}")
        last = day
    if not parts:
        return None
    if s.lang == "zh":
        return "，".join(parts) + "。"
    return (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + "."
