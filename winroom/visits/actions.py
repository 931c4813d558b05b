"""Writes to visits (METHODOLOGY §3.4): plan, record with the rep's scores, the manager's
evaluation. One transaction each, with the version check against lost updates.

Who may do what:
- plan a visit: anyone who may change the account (they become its rep);
- change the plan: the rep, the rep's managers and administrators (``can_write``);
- record it and give the rep's step scores: the rep only — no one else may speak for them;
- give the manager's step scores: a manager of the rep (their owner scope) or an
  administrator, never the rep themselves.
A refusal is ``PermissionDenied``, which the views turn into 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.org.access import can_write, viewer_for
from winroom.records import restore, save_edit, soft_delete

from .models import STEPS, Visit, VisitStatus

PLAN_FIELDS = (
    "account",
    "deal",
    "planned_at",
    "objective",
    "reason",
    "questions",
    "commitment_ask",
    "materials",
)
RECORD_FIELDS = ("visited_on", "outcome", "commitment", "next_steps")
REP_SCORE_FIELDS = tuple(f"rep_{step.value}" for step in STEPS)
MANAGER_SCORE_FIELDS = tuple(f"mgr_{step.value}" for step in STEPS)


def may_record(user, visit) -> bool:
    """Only the rep records their visit and scores themselves."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.pk == visit.owner_id
        and visit.status != VisitStatus.CANCELLED
    )


def may_evaluate(user, visit) -> bool:
    """A manager of the rep (transitively) or an administrator — never the rep."""
    if not getattr(user, "is_authenticated", False) or user.pk == visit.owner_id:
        return False
    viewer = viewer_for(user)
    if not viewer.is_active:
        return False
    return viewer.is_admin or visit.owner_id in viewer.managed_user_ids


def next_step_lines(text: str) -> list[str]:
    """The next steps one per line, without bullets and blank lines."""
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip().lstrip("-*•·").strip()
        if line:
            lines.append(line[:200])
    return lines


def _check_links(by, *, account, deal, people) -> None:
    from winroom.deals.models import Deal

    if deal is not None:
        if deal.account_id != account.pk:
            raise ValidationError({"deal": _("The opportunity belongs to another account.")})
        if not Deal.objects.visible_to(by).filter(pk=deal.pk).exists():
            raise ValidationError({"deal": _("No such opportunity.")})
    strangers = [c.name for c in people if c.account_id != account.pk]
    if strangers:
        raise ValidationError(
            {
                "people": _("These people are not at %(account)s: %(names)s")
                % {"account": account.name, "names": ", ".join(strangers)}
            }
        )


def plan_visit(*, by, data: dict) -> Visit:
    """A new planned visit; the person planning it is its rep."""
    data = {k: v for k, v in data.items() if k in PLAN_FIELDS or k == "people"}
    people = list(data.pop("people", []))
    account = data["account"]
    if not can_write(by, account):
        raise PermissionDenied
    _check_links(by, account=account, deal=data.get("deal"), people=people)
    visit = Visit(owner=by, status=VisitStatus.PLANNED, **data)
    visit._history_user = by
    with transaction.atomic():
        visit.full_clean(exclude=["people"])
        visit.save()
        visit.people.set(people)
    return visit


def update_plan(visit: Visit, *, by, data: dict, expected_version: int | None) -> Visit:
    """Change the plan (not the record, not the scores)."""
    if not can_write(by, visit):
        raise PermissionDenied
    changes = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    account = changes.get("account", visit.account)
    if account.pk != visit.account_id and not can_write(by, account):
        raise PermissionDenied
    explicit = "people" in data
    people = list(data["people"]) if explicit else list(visit.people.all())
    deal = changes.get("deal", visit.deal)
    _check_links(by, account=account, deal=deal, people=people)
    return save_edit(
        visit,
        by=by,
        expected_version=expected_version,
        changes=changes,
        m2m={"people": people} if explicit else None,
    )


def record_visit(
    visit: Visit,
    *,
    by,
    data: dict,
    expected_version: int | None,
    action_owner=None,
    action_due_on=None,
) -> tuple[Visit, list]:
    """Record what happened and the rep's step scores; the visit becomes recorded.

    The first record sets ``recorded_at`` (a later correction keeps it: the verdict on
    being recorded in time does not move). With ``action_owner`` and ``action_due_on``
    every next-step line becomes an open action of the visit's opportunity, in the same
    transaction. Returns the visit and the actions created.
    """
    if not may_record(by, visit):
        raise PermissionDenied
    changes = {k: v for k, v in data.items() if k in RECORD_FIELDS + REP_SCORE_FIELDS}
    visited_on = changes.get("visited_on") or visit.visited_on
    if visited_on is None:
        visited_on = timezone.localdate(visit.planned_at)
        changes["visited_on"] = visited_on
    if visited_on > timezone.localdate():
        raise ValidationError(
            {"visited_on": _("A visit is recorded once it has taken place, not before.")}
        )
    changes["status"] = VisitStatus.DONE
    if visit.recorded_at is None:
        changes["recorded_at"] = timezone.now()
    lines = next_step_lines(changes.get("next_steps", visit.next_steps))
    wants_actions = action_owner is not None or action_due_on is not None
    if wants_actions:
        if visit.deal_id is None:
            raise ValidationError(
                {"action_owner": _("Only a visit for an opportunity can add its actions.")}
            )
        if action_owner is None or action_due_on is None:
            raise ValidationError(
                {"action_owner": _("Name the owner and the due date of the new actions.")}
            )
        if not lines:
            raise ValidationError({"next_steps": _("Write the next steps, one per line.")})
        if not can_write(by, visit.deal):
            raise ValidationError(
                {"action_owner": _("You cannot add actions to this opportunity.")}
            )
    created = []
    with transaction.atomic():
        saved = save_edit(visit, by=by, expected_version=expected_version, changes=changes)
        if wants_actions:
            from winroom.deals.actions import add_action

            label = _("visit %(date)s") % {"date": saved.visited_on.isoformat()}
            for line in lines:
                created.append(
                    add_action(
                        saved.deal,
                        by=by,
                        title=line,
                        owner=action_owner,
                        due_on=action_due_on,
                        linked_to=label[:120],
                    )
                )
    return saved, created


def evaluate_visit(
    visit: Visit, *, by, scores: dict, note: str = "", expected_version: int | None
) -> Visit:
    """The manager's own step scores and note, kept apart from the rep's."""
    if not may_evaluate(by, visit):
        raise PermissionDenied
    if visit.status != VisitStatus.DONE:
        raise ValidationError(_("The rep records the visit first; then it can be evaluated."))
    changes = {k: v for k, v in scores.items() if k in MANAGER_SCORE_FIELDS}
    changes.update(manager_note=note or "", manager_scored_by=by, manager_scored_at=timezone.now())
    return save_edit(visit, by=by, expected_version=expected_version, changes=changes)


def cancel_visit(visit: Visit, *, by) -> Visit:
    """A planned visit that will not take place (kept, with its plan, for the record)."""
    if not can_write(by, visit):
        raise PermissionDenied
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("Only a planned visit can be cancelled."))
    return save_edit(visit, by=by, expected_version=None, changes={"status": VisitStatus.CANCELLED})


def delete_visit(visit: Visit, *, by) -> Visit:
    if not can_write(by, visit):
        raise PermissionDenied
    return soft_delete(visit, by=by)


def restore_visit(visit: Visit, *, by) -> Visit:
    if not can_write(by, visit):
        raise PermissionDenied
    return restore(visit, by=by)
