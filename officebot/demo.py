"""The demo register ``officebot init`` puts into a new working folder.

Its dates are placed relative to the moment it is made, so the first run on it looks like an
ordinary day in an office: most cases closed on time over the last four months, a few replies
and closes due within hours, two cases overdue by less than a day (escalated one level), one
repeat complaint this week and one row with a received time still to be typed in.
Deterministic for a given moment: the same ``now`` always gives the same cells.
"""

import datetime as dt
import random
from pathlib import Path
from typing import List, NamedTuple, Optional

from .files import atomic_write

NAMES = {"zh": "投诉登记台账.xlsx", "en": "Complaint register.xlsx"}
SEED = 2026

TEXT = {
    "zh": {
        "sheet": "投诉登记台账",
        "title": "客户投诉登记台账（示例）",
        "subtitle": "示例数据：日期按生成当天排列；可以随意修改、删除，或换成本单位的台账",
        "headers": ["投诉编号", "受理时间", "投诉渠道", "客户姓名", "联系电话", "投诉类别",
                    "投诉等级", "投诉内容", "责任部门", "处理人", "答复时间", "结案时间",
                    "处理结果", "客户满意度"],
        "widths": [13, 17, 9, 9, 14, 10, 8, 40, 11, 8, 17, 17, 32, 10],
        "channels": ["来电", "来电", "来电", "来访", "网络", "电子邮件"],
        "severity": ["一般"] * 9 + ["严重"],
        "customers": ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰",
                      "吴婷", "徐强", "孙丽", "马超", "朱琳", "胡军", "郭芳", "林涛", "何丹"],
        "categories": {
            "产品质量": ("工程部", ["卫生间顶板渗水", "入户门关不严，冬天漏风",
                                "地砖空鼓开裂", "外窗密封条渗水"]),
            "服务": ("物业管理部", ["电梯停运事先没有通知", "快递柜旁垃圾无人清理",
                              "前台接待态度冷淡", "停车收费与公示不一致"]),
            "维修质量": ("维修中心", ["热水器修过后又漏水", "维修师傅迟到且未带配件",
                                "马桶维修后水箱一直流水"]),
            "其它": ("客服部", ["询问不动产证办理进度", "对公摊面积计算有疑问"]),
        },
        "handlers": {"工程部": "李建国", "物业管理部": "张丽娟", "维修中心": "黄磊",
                     "客服部": "周晓琳"},
        # what was done, per category: each fits every complaint of its category (four each,
        # so that the demo's random draws, and with them its figures, stay as they were)
        "resolutions": {
            "产品质量": ["已上门维修并回访确认", "已更换配件，客户认可", "已安排返修，客户验收通过",
                     "已向客户致歉并完成整改"],
            "服务": ["已向客户说明情况并致歉", "已整改并加强日常巡查", "已对相关人员进行培训，客户认可",
                   "已整改并公示结果，回访客户"],
            "维修质量": ["已重新上门维修并回访确认", "已更换配件，客户认可", "已返修并向客户致歉",
                     "已由维修主管复查，问题已解决"],
            "其它": ["已向客户说明情况并答复", "已提供相关资料并解释，客户认可", "已电话答复客户并记录",
                   "已书面答复客户"],
        },
        "satisfaction": ["满意", "满意", "非常满意", "基本满意", "满意", "不满意", None],
        "missing_time": "待补录",
        "prefix": "TS",
    },
    "en": {
        "sheet": "Complaints",
        "title": "Customer complaint register (demo)",
        "subtitle": "Demo data dated from the day it was made; edit it, delete it, or put "
                    "your office's own register here",
        "headers": ["Case No.", "Received", "Channel", "Customer", "Phone", "Category",
                    "Severity", "Complaint", "Department", "Handler", "Replied", "Closed",
                    "Resolution", "Satisfaction"],
        "widths": [12, 17, 9, 16, 14, 15, 9, 40, 16, 14, 17, 17, 34, 12],
        "channels": ["phone", "phone", "phone", "visit", "web", "email"],
        "severity": ["normal"] * 9 + ["serious"],
        "customers": ["Sam Taylor", "Alex Chen", "Maria Lopez", "John Smith", "Emma Brown",
                      "Liam Wilson", "Olivia Davis", "Noah Miller", "Ava Moore",
                      "Lucas Clark", "Mia Lewis", "Ethan Walker", "Zoe Hall", "Ryan King",
                      "Grace Young", "Leo Scott", "Ella Green", "Max Baker"],
        "categories": {
            "Product quality": ("Engineering", [
                "Water leaking through the bathroom ceiling", "Front door does not close",
                "Floor tiles cracked", "Window seals let rain in"]),
            "Service": ("Property management", [
                "Lift stopped all day without notice", "Rubbish left by the parcel lockers",
                "Reception staff were unhelpful", "Parking fee differs from the notice"]),
            "Repair quality": ("Repair centre", [
                "Water heater leaks again after the repair", "Engineer came late without parts",
                "Toilet cistern keeps running after the repair"]),
            "Other": ("Customer service", [
                "Asks how far the property deed has got", "Questions the shared-area figure"]),
        },
        "handlers": {"Engineering": "Tom Reed", "Property management": "Anna Hill",
                     "Repair centre": "Ben Ward", "Customer service": "Kate Long"},
        "resolutions": {
            "Product quality": ["Repaired on site and checked with the customer",
                                "Part replaced; the customer agreed",
                                "Reworked, and the customer signed it off",
                                "Put right, with an apology"],
            "Service": ["Explained to the customer, with an apology",
                        "Put right, and daily checks stepped up",
                        "Staff retrained; the customer agreed",
                        "Put right, and the result posted for residents"],
            "Repair quality": ["Repaired again on site and checked with the customer",
                               "Part replaced; the customer agreed",
                               "Repaired again, with an apology",
                               "Checked by the repair supervisor; fixed"],
            "Other": ["Explained to the customer and answered",
                      "Documents provided and explained; the customer agreed",
                      "Answered by phone and noted", "Answered in writing"],
        },
        "satisfaction": [9, 8, 10, 7, 8, 4, None],
        "missing_time": "to be entered",
        "prefix": "CS",
    },
}


class Plan(NamedTuple):
    """One demo case: received ``hours_ago``; replied / closed that many hours after receipt."""

    hours_ago: float
    reply_after: Optional[float]
    close_after: Optional[float]
    repeat_of: Optional[int] = None   # index of an earlier plan with the same customer
    severity: Optional[str] = None


def plans(rng: random.Random) -> List[Plan]:
    """The history (closed cases, a few late) and today's picture, oldest first."""
    history = []
    days = 120
    while days > 10:
        reply = rng.choice([2, 3, 5, 8, 20, 26, 30]) + rng.random()
        close = rng.choice([24, 48, 72, 96, 120]) + rng.random() * 10
        if rng.random() < 0.1:
            reply = 50 + rng.random() * 10      # a reply that came late
        if rng.random() < 0.08:
            close = 180 + rng.random() * 20     # a close that came late
        history.append(Plan(days * 24 - rng.random() * 8, reply, max(reply, close)))
        days -= rng.choice([2, 3, 3, 4])
    n = len(history)
    today = [
        Plan(7 * 24 + 9, 20, None),            # close overdue by 9 hours
        Plan(54, None, None),                  # reply overdue by 6 hours
        Plan(6 * 24 + 17, 6, None),            # close due within 7 hours
        Plan(41, None, None),                  # reply due within 7 hours
        Plan(38, None, None),                  # reply due within 10 hours
        Plan(5 * 24, 4, None),
        Plan(3 * 24 + 5, 9, None),
        Plan(2 * 24 + 2, 3, 30, repeat_of=n - 2),   # a repeat of a case from last month
        Plan(20, 2, None),
        Plan(4, None, None),
    ]
    return history + today


def demo_rows(language: str, now: dt.datetime) -> List[list]:
    """The register rows (cells as Python values) for a demo made at ``now``."""
    words = TEXT[language]
    rng = random.Random(SEED)
    now = now.replace(second=0, microsecond=0)
    categories = list(words["categories"])
    rows, people = [], []
    for i, plan in enumerate(plans(rng)):
        received = now - dt.timedelta(hours=plan.hours_ago)
        received = received.replace(minute=(received.minute // 5) * 5)
        if plan.repeat_of is not None:
            customer, phone, category = people[plan.repeat_of]
        else:
            category = categories[rng.randrange(len(categories))]
            customer = words["customers"][i % len(words["customers"])]
            phone = f"13{rng.randrange(10**8, 10**9)}" if i % 7 else \
                f"0571-{rng.randrange(10**7, 10**8)}"   # a landline now and then
        people.append((customer, phone, category))
        department, problems = words["categories"][category]

        def after(hours):
            if hours is None:
                return None
            return (received + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)

        closed = after(plan.close_after)
        rows.append([
            f"{words['prefix']}{received:%Y}-{i + 1:04d}", received,
            rng.choice(words["channels"]), customer, phone, category,
            plan.severity or rng.choice(words["severity"]), rng.choice(problems), department,
            words["handlers"][department], after(plan.reply_after), closed,
            rng.choice(words["resolutions"][category]) if closed else None,
            rng.choice(words["satisfaction"]) if closed else None,
        ])
    # One row whose received time is still to be typed in: the problem-rows sheet lists it.
    missing = list(rows[-3])
    missing[0] = f"{words['prefix']}{now:%Y}-{len(rows) + 1:04d}"
    missing[1] = words["missing_time"]
    missing[10] = missing[11] = missing[12] = missing[13] = None
    rows.insert(len(rows) - 2, missing)
    return rows


def write_demo_register(path: Path, language: str = "zh",
                        now: Optional[dt.datetime] = None) -> Path:
    """Write the demo register to ``path`` (title rows, header on row 3) and return it."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from .workbook.measure import fit_width
    words = TEXT[language]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = words["sheet"]
    last = len(words["headers"])
    ws.append([words["title"]])
    ws.append([words["subtitle"]])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(words["headers"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in demo_rows(language, now or dt.datetime.now()):
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
                cell.alignment = Alignment(horizontal="center")  # clear of its neighbours
    for i, width in enumerate(words["widths"], start=1):
        texts = [c.value for c in ws[get_column_letter(i)][2:] if isinstance(c.value, str)]
        if i != 8:   # the complaint column wraps; the others show whole
            width = fit_width(texts, width, 50, whole=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    ws.auto_filter.ref = f"A3:{get_column_letter(last)}{ws.max_row}"
    atomic_write(Path(path), wb.save, sync=False, sentence=False)  # never through a planted link
    return Path(path)
