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
    # leads and activities: see lead_import.py and activity_import.py
    "lead": (
        Target(
            "company_name",
            synonyms=("company", "company name", "account name", "客户名称", "公司", "公司名称"),
        ),
        Target("person_name", synonyms=("name", "contact", "contact name", "姓名", "联系人")),
        Target("title", synonyms=("title", "job title", "position", "职务", "职位")),
        Target("phone", synonyms=("phone", "mobile", "tel", "电话", "手机"), content="phone"),
        Target("email", synonyms=("email", "e-mail", "mail", "邮箱", "电子邮件"), content="email"),
        Target("need_description", synonyms=("need", "requirement", "description", "需求")),
        Target("need_type", "choice", ("need type", "需求类型")),
        Target("expected_size", "decimal", ("expected size", "budget", "预计金额", "预算")),
        Target("source", synonyms=("source", "campaign", "event", "来源", "活动")),
        Target("channel", "ref", ("channel", "lead source", "渠道", "线索渠道", "线索来源")),
        Target("status", "choice", ("status", "lead status", "状态", "线索状态")),
        Target("rejection_reason", synonyms=("rejection reason", "reason rejected", "拒绝原因")),
        Target("created_at", "date", ("created", "created date", "创建日期", "创建时间")),
        Target("notes", synonyms=("notes", "remarks", "备注")),
        #: any number of columns whose "header: value" lines go into the notes
        Target("extra", "extra"),
        *COMMON,
    ),
    "activity": (
        Target("subject", synonyms=("subject", "summary", "主题", "摘要", "事项")),
        Target("kind", "choice", ("kind", "type", "activity type", "类型", "活动类型", "方式")),
        Target(
            "occurred_at",
            "date",
            ("date", "time", "activity date", "日期", "时间", "活动日期", "拜访日期"),
            content="date",
        ),
        Target("account", "ref", ("account", "account name", "accountid", "客户", "客户名称")),
        Target("participants", "ref", ("contacts", "contact", "participants", "联系人", "参与人")),
        Target("deal", "ref", ("deal", "opportunity", "opportunityid", "whatid", "商机")),
        Target("relationship_actions", "ref", ("relationship actions", "关系动作")),
        Target("notes", synonyms=("notes", "description", "comments", "备注", "内容", "详情")),
        *COMMON,
    ),
    # deals, product lines, people and teams: see deal_import.py and org_import.py
    "deal": (
        Target(
            "name",
            synonyms=(
                "name",
                "deal",
                "deal name",
                "opportunity",
                "opportunity name",
                "商机",
                "商机名称",
                "项目",
                "项目名称",
            ),
        ),
        Target(
            "account",
            "ref",
            ("account", "account name", "accountid", "company", "customer", "客户", "客户名称"),
        ),
        Target(
            "amount",
            "decimal",
            ("amount", "value", "deal value", "close value", "金额", "商机金额", "合同金额"),
        ),
        Target(
            "expected_close",
            "date",
            ("close date", "closedate", "expected close", "预计成交日期", "预计签约日期"),
        ),
        Target(
            "created",
            "date",
            ("created", "created date", "createddate", "engage date", "创建日期", "立项日期"),
        ),
        #: our stage by number or name, or an outcome (won/lost) their stage names imply
        Target("stage", "choice", ("stage", "stagename", "deal stage", "阶段", "销售阶段")),
        Target("status", "choice", ("status", "outcome", "result", "状态", "结果", "赢单/输单")),
        Target("is_won", "bool", ("iswon", "won", "是否赢单")),
        Target("is_closed", "bool", ("isclosed", "closed", "是否关闭")),
        Target("closed", "date", ("closed date", "date closed", "关闭日期", "成交日期")),
        Target("lost_reason", synonyms=("lost reason", "loss reason", "丢单原因", "输单原因")),
        Target(
            "product_lines",
            "ref",
            ("product", "products", "product line", "product lines", "产品", "产品线"),
        ),
        Target("competitors", "ref", ("competitor", "competitors", "竞争对手", "竞争者")),
        Target("source", "choice", ("source", "lead source", "leadsource", "来源", "商机来源")),
        Target("partner", synonyms=("partner", "合作伙伴", "代理商")),
        Target("grade", "choice", ("grade", "等级", "商机等级")),
        Target(
            "external_id",
            synonyms=("id", "external id", "opportunity id", "deal id", "外部编号", "商机编号"),
        ),
        Target(
            "owner",
            "owner",
            (
                "owner",
                "ownerid",
                "owner email",
                "sales agent",
                "sales rep",
                "负责人",
                "所有人",
                "销售",
            ),
        ),
    ),
    "product": (
        Target(
            "name",
            synonyms=("name", "product", "product name", "product line", "产品", "产品线"),
        ),
        Target("external_id", synonyms=("id", "external id", "product id", "外部编号", "编号")),
    ),
    "user": (
        Target(
            "name",
            synonyms=("name", "full name", "sales agent", "sales rep", "姓名", "销售", "员工"),
        ),
        Target("username", synonyms=("username", "user name", "login", "账号", "用户名")),
        Target("email", synonyms=("email", "e-mail", "邮箱"), content="email"),
        Target("manager", synonyms=("manager", "managerid", "sales manager", "经理", "上级")),
        Target("team", synonyms=("team", "sales team", "department", "团队", "销售团队", "部门")),
        Target("region", synonyms=("region", "regional office", "office", "大区", "区域")),
        Target("role", "choice", ("role", "角色")),
        Target("external_id", synonyms=("id", "external id", "user id", "外部编号", "工号")),
    ),
}

#: targets a mapping must fill (from a column, or from a default in its options)
REQUIRED: dict[str, tuple[str, ...]] = {
    "lead": ("company_name",),
    "activity": ("subject", "account", "occurred_at"),
}
#: targets several columns may share
MULTIPLE = ("extra",)


def required(kind: str) -> tuple[str, ...]:
    return REQUIRED.get(kind, ("name",))


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
