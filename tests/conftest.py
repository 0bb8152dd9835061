"""Shared fixtures: every test builds its own workbooks in tmp_path."""

import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

ZH_HEADERS = ["编号", "受理时间", "渠道", "客户姓名", "联系电话", "邮箱", "投诉类别", "投诉等级",
              "投诉内容", "责任部门", "处理人", "首次联系时间", "答复时间", "结案时间", "处理结果",
              "客户满意度"]
KEYS = ["case_id", "received_at", "channel", "customer", "phone", "email", "category",
        "severity", "summary", "department", "handler", "first_contact_at", "replied_at",
        "closed_at", "resolution", "satisfaction"]
AS_OF = dt.datetime(2026, 3, 10, 12, 0)


def row(case_id, received_at, **fields):
    """A register row as a dict of field key -> value."""
    return dict(case_id=case_id, received_at=received_at, **fields)


def write_register(path, rows, headers=ZH_HEADERS, title="2026年投诉登记台账", sheet="台账",
                   before_sheets=(), date1904=False):
    """Write a register workbook with openpyxl: optional merged title row, then the header row."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in before_sheets:
        wb.create_sheet(name)["A1"] = "说明"
    ws = wb.create_sheet(sheet)
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(list(headers))
    key_of = dict(zip(headers, KEYS)) if headers is not ZH_HEADERS else dict(zip(ZH_HEADERS, KEYS))
    for r in rows:
        if r is None:
            ws.append([])
            continue
        ws.append([r.get(key_of.get(h, h)) for h in headers])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # customer text, not a formula
    wb.save(path)
    return Path(path)


@pytest.fixture
def register(tmp_path):
    """Factory: register(rows, **options) -> path of a new register in tmp_path."""
    counter = iter(range(1000))

    def make(rows, name=None, **options):
        path = tmp_path / (name or f"register{next(counter)}.xlsx")
        return write_register(path, rows, **options)

    return make


def under_ci() -> bool:
    """Whether the tests run under CI: CI=true, 1 or yes (any case), as CI services set it."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def need_part(found, what: str):
    """``found`` when a real part (a tool, a font, a server) is there; else skip, but fail
    under CI where every part must be installed."""
    if found:
        return found
    if under_ci():
        pytest.fail(f"{what} is required under CI but is not installed")
    pytest.skip(f"{what} is not installed")


def need_tool(name):
    """Skip when an external tool is missing, but fail under CI where it must be installed."""
    return need_part(shutil.which(name), name)
