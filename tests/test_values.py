import datetime as dt

import pytest

from officebot.values import (Unreadable, category_key, identity_of, parse_time, phone_digits,
                              satisfaction_of, serial_to_datetime, severity_of, text_of)

D = dt.datetime


@pytest.mark.parametrize("raw, expected", [
    (D(2026, 3, 5, 14, 20), D(2026, 3, 5, 14, 20)),
    (dt.date(2026, 3, 5), D(2026, 3, 5)),
    ("2026-03-05 14:20", D(2026, 3, 5, 14, 20)),
    ("2026-03-05 14:20:33", D(2026, 3, 5, 14, 20, 33)),
    ("2026-03-05T14:20:00", D(2026, 3, 5, 14, 20)),
    ("2026/3/5", D(2026, 3, 5)),
    ("2026/03/05 9:05", D(2026, 3, 5, 9, 5)),
    ("2026.3.5", D(2026, 3, 5)),
    ("2026年3月5日", D(2026, 3, 5)),
    ("2026年3月5日 14:20", D(2026, 3, 5, 14, 20)),
    ("2026年3月5日14:20", D(2026, 3, 5, 14, 20)),
    ("2026年3月5日 14时20分", D(2026, 3, 5, 14, 20)),
    ("2026年3月5日 下午2:20", D(2026, 3, 5, 14, 20)),
    ("２０２６－０３－０５　１４：２０", D(2026, 3, 5, 14, 20)),  # full-width
    ("  2026-03-05  ", D(2026, 3, 5)),
    ("20260305", D(2026, 3, 5)),
    ("2026-03-05 14:20:00+08:00", D(2026, 3, 5, 14, 20)),
    (46086, D(2026, 3, 5)),
    (46086.0, D(2026, 3, 5)),
    (46086.5, D(2026, 3, 5, 12, 0)),
    (46086.597222222, D(2026, 3, 5, 14, 20)),  # serial time rounds to the nearest second
    ("46086.5", D(2026, 3, 5, 12, 0)),
    (None, None),
    ("", None),
    ("   ", None),
])
def test_parse_time(raw, expected):
    assert parse_time(raw) == expected


@pytest.mark.parametrize("raw", ["待补录", "2026-02-30", "2026-13-01 10:00", "3月5日", "abc",
                                 "2026-03-05 25:00", True, -5, 0.5])
def test_parse_time_unreadable(raw):
    with pytest.raises(Unreadable):
        parse_time(raw)


def test_serials_round_to_the_nearest_second():
    # 14:20:00.4 and 14:19:59.6 both round to 14:20:00
    assert serial_to_datetime(46086 + (14 * 3600 + 20 * 60 + 0.4) / 86400) == D(2026, 3, 5, 14, 20)
    assert serial_to_datetime(46086 + (14 * 3600 + 19 * 60 + 59.6) / 86400) == D(2026, 3, 5, 14, 20)


def test_1904_date_system():
    assert parse_time(44624, date1904=True) == D(2026, 3, 5)
    assert parse_time(0, date1904=True) == D(1904, 1, 1)


def test_early_1900_serials():
    assert serial_to_datetime(1) == D(1900, 1, 1)
    assert serial_to_datetime(59) == D(1900, 2, 28)
    assert serial_to_datetime(61) == D(1900, 3, 1)


@pytest.mark.parametrize("raw, expected", [
    (13800138000, "13800138000"),
    (13800138000.0, "13800138000"),
    ("1.38001380E10", "13800138000"),
    ("13800138000.0", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("0086 13800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("010-12345678", "01012345678"),
    ("86-10-12345678", "861012345678"),   # 86 kept: what remains is not a mobile number
    ("+86 23800138000", "8623800138000"),  # 11 digits but not starting with 1
    ("(0755) 8888-1234", "075588881234"),
    ("+86 (138) 0013-8000", "13800138000"),
    ("１３８-００１３-８０００", "13800138000"),   # full-width digits, an ASCII dash
    ("＋８６ １３８ ００１３ ８０００", "13800138000"),
    ("- -", ""),
    ("138 0013 8000 转 12", "13800138000" + "12"),
    ("", ""),
    (None, ""),
])
def test_phone_digits(raw, expected):
    assert phone_digits(raw) == expected


def test_identity_prefers_phone_then_email_then_name():
    assert identity_of(13800138000, "A@B.com", "张三") == "tel:13800138000"
    assert identity_of(None, " A@B.com ", "张三") == "mail:a@b.com"
    assert identity_of("", "", "张三") == "name:张三"
    assert identity_of(None, None, None) is None


@pytest.mark.parametrize("raw, expected", [
    ("产品质量类", "产品质量"), ("产品质量", "产品质量"), (" 服务类 ", "服务"), ("", None),
    (None, None), ("类", None),
])
def test_category_key(raw, expected):
    assert category_key(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    (None, "一般"), ("", "一般"), ("一般", "一般"), ("严重", "严重"), ("危机", "危机"),
    ("Crisis", "危机"), ("严重投诉", "严重"), ("特急", "特急"),
])
def test_severity(raw, expected):
    assert severity_of(raw) == expected


ANSWERS = ["非常满意", "满意", "基本满意"]


@pytest.mark.parametrize("raw, expected", [
    ("非常满意", True), ("满意", True), ("基本满意", True), ("不满意", False), ("一般", False),
    (7, True), (6, False), (10, True), ("8", True), ("6分", False), (6.5, False), (None, None),
    ("", None),
])
def test_satisfaction(raw, expected):
    assert satisfaction_of(raw, ANSWERS, 7) is expected


def test_text_of_drops_float_zero():
    assert text_of(1001.0) == "1001"
    assert text_of(" x ") == "x"
