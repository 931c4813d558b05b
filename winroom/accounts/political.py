"""The political map (政治版图, METHODOLOGY §1.1) as chart data: influence circles and who
influences whom, read in a fixed number of queries whatever the account's size.

The account page draws it over the org chart; every deal's decision map reuses it for the
deal's people.
"""

from django.db.models import Prefetch

from .models import Contact, InfluenceCircle, InfluenceLine


def circles_of(account_id):
    """The account's living circles with their living members (two queries)."""
    members = Contact.objects.order_by("name", "pk").only("pk", "name", "account_id")
    return list(
        InfluenceCircle.objects.filter(account_id=account_id)
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name", "pk")
    )


def lines_of(account_id):
    """The account's living influence lines between living people (one query)."""
    return list(
        InfluenceLine.objects.filter(
            account_id=account_id,
            source__deleted_at__isnull=True,
            target__deleted_at__isnull=True,
        )
        .select_related("source", "target")
        .order_by("source__name", "target__name", "pk")
    )


def map_data(account_id, *, people=None, circles=None, lines=None) -> dict:
    """``{"circles": [...], "influence": [...]}`` for the chart.

    ``people`` (ids) limits the map to those people: a circle is kept when one of them is in
    it, a line when both ends are. Node ids are strings (ECharts graph ids)."""
    circles = circles_of(account_id) if circles is None else circles
    lines = lines_of(account_id) if lines is None else lines
    shown = None if people is None else {int(pk) for pk in people}
    circle_rows = []
    for circle in circles:
        members = [c.pk for c in circle.members.all() if shown is None or c.pk in shown]
        if shown is not None and not members:
            continue
        circle_rows.append(
            {
                "id": circle.pk,
                "name": circle.name,
                "colour": circle.colour,
                "note": circle.note,
                "members": members,
            }
        )
    line_rows = [
        {
            "id": line.pk,
            "source": line.source_id,
            "target": line.target_id,
            "source_name": line.source.name,
            "target_name": line.target.name,
            "strength": line.strength,
            "note": line.note,
        }
        for line in lines
        if shown is None or (line.source_id in shown and line.target_id in shown)
    ]
    return {"circles": circle_rows, "influence": line_rows}
