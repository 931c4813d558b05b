"""What each import kind can fill, and the proposed mapping of a file's columns onto it.

A mapping is plain JSON (saved as :class:`winroom.imports.models.ImportMapping`)::

    {"columns": {"客户名称": "name", "负责人": "owner"},
     "values": {"industry": {"制造": "manufacturing"}},
     "options": {"in_wan": ["amount"], "month_first": ["first_contact_on"]}}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from winroom.imports.reading import header_key, is_blank, normalise_text


@dataclass(frozen=True)
class Target:
    name: str
    type: str = "text"  # text, date, decimal, int, bool, choice, owner, ref, custom
    synonyms: tuple[str, ...] = ()
    #: content this column is recognised by when its header says nothing
    content: str = ""


COMMON = (
    Target("external_id", synonyms=("id", "external id", "外部编号", "编号", "原系统编号")),
    Target(
        "owner",
        "owner",
        synonyms=(
            "owner",
            "owner email",
            "owner name",
            "负责人",
            "负责人邮箱",
            "负责人账号",
            "所有人",
            "销售",
            "客户经理",
        ),
    ),
)

TARGETS: dict[str, tuple[Target, ...]] = {
    "account": (
        Target(
            "name",
            synonyms=("name", "account", "account name", "company", "客户", "客户名称", "公司名称"),
        ),
        Target("industry", "choice", ("industry", "sector", "行业")),
        Target("region", synonyms=("region", "area", "city", "province", "区域", "地区", "城市")),
        Target("size", "choice", ("size", "employees", "规模", "人数")),
        Target("status", "choice", ("status", "状态", "客户状态")),
        Target("website", synonyms=("website", "web", "url", "网站", "网址"), content="url"),
        Target("address", synonyms=("address", "地址")),
        Target("description", synonyms=("description", "notes", "描述", "备注", "简介")),
        *COMMON,
    ),
    "contact": (
        Target("name", synonyms=("name", "full name", "contact", "contact name", "姓名", "联系人")),
        Target(
            "account",
            "ref",
            ("account", "account name", "company", "accountid", "客户", "客户名称", "公司"),
        ),
        Target("title", synonyms=("title", "job title", "position", "职务", "职位", "头衔")),
        Target("department", synonyms=("department", "dept", "部门")),
        Target(
            "phone", synonyms=("phone", "mobile", "tel", "电话", "手机", "手机号"), content="phone"
        ),
        Target("email", synonyms=("email", "e-mail", "mail", "邮箱", "电子邮件"), content="email"),
        Target("level", "choice", ("level", "层级", "级别")),
        Target("relationship_status", "choice", ("relationship", "relationship status", "关系")),
        Target("orientation", "choice", ("orientation", "行为取向")),
        Target(
            "first_contact_on",
            "date",
            ("first contact", "first contacted", "首次接触", "首次接触日期"),
            content="date",
        ),
        Target("marked_key", "bool", ("key contact", "key", "关键人", "关键联系人")),
        Target("notes", synonyms=("notes", "description", "备注")),
        Target("reports_to", "ref", ("reports to", "reportstoid", "manager", "上级", "汇报对象")),
        Target("external_id", synonyms=("id", "external id", "contact id", "外部编号", "编号")),
    ),
}

KINDS = tuple(TARGETS)


#: kinds whose records carry administrator-defined custom attributes
CUSTOM_KINDS = ("deal", "account")
CUSTOM_PREFIX = "custom:"


def custom_targets(kind: str) -> tuple[Target, ...]:
    """One target per active custom attribute of the kind (``custom:<code>``)."""
    if kind not in CUSTOM_KINDS:
        return ()
    from winroom.attributes.models import AttributeDefinition

    return tuple(
        Target(
            f"{CUSTOM_PREFIX}{definition.code}",
            "custom",
            tuple(w for w in (definition.label, definition.label_en, definition.code) if w),
        )
        for definition in AttributeDefinition.objects.for_target(kind)
    )


def all_targets(kind: str) -> tuple[Target, ...]:
    return TARGETS[kind] + custom_targets(kind)


def targets(kind: str) -> dict[str, Target]:
    return {target.name: target for target in all_targets(kind)}


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s()-]{7,20}$")
_DATE = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$")
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)


def content_kind(values: list[Any]) -> str:
    """What a column holds when most of its non-blank values agree: email, phone, date, url."""
    from datetime import date

    sample = [v for v in values if not is_blank(v)][:50]
    if not sample:
        return ""
    checks = {
        "email": lambda v: isinstance(v, str) and bool(_EMAIL.match(normalise_text(v))),
        "date": lambda v: isinstance(v, date) or bool(_DATE.match(normalise_text(v))),
        "url": lambda v: isinstance(v, str) and bool(_URL.match(normalise_text(v))),
        "phone": lambda v: (
            bool(_PHONE.match(normalise_text(v)))
            and sum(c.isdigit() for c in normalise_text(v)) >= 7
        ),
    }
    for name, check in checks.items():
        if sum(1 for v in sample if check(v)) >= 0.8 * len(sample):
            return name
    return ""


def propose_columns(
    kind: str, headers: list[str], rows: list[list[Any]], *, custom: tuple[Target, ...] = ()
) -> dict[str, str]:
    """Header → target field, from header names first, then from the columns' content.

    ``custom`` are the kind's custom-attribute targets (see :func:`custom_targets`)."""
    every = TARGETS[kind] + tuple(custom)
    available = {target.name: target for target in every}
    by_synonym = {header_key(word): target.name for target in every for word in target.synonyms}
    for target in every:
        by_synonym.setdefault(header_key(target.name), target.name)
    proposal: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        name = by_synonym.get(header_key(header))
        if name and name not in used:
            proposal[header] = name
            used.add(name)
    for index, header in enumerate(headers):
        if header in proposal or not header:
            continue
        found = content_kind([row[index] if index < len(row) else None for row in rows])
        for target in available.values():
            if found and target.content == found and target.name not in used:
                proposal[header] = target.name
                used.add(target.name)
                break
    return proposal


#: words other systems use for the outcome of a deal, and ours
STATUS_WORDS = {
    "won": ("won", "closed won", "win", "赢单", "赢", "成交", "已成交", "签约"),
    "lost": ("lost", "closed lost", "loss", "输单", "丢单", "失败", "未成交"),
    "open": ("open", "in progress", "进行中", "跟进中", "engaging", "prospecting"),
}


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict | None) -> Mapping:
        data = data or {}
        return cls(
            columns=dict(data.get("columns") or {}),
            values={k: dict(v) for k, v in (data.get("values") or {}).items()},
            options=dict(data.get("options") or {}),
        )

    def to_json(self) -> dict:
        return {"columns": self.columns, "values": self.values, "options": self.options}

    def flagged(self, option: str, target: str) -> bool:
        return target in (self.options.get(option) or ())

    def value_for(self, target: str, raw: Any) -> str | None:
        """The user's own value mapping for a choice, matched width/case-insensitively."""
        table = self.values.get(target) or {}
        key = header_key(raw)
        for their, ours in table.items():
            if header_key(their) == key:
                return ours
        return None


def match_choice(raw: Any, choices: list[tuple[str, list[str]]]) -> str | None:
    """Our code for a value: the code itself or any of its labels (each language)."""
    key = header_key(raw)
    for code, labels in choices:
        if key == header_key(code) or any(key == header_key(label) for label in labels):
            return code
    return None
