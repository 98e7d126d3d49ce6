"""Sandbox commands for the demo: add a person every sandbox knows, list them, read the SMS outbox, fake a face.

They feed and read the in-process sandboxes only (``ZWT_SANDBOX_REGISTRY_PATH``, ``ZWT_SMS_OUTBOX_PATH``,
``ZWT_LIVENESS_SESSIONS_PATH``), so they refuse to run when ``ZWT_PROOFING_URL`` or ``ZWT_DEPARTMENTS``
point at real systems. Everything they print is the developer's own sandbox data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Callable, Container

import click
from flask import Flask

from services_catalog.proofing import ProofingSandbox
from services_catalog.records import LICENSE_TYPES
from services_catalog.sandbox.citizens import DEMO_CITIZENS
from services_catalog.sandbox.registry import PeopleRegistry, PersonRefused, add_person
from wallet.identifiers import resident_id_check_digit
from wallet.issuer import CHINA_TZ, china_day

from .config import Config
from .container import services

__all__ = ["register", "new_resident_id"]

#: 青岛市市南区, the area code generated ID numbers carry
AREA_CODE = "370202"
_OPTION = {"name": "--name", "id_number": "--id-number", "phone": "--phone", "licenses": "--licenses"}


def new_resident_id(today: dt.date, taken: Container[str], *,
                    randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Return a valid resident ID number of Qingdao (370202) not in ``taken``: an adult of 18 to 70, random.

    The birth date and the three-digit sequence are drawn with ``randbelow``; the last character is the
    GB 11643 check digit.
    """
    youngest = today - dt.timedelta(days=18 * 366)
    oldest = today - dt.timedelta(days=70 * 365)
    for _ in range(1000):
        birth = oldest + dt.timedelta(days=randbelow((youngest - oldest).days + 1))
        first17 = f"{AREA_CODE}{birth:%Y%m%d}{1 + randbelow(999):03d}"
        number = first17 + resident_id_check_digit(first17)
        if number not in taken:
            return number
    raise click.ClickException("could not find an unused ID number; pass --id-number")


def _parse_licenses(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    """``id_card,driving_license`` -> the license kinds, each one known."""
    kinds = tuple(dict.fromkeys(k.strip() for k in value.split(",") if k.strip()))
    unknown = [k for k in kinds if k not in LICENSE_TYPES]
    if unknown:
        raise click.BadParameter(f"unknown license kind {', '.join(unknown)}; known: {', '.join(LICENSE_TYPES)}")
    return kinds or ("id_card",)


def _refuse_real_systems(cfg: Config) -> None:
    """Stop when the service talks to real department systems or a real proofing gateway."""
    real = [name for name, value in (("ZWT_PROOFING_URL", cfg.proofing_url), ("ZWT_DEPARTMENTS", cfg.departments))
            if value]
    if real:
        verb, them = ("points", "it") if len(real) == 1 else ("point", "them")
        raise click.ClickException(f"{' and '.join(real)} {verb} at real systems; the sandbox commands only feed "
                                   f"and read the in-process sandboxes (unset {them} for the demo)")


def _proofing_sandbox() -> ProofingSandbox:
    """The in-process telecom sandbox, or a clear refusal when proofing goes to a real gateway."""
    svc = services()
    _refuse_real_systems(svc.config)
    if svc.proofing.sandbox is None:
        raise click.ClickException("proofing goes to a real gateway, not the in-process telecom sandbox")
    return svc.proofing.sandbox


def _licenses(kinds: tuple[str, ...] | list[str]) -> str:
    return ",".join(kinds) or "-"


def register(app: Flask) -> None:
    """Attach ``flask --app app sandbox ...``."""

    @app.cli.group("sandbox")
    def sandbox() -> None:
        """Demo sandboxes: add people the police, social security, housing fund and carrier know; read texts."""

    @sandbox.command("add-person")
    @click.option("--name", required=True, help="legal name as on the ID card, e.g. 王小明")
    @click.option("--phone", required=True, help="11-digit mainland mobile number (the carrier registers it to them)")
    @click.option("--id-number", default=None, help="18-character resident ID number; generated when omitted")
    @click.option("--licenses", default="id_card", show_default=True, callback=_parse_licenses,
                  help=f"comma-separated license kinds they hold: {', '.join(LICENSE_TYPES)} (id_card always)")
    def add_person_command(name: str, phone: str, id_number: str | None, licenses: tuple[str, ...]) -> None:
        """Add a person every sandbox knows (police, social security, housing fund, carrier), to register with."""
        svc = services()
        _refuse_real_systems(svc.config)
        path = svc.config.sandbox_registry_path
        if path is None:
            raise click.ClickException("ZWT_SANDBOX_REGISTRY_PATH is off, so the sandboxes know the demo citizens "
                                       "only; set it to a file (default instance/sandbox-people.json)")
        if id_number is None:
            id_number = new_resident_id(china_day(svc.clock.now()), PeopleRegistry(path).by_id_number())
        try:
            person = add_person(path, name=name, id_number=id_number, phone=phone.strip(), licenses=licenses)
        except PersonRefused as refused:
            option = _OPTION.get(refused.field, refused.field)
            raise click.BadParameter(str(refused), param_hint=f"'{option}'") from None
        click.echo(f"added to the sandboxes ({path}):")
        click.echo(f"  name       {person.citizen.name}")
        click.echo(f"  ID number  {person.citizen.id_number}")
        click.echo(f"  phone      {person.phone}")
        click.echo(f"  licenses   {_licenses([lic.license_type for lic in person.licenses])}")
        click.echo("next: register in the app with this name, ID number and phone; the SMS code is shown by")
        click.echo(f"  flask --app app sandbox sms --phone {person.phone}")

    @sandbox.command("people")
    def people_command() -> None:
        """List everyone the sandboxes know: name, ID number, phone, licenses (added people last)."""
        cfg = services().config
        _refuse_real_systems(cfg)
        people = PeopleRegistry(cfg.sandbox_registry_path).people()
        demo = {p.citizen.id_number for p in DEMO_CITIZENS}
        for person in people:
            origin = "demo " if person.citizen.id_number in demo else "added"
            click.echo(f"{origin}  {person.citizen.id_number}  {person.phone or '-':11}  {person.citizen.name}  "
                       f"{_licenses([lic.license_type for lic in person.licenses])}")
        added = sum(p.citizen.id_number not in demo for p in people)
        click.echo(f"{len(people)} people: {len(people) - added} demo, {added} added "
                   f"({cfg.sandbox_registry_path or 'ZWT_SANDBOX_REGISTRY_PATH is off'})")

    @sandbox.command("sms")
    @click.option("--phone", default=None, help="only the texts to this phone")
    @click.option("--last", type=click.IntRange(min=1), default=20, show_default=True,
                  help="how many of the newest texts")
    def sms_command(phone: str | None, last: int) -> None:
        """Print the texts the telecom sandbox "sent" (China time, phone, text), newest last."""
        outbox = _proofing_sandbox().outbox
        if outbox.path is None:
            click.echo("ZWT_SMS_OUTBOX_PATH is off: the outbox is in memory, so texts another process sent "
                       "are not seen here", err=True)
        messages = outbox.messages(phone.strip() if phone else None)[-last:]
        for message in messages:
            sent = dt.datetime.fromtimestamp(message.sent_at, CHINA_TZ)
            click.echo(f"{sent:%Y-%m-%d %H:%M:%S}  {message.phone}  {message.text}")
        if not messages:
            click.echo(f"no texts sent{f' to {phone}' if phone else ''}", err=True)

    @sandbox.command("face-token")
    @click.argument("id_number")
    def face_token_command(id_number: str) -> None:
        """Print a one-time liveness evidence token for ID_NUMBER, as a face SDK would (stdout: the token alone)."""
        proofing = _proofing_sandbox()
        number = id_number.strip().upper()
        if proofing.sessions.path is None:
            click.echo("ZWT_LIVENESS_SESSIONS_PATH is off: the token lives in this process only, the server "
                       "cannot redeem it", err=True)
        if proofing.registry.find(number) is None:
            click.echo(f"the sandboxes know no person with ID number {number}: the token will fail the check",
                       err=True)
        click.echo(proofing.start_liveness(number))
