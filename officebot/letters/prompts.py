"""What letters say to the office: settings, questions, and the sentences of a run."""

from typing import Callable, Dict, Iterable, List, Optional

from ..errors import UsageError

# The sender details of [letters]: a detail left blank is left out of every letter.
SENDER_KEYS = ("company_zh", "company_en", "address_zh", "address_en", "hotline", "email")


def letter_settings(settings) -> Dict[str, object]:
    """The [letters] table as checked when the settings were loaded (sender details
    stripped: a blank one is left out of the letters)."""
    table = settings.table("letters")
    table["rules"] = [dict(rule) for rule in table["rules"]]
    for key in SENDER_KEYS:
        table[key] = str(table.get(key) or "").strip()
    return table


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
