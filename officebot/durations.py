"""How long, as people say it: "3天4小时", "5小时", "不到1小时" / "3 d 4 h", "5 h", "< 1 h"."""


def duration_text(hours: float, language: str, days_from: float = 24) -> str:
    """``hours`` (its size; the sign is the caller's) in days and hours from ``days_from``
    hours on, else in hours; under an hour says so."""
    zh = language == "zh"
    size = abs(hours)
    if size < 1:
        return "不到1小时" if zh else "< 1 h"
    whole = int(size)
    if size < days_from:
        return f"{whole}小时" if zh else f"{whole} h"
    days, rest = divmod(whole, 24)
    if zh:
        return f"{days}天" + (f"{rest}小时" if rest else "")
    return f"{days} d" + (f" {rest} h" if rest else "")
