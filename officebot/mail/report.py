"""What the clerk reads after ``officebot mail``: one summary line of counts, then the one
sentence that matters; each letter's line goes to logs/mail.log (and to the console with
--verbose). Addresses are masked here as [privacy] mask says; Message-IDs never are (they
only look like addresses)."""

from pathlib import Path
from typing import List

from ..messages import msg
from ..privacy import mask
from .addresses import header_text

ID_LIMIT = 10     # case ids named in the sentence


def _shown(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def _ids(items, language: str, masked: bool = True) -> str:
    ids = list(dict.fromkeys(header_text(i.case.case_id) for i in items))
    if masked:  # a phone number used as a case id
        ids = [mask(i) for i in ids]
    more = msg(language, "mail.more_ids", n=len(ids) - ID_LIMIT) if len(ids) > ID_LIMIT else ""
    return msg(language, "mail.sep_ids").join(ids[:ID_LIMIT]) + more


def detail_lines(out) -> List[str]:
    """What happened to each letter, one line each."""
    language = out.language
    w = lambda key, **v: msg(language, "mail." + key, **v)  # noqa: E731
    # a phone number used as a case id (and in a draft's file name) is masked like one
    addr = (lambda text: mask(text)) if out.mask else (lambda text: text)  # noqa: E731
    lines = list(out.notes)
    for item, mid in out.sent:
        lines.append(w("sent_line", case=addr(item.case.case_id), kind=item.kind,
                       to=addr(", ".join(item.to)), mid=mid))
    for item, where in out.drafts:
        lines.append(w("draft_line", case=addr(item.case.case_id), kind=item.kind,
                       where=addr(where)))
    for item, reply in out.refused:
        lines.append(w("refused_line", case=addr(item.case.case_id), to=addr(", ".join(item.to)),
                       reply=addr(reply)))
    for item in out.plan.refused:
        lines.append(w("refused_before_line", case=addr(item.case.case_id), kind=item.kind,
                       to=addr(item.state.to or ", ".join(item.to))))
    for item, reply in out.deferred:
        lines.append(w("deferred_line", case=addr(item.case.case_id), to=addr(", ".join(item.to)),
                       reply=addr(reply)))
    for item in out.plan.invalid:
        lines.append(w("invalid_line", case=addr(item.case.case_id), bad=addr(", ".join(item.bad))))
    for item in out.unknown_now + out.plan.unknown:
        lines.append(w("unknown_line", case=addr(item.case.case_id), kind=item.kind,
                       to=addr(item.state.to or ", ".join(item.to)), at=item.state.at or "-"))
    for item in out.plan.stale:
        lines.append(w("stale_line", case=addr(item.case.case_id), kind=item.kind,
                       why=w("stale_" + item.reason)))
    for item in out.plan.unsendable:
        lines.append(w("unsendable_line", case=addr(item.case.case_id), kind=item.kind,
                       why=addr(item.reason)))
    for item, by in out.plan.superseded:
        lines.append(w("superseded_line", case=addr(item.case.case_id), kind=item.kind, by=by))
    for item in out.plan.held:
        lines.append(w("held_line", case=addr(item.case.case_id), kind=item.kind))
    for item in out.plan.nowhere:
        lines.append(w("nowhere_line", case=addr(item.case.case_id), kind=item.kind))
    for item in out.plan.post:
        lines.append(w("post_line", case=addr(item.case.case_id),
                       customer=header_text(item.case.customer) or "-", letter=item.docx))
    lines.extend(w("problem", p=p) for p in out.problems)
    lines.extend(w("problem", p=p) for p in getattr(out.batch, "letter_problems", None) or [])
    return lines


def summary_line(out) -> str:
    """The counts: sent (or drafted), deferred, refused, to check, to post, not deliverable."""
    language = out.language
    w = lambda key, **v: msg(language, "mail." + key, **v)  # noqa: E731
    plan = out.plan
    if out.mode == "dry-run":
        first = w("n_would", n=len(plan.mail))
    elif out.mode == "send":
        first = w("n_sent", n=len(out.sent))
    else:
        first = w("n_drafts", n=len(out.drafts))
    parts = [first, w("n_deferred", n=len(out.deferred)),
             w("n_refused", n=len(out.refused) + len(plan.refused)),
             w("n_check", n=len(out.to_check)), w("n_post", n=len(plan.post)),
             w("n_nowhere", n=len(plan.nowhere))]
    if plan.held:
        parts.append(w("n_held", n=len(plan.held)))
    if out.redrafted:
        parts.append(w("n_redrafted", n=out.redrafted))
    return w("summary", parts=w("comma").join(parts))


def result_sentence(out) -> str:
    """The one sentence that matters most after this run."""
    language = out.language
    w = lambda key, **v: msg(language, "mail." + key, **v)  # noqa: E731
    plan = out.plan
    if out.error is not None:
        text = out.error.zh if language == "zh" and out.error.zh else out.error.text(language)
        return text.rstrip("。.") + w("end")
    if not out.confirmed:
        return w("not_confirmed") + w("end")
    unknown = out.unknown_now + plan.unknown
    checks = [("unknown", unknown), ("invalid", plan.invalid), ("unsendable", plan.unsendable),
              ("stale", plan.stale)]
    if out.mode == "send":
        checks += [("refused", [i for i, _ in out.refused] + plan.refused),
                   ("deferred", [i for i, _ in out.deferred])]
    for key, items in checks:
        if items:
            return w(key, n=len(items), ids=_ids(items, language, out.mask)) + w("end")
    if out.mode == "dry-run":
        return w("dry", n=len(plan.mail)) + w("end")
    if out.sender_missing:
        return w("sender_missing", keys=", ".join(f"[letters] {k}" for k in out.sender_missing)
                 ) + w("end")
    if out.register_note is not None:
        return w("register_later") + w("end")
    if out.post_pdf is not None:  # what to print now comes first; the counts say the rest
        return w("post_pdf", n=len(plan.post), path=_shown(out.post_pdf, out.folder)) + w("end")
    if plan.nowhere:
        return w("nowhere", n=len(plan.nowhere),
                 ids=_ids(plan.nowhere, language, out.mask)) + w("end")
    if plan.post:
        return w("post", n=len(plan.post)) + w("end")
    if out.mode == "draft" and out.drafts:
        return w("drafts", where=out.drafts_where) + w("end")
    if out.mode == "send" and out.sent:
        return w("see") + w("end")
    return w("nothing") + w("end")


def console_lines(out, verbose: bool = False) -> List[str]:
    """What the console shows: (every letter's line with ``verbose``), a note said once
    (a journal rebuilt), the summary, the sentence."""
    lines = detail_lines(out) if verbose else list(out.notes)
    return lines + [summary_line(out), result_sentence(out)]
