"""What letters say to the office: settings, questions, and the sentences of a run."""

from typing import Callable, Dict, Iterable, List, Optional

from ..errors import OfficebotError, UsageError
from ..letter_templates import Limits

# The sender details of [letters]: a detail left blank is left out of every letter.
SENDER_KEYS = ("company_zh", "company_en", "address_zh", "address_en", "hotline", "email")


def letter_settings(settings) -> Dict[str, object]:
    """The [letters] table as checked when the settings were loaded, as a plain dict, made
    once per Settings object and shared (read it, never change it): ``english_by_zh`` adds
    [letters] english_names as a lookup, ``template_limits`` the bounds templates render
    within (letter_templates.Limits)."""
    return settings.derived("letters_table", _letters_table)


def _letters_table(settings) -> Dict[str, object]:
    table = settings.conf.letters.as_dict()
    for key in ("rules", "english_names", "pdf_fonts"):
        table[key] = [dict(item) for item in table[key]]
    table["english_by_zh"] = {}
    for pair in table["english_names"]:
        zh, en = str(pair.get("zh", "")).strip(), str(pair.get("en", "")).strip()
        if zh and en:
            table["english_by_zh"].setdefault(zh, en)  # the first pair named wins, as before
    table["template_limits"] = Limits(int(table["template_max_range"]),
                                      int(table["template_max_output_kb"]) * 1024)
    return table


def office_sentence(exc: OfficebotError, language: str) -> str:
    """An error's one sentence in the office's language."""
    return (exc.zh or str(exc)) if language == "zh" else str(exc)


def english_gaps_sentence(gaps: Dict[tuple, List[str]], language: str) -> str:
    """Said once per run: which English letters left a sentence out, and for want of what
    (gaps: (kind, the Chinese text) -> case ids)."""
    from .sentences import GAP_LABELS
    i = 0 if language == "zh" else 1
    parts = []
    for (kind, text), ids in gaps.items():
        shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
        label = GAP_LABELS[kind][i] + (f" “{text}”" if text else "")
        parts.append(f"{label}（{shown}）" if i == 0 else f"{label} ({shown})")
    if language == "zh":
        return ("英文函件中因缺少英文内容而略去了句子：" + "；".join(parts)
                + "；请在 [letters] english_names 中填写英文名称，或在台账中加英文列"
                  "（英文投诉内容 / 英文答复内容）")
    return ("English letters left sentences out for want of English text: "
            + "; ".join(parts) + "; add English names to [letters] english_names, or English "
            "columns (English complaint / English reply) to the register")


def old_default_sentence(name: str, language: str) -> str:
    """An office copy that is an unedited earlier default: the current default was used."""
    if language == "zh":
        return (f"templates/{name} 是 officebot 早先的默认模板（未改动过），本次改用新版默认模板起草；"
                "删除该文件即可不再提示")
    return (f"templates/{name} is an unedited earlier officebot default, so the current default "
            "was used; delete the file to stop this note")


def too_old_sentence(ids: List[str], days: float, language: str) -> str:
    """The open, overdue cases too old to draft (past [letters] max_age_days)."""
    shown = ("、" if language == "zh" else ", ").join(ids[:20]) + (" ..." if len(ids) > 20
                                                                  else "")
    if language == "zh":
        return (f"{len(ids)} 件未办结的逾期案件受理已超过 {days:g} 天（[letters] max_age_days），"
                f"太旧，未起草函件：{shown}；需要时用 --case 指定编号起草")
    return (f"{len(ids)} open overdue cases are too old to draft (received more than {days:g} "
            f"days ago, [letters] max_age_days): {shown}; draft one with --case if needed")


def unknown_cases(case_ids: List[str], register_name: str = "") -> UsageError:
    """The usage error for --case ids that are not among the register's judged cases."""
    ids = ", ".join(case_ids)
    where = f" of {register_name}" if register_name else ""
    return UsageError(
        f"No case {ids} among the readable rows{where}, so nothing was drafted or written; "
        "check the case id",
        zh=f"台账{register_name}的可读行中没有编号为 {'、'.join(case_ids)} 的案件，未起草函件，"
           "也未写入台账；请核对编号")


def declined_sentence(count: int, language: str) -> str:
    """What a run says when drafting many letters was declined at the question."""
    if language == "zh":
        return f"未起草本次的 {count} 封函件（已选择不起草）；确认后再运行即可起草"
    return f"the {count} letters of this run were not drafted (declined); run again to draft them"


def confirm_many(language: str, write: Callable[[str], None],
                 ask: Optional[Callable[[str], bool]] = None) -> Callable[[int, int], bool]:
    """A ``confirm`` for draft_letters: it says how many letters the run is about to draft,
    then asks ``ask(question)`` when someone is there to answer, else goes on."""
    from ..messages import msg

    def confirm(count: int, limit: int) -> bool:
        sentence = msg(language, "letters.about_to_draft", n=count, limit=limit)
        if ask is None:
            write(sentence + msg(language, "letters.going_on"))
            return True
        write(sentence)
        return ask(msg(language, "letters.ask"))

    return confirm


SENDER_LABELS = {"company_zh": ("中文单位名称", "Chinese company name"),
                 "company_en": ("英文单位名称", "English company name"),
                 "address_zh": ("中文地址", "Chinese address"),
                 "address_en": ("英文地址", "English address"),
                 "hotline": ("客服热线", "hotline"), "email": ("邮箱", "email")}


def sender_missing_sentence(keys: Iterable[str], language: str) -> str:
    """One sentence naming the sender details left blank, e.g. for run and doctor."""
    from ..messages import msg
    i = 0 if language == "zh" else 1
    names = msg(language, "letters.sender_sep").join(
        f"{SENDER_LABELS[k][i]} {k}" for k in keys)
    return msg(language, "letters.sender_missing", names=names)


def missing_sender_details(table: Dict[str, object], languages: Iterable[str] = ("zh", "en")
                           ) -> List[str]:
    """The [letters] sender keys left blank that letters in ``languages`` would show."""
    langs = set(languages)
    return [key for key in SENDER_KEYS if not table.get(key)
            and (key[-3:] not in ("_zh", "_en") or key[-2:] in langs)]
