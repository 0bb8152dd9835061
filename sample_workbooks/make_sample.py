"""Build the bundled sample register sample_workbooks/投诉登记台账.xlsx .

A made-up property company's complaint register for 2026, kept the way clerks keep one: an
instructions sheet first, a merged title row, the header on row 3, times and phones typed in
many forms, blank rows, a few problem rows, repeat complaints, a hand-made chart and dropdowns.
The data snapshot is 2026-11-22 08:30; judge it with --as-of "2026-11-22 09:00" for stable
results. Deterministic: the same script always writes the same file.

    python sample_workbooks/make_sample.py            # rewrite the committed sample
    python sample_workbooks/make_sample.py OUT.xlsx   # write one file elsewhere
"""

import datetime as dt
import random
import sys
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "投诉登记台账.xlsx"

SEED = 20261122
SNAPSHOT = dt.datetime(2026, 11, 22, 8, 30)  # nothing in the register happens after this
REGISTER_SHEET = "投诉登记台账"
HEADER_ROW = 3  # worksheet row number of the header row
HEADERS = ["投诉编号", "受理时间", "投诉渠道", "客户姓名", "联系电话", "邮箱", "投诉类别",
           "投诉等级", "投诉内容", "责任部门", "处理人", "首次联系时间", "答复时间", "结案时间",
           "处理结果", "客户满意度", "备注", "录入人"]
KEYS = ["case_id", "received_at", "channel", "customer", "phone", "email", "category",
        "severity", "summary", "department", "handler", "first_contact_at", "replied_at",
        "closed_at", "resolution", "satisfaction", "remark", "clerk"]
WIDTHS = [13, 17, 9, 9, 17, 22, 11, 8, 46, 11, 8, 17, 17, 17, 36, 10, 20, 8]

CHANNELS = ["来电"] * 9 + ["来访"] * 3 + ["网络"] * 3 + ["电子邮件"] * 2 + ["来函", "回访"]
SEVERITIES = ["一般", "严重", "危机"]
DEPARTMENTS = {
    "客服部": ["周晓琳", "陈嘉怡"],
    "工程部": ["李建国", "王海涛"],
    "物业管理部": ["张丽娟", "刘志强"],
    "销售部": ["赵敏", "孙伟"],
    "维修中心": ["黄磊", "吴德明"],
}
CATEGORIES = {  # category -> (weight, departments that take it)
    "产品质量": (30, ["工程部", "工程部", "维修中心"]),
    "服务": (28, ["物业管理部", "物业管理部", "客服部", "销售部"]),
    "维修质量": (20, ["维修中心"]),
    "用户问题": (12, ["客服部", "销售部"]),
    "其它": (10, ["客服部", "物业管理部"]),
}
ESTATES = ["滨江苑", "云栖里", "南湖湾"]
PROBLEMS = {
    "产品质量": ["卫生间顶板渗水，楼下住户天花板出现一片水渍",
             "入户门门框变形，门关不严，冬天漏风",
             "客厅地砖大面积空鼓，有两块已经开裂",
             "下雨时外窗密封条渗水，窗台长期积水",
             "地下车库墙面返碱起皮，车位上方掉灰",
             "厨房烟道串味，做饭时能闻到别家油烟",
             "阳台玻璃栏杆松动，担心孩子靠近有危险",
             "交房后墙面出现多条裂缝，最宽处能塞进硬币"],
    "服务": ["物业前台接待时爱答不理，问题没记下就让回去等",
           "电梯停运一整天，事先没有任何通知",
           "保安没有登记就放外来车辆进小区",
           "快递柜旁边的垃圾堆了一周没人清理",
           "楼上夜间装修噪音，反映过后仍在继续",
           "停车费收费标准和公示栏上写的不一样",
           "售楼处承诺的资料迟迟不给，销售顾问电话不接",
           "绿化带修剪后枝叶堆在路边好几天"],
    "维修质量": ["上周修过的热水器又开始漏水",
             "维修师傅换的水龙头没用三天又坏了",
             "空调外机支架加固后还是嗡嗡响",
             "约好上午上门维修，师傅下午才到，还没带配件",
             "墙面修补后颜色和原墙差别很大",
             "马桶维修后水箱一直有流水声"],
    "用户问题": ["询问不动产证办理进度，打了几次电话都没有准信",
             "想提前收房，但合同约定的交付日期还没到",
             "对公摊面积的计算方法有疑问，要求给出明细",
             "认为宣传册上的学校配套没有兑现",
             "要求更改购房合同上的联系人信息"],
    "其它": ["小区门口修路，早晚高峰出不去",
           "希望在中心花园增加儿童游乐设施",
           "邻居在公共走道堆放杂物，影响通行",
           "小区微信群里有人发广告，希望物业管理一下"],
}
ASKS = ["客户要求尽快上门处理，并给个书面说法。", "客户希望三天内有人联系。",
        "客户说如果再拖就去找媒体。", "客户要求赔偿损失。", "客户希望换一个师傅来处理。"]
RESOLUTIONS = {
    "产品质量": ["已安排工程部上门查看，重做防水层并做闭水试验，客户确认不再渗水",
             "已更换门框和密封条，客户现场验收",
             "已对空鼓地砖全部返工，费用由施工单位承担",
             "已更换外窗密封胶条并淋水试验合格"],
    "服务": ["已向客户当面道歉，并对当班人员进行了批评教育",
           "已在单元门口张贴停运原因及恢复时间，今后停运提前一天通知",
           "已按公示标准退还多收的停车费",
           "已约谈装修户，限定施工时间为工作日白天"],
    "维修质量": ["已更换为原厂配件并回访确认使用正常",
             "已另派师傅返修，并减免本次维修费用",
             "已重新调色修补墙面，客户认可"],
    "用户问题": ["已书面说明办理进度和所需材料，客户表示理解",
             "已按合同条款解释交付安排，客户接受",
             "已提供公摊面积测绘报告复印件"],
    "其它": ["已将意见转交社区和施工单位，并告知客户处理进展",
           "已列入明年公共设施改造计划并告知客户",
           "已通知邻居清理杂物，物业每日巡查"],
}
REMARKS = ["客户只接受电话联系", "已转交责任部门", "客户情绪激动", "需二次上门",
           "客户要求保密", "已拍照存档"]
CLERKS = ["周晓琳", "陈嘉怡", "前台"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
         "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志明", "晓东", "雪梅",
         "海燕", "文博", "子涵", "雨桐", "浩然", "思远", "立新"]
MAIL_HOSTS = ["163.com", "qq.com", "126.com", "sina.com", "outlook.com"]


def serial(value: dt.datetime) -> float:
    """The Excel (1900 system) serial number of a datetime."""
    return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400


def time_raw(rng: random.Random, value: dt.datetime):
    """A time as a clerk might have entered it: a cell value in one of several forms."""
    value = value.replace(second=0, microsecond=0)
    form = rng.random()
    if form < 0.68:
        return value
    if form < 0.76:
        return value.date()
    if form < 0.82:
        return value.strftime("%Y-%m-%d %H:%M")
    if form < 0.87:
        return f"{value.year}/{value.month}/{value.day}"
    if form < 0.92:
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return round(serial(value), 10)


def phone_raw(rng: random.Random, digits: str):
    """A mobile number in one of the forms found in registers."""
    form = rng.randrange(10)
    if form < 3:
        return int(digits)
    if form == 3:
        return float(digits)  # shown in scientific format
    if form == 4:
        return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    if form == 5:
        return "0086" + digits
    if form == 6:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if form == 7:
        return f"{float(digits):.10E}"
    return digits


class Customer:
    """A made-up customer: name plus phone and/or email."""

    def __init__(self, rng, kind="phone"):
        self.name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        self.digits = None
        self.landline = None
        self.email = None
        if kind in ("phone", "both"):
            self.digits = "1" + rng.choice("35789") + "".join(
                rng.choice("0123456789") for _ in range(9))
        if kind == "landline":
            self.landline = rng.choice(["0755-8", "020-3", "021-6"]) + "".join(
                rng.choice("0123456789") for _ in range(7))
        if kind in ("email", "both"):
            self.email = f"{rng.choice(['li', 'wang', 'zhang', 'chen', 'liu', 'yang'])}" \
                         f"{rng.randrange(1960, 2005)}@{rng.choice(MAIL_HOSTS)}"


def received_times(rng: random.Random, count: int):
    """Receipt times over 2026-01 .. 2026-11, denser in the last ten days before the snapshot."""
    start, end = dt.datetime(2026, 1, 4), dt.datetime(2026, 11, 12)
    times = []
    for i in range(count):
        if i < count - 45:
            day = start + dt.timedelta(days=rng.randrange((end - start).days))
        else:
            day = dt.datetime(2026, 11, 12) + dt.timedelta(days=rng.randrange(11))
        times.append(day.replace(hour=rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17, 19]),
                                 minute=rng.randrange(60)))
    times = [t for t in times if t <= SNAPSHOT]
    return times


def outcome(rng: random.Random, case: dict):
    """Fill first contact, reply, close and satisfaction for a case as things went."""
    received, severity = case["received"], case["severity"]
    reply_hours = 2 if severity == "危机" else 48
    roll = rng.random()
    old = received < dt.datetime(2026, 11, 1)
    if case.get("plan"):  # the fixed late-November cases: still open, or answered only
        case["first_contact"] = received + dt.timedelta(minutes=40)
        if case["plan"] == "replied":
            case["replied"] = received + dt.timedelta(hours=3, minutes=15)
        return
    if severity == "危机":
        delay = rng.uniform(0.3, 1.8) if roll < 0.75 else rng.uniform(2.5, 6)
    elif roll < 0.75:
        delay = rng.uniform(1, reply_hours - 2)
    elif roll < (0.97 if old else 0.88):
        delay = rng.uniform(reply_hours + 1, reply_hours * 3)
    else:
        delay = None  # never answered so far
    replied = received + dt.timedelta(hours=delay) if delay is not None else None
    if rng.random() < 0.85:
        first = received + dt.timedelta(hours=rng.uniform(0.1, min(delay or 30, 30)))
        case["first_contact"] = first if first <= SNAPSHOT else None
    closed = None
    if replied and rng.random() < (0.96 if old else 0.6):
        closed = replied + dt.timedelta(days=rng.choice([0.2, 1, 2, 3, 4, 5, 5, 9, 12]),
                                        hours=rng.uniform(0, 8))
    elif replied is None and rng.random() < 0.15:
        closed = received + dt.timedelta(days=rng.uniform(1, 6))  # closed without a reply time
    if replied and replied > SNAPSHOT:
        replied = None
    if closed and closed > SNAPSHOT:
        closed = None
    if closed and replied is None and delay is not None:
        closed = None
    case["replied"], case["closed"] = replied, closed
    if closed and rng.random() < 0.8:
        if rng.random() < 0.55:
            case["satisfaction"] = rng.choice(["非常满意", "满意", "满意", "基本满意", "不满意"])
        elif rng.random() < 0.9:
            case["satisfaction"] = rng.choice([10, 9, 9, 8, 8, 7, 6, 5, 3])
        else:
            case["satisfaction"] = f"{rng.choice([8, 9, 6])}分"
    if closed:
        case["resolution"] = rng.choice(RESOLUTIONS[case["category"]])


def make_cases(rng: random.Random):
    """The list of cases (dicts) in receipt order, with repeats and problem rows planted."""
    kinds = ["phone"] * 200 + ["both"] * 30 + ["email"] * 15 + ["landline"] * 10 + ["name"] * 3
    customers = [Customer(rng, kind) for kind in kinds]
    cats = list(CATEGORIES)
    weights = [CATEGORIES[c][0] for c in cats]
    cases = []
    for received in received_times(rng, 262):
        cases.append({"received": received, "customer": rng.choice(customers),
                      "category": rng.choices(cats, weights)[0]})
    # Repeat complaints: the same customer again about the same thing, within 30 days; a few
    # chains of three, and near misses (31+ days later, or another category).
    pool = [c for c in cases if c["received"] < dt.datetime(2026, 11, 1)]
    for i, first in enumerate(rng.sample(pool, 16)):
        gap = rng.uniform(1, 29)
        second = dict(first, received=first["received"] + dt.timedelta(days=gap, hours=3))
        cases.append(second)
        if i < 4:
            cases.append(dict(second, received=second["received"] + dt.timedelta(
                days=rng.uniform(2, 12))))
    for first in rng.sample(pool, 5):
        later = first["received"] + dt.timedelta(days=rng.uniform(31, 50))
        cases.append(dict(first, received=later))
    for first in rng.sample(pool, 4):
        other = rng.choice([c for c in cats if c != first["category"]])
        cases.append(dict(first, category=other,
                          received=first["received"] + dt.timedelta(days=rng.uniform(1, 20))))
    # Late November repeats so a run "now" shows fresh repeats that are still open.
    early_nov = (dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 18))
    recent = [c for c in cases if early_nov[0] <= c["received"] < early_nov[1]]
    for first in rng.sample(recent, 4):
        cases.append(dict(first, received=first["received"] + dt.timedelta(days=rng.uniform(1, 4))))
    # Fixed cases around the snapshot, so that a run at 2026-11-22 09:00 (or later that day)
    # shows replies and closes coming due, and brand-new open cases.
    for when, plan in (("2026-11-15 10:30", "replied"), ("2026-11-15 16:05", "replied"),
                       ("2026-11-20 10:15", "open"), ("2026-11-20 15:40", "open"),
                       ("2026-11-20 19:05", "open"), ("2026-11-21 08:50", "open"),
                       ("2026-11-21 16:20", "replied"), ("2026-11-22 08:10", "open")):
        cases.append({"received": dt.datetime.strptime(when, "%Y-%m-%d %H:%M"), "plan": plan,
                      "customer": rng.choice(customers), "category": rng.choices(cats, weights)[0]})
    # A customer known only by email writes twice about the same thing, once in capitals.
    extra = random.Random(SEED + 1)
    mailer = extra.choice([c for c in customers if c.email and not (c.digits or c.landline)])
    category = extra.choice(cats)
    for when, upper in (("2026-11-03 10:20", False), ("2026-11-17 15:45", True)):
        cases.append({"received": dt.datetime.strptime(when, "%Y-%m-%d %H:%M"), "customer": mailer,
                      "category": category, "mail_upper": upper})
    cases = [dict(c) for c in cases if c["received"] <= SNAPSHOT]
    cases.sort(key=lambda c: c["received"])
    for n, case in enumerate(cases, 1):
        fill_case(rng, case, n)
    return cases


def fill_case(rng: random.Random, case: dict, n: int):
    """Everything besides receipt time, customer and category."""
    category = case["category"]
    case["case_id"] = f"TS2026-{n:04d}"
    case["channel"] = rng.choice(CHANNELS)
    case["severity"] = rng.choices(["", "一般", "严重", "危机"], [45, 43, 10, 2])[0]
    if case.get("plan"):
        case["severity"] = rng.choice(["", "一般"])
    case["department"] = rng.choice(CATEGORIES[category][1])
    case["handler"] = rng.choice(DEPARTMENTS[case["department"]])
    estate = rng.choice(ESTATES)
    place = (f"{estate}{rng.randrange(1, 19)}栋{rng.randrange(1, 4)}单元"
             f"{rng.randrange(1, 33)}0{rng.randrange(1, 5)}")
    summary = f"{place}：{rng.choice(PROBLEMS[category])}"
    if rng.random() < 0.2:
        summary += "\n" + rng.choice(ASKS)
    case["summary"] = summary
    case["first_contact"] = case["replied"] = case["closed"] = None
    case["satisfaction"] = case["resolution"] = None
    outcome(rng, case)
    case["remark"] = rng.choice(REMARKS) if rng.random() < 0.12 else None
    case["clerk"] = rng.choice(CLERKS)


def row_values(rng: random.Random, case: dict) -> list:
    """One register row as cell values, in HEADERS order, messiness applied."""
    customer = case["customer"]
    if customer.digits:
        phone = phone_raw(rng, customer.digits)
    else:
        phone = customer.landline
    email = customer.email
    if email and (rng.random() < 0.2 or case.get("mail_upper")):
        email = email.upper() if case.get("mail_upper") else email.capitalize()
    category = case["category"]
    if category != "用户问题" and rng.random() < 0.4:
        category += "类"
    exact = (lambda rng, value: value) if case.get("plan") else time_raw
    times = [exact(rng, case[k]) if case[k] else None
             for k in ("received", "first_contact", "replied", "closed")]
    return [case["case_id"], times[0], case["channel"], customer.name, phone, email, category,
            case["severity"] or None, case["summary"], case["department"], case["handler"],
            times[1], times[2], times[3], case["resolution"], case["satisfaction"],
            case["remark"], case["clerk"]]


def plant(rows: list) -> list:
    """Put the hand-typed oddities into the rows: problem rows, emoji, '=' text, blank rows."""
    col = {k: i for i, k in enumerate(KEYS)}
    rows[40][col["case_id"]] = rows[39][col["case_id"]]  # duplicate id (typed twice)
    rows[97][col["case_id"]] = None  # blank id
    rows[150][col["received_at"]] = "待补录"  # received time not filled in yet
    rows[151][col["replied_at"]] = "已电话答复"  # unreadable reply time
    rows[60][col["summary"]] = "=楼上漏水这是第三次反映了\n上次说好一周修好，到现在没人来"
    rows[120][col["summary"]] += "\n打了五次电话都说在处理😡"
    rows[200][col["summary"]] = "  " + rows[200][col["summary"]] + "  "
    for index in (233, 180, 75):  # blank rows left behind after deleting cases
        rows.insert(index, [None] * len(HEADERS))
    return rows


def build(path) -> Path:
    """Write the sample register to path and return it."""
    rng = random.Random(SEED)
    cases = make_cases(rng)
    rows = plant([row_values(rng, case) for case in cases])
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "客户投诉登记台账", "author": "客户服务中心", "company": "明川置业",
                       "created": dt.datetime(2026, 11, 22, 8, 30)})
    instructions(wb)
    register_sheet(wb, rows)
    chart_sheet(wb, rows)
    wb.close()
    return path


def instructions(wb):
    """Sheet 1: how to fill in the register (no header row)."""
    ws = wb.add_worksheet("填表说明")
    bold = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws.set_column(0, 0, 90)
    lines = [
        ("客户投诉登记台账 填表说明", bold),
        ("1. 每受理一件投诉登记一行，编号按 TS年份-四位流水号 连续编写，不要重复使用。", wrap),
        ("2. 受理时间请写到分钟，例如 2026-03-05 14:20；只知道日期时可以只写日期。", wrap),
        ("3. 联系电话写客户的手机号码；没有手机时写座机（带区号）或电子邮箱。", wrap),
        ("4. 投诉等级从下拉列表中选择：一般、严重、危机。不填按一般处理。", wrap),
        ("5. 处理人是对客户负责到底的那一个人，中途不要更换。", wrap),
        ("6. 答复客户后填写答复时间；办结后填写结案时间、处理结果，回访后填写客户满意度"
         "（满意程度文字或 1-10 分）。", wrap),
        ("7. 不要删除或改动表头行，也不要在表格中间插入合计行；统计图表在“图表”工作表。", wrap),
    ]
    for r, (text, fmt) in enumerate(lines):
        ws.write_string(r, 0, text, fmt)


def register_sheet(wb, rows):
    """Sheet 2: the register with title rows, header on row 3, dropdowns, filter, frozen panes."""
    ws = wb.add_worksheet(REGISTER_SHEET)
    last = len(HEADERS) - 1
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    subtitle = wb.add_format({"italic": True, "font_color": "#595959", "align": "right"})
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                            "valign": "vcenter", "text_wrap": True})
    fmt = {
        "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm", "valign": "top"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
        "text": wb.add_format({"valign": "top"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "sci": wb.add_format({"num_format": "0.00E+00", "valign": "top"}),
        "int": wb.add_format({"num_format": "0", "valign": "top"}),
    }
    ws.merge_range(0, 0, 0, last, "明川置业有限公司2026年客户投诉登记台账", title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, "填报单位：客户服务中心　　数据截至：2026年11月22日 08:30", subtitle)
    ws.write_row(HEADER_ROW - 1, 0, HEADERS, header)
    ws.set_row(HEADER_ROW - 1, 22)
    for i, width in enumerate(WIDTHS):
        ws.set_column(i, i, width)
    wrap_cols = {KEYS.index("summary"), KEYS.index("resolution")}
    phone_col = KEYS.index("phone")
    for r, values in enumerate(rows, start=HEADER_ROW):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, fmt["datetime"])
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt["date"])
            elif isinstance(value, str):
                ws.write_string(r, c, value, fmt["wrap"] if c in wrap_cols else fmt["text"])
            elif c == phone_col:
                ws.write_number(r, c, value, fmt["sci"] if isinstance(value, float) else fmt["int"])
            else:
                ws.write_number(r, c, value, fmt["text"])
    end = HEADER_ROW + len(rows) - 1  # 0-based index of the last data row
    ws.freeze_panes(HEADER_ROW, 0)
    ws.autofilter(HEADER_ROW - 1, 0, end, last)
    for key, choices, prompt in (
            ("severity", SEVERITIES, "请选择：一般、严重、危机（不填按一般）"),
            ("channel", ["来电", "来访", "来函", "电子邮件", "网络", "回访"], "请选择投诉渠道")):
        c = KEYS.index(key)
        ws.data_validation(HEADER_ROW, c, 999, c, {
            "validate": "list", "source": choices, "input_title": HEADERS[c],
            "input_message": prompt, "error_title": "输入有误",
            "error_message": "请从下拉列表中选择。"})


def chart_sheet(wb, rows):
    """Sheet 3: a small COUNTIF table per category and department, with two native charts."""
    ws = wb.add_worksheet("图表")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = wb.add_format({"border": 1})
    first, end = HEADER_ROW + 1, HEADER_ROW + len(rows)  # worksheet rows of the data
    cat_col, dept_col = KEYS.index("category"), KEYS.index("department")
    col_letter = lambda c: chr(ord("A") + c)  # noqa: E731
    ws.set_column(0, 0, 14)
    ws.write_row(0, 0, ["投诉类别", "件数"], bold)
    for r, name in enumerate(CATEGORIES, start=1):
        count = sum(1 for v in rows if isinstance(v[cat_col], str) and v[cat_col].startswith(name))
        ws.write_string(r, 0, name, cell)
        ws.write_formula(r, 1, f"=COUNTIF('{REGISTER_SHEET}'!${col_letter(cat_col)}${first}:"
                               f"${col_letter(cat_col)}${end},A{r + 1}&\"*\")", cell, count)
    top = len(CATEGORIES) + 3
    ws.write_row(top, 0, ["责任部门", "件数"], bold)
    for r, name in enumerate(DEPARTMENTS, start=top + 1):
        count = sum(1 for v in rows if v[dept_col] == name)
        ws.write_string(r, 0, name, cell)
        ws.write_formula(r, 1, f"=COUNTIF('{REGISTER_SHEET}'!${col_letter(dept_col)}${first}:"
                               f"${col_letter(dept_col)}${end},A{r + 1})", cell, count)
    for kind, rows_at, title, anchor in (
            ("column", (1, len(CATEGORIES)), "各类别投诉件数", "D2"),
            ("bar", (top + 1, top + len(DEPARTMENTS)), "各责任部门投诉件数", "D18")):
        chart = wb.add_chart({"type": kind})
        chart.add_series({"name": "件数",
                          "categories": ["图表", rows_at[0], 0, rows_at[1], 0],
                          "values": ["图表", rows_at[0], 1, rows_at[1], 1],
                          "data_labels": {"value": True}})
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        ws.insert_chart(anchor, chart)


def main(argv=None):
    """Rewrite the committed sample, or write to the path given."""
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        print(build(argv[0]))
        return
    build(SAMPLE)
    print(f"{SAMPLE} ({SAMPLE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
