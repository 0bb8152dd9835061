"""Generate a large, realistic complaint register for tests and benchmarks.

    python sample_workbooks/generate.py --rows 100000 big.xlsx [--seed 0] [--title] [--date1904]
        [--strings shared|inline]

The header is on row 1, so up to 1,048,575 data rows fit (the sheet's limit); --title puts a
merged title row and a blank row above it (header on row 3, two rows fewer fit). The columns are
those of the bundled sample register; the values are as messy: datetime cells next to text
dates and serial numbers, phones as numbers and as text with +86/0086/dashes/spaces, emails in
mixed case, categories with and without 类, repeat complaints, a small share of problem rows
(blank or duplicate case numbers, unreadable times) and blank rows. Every summary is different,
so the shared-strings table is as large as a real register's.

XlsxWriter runs in constant_memory mode. That mode normally writes inline strings, which Excel
itself never does; here the strings go to a shared-strings table kept in a temporary file (only
short strings are de-duplicated, in a bounded dictionary), so memory stays flat at any size.
Importable: generate(path, rows, seed=0, title=False, date1904=False).
"""

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

MAX_ROWS = 1_048_575  # 1,048,576 sheet rows minus the header row
HEADERS = ["投诉编号", "受理时间", "投诉渠道", "客户姓名", "联系电话", "邮箱", "投诉类别",
           "投诉等级", "投诉内容", "责任部门", "处理人", "首次联系时间", "答复时间", "结案时间",
           "处理结果", "客户满意度", "备注", "录入人"]
WIDTHS = [14, 17, 9, 9, 17, 22, 11, 8, 50, 11, 8, 17, 17, 17, 36, 10, 16, 8]
START = dt.datetime(2026, 1, 1, 8, 0)
END = dt.datetime(2026, 11, 22, 8, 30)  # data snapshot; judge with --as-of "2026-11-22 09:00"
EPOCH_1900, EPOCH_1904 = dt.datetime(1899, 12, 30), dt.datetime(1904, 1, 1)
TITLE = "明川置业有限公司2026年客户投诉登记台账（生成数据）"

CHANNELS = ["来电"] * 9 + ["来访"] * 3 + ["网络"] * 3 + ["电子邮件"] * 2 + ["来函", "回访"]
DEPARTMENTS = {"客服部": ["周晓琳", "陈嘉怡", "郑凯"], "工程部": ["李建国", "王海涛", "钱坤"],
               "物业管理部": ["张丽娟", "刘志强", "何静"], "销售部": ["赵敏", "孙伟"],
               "维修中心": ["黄磊", "吴德明", "冯雪"]}
CATEGORIES = [("产品质量", ["工程部", "维修中心"]), ("服务", ["物业管理部", "客服部", "销售部"]),
              ("维修质量", ["维修中心"]), ("用户问题", ["客服部", "销售部"]), ("其它", ["客服部"])]
CATEGORY_WEIGHTS = [30, 28, 20, 12, 10]
ESTATES = ["滨江苑", "云栖里", "南湖湾", "翠湖天地", "锦绣华庭", "山水名都"]
PLACES = ["卫生间顶板", "厨房墙角", "客厅地面", "主卧外窗", "阳台落地窗", "入户门", "地下车库",
          "电梯轿厢", "单元门禁", "楼道灯", "消防通道", "小区大门", "中心花园", "儿童游乐区"]
TROUBLES = ["渗水", "开裂", "空鼓", "有异响", "关不严", "发霉", "掉灰", "反复损坏", "无人清理",
            "长期不亮", "被杂物堵住", "维修后又出现问题", "噪音扰民", "有异味"]
SINCE = ["从上周开始", "已经一个多月", "入住以来一直", "下雨后", "昨天晚上起", "前后反映过两次",
         "装修结束后", "这几天"]
ASKS = ["要求尽快上门处理", "希望给个书面答复", "要求赔偿损失", "希望换人处理", "要求说明原因",
        "希望本周内解决", "要求公司领导出面", ""]
RESOLUTIONS = ["已上门维修并回访确认正常", "已向客户道歉并对责任人批评教育", "已返工处理，客户验收通过",
               "已书面说明原因及处理计划", "已减免相关费用作为补偿", "已更换配件，客户认可",
               "已协调施工单位整改完毕", "已纳入整改计划并告知客户进度"]
SATISFACTION = ["非常满意", "满意", "满意", "基本满意", "不满意", 10, 9, 8, 8, 7, 6, 5, 3]
REMARKS = ["客户只接受电话联系", "已转交责任部门", "需二次上门", "已拍照存档", "客户情绪激动"]
CLERKS = ["周晓琳", "陈嘉怡", "前台", "值班员"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
         "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志明", "晓东", "雪梅", "海燕"]
MAIL_HOSTS = ["163.com", "qq.com", "126.com", "sina.com", "outlook.com", "gmail.com"]


class SpooledStrings:
    """A shared-strings table for XlsxWriter that keeps its strings in a temporary file.

    Strings up to DEDUP_LEN characters are de-duplicated while the dictionary has room;
    longer ones (summaries, nearly all unique) are simply appended.
    """

    DEDUP_LEN, DEDUP_MAX = 40, 200_000

    def __init__(self, folder):
        self.count = self.unique_count = 0
        self.index = {}
        self.file = tempfile.TemporaryFile(dir=folder)

    def _get_shared_string_index(self, string):
        self.count += 1
        short = len(string) <= self.DEDUP_LEN
        if short and string in self.index:
            return self.index[string]
        found = self.unique_count
        self.unique_count += 1
        self.file.write(string.encode("utf-8") + b"\0")
        if short and len(self.index) < self.DEDUP_MAX:
            self.index[string] = found
        return found

    def _sort_string_data(self):
        """Called by XlsxWriter before writing: the strings are already in index order."""
        self.index = {}

    @property
    def string_array(self):
        """The strings in index order, read back from the temporary file."""
        self.file.seek(0)
        rest = b""
        while True:
            chunk = self.file.read(1 << 20)
            if not chunk:
                break
            parts = (rest + chunk).split(b"\0")
            rest = parts.pop()
            for part in parts:
                yield part.decode("utf-8")


class SharedStringSheet(Worksheet):
    """A constant_memory worksheet that writes shared-string cells instead of inline strings."""

    def _xml_inline_string(self, string, preserve, attributes=()):
        index = self.str_table._get_shared_string_index(string)
        attr = "".join(f' {key}="{value}"' for key, value in attributes)
        self.fh.write(f'<c{attr} t="s"><v>{index}</v></c>')


class InlineRefSheet(Worksheet):
    """A constant_memory worksheet writing strings inline as an exporter does (Apache POI's
    streaming writer): <is><t> in the cell, every non-ASCII character as &#NNNNN;."""

    def _xml_inline_string(self, string, preserve, attributes=()):
        attr = "".join(f' {key}="{value}"' for key, value in attributes)
        text = (string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .encode("ascii", "xmlcharrefreplace").decode("ascii"))
        space = ' xml:space="preserve"' if preserve else ""
        self.fh.write(f'<c{attr} t="inlineStr"><is><t{space}>{text}</t></is></c>')


STRING_KINDS = {"shared": SharedStringSheet, "inline": InlineRefSheet}


class _Rows:
    """Row values for the generator: one instance per run, seeded."""

    def __init__(self, rng: random.Random, rows: int, formats, epoch: dt.datetime):
        self.rng, self.rows, self.f, self.epoch = rng, rows, formats, epoch
        self.step = (END - START).total_seconds() / max(rows, 1)
        self.recent = []  # (customer, category) of recent rows, for repeat complaints
        self.last_id = None

    def customer(self):
        rng = self.rng
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        kind = rng.random()
        phone = email = None
        if kind < 0.93:
            phone = "1" + rng.choice("35789") + str(rng.randrange(10 ** 8, 10 ** 9))
        elif kind < 0.96:
            phone = rng.choice(["0755-8", "020-3", "021-6", "010-8"]) + str(
                rng.randrange(10 ** 6, 10 ** 7))
        if kind > 0.85:
            email = f"{rng.choice(['li', 'wang', 'zhang', 'chen', 'liu', 'yang', 'zhao'])}" \
                    f"{rng.randrange(100000)}@{rng.choice(MAIL_HOSTS)}"
        return name, phone, email

    def time_cell(self, value: dt.datetime):
        """(cell value, format) for a time, in one of the forms clerks type."""
        r = self.rng.random()
        serial = (value - self.epoch).total_seconds() / 86400
        if r < 0.80:
            return serial, self.f["datetime"]
        if r < 0.85:
            return float(int(serial)), self.f["date"]
        if r < 0.90:
            return value.strftime("%Y-%m-%d %H:%M"), None
        if r < 0.93:
            return f"{value.year}/{value.month}/{value.day}", None
        if r < 0.96:
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}", None
        return round(serial, 10), None  # a serial number shown as a plain number

    def phone_cell(self, digits):
        if digits is None or not digits.startswith("1"):
            return digits, None
        r = self.rng.randrange(10)
        if r < 3:
            return int(digits), self.f["int"]
        if r == 3:
            return float(digits), self.f["sci"]
        if r == 4:
            return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}", None
        if r == 5:
            return "0086" + digits, None
        if r == 6:
            return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", None
        if r == 7:
            return f"{float(digits):.10E}", None
        return digits, None

    def row(self, n: int):
        """The cells of data row n (0-based) as (value, format) pairs; None for an empty cell."""
        rng = self.rng
        received = START + dt.timedelta(seconds=int(n * self.step + rng.uniform(0, self.step)))
        received = received.replace(second=0)
        if self.recent and rng.random() < 0.05:
            (name, phone, email), category = rng.choice(self.recent)  # complains again
        else:
            (name, phone, email) = self.customer()
            category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
            self.recent.append(((name, phone, email), category))
            if len(self.recent) > 2000:
                del self.recent[:1000]
        department = rng.choice(category[1])
        severity = rng.choices([None, "一般", "严重", "危机"], [45, 43, 10, 2])[0]
        case_id = f"TS{received.year}-{n + 1:07d}"
        problem = rng.random()
        if problem < 0.001:
            case_id = None
        elif problem < 0.002 and self.last_id:
            case_id = self.last_id
        self.last_id = case_id
        summary = (f"{rng.choice(ESTATES)}{rng.randrange(1, 40)}栋{rng.randrange(1, 5)}单元"
                   f"{rng.randrange(1, 34)}{rng.randrange(1, 9):02d}：{rng.choice(PLACES)}"
                   f"{rng.choice(SINCE)}{rng.choice(TROUBLES)}，客户{received.month}月{received.day}日"
                   f"{received.hour}点{rng.choice(['来电', '到前台', '在网上', '写信'])}反映")
        ask = rng.choice(ASKS)
        if ask:
            summary += ("\n" if rng.random() < 0.3 else "，") + ask
        age_days = (END - received).total_seconds() / 86400
        first = replied = closed = None
        if rng.random() < 0.85:
            first = received + dt.timedelta(minutes=rng.randrange(5, 1800))
        roll = rng.random()
        if roll < 0.78:
            replied = received + dt.timedelta(minutes=rng.randrange(30, 2820))
        elif roll < 0.95:
            replied = received + dt.timedelta(minutes=rng.randrange(2900, 9000))
        if replied and rng.random() < (0.95 if age_days > 30 else 0.6):
            closed = replied + dt.timedelta(minutes=rng.randrange(60, 14400))
        first, replied, closed = (t if t and t <= END else None for t in (first, replied, closed))
        if closed and not replied:
            closed = None
        cells = [(case_id, None), self.time_cell(received), (rng.choice(CHANNELS), None),
                 (name, None), self.phone_cell(phone),
                 ((email.capitalize() if email and rng.random() < 0.2 else email), None),
                 ((category[0] + "类" if category[0] != "用户问题" and rng.random() < 0.4
                   else category[0]), None),
                 (severity, None), (summary, self.f["wrap"]), (department, None),
                 (rng.choice(DEPARTMENTS[department]), None)]
        cells += [self.time_cell(t) if t else (None, None) for t in (first, replied, closed)]
        cells += [(rng.choice(RESOLUTIONS) if closed else None, None),
                  (rng.choice(SATISFACTION) if closed and rng.random() < 0.8 else None, None),
                  (rng.choice(REMARKS) if rng.random() < 0.08 else None, None),
                  (rng.choice(CLERKS), None)]
        if problem > 0.9985:
            cells[1] = ("待补录", None)  # received time not known yet
        elif problem > 0.998 and replied:
            cells[12] = ("已电话答复", None)  # a note where the reply time belongs
        return cells


def generate(path, rows: int, seed: int = 0, title: bool = False, date1904: bool = False,
             strings: str = "shared") -> Path:
    """Write a register of `rows` data rows to path and return the path.

    The header is on row 1, or with title=True on row 3 below a merged title row and a blank
    row (then at most MAX_ROWS - 2 rows fit). date1904=True uses the 1904 date system.
    strings="inline" writes every string inline with character references (as systems
    export registers) instead of the shared-strings table Excel and WPS write.
    """
    top = 2 if title else 0  # 0-based index of the header row
    if not 1 <= rows <= MAX_ROWS - top:
        raise ValueError(f"rows must be between 1 and {MAX_ROWS - top:,}, not {rows:,}")
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": str(path.parent),
                                         "date_1904": date1904})
    if strings == "shared":
        wb.str_table = SpooledStrings(path.parent)
    wb.set_properties({"title": "客户投诉登记台账", "created": END})
    ws = wb.add_worksheet("投诉登记台账", worksheet_class=STRING_KINDS[strings])
    formats = {"datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
               "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
               "wrap": wb.add_format({"text_wrap": True}),
               "int": wb.add_format({"num_format": "0"}),
               "sci": wb.add_format({"num_format": "0.00E+00"})}
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    if title:
        big = wb.add_format({"bold": True, "font_size": 16})
        ws.merge_range(0, 0, 0, len(HEADERS) - 1, TITLE, big)
    ws.write_row(top, 0, HEADERS, header)
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, top + rows, len(HEADERS) - 1)
    make = _Rows(random.Random(seed), rows, formats, EPOCH_1904 if date1904 else EPOCH_1900)
    rng = random.Random(seed + 1)
    write_string, write_number = ws.write_string, ws.write_number
    for n in range(rows):
        r = top + n + 1
        if rng.random() < 0.0005 and n < rows - 1:
            continue  # a blank row (never the last one: the sheet's extent stays `rows`)
        for c, (value, fmt) in enumerate(make.row(n)):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(r, c, value, fmt)
            else:
                write_number(r, c, value, fmt)
    wb.close()
    return path


def main(argv=None):
    """Command line: parse the options, generate, print the time taken."""
    parser = argparse.ArgumentParser(description="Write a large, messy complaint register.")
    parser.add_argument("out", help="the .xlsx file to write")
    parser.add_argument("--rows", type=int, default=10_000,
                        help=f"data rows, 1 to {MAX_ROWS:,} (default 10,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--title", action="store_true",
                        help="merged title row and a blank row above the header (header on row 3)")
    parser.add_argument("--date1904", action="store_true", help="use the 1904 date system")
    parser.add_argument("--strings", choices=sorted(STRING_KINDS), default="shared",
                        help="shared: a shared-strings table, as Excel and WPS save (default); "
                        "inline: inline strings with &#NNNNN; references, as exporters write")
    args = parser.parse_args(argv)
    limit = MAX_ROWS - (2 if args.title else 0)
    if not 1 <= args.rows <= limit:
        parser.error(f"--rows must be between 1 and {limit:,}")
    started = time.perf_counter()
    path = generate(args.out, args.rows, args.seed, title=args.title, date1904=args.date1904,
                    strings=args.strings)
    seconds = time.perf_counter() - started
    print(f"{path}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
