"""The sentences catalog (officebot.messages): every key the code names is there."""

import ast
from pathlib import Path

from officebot.messages import CATALOGS, MESSAGES, msg, pair

ROOT = Path(__file__).resolve().parents[1] / "officebot"
# call -> (index of the key argument, prefix the callee puts before it)
CALLS = {"msg": (1, ""), "both": (1, ""), "pair": (0, ""), "_pair": (0, "setting."),
         "fail": (1, "setting."), "bad_setting": (2, "setting."),
         "refuse": (1, ""), "too_large": (2, "")}  # a template refused, a part too large


def named_keys():
    """(file:line, key) for every literal key given to msg/both/pair and settings' helpers."""
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in CALLS:
                continue
            at, prefix = CALLS[name]
            if name == "fail" and path.name != "settings.py":
                continue
            if len(node.args) > at and isinstance(node.args[at], ast.Constant) \
                    and isinstance(node.args[at].value, str):
                yield f"{path.name}:{node.lineno}", prefix + node.args[at].value


def test_every_key_the_code_names_is_in_the_catalog():
    keys = list(named_keys())
    assert len(keys) > 50  # the scan finds the calls
    assert [(where, key) for where, key in keys if key not in MESSAGES] == []


def test_every_sentence_has_english_the_fallback():
    # help.*: the English --help is the commands' own docstrings and option helps
    assert [key for key, texts in MESSAGES.items()
            if "en" not in texts and not key.startswith("help.")] == []
    assert set(CATALOGS["en"]) == {k for k in MESSAGES if "en" in MESSAGES[k]}
    assert set(CATALOGS["zh"]) <= set(MESSAGES)


def test_msg_falls_back_to_english_and_fills_values():
    assert msg("zh", "status.overdue") == "已逾期"
    assert msg("fr", "status.overdue") == "Overdue"
    assert msg("en", "problem.duplicate_id", id="C1", row=3) == 'case number "C1" repeats row 3'
    assert pair("run.saved_meanwhile", name="r.xlsx")[1].startswith("r.xlsx 在 officebot")


def test_english_counts_say_one_in_the_singular_and_chinese_is_unchanged():
    head = dict(name="r.xlsx", sheet="s", as_of="2026-03-10 12:00")
    assert msg("en", "run.head", n=1, problems=1, **head) == \
        "r.xlsx, sheet s: 1 case judged as at 2026-03-10 12:00; 1 problem row"
    assert msg("en", "run.head", n=3, problems=0, **head) == \
        "r.xlsx, sheet s: 3 cases judged as at 2026-03-10 12:00; 0 problem rows"
    assert msg("zh", "run.head", n=1, problems=1, **head) == \
        "r.xlsx，工作表“s”：截至 2026-03-10 12:00 判断 1 件案件；问题行 1 行"
    assert msg("en", "cases", n=1) == "1 case" and msg("en", "cases", n=2) == "2 cases"
    assert msg("en", "run.cells", cells=1, rows=1) == "1 status cell in 1 row would change"
    for key, texts in MESSAGES.items():   # no count's word left unfilled
        if "en" in texts and "|" in texts["en"] and "{" in texts["en"]:
            assert "|" not in msg("en", key, **_values(texts["en"], 1)), key


def _values(text, n):
    import string
    return {name.split(".")[0].split("[")[0]: n for _, name, _, _ in string.Formatter().parse(text)
            if name}
