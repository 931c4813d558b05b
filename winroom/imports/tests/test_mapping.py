"""Proposed column mappings, value mappings and saved mappings."""

from datetime import date

import pytest
from django.db import IntegrityError

from winroom.imports.mapping import (
    STATUS_WORDS,
    Mapping,
    content_kind,
    match_choice,
    propose_columns,
)
from winroom.imports.models import ImportMapping


def test_headers_in_chinese_and_english_any_case_width_or_spacing():
    headers = ["客户名称", "INDUSTRY", "Ｒｅｇｉｏｎ", " Owner  Email ", "备注", "不认识的列"]
    assert propose_columns("account", headers, []) == {
        "客户名称": "name",
        "INDUSTRY": "industry",
        "Ｒｅｇｉｏｎ": "region",
        " Owner  Email ": "owner",
        "备注": "description",
    }


def test_a_target_is_proposed_once():
    assert propose_columns("account", ["客户", "客户名称"], []) == {"客户": "name"}


def test_content_decides_when_the_header_says_nothing():
    headers = ["姓名", "x1", "x2", "x3"]
    rows = [
        ["李明", "li@x.cn", "13800138000", "2026-03-01"],
        ["张华", "zh@x.cn", "010-65541234", date(2026, 3, 2)],
        ["赵强", "", "+86 21 5555 1234", "2026年3月3日"],
    ]
    assert propose_columns("contact", headers, rows) == {
        "姓名": "name",
        "x1": "email",
        "x2": "phone",
        "x3": "first_contact_on",
    }


def test_content_kind_needs_most_values_to_agree():
    assert content_kind(["a@b.cn", "x", "y"]) == ""
    assert content_kind(["https://a.cn", "www.b.cn"]) == "url"
    assert content_kind(["", None, "-"]) == ""


def test_choice_matching_by_code_or_either_languages_label():
    choices = [("won", ["赢单", "Won"]), ("lost", ["输单", "Lost"])]
    assert match_choice("WON", choices) == "won"
    assert match_choice(" 赢单 ", choices) == "won"
    assert match_choice("lost", choices) == "lost"
    assert match_choice("平局", choices) is None


def test_user_value_mappings_win_and_ignore_case_and_width():
    mapping = Mapping(values={"status": {"Closed Won": "won"}})
    assert mapping.value_for("status", "closed  won") == "won"
    assert mapping.value_for("status", "ＣＬＯＳＥＤ ＷＯＮ") == "won"
    assert mapping.value_for("status", "open") is None
    assert "closed won" in STATUS_WORDS["won"] and "输单" in STATUS_WORDS["lost"]


def test_mapping_round_trips_json():
    data = {"columns": {"a": "name"}, "values": {"x": {"y": "z"}}, "options": {"in_wan": ["a"]}}
    mapping = Mapping.from_json(data)
    assert mapping.to_json() == data
    assert mapping.flagged("in_wan", "a") and not mapping.flagged("month_first", "a")


@pytest.mark.django_db
def test_saved_mapping_names_are_unique_per_kind():
    ImportMapping.objects.create(name="CRM 导出", kind="account", columns={"客户": "name"})
    ImportMapping.objects.create(name="CRM 导出", kind="contact")
    with pytest.raises(IntegrityError):
        ImportMapping.objects.create(name="CRM 导出", kind="account")
