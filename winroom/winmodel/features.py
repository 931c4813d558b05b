"""Point-in-time features of deals: what Winroom knew about a deal at a moment W.

Every feature of a deal at W reads only data recorded by W:

- the deal's own fields (stage, amount, grade, custom attributes …) from its change history
  (``HistoricalDeal``): the version in force at W;
- the questionnaire: the latest version answered by W (versions are never edited);
- competitors in the deal, their assessments, the decision map and compelling events: from
  their change histories (registered by this app); a row that existed before its history
  was kept counts from the moment it was first recorded (its own timestamp, or the deal
  event that recorded it) with the values it has now — the only approximation, and only for
  data entered before this app was installed;
- activities logged by W (occurred by W *and* entered by W, not yet deleted at W);
- the account's supplier tier assessed by W and its relationship score from the
  relationship actions logged by W;
- requirement lists written by W, signed off by W.

Deals imported from another system are a special case: their history starts at the import,
after the facts. For a moment before the import, the imported descriptive fields (amount,
grade, source, custom attributes such as the seller's assessments, competitors) count as
known — the file states them as facts of the deal — but the stage does not: an importer sets
a closed deal's stage from its outcome (won → last stage), which would leak the answer.

:func:`build_snapshots` loads everything for a set of deals in a fixed number of queries per
chunk of deals and computes the features in Python.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from winroom.accounts.models import Contact, SupplierTierAssessment
from winroom.activities.models import Activity
from winroom.attributes.models import AttributeDefinition, AttributeType
from winroom.deals.assessment import company_standards
from winroom.deals.models import (
    CompellingEvent,
    CompetitorAssessment,
    Deal,
    DealCompetitor,
    DealEvent,
    DealPerson,
    DealStatus,
    Questionnaire,
    RequirementVersion,
    Stage,
)
from winroom.methodology import relationship_score as core_score
from winroom.methodology.health import HealthInputs, health_score, indicator_values
from winroom.methodology.interaction import (
    InteractionCounts,
    InteractionLevel,
    explain_interaction_level,
)
from winroom.methodology.win_rate import PartyAssessment, WinRateInputs, explain_win_rate
from winroom.org.models import CompanySettings

CHUNK = 2000
#: at most this many weekly snapshots of one closed deal enter training (evenly spread)
SNAPSHOTS_PER_DEAL = 4
HEALTH_CODES = (
    "inside_coach",
    "decision_maker_coverage",
    "decision_support",
    "urgency",
    "needs_clarity",
    "motivation_clarity",
)

#: feature groups in the order the deal room lists them; a custom attribute is "custom:<code>"
NUMERIC = (
    "deal_age_days",
    "days_in_stage",
    "log_amount",
    "compelling_event",
    "inside_coach",
    "our_fit",
    "our_closeness",
    "competitor1_fit",
    "competitor1_closeness",
    "competitor2_fit",
    "competitor2_closeness",
    "rank",
    "competitors",
    "sole_source",
    "competitors_unknown",
    "rule_rate",
    "roles_covered",
    "decision_people",
    "supporters_share",
    "repeated_interaction_share",
    "deep_interaction_share",
    "activities_30d",
    "activities_90d",
    "deal_activities",
    "days_since_activity",
    *(f"health_{code}" for code in HEALTH_CODES),
    "health_score",
    "relationship_score",
    "supplier_tier",
)
CATEGORICAL = ("grade", "stage", "source", "rule_status", "partner_led", "product_lines")

Value = float | str | None


@dataclass
class Snapshot:
    """A deal at a moment: its features, the rule-based rate then, and (closed) its outcome."""

    deal_id: int
    as_of: datetime
    created_at: datetime
    won: bool | None
    stage: int | None
    rule_rate: float | None
    features: dict[str, Value] = field(default_factory=dict)
    #: roles covered at ``as_of`` (for the learned health standards)
    roles: frozenset[str] = frozenset()


@dataclass
class _Version:
    start: datetime
    end: datetime | None
    row: dict


def _as_of(versions: Sequence[_Version], moment: datetime) -> list[dict]:
    return [v.row for v in versions if v.start <= moment and (v.end is None or moment < v.end)]


def _versions(current: dict[int, dict], history: Iterable[tuple], legacy_start) -> dict:
    """Validity intervals per object id from its history rows (``(id, date, type, row)``,
    ordered by date); an object with no history counts from ``legacy_start(row)``."""
    by_object: dict[int, list[tuple[datetime, str, dict]]] = defaultdict(list)
    for object_id, moment, kind, row in history:
        by_object[object_id].append((moment, kind, row))
    result: dict[int, list[_Version]] = {}
    for object_id, rows in by_object.items():
        versions: list[_Version] = []
        first_moment, first_kind, first_row = rows[0]
        if first_kind != "+":  # it existed before its history was kept
            start = legacy_start(first_row)
            if start < first_moment:
                versions.append(_Version(start, first_moment, first_row))
        for index, (moment, kind, row) in enumerate(rows):
            if kind == "-":
                continue
            end = rows[index + 1][0] if index + 1 < len(rows) else None
            versions.append(_Version(moment, end, row))
        result[object_id] = versions
    for object_id, row in current.items():
        if object_id not in result:
            result[object_id] = [_Version(legacy_start(row), None, row)]
    return result


def _by_deal(versions: dict[int, list[_Version]]) -> dict[int, list[_Version]]:
    grouped: dict[int, list[_Version]] = defaultdict(list)
    for items in versions.values():
        for version in items:
            grouped[version.row["deal_id"]].append(version)
    return grouped


def _chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _history_rows(model, ids: Sequence[int], key: str, fields: Sequence[str]):
    """(object id, history date, type, row) of ``model``'s history for the deals ``ids``."""
    rows = []
    for chunk in _chunks(ids):
        rows += list(
            model.history.filter(**{f"{key}__in": chunk})
            .order_by("id", "history_date", "history_id")
            .values("id", "history_date", "history_type", *fields)
        )
    return [(r["id"], r["history_date"], r["history_type"], r) for r in rows]


def _current_rows(model, ids: Sequence[int], key: str, fields: Sequence[str]) -> dict[int, dict]:
    rows: dict[int, dict] = {}
    for chunk in _chunks(ids):
        for row in model.objects.filter(**{f"{key}__in": chunk}).values("id", *fields):
            rows[row["id"]] = row
    return rows


def local_monday(moment: datetime) -> datetime:
    """Monday 00:00 (company time) of the week of ``moment``."""
    day = timezone.localdate(moment)
    return timezone.make_aware(datetime.combine(day - timedelta(days=day.weekday()), time.min))


def training_moments(
    created: datetime, closed: datetime, per_deal: int = SNAPSHOTS_PER_DEAL
) -> list[datetime]:
    """The Mondays strictly inside the deal's life, at most ``per_deal`` of them evenly spread
    (first and last kept); a deal shorter than a week gets its midpoint."""
    mondays = []
    monday = local_monday(created) + timedelta(days=7)
    while monday < closed:
        if monday > created:
            mondays.append(monday)
        monday += timedelta(days=7)
    if not mondays:
        return [created + (closed - created) / 2]
    if len(mondays) <= per_deal:
        return mondays
    if per_deal == 1:
        return [mondays[-1]]
    picks = sorted({round(i * (len(mondays) - 1) / (per_deal - 1)) for i in range(per_deal)})
    return [mondays[i] for i in picks]


class DealFacts:
    """Everything the features of a set of deals read, loaded in bulk."""

    DEAL_FIELDS = (
        "stage_id",
        "stage_changed_at",
        "amount",
        "grade",
        "source",
        "partner_led",
        "sole_source",
        "custom",
        "status",
        "created_at",
    )

    def __init__(self, deal_ids: Iterable[int], company: CompanySettings | None = None):
        self.ids = sorted(set(deal_ids))
        self.company = company or CompanySettings.current()
        self.interaction_rule = self.company.interaction_rule()
        self.deep_kinds = set(self.company.deep_activity_kinds or [])
        self.score_rule = self.company.score_rule()
        self.stage_number = dict(Stage.objects.values_list("pk", "number"))
        self.standards = company_standards()
        self.definitions = {
            d.code: d.type for d in AttributeDefinition.objects.filter(target="deal", active=True)
        }
        self._load()

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        ids = self.ids
        self.deals: dict[int, dict] = {}
        for chunk in _chunks(ids):
            for row in Deal.all_objects.filter(pk__in=chunk).values(
                "id", "account_id", "created_at", "closed_at", "status", *self.DEAL_FIELDS[:-2]
            ):
                self.deals[row["id"]] = row
        history = _history_rows(Deal, ids, "id", self.DEAL_FIELDS)
        self.deal_versions = _versions({}, history, lambda row: row["history_date"])
        self.imported_at: dict[int, datetime] = {}
        events: dict[int, list[tuple]] = defaultdict(list)
        for chunk in _chunks(ids):
            for deal_id, at in (
                DealEvent.objects.filter(deal_id__in=chunk, kind=DealEvent.Kind.IMPORTED)
                .values("deal_id")
                .annotate(first=Min("at"))
                .values_list("deal_id", "first")
            ):
                self.imported_at[deal_id] = at
            for row in (
                DealEvent.objects.filter(
                    deal_id__in=chunk,
                    kind__in=[DealEvent.Kind.DECISION_MAP, DealEvent.Kind.COMPELLING_EVENT],
                )
                .order_by("at", "id")
                .values_list("deal_id", "kind", "new", "at")
            ):
                events[row[0]].append(row[1:])
        self._first_event: dict[tuple[int, str, str], datetime] = {}
        for deal_id, rows in events.items():
            for kind, new, at in rows:
                self._first_event.setdefault((deal_id, kind, new), at)

        # questionnaires (immutable versions) and their assessments
        self.questionnaires: dict[int, list[dict]] = defaultdict(list)
        for chunk in _chunks(ids):
            for row in (
                Questionnaire.objects.filter(deal_id__in=chunk)
                .order_by("answered_at", "id")
                .values(
                    "id", "deal_id", "answered_at", "has_inside_coach", "our_fit", "our_closeness"
                )
            ):
                self.questionnaires[row["deal_id"]].append(row)
        q_ids = [q["id"] for rows in self.questionnaires.values() for q in rows]
        assessments: dict[int, dict[int, tuple]] = defaultdict(dict)
        for chunk in _chunks(q_ids):
            for row in CompetitorAssessment.history.filter(
                questionnaire_id__in=chunk, history_type="+"
            ).values_list("questionnaire_id", "deal_competitor_id", "fit", "closeness"):
                assessments[row[0]][row[1]] = row[2:]
            for row in CompetitorAssessment.objects.filter(questionnaire_id__in=chunk).values_list(
                "questionnaire_id", "deal_competitor_id", "fit", "closeness"
            ):
                assessments[row[0]][row[1]] = row[2:]
        self.assessments = assessments

        deal_created = {pk: d["created_at"] for pk, d in self.deals.items()}

        def recorded(deal_id: int, moment: datetime) -> datetime:
            """Rows an import brought in count from the deal's start."""
            imported = self.imported_at.get(deal_id)
            if imported is not None and moment >= imported:
                return deal_created[deal_id]
            return moment

        fields = ("deal_id", "competitor_id", "added_at")
        self.competitor_versions = _by_deal(
            _versions(
                _current_rows(DealCompetitor, ids, "deal_id", fields),
                _history_rows(DealCompetitor, ids, "deal_id", fields),
                lambda row: recorded(row["deal_id"], row["added_at"]),
            )
        )
        fields = (
            "deal_id",
            "description",
            "due_on",
            "confirmed_at",
            "confirmed_in_stage",
            "withdrawn",
        )

        def event_start(row: dict) -> datetime:
            key = (row["deal_id"], DealEvent.Kind.COMPELLING_EVENT, row["description"][:200])
            own = recorded(row["deal_id"], row["confirmed_at"])
            first = self._first_event.get(key)
            return min(first, own) if first else own

        self.event_versions = _by_deal(
            _versions(
                _current_rows(CompellingEvent, ids, "deal_id", fields),
                _history_rows(CompellingEvent, ids, "deal_id", fields),
                event_start,
            )
        )
        fields = (
            "deal_id",
            "contact_id",
            "decision_role",
            "inside_coach",
            "relationship_status",
            "motivation",
            "need",
            "expectation",
        )
        current_people = _current_rows(DealPerson, ids, "deal_id", fields)
        people_history = _history_rows(DealPerson, ids, "deal_id", fields)
        contact_ids = {r["contact_id"] for r in current_people.values()} | {
            r[3]["contact_id"] for r in people_history
        }
        names: dict[int, str] = {}
        levels: dict[int, str] = {}
        self.marked_key: dict[int, list[int]] = defaultdict(list)
        for chunk in _chunks(sorted(contact_ids)):
            for pk, name, level in Contact.all_objects.filter(pk__in=chunk).values_list(
                "pk", "name", "level"
            ):
                names[pk], levels[pk] = name, level
        kind = DealEvent.Kind.DECISION_MAP

        def person_start(row: dict) -> datetime:
            first = self._first_event.get((row["deal_id"], kind, names.get(row["contact_id"], "")))
            return first or deal_created[row["deal_id"]]

        self.person_versions = _by_deal(_versions(current_people, people_history, person_start))

        # product lines keep no change history: the current ones are used (see the docs)
        self.products: dict[int, list[str]] = defaultdict(list)
        through = Deal.product_lines.through
        for chunk in _chunks(ids):
            for deal_id, name in through.objects.filter(deal_id__in=chunk).values_list(
                "deal_id", "productline__name"
            ):
                self.products[deal_id].append(name)
        self.requirements: dict[int, list[tuple]] = defaultdict(list)
        for chunk in _chunks(ids):
            for row in RequirementVersion.objects.filter(deal_id__in=chunk).values_list(
                "deal_id", "written_at", "signed_off_on", "is_change_request", "number"
            ):
                self.requirements[row[0]].append(row[1:])

        accounts = sorted({d["account_id"] for d in self.deals.values()})
        self.account_activities: dict[int, list[tuple]] = defaultdict(list)
        self.deal_activity_times: dict[int, list[tuple]] = defaultdict(list)
        for chunk in _chunks(accounts):
            for row in (
                Activity.all_objects.filter(account_id__in=chunk)
                .order_by("occurred_at")
                .values_list("account_id", "deal_id", "occurred_at", "created_at", "deleted_at")
            ):
                self.account_activities[row[0]].append(row[2:])
                if row[1] is not None:
                    self.deal_activity_times[row[1]].append(row[2:])
        # the people's logged activities (interaction levels) and relationship actions
        through = Activity.participants.through
        self.contact_activities: dict[int, list[tuple]] = defaultdict(list)
        for chunk in _chunks(sorted(contact_ids)):
            for row in through.objects.filter(contact_id__in=chunk).values_list(
                "contact_id",
                "activity__occurred_at",
                "activity__created_at",
                "activity__deleted_at",
                "activity__kind",
            ):
                self.contact_activities[row[0]].append(row[1:])
        self.contact_actions: dict[int, list[tuple]] = defaultdict(list)
        for chunk in _chunks(sorted(contact_ids)):
            for row in through.objects.filter(
                contact_id__in=chunk, activity__relationship_actions__isnull=False
            ).values_list(
                "contact_id",
                "activity__occurred_at",
                "activity__created_at",
                "activity__deleted_at",
                "activity__relationship_actions__code",
                "activity__relationship_actions__points",
            ):
                self.contact_actions[row[0]].append(row[1:])
        self.contact_level = levels
        self.tiers: dict[int, list[tuple]] = defaultdict(list)
        for chunk in _chunks(accounts):
            for account_id, at, tier in (
                SupplierTierAssessment.objects.filter(account_id__in=chunk)
                .order_by("assessed_at", "pk")
                .values_list("account_id", "assessed_at", "tier")
            ):
                self.tiers[account_id].append((at, tier))

    # ------------------------------------------------------------------ one snapshot

    def deal_state(
        self, deal_id: int, moment: datetime, *, descriptive: bool = False
    ) -> tuple[dict | None, bool]:
        """(the deal's fields in force at ``moment``, whether the stage is known).

        Up to its import (or with ``descriptive``) an imported deal is what the file said,
        stage unknown; a deal without any history is its current row, stage unknown."""
        deal = self.deals[deal_id]
        if moment < deal["created_at"]:
            return None, False
        versions = self.deal_versions.get(deal_id, [])
        imported = self.imported_at.get(deal_id)
        if not descriptive and (imported is None or moment > imported):
            found = _as_of(versions, moment)
            if found:
                return found[-1], True
        return (versions[0].row if versions else deal), False

    def snapshot(
        self,
        deal_id: int,
        moment: datetime,
        won: bool | None = None,
        *,
        descriptive: bool = False,
    ) -> Snapshot | None:
        deal = self.deals[deal_id]
        state, stage_known = self.deal_state(deal_id, moment, descriptive=descriptive)
        if state is None:
            return None
        features: dict[str, Value] = {}
        stage = self.stage_number.get(state["stage_id"]) if stage_known else None
        features["grade"] = state["grade"] or None
        features["stage"] = str(stage) if stage is not None else None
        features["source"] = state["source"] or None
        features["partner_led"] = "yes" if state["partner_led"] else "no"
        features["product_lines"] = "+".join(sorted(self.products.get(deal_id, []))) or None
        features["deal_age_days"] = max((moment - deal["created_at"]).days, 0)
        features["days_in_stage"] = (
            max((moment - state["stage_changed_at"]).days, 0)
            if stage_known and state["stage_changed_at"]
            else None
        )
        amount = float(state["amount"] or 0)
        features["log_amount"] = math.log10(1 + amount) if amount > 0 else None

        # compelling events in force
        live = [
            e for e in _as_of(self.event_versions.get(deal_id, []), moment) if not e["withdrawn"]
        ]
        features["compelling_event"] = 1.0 if live else 0.0
        # questionnaire answered by then
        questionnaire = None
        for row in self.questionnaires.get(deal_id, []):
            if row["answered_at"] <= moment:
                questionnaire = row
        competitors = _as_of(self.competitor_versions.get(deal_id, []), moment)
        scores = self.assessments.get(questionnaire["id"], {}) if questionnaire else {}
        parties = tuple(
            PartyAssessment(
                name=str(c["id"]),
                fit=scores.get(c["id"], (None, None))[0],
                closeness=scores.get(c["id"], (None, None))[1],
            )
            for c in competitors
        )
        us = PartyAssessment(
            name="us",
            fit=questionnaire["our_fit"] if questionnaire else None,
            closeness=questionnaire["our_closeness"] if questionnaire else None,
        )
        coach = questionnaire["has_inside_coach"] if questionnaire else None
        rule = explain_win_rate(
            WinRateInputs(
                has_compelling_event=bool(live),
                has_inside_coach=coach,
                us=us,
                competitors=parties,
                sole_source=bool(state["sole_source"]),
            )
        )
        features["inside_coach"] = None if coach is None else float(coach)
        features["our_fit"] = us.fit
        features["our_closeness"] = us.closeness
        strongest = sorted(
            (p for p in parties if p.strength is not None), key=lambda p: -(p.strength or 0)
        )
        for index in (0, 1):
            party = strongest[index] if index < len(strongest) else None
            features[f"competitor{index + 1}_fit"] = party.fit if party else None
            features[f"competitor{index + 1}_closeness"] = party.closeness if party else None
        features["competitors"] = len(competitors)
        features["sole_source"] = 1.0 if state["sole_source"] else 0.0
        features["competitors_unknown"] = 1.0 if rule.competitors_unknown else 0.0
        features["rank"] = rule.rank
        features["rule_status"] = str(rule.status)
        rule_rate = float(rule.rate) if rule.rate is not None else None
        features["rule_rate"] = rule_rate

        # decision map
        people = _as_of(self.person_versions.get(deal_id, []), moment)
        decision = [p for p in people if p["decision_role"]]
        roles = frozenset(p["decision_role"] for p in decision)
        features["roles_covered"] = len(roles)
        features["decision_people"] = len(decision)
        features["supporters_share"] = (
            sum(1 for p in decision if p["relationship_status"] in ("positive", "strong_positive"))
            / len(decision)
            if decision
            else None
        )
        levels = [self._interaction(p["contact_id"], moment) for p in decision]
        features["repeated_interaction_share"] = (
            sum(1 for lv in levels if lv in (InteractionLevel.REPEATED, InteractionLevel.DEEP))
            / len(levels)
            if levels
            else None
        )
        features["deep_interaction_share"] = (
            sum(1 for lv in levels if lv == InteractionLevel.DEEP) / len(levels) if levels else None
        )

        # activities known by then
        account_id = deal["account_id"]
        known = self._known(self.account_activities.get(account_id, []), moment)
        features["activities_30d"] = sum(1 for a in known if a >= moment - timedelta(days=30))
        features["activities_90d"] = sum(1 for a in known if a >= moment - timedelta(days=90))
        features["days_since_activity"] = (moment - max(known)).days if known else None
        features["deal_activities"] = len(
            self._known(self.deal_activity_times.get(deal_id, []), moment)
        )

        # health indicators as they stood
        versions = sorted(
            (r for r in self.requirements.get(deal_id, []) if r[0] <= moment),
            key=lambda r: -r[3],
        )
        today = timezone.localdate(moment)
        event = max(live, key=lambda e: e["confirmed_at"]) if live else None
        inputs = HealthInputs(
            has_inside_coach=coach,
            roles_present=roles,
            decision_people=len(decision),
            decision_positive=sum(1 for p in decision if p["relationship_status"] == "positive"),
            decision_strong_positive=sum(
                1 for p in decision if p["relationship_status"] == "strong_positive"
            ),
            has_compelling_event=bool(live),
            compelling_event_confirmed=bool(
                stage is not None and any(e["confirmed_in_stage"] >= stage for e in live)
            ),
            days_to_compelling_event=(event["due_on"] - today).days
            if event is not None and event["due_on"]
            else None,
            requirements_signed_off=bool(
                versions and versions[0][1] is not None and versions[0][1] <= today
            ),
            open_change_requests=sum(
                1 for v in versions if v[2] and (v[1] is None or v[1] > today)
            ),
            mapped_people=len(people),
            mapped_people_with_mne=sum(
                1 for p in people if p["motivation"] and p["need"] and p["expectation"]
            ),
        )
        values = indicator_values(inputs)
        for code in HEALTH_CODES:
            features[f"health_{code}"] = values[code]
        standard = self.standards.get(stage) if stage is not None else None
        features["health_score"] = health_score(values, standard).score if standard else None

        # the account
        tier = None
        for at, value in self.tiers.get(account_id, []):
            if at <= moment:
                tier = value
        features["supplier_tier"] = tier
        features["relationship_score"] = self._relationship(decision, moment)

        # custom attributes in force
        custom = state.get("custom") or {}
        for code, kind in self.definitions.items():
            value = custom.get(code)
            if kind == AttributeType.NUMBER:
                features[f"custom:{code}"] = (
                    float(value) if isinstance(value, (int, float)) else None
                )
            elif kind in (AttributeType.CHOICE, AttributeType.TEXT):
                features[f"custom:{code}"] = str(value) if value not in (None, "") else None
        return Snapshot(
            deal_id=deal_id,
            as_of=moment,
            created_at=deal["created_at"],
            won=won,
            stage=stage,
            rule_rate=rule_rate,
            features=features,
            roles=roles,
        )

    @staticmethod
    def _known(rows: Sequence[tuple], moment: datetime) -> list[datetime]:
        """Occurrence times of the rows entered by ``moment`` and not deleted by then."""
        return [
            occurred
            for occurred, created, deleted, *_rest in rows
            if occurred <= moment and created <= moment and (deleted is None or deleted > moment)
        ]

    def _interaction(self, contact_id: int, moment: datetime) -> InteractionLevel:
        rule = self.interaction_rule
        since = moment - timedelta(days=rule.window_days)
        ever = recent = deep = 0
        for occurred, created, deleted, kind in self.contact_activities.get(contact_id, []):
            if occurred > moment or created > moment or (deleted is not None and deleted <= moment):
                continue
            ever += 1
            if occurred >= since:
                recent += 1
                deep += kind in self.deep_kinds
        counts = InteractionCounts(ever=ever, recent=recent, recent_deep=deep)
        return explain_interaction_level(counts, rule).level

    def _relationship(self, decision: list[dict], moment: datetime) -> float | None:
        """The mean relationship score of the deal's decision-role people (§1.2), from the
        relationship actions logged by ``moment``; ``None`` with nobody on the map."""
        if not decision:
            return None
        today = timezone.localdate(moment)
        scores = []
        for person in decision:
            contact_id = person["contact_id"]
            actions = [
                core_score.LoggedAction(
                    code=code, points=Decimal(points), occurred_on=timezone.localdate(occurred)
                )
                for occurred, created, deleted, code, points in self.contact_actions.get(
                    contact_id, []
                )
                if occurred <= moment
                and created <= moment
                and (deleted is None or deleted > moment)
            ]
            level = self.contact_level.get(contact_id, "staff")
            scores.append(
                core_score.contact_score(actions, level=level, today=today, rule=self.score_rule)
            )
        result = core_score.account_score(scores)
        return float(result) if result is not None else None


def closed_deal_ids(*, include_abandoned: bool = True) -> list[int]:
    """Closed deals of living accounts, the training population."""
    statuses = [DealStatus.WON, DealStatus.LOST]
    if include_abandoned:
        statuses.append(DealStatus.ABANDONED)
    return list(
        Deal.objects.filter(status__in=statuses, account__deleted_at__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def training_snapshots(
    deal_ids: Sequence[int] | None = None, *, per_deal: int = SNAPSHOTS_PER_DEAL
) -> list[Snapshot]:
    """Snapshots of closed deals labelled with their outcome (won = 1; lost or abandoned = 0).

    A deal with a recorded life gets up to ``per_deal`` weekly snapshots before it closed; a
    deal imported after it closed gets one, as the file described it (stage unknown)."""
    ids = list(deal_ids) if deal_ids is not None else closed_deal_ids()
    snapshots: list[Snapshot] = []
    for chunk in _chunks(ids, CHUNK):
        facts = DealFacts(chunk)
        for deal_id in chunk:
            deal = facts.deals.get(deal_id)
            if deal is None or deal["status"] == DealStatus.OPEN:
                continue
            won = deal["status"] == DealStatus.WON
            closed = deal["closed_at"] or deal["created_at"]
            first = facts.deal_versions.get(deal_id)
            backfilled = not first or first[0].start >= closed
            moments = (
                [deal["created_at"]]
                if backfilled or closed <= deal["created_at"]
                else training_moments(deal["created_at"], closed, per_deal)
            )
            for moment in moments:
                snapshot = facts.snapshot(deal_id, moment, won, descriptive=backfilled)
                if snapshot is not None:
                    snapshots.append(snapshot)
    return snapshots


def current_snapshots(deal_ids: Sequence[int], *, now: datetime | None = None) -> list[Snapshot]:
    """Snapshots of (open) deals as they stand now."""
    now = now or timezone.now()
    result = []
    for chunk in _chunks(list(deal_ids), CHUNK):
        facts = DealFacts(chunk)
        for deal_id in chunk:
            if deal_id in facts.deals:
                snapshot = facts.snapshot(deal_id, now)
                if snapshot is not None:
                    result.append(snapshot)
    return result


def features_at(deal_id: int, moment: datetime) -> dict[str, Value] | None:
    """One deal's features at ``moment`` (tests and the shell; bulk code uses DealFacts)."""
    snapshot = DealFacts([deal_id]).snapshot(deal_id, moment)
    return snapshot.features if snapshot is not None else None


def stage_exit_moments(facts: DealFacts, deal_id: int) -> list[tuple[int, datetime]]:
    """(stage number, the last moment in it) for every stage a closed deal went through,
    read from its history; the final stage ends at the close."""
    versions = facts.deal_versions.get(deal_id, [])
    deal = facts.deals[deal_id]
    result: list[tuple[int, datetime]] = []
    closed = deal["closed_at"]
    if not versions or closed is None or versions[0].start >= closed:
        return result
    for index, version in enumerate(versions):
        stage = facts.stage_number.get(version.row["stage_id"])
        if version.row["status"] != DealStatus.OPEN or stage is None:
            continue
        nxt = versions[index + 1] if index + 1 < len(versions) else None
        next_stage = facts.stage_number.get(nxt.row["stage_id"]) if nxt else None
        if nxt is None or next_stage != stage or nxt.row["status"] != DealStatus.OPEN:
            end = min(nxt.start if nxt else closed, closed)
            moment = end - timedelta(seconds=1)
            if result and result[-1][0] == stage:
                result[-1] = (stage, moment)
            else:
                result.append((stage, moment))
    return result
