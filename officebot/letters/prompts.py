"""What letters say to the office: settings, questions, and the sentences of a run."""

from typing import Callable, Dict, Iterable, List, Optional

from ..errors import OfficebotError, UsageError
from ..letter_templates import Limits
from ..messages import msg

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
    return exc.sentence(language)


def english_gaps_sentence(gaps: Dict[tuple, List[str]], language: str) -> str:
    """Said once per run: which English letters left a sentence out, and for want of what
    (gaps: (kind, the Chinese text) -> case ids)."""
    parts = []
    for (kind, text), ids in gaps.items():
        shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
        label = msg(language, "letters.gap." + kind) + (f" “{text}”" if text else "")
        parts.append(msg(language, "letters.gap_part", label=label, ids=shown))
    return msg(language, "letters.english_gaps",
               parts=msg(language, "letters.gap_sep").join(parts))


def old_default_sentence(name: str, language: str) -> str:
    """An office copy that is an unedited earlier default: the current default was used."""
    return msg(language, "letters.old_default", name=name)


def too_old_sentence(ids: List[str], days: float, language: str) -> str:
    """The open, overdue cases too old to draft (past [letters] max_age_days)."""
    shown = msg(language, "list_sep").join(ids[:20]) + (" ..." if len(ids) > 20 else "")
    return msg(language, "letters.too_old", n=len(ids), days=days, ids=shown)


def unknown_cases(case_ids: List[str], register_name: str = "") -> UsageError:
    """The usage error for --case ids that are not among the register's judged cases."""
    where = msg("en", "letters.of_register", name=register_name) if register_name else ""
    return UsageError(msg("en", "letters.unknown_cases", ids=", ".join(case_ids), where=where),
                      msg("zh", "letters.unknown_cases", ids="、".join(case_ids),
                          where=register_name))


def declined_sentence(count: int, language: str) -> str:
    """What a run says when drafting many letters was declined at the question."""
    return msg(language, "letters.declined", n=count)


def confirm_many(language: str, write: Callable[[str], None],
                 ask: Optional[Callable[[str], bool]] = None) -> Callable[[int, int], bool]:
    """A ``confirm`` for draft_letters: it says how many letters the run is about to draft,
    then asks ``ask(question)`` when someone is there to answer, else goes on."""
    def confirm(count: int, limit: int) -> bool:
        sentence = msg(language, "letters.about_to_draft", n=count, limit=limit)
        if ask is None:
            write(sentence + msg(language, "letters.going_on"))
            return True
        write(sentence)
        return ask(msg(language, "letters.ask"))

    return confirm


SENDER_LABELS = {key: (msg("zh", "letters.sender." + key), msg("en", "letters.sender." + key))
                 for key in SENDER_KEYS}


def sender_missing_sentence(keys: Iterable[str], language: str) -> str:
    """One sentence naming the sender details left blank, e.g. for run and doctor."""
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
