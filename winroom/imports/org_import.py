"""Importing the company's own set-up: product lines, and sales people with their teams.

Both are company-wide configuration, so only administrators import them; anyone else gets
the whole file refused before any row is read.

People (kind ``user``): one row per person with their name (and optionally username,
email, role, external id), their manager, team and regional office. A person not found
(by the external id from the same source, username, email or name) is created as a sales
rep who cannot log in yet (no usable password: an administrator sends them a password
reset or sets one). A manager named in the file is found the same way, or created with the
manager role (a rep named as someone's manager is promoted). Their team is the team column,
or else a team named after the manager; it is created when missing, led by that manager,
and placed under the regional office (a team of that name, created when missing).
Everything is matched again on a second import, so it changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from winroom.deals.models import ProductLine
from winroom.imports.deal_import import in_both_languages, product_key
from winroom.imports.importer import (
    IMPORTERS,
    Importer,
    RowError,
    RowResult,
    _validation_errors,
    find_user,
)
from winroom.imports.models import ImportedKey
from winroom.imports.reading import FileRefused, Table, header_key, parse_text
from winroom.org.models import Role, Team, User

ADMINS_ONLY = _("Only administrators may import product lines, sales people and teams.")


def require_administrator(user) -> None:
    if not getattr(user, "is_administrator", False):
        raise FileRefused("validation", text=in_both_languages(ADMINS_ONLY))


def _refusals(result: RowResult, error: ValidationError, column_of: dict, data: dict) -> None:
    for name, texts in _validation_errors(error).items():
        value = parse_text(data.get(name, "")) if name in data else ""
        result.errors.append(
            RowError(column_of.get(name, ""), value, "validation", {"text": texts})
        )


class ProductImporter(Importer):
    kind = "product"
    model = ProductLine

    def run(self, table: Table) -> list[RowResult]:
        require_administrator(self.user)
        if "name" not in self.column_of:
            raise FileRefused("no_name_column")
        by_key = {product_key(p.name): p for p in ProductLine.objects.all()}
        results = []
        for row, line in zip(table.rows, table.lines, strict=True):
            result = RowResult(line=line)
            results.append(result)
            found = self.cell(table, row, "external_id")
            external_id = parse_text(found[1]) if found else ""
            data = self.read_row(table, row, result, skip={"external_id"})
            name = result.label = data.get("name", "")
            if not name:
                result.errors.append(RowError(self.column_of["name"], "", "required"))
            key = f"id:{external_id}" if external_id else f"name:{product_key(name)}"
            if self.duplicate(key, result) or result.errors:
                result.action = "refused"
                continue
            product = self.key_lookup(external_id) if external_id else None
            product = product or by_key.get(product_key(name))
            try:
                with transaction.atomic():
                    if product is None:
                        product = ProductLine(name=name)
                        result.action = "created"
                    elif product.name != name and external_id:
                        product.name = name  # renamed in their system
                        result.action = "updated"
                    else:
                        result.action = "unchanged"
                    if result.action != "unchanged":
                        product.full_clean()
                        product.save()
            except ValidationError as error:
                _refusals(result, error, self.column_of, data)
                result.action = "refused"
                continue
            by_key[product_key(product.name)] = product
            result.object_id = product.pk
            self.remember(external_id, product)
        return results


_USERNAME_JUNK = re.compile(r"[^\w.@+-]+")


def username_for(name: str) -> str:
    """A login name from a person's name: "Mei-Mei Johns" → "mei-mei.johns", 王芳 → 王芳."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return _USERNAME_JUNK.sub("", ".".join(text.split()))[:150]


class UserImporter(Importer):
    kind = "user"
    model = User
    OWN = frozenset({"external_id", "username", "manager", "team", "region"})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.teams: dict[str, Team] = {}
        self.people: dict[str, User] = {}

    # ------------------------------------------------------------ finding people

    def find_person(self, *, external_id="", username="", email="", name="") -> User | None:
        users = User.objects.all()
        if external_id:
            key = ImportedKey.objects.filter(
                kind="user", source=self.source, external_id=external_id
            ).first()
            if key is not None and (user := users.filter(pk=key.object_id).first()):
                return user
        for login in (username, username_for(name) if name else ""):
            if login and (user := users.filter(username__iexact=login).first()):
                return user
        for field, value in (("email", email), ("display_name", name)):
            if value:
                same = list(users.filter(**{f"{field}__iexact": value})[:2])
                if len(same) == 1:
                    return same[0]
        return None

    def new_person(self, *, name: str, username: str = "", role: str = Role.REP) -> User:
        base = username or username_for(name) or "user"
        login, number = base, 2
        while User.objects.filter(username__iexact=login).exists():
            login, number = f"{base[:140]}{number}", number + 1
        user = User(username=login, display_name=name, role=role)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        return user

    def manager(self, text: str) -> tuple[User, bool]:
        """The manager a row names (by this file's ids, id, login or name): (user, changed)."""
        key = header_key(text)
        changed = False
        manager = self.people.get(key) or find_user(text, source=self.source)
        if manager is None:
            manager = self.find_person(external_id=text, name=text)
        if manager is None:
            manager = self.new_person(name=text, role=Role.MANAGER)
            changed = True
        elif manager.role == Role.REP:
            manager.role = Role.MANAGER
            manager.save(update_fields=["role"])
            changed = True
        self.people[key] = manager
        return manager, changed

    def team(self, name: str, *, manager: User | None, parent: Team | None) -> tuple[Team, bool]:
        team = self.teams.get(name) or Team.objects.filter(name__iexact=name).first()
        changed = False
        if team is None:
            team = Team(name=name)
            changed = True
        if manager is not None and team.manager_id != manager.pk:
            team.manager, changed = manager, True
        if parent is not None and team.parent_id != parent.pk and team.pk != parent.pk:
            team.parent, changed = parent, True
        if changed:
            team.full_clean()
            team.save()
        self.teams[name] = team
        return team, changed

    # ------------------------------------------------------------ the run

    def text(self, table: Table, row: list, name: str) -> tuple[str, str]:
        found = self.cell(table, row, name)
        return (found[0], parse_text(found[1])) if found else ("", "")

    def run(self, table: Table) -> list[RowResult]:
        require_administrator(self.user)
        if "name" not in self.column_of:
            raise FileRefused("no_name_column")
        results = []
        placed: list[tuple[RowResult, User, list]] = []
        for row, line in zip(table.rows, table.lines, strict=True):
            result = RowResult(line=line)
            results.append(result)
            _, external_id = self.text(table, row, "external_id")
            _, username = self.text(table, row, "username")
            data = self.read_row(table, row, result, skip=self.OWN)
            name = data.get("name", "")
            result.label = name or username
            if not result.label:
                result.errors.append(RowError(self.column_of["name"], "", "required"))
            key = f"id:{external_id}" if external_id else f"name:{header_key(result.label)}"
            if self.duplicate(key, result) or result.errors:
                result.action = "refused"
                continue
            try:
                with transaction.atomic():
                    user = self.save_person(result, external_id, username, name, data)
            except ValidationError as error:
                _refusals(result, error, self.column_of, data)
                result.action = "refused"
                continue
            result.object_id = user.pk
            self.remember(external_id, user)
            for word in (external_id, name, user.username):
                if word:
                    self.people[header_key(word)] = user
            placed.append((result, user, row))
        # teams once every person exists, so a manager may come later in the file
        for result, user, row in placed:
            try:
                with transaction.atomic():
                    self.place(table, row, result, user)
            except ValidationError as error:
                _refusals(result, error, self.column_of, {})
                result.action = "refused"
        return results

    def save_person(self, result, external_id, username, name, data: dict[str, Any]) -> User:
        user = self.find_person(
            external_id=external_id, username=username, email=data.get("email", ""), name=name
        )
        if user is None:
            user = self.new_person(
                name=name or username, username=username, role=data.get("role") or Role.REP
            )
            changes = {"email": data["email"]} if data.get("email") else {}
            result.action = "created"
        else:
            wanted = {"display_name": name, "email": data.get("email"), "role": data.get("role")}
            changes = {k: v for k, v in wanted.items() if v and getattr(user, k) != v}
            result.action = "updated" if changes else "unchanged"
        if changes:
            for field, value in changes.items():
                setattr(user, field, value)
            user.full_clean(exclude=["password"])
            user.save()
        return user

    def place(self, table: Table, row: list, result: RowResult, user: User) -> None:
        _, boss = self.text(table, row, "manager")
        _, team_name = self.text(table, row, "team")
        _, region_name = self.text(table, row, "region")
        changed = False
        region = None
        if region_name:
            region, moved = self.team(region_name, manager=None, parent=None)
            changed |= moved
        manager = None
        if boss and header_key(boss) != header_key(user.display_name or user.username):
            manager, moved = self.manager(boss)
            changed |= moved
        team = None
        if team_name or manager is not None:
            team, moved = self.team(team_name or str(manager), manager=manager, parent=region)
            changed |= moved
            if manager is not None and manager.team_id is None:
                manager.team = team
                manager.save(update_fields=["team"])
        team = team or region
        if team is not None and user.team_id != team.pk:
            user.team = team
            user.save(update_fields=["team"])
            changed = True
        if changed and result.action == "unchanged":
            result.action = "updated"


IMPORTERS["product"] = ProductImporter
IMPORTERS["user"] = UserImporter
