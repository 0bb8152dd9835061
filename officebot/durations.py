"""How long, as people say it: "3天4小时", "5小时", "不到1小时" / "3 d 4 h", "5 h", "< 1 h"."""

from .messages import msg


def duration_text(hours: float, language: str, days_from: float = 24) -> str:
    """``hours`` (its size; the sign is the caller's) in days and hours from ``days_from``
    hours on, else in hours; under an hour says so."""
    size = abs(hours)
    if size < 1:
        return msg(language, "duration.under_hour")
    whole = int(size)
    if size < days_from:
        return msg(language, "duration.hours", hours=whole)
    days, rest = divmod(whole, 24)
    if rest:
        return msg(language, "duration.days_hours", days=days, hours=rest)
    return msg(language, "duration.days", days=days)
