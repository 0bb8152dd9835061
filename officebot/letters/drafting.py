"""draft_letters: plan the run's letters, fill the templates, write the files."""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Tuple

from jinja2 import TemplateError as JinjaError

from ..errors import OfficebotError, TemplateError, UsageError
from ..filenames import resolves_inside, safe_file_stem
from ..messages import msg, pair
from ..letter_templates import KIND_NAMES, KINDS, MissingValue, PreparedTemplate, \
    template_path
from .choosing import choose_letters, combine_letters, conditions_met, letter_language
from ..workbook import safety
from .files import (MANIFEST_NAME, Manifest, _damaged, _existing_files, _file_fingerprint,
                    _Listing, _open_in_word, fingerprint)
from .lock import LOCK_NAME
from .placeholders import letter_values
from .proof import load_template
from .prompts import (english_gaps_sentence, letter_settings,
                      missing_sender_details, office_sentence, old_default_sentence,
                      too_old_sentence, unknown_cases)
from .sentences import Source, facts_fingerprint, promised_date

# The placeholders by which a letter promises a date (recorded in the manifest as "promised").
PROMISE_NAMES = frozenset({"promise", "后续安排", "promised_by", "承诺日期"})


def _lang_of(template_name: str) -> str:
    return "en" if template_name.endswith("_en.docx") else "zh"

@dataclass
class Letter:
    """One letter drafted, or skipped with the reason why."""

    case_id: str
    kind: str
    path: str          # relative to the working folder, with / separators
    template: str = ""
    reason: str = ""   # for skipped letters


@dataclass
class LettersResult:
    """What draft_letters did: letters written, skipped, problems, and files per row."""

    out_dir: Path
    drafted: List[Letter] = field(default_factory=list)
    skipped: List[Letter] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    files_by_row: Dict[int, List[str]] = field(default_factory=dict)
    pdfs: List[str] = field(default_factory=list)
    missing_sender: List[str] = field(default_factory=list)  # [letters] keys left blank
    too_old: List[str] = field(default_factory=list)   # open, overdue, past max_age_days
    english_gaps: Dict[str, List[str]] = field(default_factory=dict)  # what -> case ids
    declined: int = 0   # letters the clerk chose not to draft at the question (no problem)
    language: str = "zh"  # the office's: of the problems and the reasons


def draft_letters(result, settings, folder: Path, *, kinds: Optional[Iterable[str]] = None,
                  case_ids: Optional[Iterable[str]] = None, redo: bool = False,
                  pdf: bool = False, progress: Optional[Callable[[int, int], None]] = None,
                  confirm: Optional[Callable[[int, int], bool]] = None) -> LettersResult:
    """Draft the letters every case of ``result`` needs into folder/letters/YYYY-MM/.

    ``confirm(n, limit)`` is asked before drafting more than [letters] confirm_over letters;
    when it returns False no letter is drafted, and ``declined`` holds their number. An unknown id in ``case_ids`` is a UsageError
    raised before anything is written.
    """
    table = letter_settings(settings)
    folder = Path(folder)
    as_of = result.as_of
    letters_dir = folder / "letters"
    out = LettersResult(out_dir=letters_dir / f"{as_of:%Y-%m}",
                        language=getattr(settings, "language", "zh"))
    kinds = list(KINDS) if kinds is None else [kinds] if isinstance(kinds, str) else list(kinds)
    if isinstance(case_ids, str):
        case_ids = [case_ids]
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(msg("en", "letters.no_kind", kind=kind, kinds=", ".join(KINDS)),
                             msg("zh", "letters.no_kind", kind=kind, kinds="、".join(KINDS)))
    wanted = None if case_ids is None else {str(c).strip() for c in case_ids}
    if wanted is not None:
        unknown = sorted(wanted - {c.case_id for c in result.cases})
        if unknown:
            raise unknown_cases(unknown, getattr(getattr(result, "path", None), "name", ""))
    followup_days = settings.conf.clocks.followup_days
    oldest = as_of - dt.timedelta(days=table["max_age_days"]) if table["max_age_days"] else None
    register_language = getattr(result, "language", None) or getattr(settings, "language", "zh")
    try:
        manifest = Manifest(letters_dir / MANIFEST_NAME)
    except OfficebotError as exc:  # without it hand edits cannot be told: draft nothing
        out.problems.append(office_sentence(exc, out.language))
        return out

    # Plan first, so that each template is prepared once and only when needed.
    plan = []
    for case, judgement in zip(result.cases, result.judgements):
        if wanted is not None and case.case_id not in wanted:
            continue
        if oldest is not None and case.received_at < oldest and wanted is None:
            # old cases get no new letters (asking for a case by id still works); the open
            # and overdue ones are listed, so that none is passed over unseen
            if judgement.closed_at is None and "overdue" in (judgement.reply_status,
                                                             judgement.close_status):
                out.too_old.append(case.case_id)
            continue
        lang = letter_language(case, table, register_language)
        met = conditions_met(case, judgement, as_of, followup_days)
        chosen = [(kind, base) for kind, base in
                  choose_letters(case, judgement, lang, met, table["rules"]) if kind in kinds]
        if table["combine"]:
            chosen = combine_letters(
                chosen, lambda kind, c=case.case_id: redo or manifest.get(c, kind) is None,
                manifest.last_drafted(case.case_id, ("apology", "response")), as_of,
                followup_days, bool((manifest.get(case.case_id, "response") or {}).get(
                    "with_apology")))
        else:
            chosen = [(kind, base, False) for kind, base in chosen]
        for kind, base, carries in chosen:
            plan.append(_Planned(case, judgement, kind, f"{base}_{lang}.docx", lang,
                                 carries or kind == "apology"))
    plan, covered = _one_per_customer(plan, manifest, redo) if table["combine"] else (plan, [])
    to_draft = sum(1 for item in plan if redo or manifest.get(item.case.case_id, item.kind)
                   is None)
    limit = table["confirm_over"]
    if limit and to_draft > limit and confirm is not None and not confirm(to_draft, limit):
        out.declined = to_draft
        plan, covered = [], []

    templates: Dict[str, Optional[PreparedTemplate]] = {}
    for name in sorted({item.name for item in plan}):
        path = template_path(name, folder)
        office = folder / "templates" / name
        if path is not None and path != office and office.is_file():
            out.problems.append(old_default_sentence(name, settings.language))
        if path is None:
            out.problems.append(office_sentence(TemplateError(
                *pair("letters.template_missing", name=name)), settings.language))
            templates[name] = None
            continue
        try:
            templates[name] = load_template(path, table, _lang_of(name))
        except TemplateError as exc:
            out.problems.append(office_sentence(exc, settings.language))
            templates[name] = None

    listing = _Listing(folder)
    languages: set = set()
    amount_col = getattr(result, "columns", {}).get("amount")
    facts = RunFacts({c.case_id: (c, j) for c, j in zip(result.cases, result.judgements)},
                     getattr(result, "headers", {}).get(amount_col, "") if amount_col else "")
    lock = safety.FileLock(letters_dir / LOCK_NAME)
    if plan:
        safety.ensure_subfolder(folder, "letters")
    if plan and not lock.acquire():
        out.problems.append(msg(out.language, "letters.drafting_locked", folder=letters_dir,
                                lock=LOCK_NAME))
        plan = []
    try:
        for done, (case, judgement, kind, name, lang, apology_due, also) in enumerate(plan, 1):
            if progress is not None:
                progress(done, len(plan))
            template = templates[name]
            if template is None:
                continue
            try:
                if _draft_one(case, judgement, kind, template, lang, table, as_of, folder, out,
                              manifest, redo, listing, apology_due, also, facts):
                    languages.add(lang)
            except (JinjaError, TemplateError) as exc:  # an office-edited template at run time
                if not isinstance(exc, TemplateError):
                    exc = TemplateError(*pair("letters.template_unfillable", name=name))
                out.problems.append(office_sentence(exc, settings.language))
                templates[name] = None
        _note_covered(covered, manifest, out)
    finally:
        try:
            if out.drafted or covered or manifest.adopted:
                manifest.save()
        finally:
            lock.release()

    # A letter drafted again makes its old PDF stale: convert it again even without --pdf.
    docx = [folder / letter.path for letter in out.drafted
            if pdf or listing.exists(letter.path[:-len(".docx")] + ".pdf")]
    if pdf:
        docx += [folder / letter.path for letter in out.skipped
                 if manifest.get(letter.case_id, letter.kind)
                 and (folder / letter.path).exists()
                 and not (folder / letter.path).with_suffix(".pdf").exists()]
    if docx:
        from ..pdf import convert_to_pdf
        made, problem = convert_to_pdf(docx, timeout=table["pdf_timeout_seconds"],
                                       fonts=table["pdf_fonts"], language=out.language)
        out.pdfs = [p.relative_to(folder).as_posix() for p in made]
        for rel in out.pdfs:
            listing.add(rel)
        if problem:
            out.problems.append(problem)

    for case in result.cases:
        out.files_by_row[case.row] = _existing_files(case.case_id, manifest, listing)
    out.missing_sender = missing_sender_details(table, sorted(languages))
    if out.too_old:
        out.problems.append(too_old_sentence(out.too_old, table["max_age_days"],
                                             settings.language))
    if out.english_gaps:
        out.problems.append(english_gaps_sentence(out.english_gaps, settings.language))
    return out


class _Planned(NamedTuple):
    case: object
    judgement: object
    kind: str
    name: str          # template file name
    lang: str
    apology_due: bool  # the letter carries the apology (an apology, or a response with it)
    also: Tuple[tuple, ...] = ()  # (case, judgement) of the customer's other cases it answers


def person(case) -> tuple:
    """Who a letter goes to: the contact (phone, else e-mail) and the name, so that two people
    sharing one phone number get letters of their own."""
    return case.identity, " ".join((case.customer or "").split()).casefold()


def _one_per_customer(plan: List[_Planned], manifest: "Manifest", redo: bool
                      ) -> Tuple[List[_Planned], List[Tuple[_Planned, str]]]:
    """No customer gets two letters of one kind in one run: of a customer's cases due the same
    kind, the latest case's letter goes out (it names the earlier case of a repeat) and covers
    the others. Returns the plan kept and [(letter left out, case id of the one covering it)]."""
    def fresh(item: _Planned) -> bool:
        return redo or manifest.get(item.case.case_id, item.kind) is None

    plan = [item for item in plan if redo or not manifest.covered_by(item.case.case_id, item.kind)]
    newest: Dict[tuple, _Planned] = {}
    for item in plan:
        if item.case.identity is not None and fresh(item):
            key = (person(item.case), item.kind)
            best = newest.get(key)
            if best is None or (item.case.received_at, item.case.row) > \
                    (best.case.received_at, best.case.row):
                newest[key] = item
    # nor a follow-up on the day another of the customer's cases gets a letter: it waits
    busy = {person(item.case) for item in plan if item.kind != "followup" and fresh(item)
            and item.case.identity is not None}
    plan = [item for item in plan if item.kind != "followup" or not fresh(item)
            or person(item.case) not in busy]
    kept, covered = [], []
    also: Dict[int, List[tuple]] = {}
    for item in plan:
        winner = newest.get((person(item.case), item.kind))
        if winner is None or winner is item or not fresh(item):
            kept.append(item)
        else:
            covered.append((item, winner.case.case_id))
            also.setdefault(id(winner), []).append((item.case, item.judgement))
    return [item._replace(also=tuple(also.get(id(item), ()))) for item in kept], covered


def _note_covered(covered: List[Tuple[_Planned, str]], manifest: "Manifest",
                  out: LettersResult) -> None:
    """Record the letters left out because the same customer's other letter went out."""
    drafted = {(letter.case_id, letter.kind): letter.path for letter in out.drafted}
    for item, by in covered:
        path = drafted.get((by, item.kind))
        if path is None:
            continue  # the covering letter was not drafted: this one is tried next run
        manifest.cover(item.case.case_id, item.kind, by)
        out.skipped.append(Letter(item.case.case_id, item.kind, path, item.name,
                                  msg(out.language, "letters.skip.covered", by=by)))


class RunFacts(NamedTuple):
    """What every letter of a run may need besides its own case."""

    by_id: Dict[str, tuple]   # case id -> (case, judgement)
    amount_header: str        # the register's own header of the amount column


def _draft_one(case, judgement, kind, template, lang, table, as_of, folder, out, manifest,
               redo, listing, apology_due=False, also=(), facts: Optional[RunFacts] = None
               ) -> bool:
    """Draft one letter unless it must be left alone; True when it was written."""
    entry = manifest.get(case.case_id, kind)
    if entry:
        rel = entry["path"]
    else:
        rel = f"letters/{as_of:%Y-%m}/{safe_file_stem(case.case_id)}_{kind}.docx"
    target = folder / rel
    if not resolves_inside(target.parent, folder / "letters"):
        out.problems.append(msg(out.language, "letters.link_outside", rel=rel))
        return False
    exists = listing.exists(rel)
    if exists:
        if entry is None:
            if not _damaged(target):
                out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                          msg(out.language, "letters.skip.not_ours")))
                return False
            redo = True  # a letter cut short before officebot could record it
        elif _file_fingerprint(target) != entry.get("fingerprint"):
            if not _damaged(target):
                out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                          msg(out.language, "letters.skip.edited")))
                return False
            redo = True  # officebot's own letter, cut short: draft it again
    if entry and not redo:
        out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                  msg(out.language, "letters.skip.drafted")))
        return False
    if exists and _open_in_word(target):
        out.skipped.append(Letter(case.case_id, kind, rel, template.name,
                                  msg(out.language, "letters.skip.open")))
        return False
    facts = facts or RunFacts({}, "")
    gaps: List[str] = []
    first = not any(manifest.get(case.case_id, k) for k in KINDS if k != kind)
    values = letter_values(case, judgement, lang, table, as_of, template.names, apology_due,
                           also, original=facts.by_id.get(judgement.repeat_of or ""),
                           first_letter=first, amount_header=facts.amount_header, gaps=gaps)
    company = table.get(f"company_{lang}") or table.get("company_zh") or \
        table.get("company_en") or ""
    properties = {"title": f"{KIND_NAMES[kind][0 if lang == 'zh' else 1]} {case.case_id}",
                  "author": company, "created": as_of.strftime("%Y-%m-%dT%H:%M:%SZ")}
    try:
        data = template.fill(values, properties)
    except MissingValue as exc:
        out.problems.append(msg(
            out.language, "letters.missing_value", name=template.name, placeholder=exc.name,
            case=case.case_id, kind=KIND_NAMES[kind][0] if out.language == "zh" else kind))
        return False
    rel_dir = rel.rpartition("/")[0]
    if not listing.dir_exists(rel_dir):
        safety.ensure_subfolder(folder, *rel_dir.split("/"))
    entry = {"path": rel, "fingerprint": fingerprint(data), "template": template.name,
             "drafted_at": as_of.isoformat(timespec="seconds"),
             "facts": facts_fingerprint(case, judgement, lang, table)}
    promised = promised_date(Source(case, judgement, lang, table, as_of))
    if promised is not None and template.names & PROMISE_NAMES:
        entry["promised"] = promised.date().isoformat()
    if also:
        entry["covers"] = [c.case_id for c, _ in also]
    if kind == "response" and apology_due:
        entry["with_apology"] = True  # so that no separate apology follows it
    try:
        manifest.intend(case.case_id, kind, entry)
        if exists:  # letters skip fsync: one cut short is no package and is drafted again
            safety.write_bytes(target, data, sync=False)
        else:  # a new file: exclusive create, never replacing one that appeared meanwhile
            safety.write_new(target, data)
    except OSError as exc:
        out.problems.append(msg(out.language, "letters.not_written", rel=rel,
                                why=exc.strerror or exc))
        return False
    manifest.put(case.case_id, kind, entry)
    listing.add(rel)
    for what in dict.fromkeys(gaps):
        ids = out.english_gaps.setdefault(what, [])
        if case.case_id not in ids:
            ids.append(case.case_id)
    out.drafted.append(Letter(case.case_id, kind, rel, template.name))
    return True


def english_gaps(result, settings) -> Dict[tuple, List[str]]:
    """What the English letters of the register's cases would leave out for want of English
    text ((kind, Chinese text) -> case ids), without drafting anything (for doctor)."""
    table = letter_settings(settings)
    register_language = getattr(result, "language", None) or settings.language
    gaps: Dict[tuple, List[str]] = {}
    for case, judgement in zip(result.cases, result.judgements):
        if letter_language(case, table, register_language) != "en":
            continue
        found: List[tuple] = []
        letter_values(case, judgement, "en", table, result.as_of, gaps=found)
        for what in dict.fromkeys(found):
            gaps.setdefault(what, []).append(case.case_id)
    return gaps
