"""Writes to the activity log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from winroom.accounts.relationships import check_red_lines, recompute_levels
from winroom.org.access import can_write
from winroom.records import restore, save_edit, soft_delete

from .models import Activity


def _check_participants(account, participants):
    strangers = [c.name for c in participants if c.account_id != account.pk]
    if strangers:
        raise ValidationError(
            {
                "participants": _("These people are not at %(account)s: %(names)s")
                % {"account": account.name, "names": ", ".join(strangers)}
            }
        )


def log_activity(*, by, data: dict) -> Activity:
    data = dict(data)
    participants = list(data.pop("participants", []))
    relationship_actions = list(data.pop("relationship_actions", []))
    account = data["account"]
    if not can_write(by, account):
        raise PermissionDenied
    _check_participants(account, participants)
    check_red_lines(
        subject=data.get("subject", ""), notes=data.get("notes", ""), actions=relationship_actions
    )
    activity = Activity(owner=data.pop("owner", None) or by, **data)
    activity._history_user = by
    if activity.deal_id and activity.deal.account_id != account.pk:
        raise ValidationError({"deal": _("The opportunity belongs to another account.")})
    with transaction.atomic():
        activity.full_clean(exclude=["participants", "relationship_actions"])
        activity.save()
        activity.participants.set(participants)
        activity.relationship_actions.set(relationship_actions)
        _touch_deal(activity)
        recompute_levels([c.pk for c in participants])
    return activity


def _touch_deal(activity):
    """Keep the deal's last-activity time, which staleness reads, in step with the log."""
    if activity.deal_id:
        from winroom.deals.models import Deal

        latest = Activity.objects.filter(deal_id=activity.deal_id).order_by("-occurred_at").first()
        Deal.all_objects.filter(pk=activity.deal_id).update(
            last_activity_at=latest.occurred_at if latest else None
        )


def update_activity(activity: Activity, *, by, data: dict, expected_version: int | None):
    activity = Activity.all_objects.select_related("account").get(pk=activity.pk)
    if not can_write(by, activity.account):
        raise PermissionDenied
    data = dict(data)
    data.pop("owner", None)
    account = data.get("account", activity.account)
    if account.pk != activity.account_id and not can_write(by, account):
        raise PermissionDenied
    explicit = "participants" in data
    # moving to another account: the people already on it must be checked too
    participants = list(data.pop("participants")) if explicit else list(activity.participants.all())
    _check_participants(account, participants)
    m2m = {"participants": participants} if explicit else {}
    if "relationship_actions" in data:
        m2m["relationship_actions"] = list(data.pop("relationship_actions"))
    check_red_lines(
        subject=data.get("subject", activity.subject),
        notes=data.get("notes", activity.notes),
        actions=m2m.get("relationship_actions", list(activity.relationship_actions.all())),
    )
    before = set(activity.participants.values_list("pk", flat=True))
    with transaction.atomic():
        saved = save_edit(activity, by=by, expected_version=expected_version, changes=data, m2m=m2m)
        recompute_levels(before | {c.pk for c in participants})
    return saved


def _recompute_participants(activity):
    recompute_levels(activity.participants.values_list("pk", flat=True))


def delete_activity(activity: Activity, *, by) -> Activity:
    if not can_write(by, activity.account):
        raise PermissionDenied
    with transaction.atomic():
        deleted = soft_delete(activity, by=by)
        _recompute_participants(deleted)
    return deleted


def restore_activity(activity: Activity, *, by) -> Activity:
    if not can_write(by, activity.account):
        raise PermissionDenied
    with transaction.atomic():
        restored = restore(activity, by=by)
        _recompute_participants(restored)
    return restored
