"""The rule that keeps the sentences in one catalog: no Chinese outside officebot.messages
and a few modules of data, and every entry of the catalog in both languages alike."""

import ast
import re
import string
from pathlib import Path

import pytest

from officebot.messages import CATALOGS, MESSAGES, answers, msg

ROOT = Path(__file__).resolve().parents[1] / "officebot"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Modules of data, not sentences to a clerk: Chinese may stand anywhere in them.
DATA_MODULES = {
    "messages.py": "the catalog itself",
    "fields.py": "the register's header aliases, as offices type them",
    "values.py": "how dates, severities and amounts are typed in a register (parsing)",
    "demo.py": "the demo register's rows",
    "letter_templates.py": "the placeholder names and the default templates' text",
    "letters/sentences.py": "the letters' own text, to the customer",
    "letters/placeholders.py": "the customer-facing phrases of the placeholders",
    "letters/proof.py": "the sample cases a template is proven with (register values)",
}
# Single words of data in other modules: what is read back or typed in, not said.
DATA_WORDS = {
    "rules.py": {"按时", "超时"},  # statuses earlier versions wrote, read back
    "records.py": {"一般"},  # a case's severity when the register leaves it blank
    "letters/choosing.py": {"中文", "汉语", "普通话", "简体中文", "简体", "英文", "英语"},  # the language column
    "letters/drafting.py": {"后续安排", "承诺日期"},  # placeholder names
    "mail/message.py": {"投诉编号", "客户姓名", "函件名称", "公司名称", "客服热线", "公司邮箱",
                        "公司地址", "函件日期", "受理日期", "投诉类别", "责任部门", "处理人",
                        "函件正文", "附件", r"^\s*(?:主题|subject)\s*[:：]\s*(.*)$"},
}


def _docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                yield body[0].value


def _help_texts(tree):
    """click's help= texts: the English --help, written where its option is."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "help":
                    yield from ast.walk(kw.value)


def chinese_literals(path: Path):
    """(line, text) of each string literal holding Chinese, docstrings and help= left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for n in _docstrings(tree)} | {id(n) for n in _help_texts(tree)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in skip and CJK.search(node.value):
            yield node.lineno, node.value


def test_no_chinese_sentence_outside_the_catalog():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in DATA_MODULES:
            continue
        allowed = DATA_WORDS.get(name, set())
        found += [f"{name}:{line}: {text!r}" for line, text in chinese_literals(path)
                  if text not in allowed]
    assert found == [], "put these sentences in officebot/messages.py and read them with msg()"


def test_the_scan_finds_a_chinese_literal(tmp_path):
    # the rule can fail: a sentence written inline is found, a docstring and a help= are not
    module = tmp_path / "m.py"
    module.write_text('"""模块说明。"""\nimport click\n'
                      'opt = click.option("--x", help="例如 2026年")\n'
                      'def f(zh):\n    """函数。"""\n    return "已完成" if zh else "done"\n',
                      encoding="utf-8")
    assert list(chinese_literals(module)) == [(6, "已完成")]


def test_the_allowlists_name_modules_that_exist():
    for name in (*DATA_MODULES, *DATA_WORDS):
        assert (ROOT / name).is_file(), name


def _fields(text: str):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# Entries whose two sentences are filled with different values, and why: (fields only the
# Chinese has, fields only the English has).
UNEVEN = {
    # a list given in each language (…_zh / …_en), and the Chinese quotes the value typed
    "setting.choice": ({"options_zh", "value"}, {"options_en"}),
    "setting.column_field": ({"fields_zh"}, {"fields_en"}),
    "setting.rule_key": ({"keys_zh"}, {"keys_en"}),
    "setting.rule_kind": ({"kinds_zh"}, {"kinds_en"}),
    "setting.rule_when": ({"conditions_zh"}, {"conditions_en"}),
    "setting.time": ({"value"}, set()),
    "setting.level": ({"value"}, set()),
    "setting.sender": ({"value"}, set()),
    "setting.colour": ({"value"}, set()),
    # who holds the workbook, worded for each language ("他人" / "")
    "safety.open_in_excel": ({"who"}, {"by"}),
    # the server's or parser's own words: in the English, which a Chinese error shows
    # alongside (OfficebotError.text)
    "setting.unreadable": (set(), {"error"}),
    "mail.smtp_login_refused": (set(), {"why"}),
    "mail.imap_login_refused": (set(), {"env", "imap_env", "why"}),
    "mail.imap_append_failed": (set(), {"why"}),
    "mail.journal_unreadable": (set(), {"why"}),
    "mail.template_unreadable": (set(), {"exc"}),
    "mail.template_bad": (set(), {"exc"}),
    "mail.template_unknown": (set(), {"known"}),
    "proof.not_docx": (set(), {"exc"}),
}


def test_every_entry_has_both_languages_with_the_same_fields():
    # help.*: the English --help is the commands' own docstrings and option helps
    odd = [key for key, texts in MESSAGES.items()
           if not key.startswith("help.") and set(texts) != {"zh", "en"}]
    assert odd == []
    uneven = {key: (_fields(texts["zh"]) - _fields(texts["en"]),
                    _fields(texts["en"]) - _fields(texts["zh"]))
              for key, texts in MESSAGES.items() if set(texts) == {"zh", "en"}
              and _fields(texts["zh"]) != _fields(texts["en"])}
    assert uneven == UNEVEN


def test_the_fields_check_can_fail():
    assert _fields("{a} 与 {b:,} 和 {{c}}") == {"a", "b"}
    assert _fields("{a}") != _fields("{b}")


def test_no_key_is_written_twice():
    # a dict literal keeps the last of two equal keys silently
    tree = ast.parse((ROOT / "messages.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.AnnAssign)
                and n.target.id == "MESSAGES")
    keys = [k.value for k in node.value.keys]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
    assert len(keys) == len(MESSAGES)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_catalogs_fill_in(lang):
    assert msg(lang, "doctor.register_detail", name="r.xlsx", sheet="台账", cases=3,
               problems=1) == {"zh": "r.xlsx：工作表“台账”，3 件，1 行有误",
                               "en": "r.xlsx: sheet '台账', 3 cases, 1 problem row"}[lang]
    assert CATALOGS[lang]["proof.braces"].count("{{{{") == 1  # braces a template shows, doubled
    assert "{{ }}" in msg(lang, "proof.braces")


def test_answers_take_either_language():
    assert {"y", "yes", "是", "确认"} <= answers("answer.yes")
    assert {"n", "no", "否"} <= answers("answer.no")
    assert not answers("answer.yes") & answers("answer.no")


@pytest.mark.parametrize("key, values, expected", [
    ("doctor.register_detail", dict(name="r.xlsx", sheet="s", cases=1, problems=2),
     "r.xlsx: sheet 's', 1 case, 2 problem rows"),
    ("letters.declined", dict(n=1),
     "the letter of this run was not drafted (declined); run again to draft it"),
    ("letters.declined", dict(n=4),
     "the 4 letters of this run were not drafted (declined); run again to draft them"),
    ("letters.too_old", dict(n=1, days=90.0, ids="C1"),
     "1 open overdue case is too old to draft (received more than 90 days ago, [letters] "
     "max_age_days): C1; draft one with --case if needed"),
    ("summary.more", dict(n=1, max=50),
     "1 more case not listed (at most 50 per list, see setting summary.list_max_rows)."),
    ("mail.rebuilt_missing", dict(n=1),
     "The mail journal logs/mail-ledger.jsonl was missing; it was rebuilt from the register's "
     "Letters mailed column (1 letter recorded, none is sent again)"),
    ("clock.working_days", dict(n=1), "1 working day"),
    ("clock.working_hours", dict(n=1.5), "1.5 working hours"),
    ("clock.after_receipt_days", dict(n=2), "2 days after receipt"),
])
def test_an_english_count_of_one_says_its_noun_once(key, values, expected):
    assert msg("en", key, **values) == expected


def test_a_chinese_count_is_left_as_it_was():
    assert msg("zh", "letters.declined", n=1) == \
        "未起草本次的 1 封函件（已选择不起草）；确认后再运行即可起草"
    assert msg("zh", "clock.working_hours", n=1.5) == "1.5工作小时"
