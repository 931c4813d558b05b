"""Writes to opportunities: one named function per step of the TAS+ process.

Every function takes keyword-only arguments, runs in one transaction, checks who may do it
and records what changed (DealEvent), so durations, staleness and the causes on the
win-rate curve are facts rather than stories.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from winroom.methodology.grade import Grade as CoreGrade
from winroom.methodology.stages import check_advance
from winroom.methodology.visibility import may_assign_to
from winroom.org.access import can_reassign, can_write, viewer_for
from winroom.records import save_edit, soft_delete

from .assessment import (
    decide_grade,
    health_for,
    iso_monday,
    stage_facts,
    stage_template,
    win_rate_for,
)
from .labels import advance_reason_label, criterion_label
from .models import (
    Action,
    ActionStatus,
    CompellingEvent,
    CompetitorAssessment,
    Deal,
    DealCompetitor,
    DealEvent,
    DealMember,
    DealPerson,
    DealStatus,
    PartnerRegistration,
    Questionnaire,
    Quote,
    RegistrationStatus,
    RequirementVersion,
    Review,
    Stage,
    TeamRole,
    WinRatePoint,
)

Kind = DealEvent.Kind


def _require_write(by, deal):
    if not can_write(by, deal):
        raise PermissionDenied


def _require_open(deal):
    if deal.status != DealStatus.OPEN:
        raise ValidationError(_("This opportunity is closed; reopen it first."))


def _event(deal, *, by, kind, old="", new="", detail=""):
    return DealEvent.objects.create(
        deal=deal, by=by, kind=kind, old=str(old)[:200], new=str(new)[:200], detail=detail[:300]
    )


def _factors_json(result):
    return [{"code": f.code, "value": str(f.value), "subject": f.subject} for f in result.factors]


def refresh_win_rate(deal: Deal, *, cause: str = "") -> Deal:
    """Recompute the rule-based win rate (and the health score) after a change of inputs.

    A point is added to the curve whenever the number or its status moves, with the change
    that caused it; the weekly snapshot adds the regular points.
    """
    result = win_rate_for(deal)
    status = str(result.status)
    health = health_for(deal).score
    if deal.health_score != health:
        Deal.all_objects.filter(pk=deal.pk).update(health_score=health)
        deal.health_score = health
    if deal.win_rate != result.rate or deal.win_rate_status != status:
        Deal.all_objects.filter(pk=deal.pk).update(win_rate=result.rate, win_rate_status=status)
        deal.win_rate, deal.win_rate_status = result.rate, status
        WinRatePoint.objects.create(
            deal=deal,
            status=status,
            rate=result.rate,
            factors=_factors_json(result),
            cause=cause[:300],
        )
    return deal


def create_deal(*, by, data: dict) -> Deal:
    data = dict(data)
    product_lines = list(data.pop("product_lines", []))
    account = data["account"]
    if not can_write(by, account):
        raise PermissionDenied
    owner = data.pop("owner", None) or by
    if not may_assign_to(viewer_for(by), owner.pk):
        raise ValidationError({"owner": _("You cannot assign records to this person.")})
    with transaction.atomic():
        deal = Deal(owner=owner, stage=Stage.objects.order_by("number").first(), **data)
        deal._history_user = by
        deal.full_clean(exclude=["product_lines", "grade"])
        deal.grade = str(decide_grade(deal).grade)
        deal.save()
        deal.product_lines.set(product_lines)
        DealMember.objects.create(deal=deal, user=owner, role=TeamRole.ACCOUNT_MANAGER)
        _event(deal, by=by, kind=Kind.CREATED, new=deal.stage)
        refresh_win_rate(deal, cause=_("opportunity created"))
    return deal


TRACKED = {"amount": Kind.AMOUNT, "expected_close": Kind.CLOSE_DATE, "owner": Kind.OWNER}


def update_deal(deal: Deal, *, by, data: dict, expected_version: int | None) -> Deal:
    deal = Deal.all_objects.prefetch_related("members").get(pk=deal.pk)
    _require_write(by, deal)
    data = dict(data)
    m2m = {}
    if "product_lines" in data:
        m2m["product_lines"] = list(data.pop("product_lines"))
    if "owner" in data and data["owner"] != deal.owner:
        if not can_reassign(by, deal):
            raise ValidationError(
                {"owner": _("Only the owner, their managers or an administrator may reassign.")}
            )
        if not may_assign_to(viewer_for(by), data["owner"].pk):
            raise ValidationError({"owner": _("You cannot assign records to this person.")})
    before = {field: getattr(deal, field) for field in TRACKED}
    with transaction.atomic():
        saved = save_edit(deal, by=by, expected_version=expected_version, changes=data, m2m=m2m)
        for field, kind in TRACKED.items():
            if getattr(saved, field) != before[field]:
                _event(
                    saved,
                    by=by,
                    kind=kind,
                    old=before[field] or "",
                    new=getattr(saved, field) or "",
                )
        if saved.owner_id != before["owner"].pk:
            DealMember.objects.filter(
                deal=saved, user=before["owner"], role=TeamRole.ACCOUNT_MANAGER
            ).delete()
            DealMember.objects.update_or_create(
                deal=saved, user=saved.owner, defaults={"role": TeamRole.ACCOUNT_MANAGER}
            )
        _regrade(saved, by=by)
        refresh_win_rate(saved, cause=_("opportunity edited by %(who)s") % {"who": by})
    return saved


def _regrade(deal: Deal, *, by):
    grade = str(decide_grade(deal).grade)
    if grade != deal.grade:
        _event(deal, by=by, kind=Kind.GRADE, old=deal.grade.upper(), new=grade.upper())
        Deal.all_objects.filter(pk=deal.pk).update(grade=grade)
        deal.grade = grade


def override_grade(deal: Deal, *, by, grade: str, reason: str) -> Deal:
    """A manual grade (e.g. a reference customer) needs a reason; it keeps its author."""
    _require_write(by, deal)
    reason = (reason or "").strip()
    if grade and not reason:
        raise ValidationError({"grade_override_reason": _("Say why the grade is overridden.")})
    with transaction.atomic():
        deal = save_edit(
            deal,
            by=by,
            expected_version=None,
            changes={
                "grade_override": grade or "",
                "grade_override_reason": reason if grade else "",
                "grade_override_by": by if grade else None,
            },
        )
        _regrade(deal, by=by)
        refresh_win_rate(deal, cause=_("grade overridden by %(who)s") % {"who": by})
    return deal


def advance_stage(
    deal: Deal, *, by, to: Stage, milestones: dict | None = None, reconfirm_event: bool = False
) -> Deal:
    """Move the deal to another stage if the current stage's exit criterion is met.

    ``milestones`` (e.g. the date the tender was issued) are facts: they are kept even when
    the move is refused, so nothing typed is lost. ``reconfirm_event`` re-confirms the live
    compelling events in the current stage first. A refusal names every missing criterion.
    """
    _require_write(by, deal)
    _require_open(deal)
    with transaction.atomic():
        deal = Deal.all_objects.select_for_update().select_related("stage").get(pk=deal.pk)
        recorded = {k: v for k, v in (milestones or {}).items() if v and not getattr(deal, k)}
        if recorded:
            Deal.all_objects.filter(pk=deal.pk).update(**recorded)
        if reconfirm_event:
            for event in deal.compelling_events.filter(withdrawn=False):
                event.confirmed_by = by
                event.confirmed_at = timezone.now()
                event.confirmed_in_stage = deal.stage.number
                event.save()
    with transaction.atomic():
        deal = Deal.all_objects.select_for_update().select_related("stage").get(pk=deal.pk)
        decision = check_advance(
            grade=CoreGrade(deal.grade),
            current=deal.stage.number,
            target=to.number,
            facts=stage_facts(deal),
            template=stage_template(),
        )
        if not decision.allowed:
            missing = [str(criterion_label(code)) for code in decision.missing]
            if missing:
                raise ValidationError(
                    _("Cannot leave “%(stage)s” yet: %(missing)s.")
                    % {"stage": deal.stage, "missing": "; ".join(missing)}
                )
            raise ValidationError(
                _("This move is not allowed: %(reason)s.")
                % {"reason": advance_reason_label(decision.reason)}
            )
        old = deal.stage
        deal = save_edit(
            deal,
            by=by,
            expected_version=None,
            changes={"stage": to, "stage_changed_at": timezone.now()},
        )
        _event(deal, by=by, kind=Kind.STAGE, old=old, new=to)
        refresh_win_rate(
            deal, cause=_("moved to “%(stage)s” by %(who)s") % {"stage": to, "who": by}
        )
    return deal


def add_deal_member(deal: Deal, *, by, user, role: str) -> DealMember:
    """Someone joins the deal team (the iron triangle); they then see the deal."""
    _require_write(by, deal)
    if not user.is_active:
        raise ValidationError({"user": _("This person can no longer log in.")})
    member, created = DealMember.objects.get_or_create(
        deal=deal, user=user, defaults={"role": role}
    )
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    return member


def remove_deal_member(member: DealMember, *, by):
    deal = member.deal
    _require_write(by, deal)
    if member.user_id == deal.owner_id:
        raise ValidationError(_("The owner stays on the deal team; reassign the deal instead."))
    member.delete()


def record_compelling_event(deal: Deal, *, by, description: str, due_on=None, evidence: str = ""):
    """Record (or re-confirm) why the customer must act; it counts for the current stage."""
    _require_write(by, deal)
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the compelling event.")})
    with transaction.atomic():
        event = CompellingEvent.objects.create(
            deal=deal,
            description=description,
            due_on=due_on,
            evidence=evidence,
            confirmed_by=by,
            confirmed_in_stage=deal.stage.number,
        )
        _event(deal, by=by, kind=Kind.COMPELLING_EVENT, new=description)
        refresh_win_rate(
            deal,
            cause=_("compelling event recorded by %(who)s: %(what)s")
            % {"who": by, "what": description},
        )
    return event


def reconfirm_compelling_event(event: CompellingEvent, *, by, holds: bool = True):
    deal = event.deal
    _require_write(by, deal)
    with transaction.atomic():
        if holds:
            event.confirmed_by = by
            event.confirmed_at = timezone.now()
            event.confirmed_in_stage = deal.stage.number
            event.withdrawn = False
        else:
            event.withdrawn = True
        event.save()
        _event(
            deal,
            by=by,
            kind=Kind.COMPELLING_EVENT,
            new=event.description,
            detail="confirmed" if holds else "withdrawn",
        )
        what = _("re-confirmed") if holds else _("no longer holds")
        refresh_win_rate(
            deal,
            cause=_("compelling event %(what)s by %(who)s") % {"what": what, "who": by},
        )
    return event


def add_competitor(deal: Deal, *, by, competitor, relationships: str = "", notes: str = ""):
    _require_write(by, deal)
    with transaction.atomic():
        entry, created = DealCompetitor.objects.get_or_create(
            deal=deal,
            competitor=competitor,
            defaults={"relationships": relationships, "notes": notes},
        )
        if not created:
            raise ValidationError({"competitor": _("This competitor is already in the deal.")})
        _event(deal, by=by, kind=Kind.COMPETITOR, new=competitor)
        refresh_win_rate(
            deal, cause=_("competitor %(name)s added by %(who)s") % {"name": competitor, "who": by}
        )
    return entry


def remove_competitor(entry: DealCompetitor, *, by):
    deal = entry.deal
    _require_write(by, deal)
    with transaction.atomic():
        name = str(entry.competitor)
        entry.delete()
        _event(deal, by=by, kind=Kind.COMPETITOR, old=name)
        refresh_win_rate(
            deal, cause=_("competitor %(name)s removed by %(who)s") % {"name": name, "who": by}
        )


def record_quote(entry: DealCompetitor, *, by, amount, quoted_on, source: str = "") -> Quote:
    _require_write(by, entry.deal)
    quote = Quote(
        deal_competitor=entry, amount=amount, quoted_on=quoted_on, source=source, recorded_by=by
    )
    quote.full_clean()
    quote.save()
    return quote


def answer_questionnaire(
    deal: Deal,
    *,
    by,
    has_inside_coach: bool,
    inside_coach=None,
    our_fit=None,
    our_closeness=None,
    competitors: dict | None = None,
) -> Questionnaire:
    """Save a new version of the questionnaire; earlier versions stay readable.

    ``competitors`` maps a DealCompetitor to its (fit, closeness) pair.
    """
    _require_write(by, deal)
    if inside_coach is not None and inside_coach.account_id != deal.account_id:
        raise ValidationError(
            {"inside_coach": _("The inside coach must be at the deal's account.")}
        )
    with transaction.atomic():
        questionnaire = Questionnaire(
            deal=deal,
            has_inside_coach=has_inside_coach,
            inside_coach=inside_coach if has_inside_coach else None,
            our_fit=our_fit,
            our_closeness=our_closeness,
            answered_by=by,
        )
        questionnaire.full_clean()
        questionnaire.save()
        previous = {}
        last = (
            Questionnaire.objects.filter(deal=deal)
            .exclude(pk=questionnaire.pk)
            .order_by("-answered_at", "-id")
            .first()
        )
        if last is not None:
            previous = {a.deal_competitor_id: (a.fit, a.closeness) for a in last.assessments.all()}
        changes = []
        for entry, (fit, closeness) in (competitors or {}).items():
            if entry.deal_id != deal.pk:
                raise ValidationError(_("An assessed competitor is not in this deal."))
            assessment = CompetitorAssessment(
                questionnaire=questionnaire, deal_competitor=entry, fit=fit, closeness=closeness
            )
            assessment.full_clean()
            assessment.save()
            old_fit, old_closeness = previous.get(entry.pk, (None, None))
            if old_fit != fit:
                changes.append(
                    _("%(name)s's fit %(old)s → %(new)s")
                    % {"name": entry.competitor, "old": old_fit or "–", "new": fit or "–"}
                )
            if old_closeness != closeness:
                changes.append(
                    _("%(name)s's closeness %(old)s → %(new)s")
                    % {
                        "name": entry.competitor,
                        "old": old_closeness or "–",
                        "new": closeness or "–",
                    }
                )
        if last is None or (last.our_fit, last.our_closeness, last.has_inside_coach) != (
            our_fit,
            our_closeness,
            has_inside_coach,
        ):
            changes.insert(
                0,
                _("our fit %(fit)s, closeness %(closeness)s, inside coach %(coach)s")
                % {
                    "fit": our_fit or "–",
                    "closeness": our_closeness or "–",
                    "coach": _("yes") if has_inside_coach else _("no"),
                },
            )
        summary = "; ".join(str(c) for c in changes) or str(_("answers unchanged"))
        _event(deal, by=by, kind=Kind.QUESTIONNAIRE, new=summary[:200])
        refresh_win_rate(
            deal,
            cause=_("questionnaire answered by %(who)s on %(day)s: %(what)s")
            % {"who": by, "day": timezone.localdate().isoformat(), "what": summary},
        )
    return questionnaire


def review_questionnaire(questionnaire: Questionnaire, *, by) -> Questionnaire:
    """The manager's review: answers are given together, not self-assessed alone."""
    deal = questionnaire.deal
    if not can_reassign(by, deal) or by.pk == deal.owner_id:
        raise ValidationError(_("The questionnaire is reviewed by the owner's manager."))
    questionnaire.reviewed_by = by
    questionnaire.reviewed_at = timezone.now()
    questionnaire.save(update_fields=["reviewed_by", "reviewed_at"])
    return questionnaire


def map_person(deal: Deal, *, by, contact, **fields) -> DealPerson:
    """Put a person of the account on the deal's decision map, or update them."""
    _require_write(by, deal)
    if contact.account_id != deal.account_id:
        raise ValidationError({"contact": _("Only people of the deal's account can be mapped.")})
    strategy = fields.get("strategy") or ""
    if strategy:
        from winroom.methodology.strategy import RelationshipStatus, suggested_relationship_strategy

        stored = DealPerson.objects.filter(deal=deal, contact=contact).first()
        status = fields.get("relationship_status") or (
            stored.relationship_status if stored else "neutral"
        )
        suggested = str(suggested_relationship_strategy(RelationshipStatus(status)))
        if strategy != suggested and not (fields.get("strategy_reason") or "").strip():
            raise ValidationError(
                {"strategy_reason": _("Say why you depart from the suggested strategy.")}
            )
    with transaction.atomic():
        person, _created = DealPerson.objects.update_or_create(
            deal=deal, contact=contact, defaults=fields
        )
        person.full_clean()
        _event(deal, by=by, kind=Kind.DECISION_MAP, new=contact)
        refresh_win_rate(deal, cause=_("decision map updated by %(who)s") % {"who": by})
    return person


def unmap_person(person: DealPerson, *, by):
    deal = person.deal
    _require_write(by, deal)
    with transaction.atomic():
        name = str(person.contact)
        person.delete()
        _event(deal, by=by, kind=Kind.DECISION_MAP, old=name)
        refresh_win_rate(deal, cause=_("decision map updated by %(who)s") % {"who": by})


def close_deal(
    deal: Deal, *, by, status: str, lost_reason: str = "", winner=None, no_decision=False
):
    _require_write(by, deal)
    _require_open(deal)
    if status not in (DealStatus.WON, DealStatus.LOST, DealStatus.ABANDONED):
        raise ValidationError({"status": _("Choose won, lost or abandoned.")})
    if status == DealStatus.LOST:
        errors = {}
        if not (lost_reason or "").strip():
            errors["lost_reason"] = _("Say why the deal was lost.")
        if winner is None and not no_decision:
            errors["winner"] = _("Name the winner, or say the customer made no decision.")
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        old = deal.status
        changes = {
            "status": status,
            "closed_at": timezone.now(),
            "lost_reason": lost_reason if status == DealStatus.LOST else "",
            "winner": winner if status == DealStatus.LOST else None,
            "no_decision": bool(no_decision) if status == DealStatus.LOST else False,
        }
        if status == DealStatus.WON:
            changes["contract_signed_on"] = deal.contract_signed_on or timezone.localdate()
        deal = save_edit(deal, by=by, expected_version=None, changes=changes)
        _event(deal, by=by, kind=Kind.STATUS, old=old, new=status)
    return deal


def reopen_deal(deal: Deal, *, by) -> Deal:
    _require_write(by, deal)
    if deal.status == DealStatus.OPEN:
        raise ValidationError(_("This opportunity is not closed."))
    with transaction.atomic():
        old = deal.status
        deal = save_edit(
            deal,
            by=by,
            expected_version=None,
            changes={"status": DealStatus.OPEN, "closed_at": None},
        )
        _event(deal, by=by, kind=Kind.STATUS, old=old, new=DealStatus.OPEN)
    return deal


def add_action(deal: Deal, *, by, title: str, owner, due_on, person=None, linked_to: str = ""):
    _require_write(by, deal)
    if not may_assign_to(viewer_for(by), owner.pk) and owner.pk not in deal.member_ids():
        raise ValidationError({"owner": _("You cannot assign records to this person.")})
    if person is not None and person.account_id != deal.account_id:
        raise ValidationError({"person": _("Only people of the deal's account can be linked.")})
    action = Action(
        deal=deal, title=title, owner=owner, due_on=due_on, person=person, linked_to=linked_to
    )
    action.full_clean()
    action.save()
    return action


def complete_action(action: Action, *, by, done: bool = True) -> Action:
    _require_write(by, action.deal)
    action.status = ActionStatus.DONE if done else ActionStatus.OPEN
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["status", "done_at", "updated_at"])
    return action


def delete_action(action: Action, *, by):
    _require_write(by, action.deal)
    return soft_delete(action, by=by)


def record_review(deal: Deal, *, by, held_on, elements, decisions: str, actions=()) -> Review:
    """A coaching review by the owner's manager with the rep; decisions may add actions."""
    if not can_reassign(by, deal) or by.pk == deal.owner_id:
        raise ValidationError(_("Coaching reviews are held by the owner's manager."))
    with transaction.atomic():
        review = Review.objects.create(
            deal=deal,
            held_on=held_on,
            manager=by,
            rep=deal.owner,
            elements=list(elements),
            decisions=decisions,
        )
        for title, owner, due_on in actions:
            add_action(deal, by=by, title=title, owner=owner, due_on=due_on, linked_to="review")
    return review


def snapshot_win_rates(*, now=None, batch_size: int = 1000) -> dict:
    """One weekly point per open deal (ISO week); running twice in a week adds nothing."""
    week = iso_monday(now)
    done = set(
        WinRatePoint.objects.filter(
            week=week, deal__status=DealStatus.OPEN, deal__deleted_at__isnull=True
        ).values_list("deal_id", flat=True)
    )
    processed = 0
    deals = Deal.objects.open().select_related("stage").order_by("pk")
    points = []
    for deal in deals.iterator(chunk_size=batch_size):
        processed += 1
        if deal.pk in done:
            continue
        result = win_rate_for(deal)
        health = health_for(deal).score
        if health != deal.health_score:
            Deal.all_objects.filter(pk=deal.pk).update(health_score=health)
        points.append(
            WinRatePoint(
                deal=deal,
                week=week,
                at=now or timezone.now(),
                status=str(result.status),
                rate=result.rate,
                factors=_factors_json(result),
                cause="weekly snapshot",
            )
        )
        if len(points) >= batch_size:
            WinRatePoint.objects.bulk_create(points, ignore_conflicts=True)
            points = []
    if points:
        WinRatePoint.objects.bulk_create(points, ignore_conflicts=True)
    created = WinRatePoint.objects.filter(
        week=week, deal__status=DealStatus.OPEN, deal__deleted_at__isnull=True
    ).count() - len(done)
    return {"week": week, "processed": processed, "created": created, "already": len(done)}


def submit_registration(deal: Deal, *, by, product_line, partner: str) -> PartnerRegistration:
    """Register a partner-led deal's account and product line; refused while another holds it."""
    from winroom.methodology.registration import Registration, check_registration

    _require_write(by, deal)
    partner = " ".join((partner or deal.partner or "").split())
    if not partner:
        raise ValidationError({"partner": _("Name the partner.")})
    with transaction.atomic():
        rows = list(
            PartnerRegistration.objects.select_for_update()
            .filter(account_id=deal.account_id, product_line=product_line)
            .select_related("deal")
        )
        decision = check_registration(
            account_id=deal.account_id,
            product_line_id=product_line.pk,
            partner=partner,
            existing=[
                Registration(
                    r.account_id, r.product_line_id, r.partner, r.status, r.protected_until, r.pk
                )
                for r in rows
            ],
            today=timezone.localdate(),
        )
        if not decision.allowed:
            holder = decision.holder
            if decision.reason == "protected":
                message = _(
                    "%(partner)s already holds this account and product line, protected until "
                    "%(until)s."
                ) % {"partner": holder.partner, "until": holder.protected_until}
            elif decision.reason == "pending":
                message = _(
                    "%(partner)s has already registered this account and product line; the "
                    "registration awaits a manager's decision."
                ) % {"partner": holder.partner}
            else:
                message = _("This partner has already registered this account and product line.")
            raise ValidationError({"product_line": message})
        return PartnerRegistration.objects.create(
            deal=deal,
            account_id=deal.account_id,
            product_line=product_line,
            partner=partner,
            submitted_by=by,
        )


def decide_registration(registration, *, by, approve: bool, note: str = ""):
    """A manager approves (protected for the company's period) or rejects a registration."""
    from winroom.methodology.registration import protection_end
    from winroom.org.models import CompanySettings

    deal = registration.deal
    if not can_reassign(by, deal) or by.pk == deal.owner_id:
        raise ValidationError(_("Registrations are decided by the owner's manager."))
    if registration.status != RegistrationStatus.SUBMITTED:
        raise ValidationError(_("This registration has already been decided."))
    today = timezone.localdate()
    registration.status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    registration.decided_by = by
    registration.decided_at = timezone.now()
    registration.note = note
    registration.protected_until = (
        protection_end(today, CompanySettings.current().registration_protection_days)
        if approve
        else None
    )
    registration.save()
    return registration


def write_requirements(deal: Deal, *, by, items: str, change_reason: str = ""):
    """A new version of the requirement list; after a sign-off it is a change request."""
    _require_write(by, deal)
    items = "\n".join(line.strip() for line in (items or "").splitlines() if line.strip())
    if not items:
        raise ValidationError({"items": _("Write at least one requirement.")})
    with transaction.atomic():
        last = deal.requirement_versions.select_for_update().order_by("-number").first()
        is_change = bool(last and last.signed_off_on)
        if is_change and not (change_reason or "").strip():
            raise ValidationError(
                {"change_reason": _("The list is signed off: say why it changes.")}
            )
        version = RequirementVersion.objects.create(
            deal=deal,
            number=(last.number + 1) if last else 1,
            items=items,
            change_reason=change_reason,
            is_change_request=is_change,
            written_by=by,
        )
        refresh_win_rate(deal)
        return version


def sign_off_requirements(version, *, by, contact, signed_on, document: str = ""):
    """Record the customer's written sign-off of one version (who, when, which document)."""
    _require_write(by, version.deal)
    if contact.account_id != version.deal.account_id:
        raise ValidationError({"contact": _("The sign-off must come from the deal's account.")})
    version.signed_off_by = contact
    version.signed_off_on = signed_on
    version.document = document
    version.save(update_fields=["signed_off_by", "signed_off_on", "document"])
    refresh_win_rate(version.deal)
    return version


def set_value_case(deal: Deal, *, by, data: dict) -> Deal:
    _require_write(by, deal)
    allowed = {
        "value_proposition",
        "business_value",
        "product_value",
        "seller_value",
        "perception",
        "customer_cost",
    }
    return save_edit(
        deal,
        by=by,
        expected_version=None,
        changes={k: v for k, v in data.items() if k in allowed},
    )


def compare_competitor(entry: DealCompetitor, *, by, solution="", relationships="", strength=""):
    _require_write(by, entry.deal)
    entry.solution_comparison = solution
    entry.relationship_comparison = relationships
    entry.strength_comparison = strength
    entry.save(
        update_fields=["solution_comparison", "relationship_comparison", "strength_comparison"]
    )
    return entry


def refresh_health_scores(*, deals=None) -> int:
    """Recompute the stored health score of deals (all open ones by default); returns how many
    changed. Used after bulk loads, where no per-deal step ran."""
    changed = 0
    rows = deals if deals is not None else Deal.objects.open().select_related("stage")
    for deal in rows.iterator(chunk_size=500) if hasattr(rows, "iterator") else rows:
        score = health_for(deal).score
        if score != deal.health_score:
            Deal.all_objects.filter(pk=deal.pk).update(health_score=score)
            changed += 1
    return changed
