"""Object-level authorization on every route with an id in its path, generated from the url_map.

Another citizen's object, and another department's, answer exactly like a missing one (same status, body
and headers but the request id and date), and the denial is audited. A route with a path variable that is
neither listed in ``SCENARIOS`` nor in ``NOT_OWNED`` fails the suite, so a new route is covered when it lands.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from zwt.audit import EVENT
from zwt.policy import route_table

from ..catalog_admin_helpers import item_doc, register_departments, url
from ..catalog_admin_helpers import impl_code as make_impl_code

#: Endpoints whose path variable names nothing anyone owns (reference data, static files)
NOT_OWNED = {"catalog.get_life_event": "life events are the same public list for everyone",
             "static": "static files", "swagger_ui.show": "Swagger UI's assets",
             "issuers_admin.list_keys": "a platform admin manages every department's keys",
             "issuers_admin.register_key": "a platform admin manages every department's keys",
             "shared_data.refresh_one": "the source is a kind of record; the records fetched are always the caller's "
                                        "own (looked up by the caller's ID number)",
             "applications_admin.replay": "a platform admin replays every department's dead letters"}
#: Headers that legitimately differ between two requests
VARYING = {"X-Request-ID", "Date"}


@dataclass
class Probe:
    """One route tried as ``actor`` with someone else's id and with a missing id of the same shape."""

    actor: dict[str, str]
    foreign: str
    missing: str
    audit: str | None  # the audited object kind, None when the object is not anyone's (an unpublished item)
    json: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    send: Callable[[str], Any] | None = None  # sends the request to a path itself (a signed push)
    absent: int = 404  # what a missing id answers (a push to no department: 401, no key of its own there)


def _missing_like(value: str) -> str:
    """An id of the same length and alphabet that names nothing: the last six characters changed."""
    def other(c: str) -> str:
        if c.isdigit():
            return str((int(c) + 5) % 10)
        if c.isalpha() and c.isascii():
            base = "a" if c.islower() else "A"
            return chr((ord(c) - ord(base) + 7) % 26 + ord(base))
        return c

    return value[:-6] + "".join(other(c) for c in value[-6:])


class Setting:
    """Two citizens with licenses, presentations, devices and sessions; two departments with items and admins."""

    def __init__(self, world) -> None:
        self.world, self.client = world, world.client
        register_departments(world.app)
        self.me, self.other = world.citizen(0), world.citizen(1)
        self._cache: dict[str, Any] = {}

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    def other_license(self) -> dict[str, Any]:
        return self.once("license", lambda: self.world.licenses(self.other)[0])

    def other_presentation(self) -> str:
        def make() -> str:
            made = self.world.present(self.other, self.other_license()["id"])
            assert made.status_code == 201, made.json
            return str(made.json["png_url"]).rsplit("/", 2)[-2]
        return str(self.once("presentation", make))

    def other_device(self) -> str:
        return str(self.once("device", lambda: self.world.device(self.other)[1]))

    def other_session(self) -> str:
        def make() -> str:
            listed = self.client.get("/api/v1/me/sessions", headers=self.other.headers)
            return str(listed.json["items"][0]["id"])
        return str(self.once("session", make))

    def other_material(self) -> str:
        def make() -> str:
            import io

            made = self.client.post("/api/v1/me/materials", headers=self.other.headers,
                                    content_type="multipart/form-data",
                                    data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf", "application/pdf")})
            assert made.status_code == 201, made.json
            return str(made.json["id"])
        return str(self.once("material", make))

    def police_admin(self) -> dict[str, str]:
        return self.once("police_admin", lambda: self.world.admin("police"))

    def hrss_admin(self) -> dict[str, str]:
        return self.once("hrss_admin", lambda: self.world.admin("hrss"))

    def police_item(self) -> str:
        def make() -> str:
            doc = item_doc(901)
            created = self.client.post("/api/v1/admin/services", json=doc, headers=self.police_admin())
            assert created.status_code == 201, created.json
            return str(doc["impl_code"])
        return str(self.once("item", make))

    def missing_item(self) -> str:
        return make_impl_code(902)

    def issuers(self) -> tuple[Any, Any]:
        """The market regulator and civil affairs, each with a registered key."""
        from ..issuers.conftest import CIVIL, MARKET, Issuer

        return self.once("issuers", lambda: (Issuer(self.world, MARKET, ["business_license"]),
                                             Issuer(self.world, CIVIL, ["marriage_certificate"])))

    def other_application(self) -> str:
        """An application of the other citizen to the police (who work it from the back office here)."""
        def make() -> str:
            from services_catalog.examples import example_item
            from services_catalog.items import FormField
            from zwt.catalog.repository import save_item

            item = example_item(impl_code=make_impl_code(903), status="published", department_code="police",
                                accepts_online=True, form_fields=(FormField("address", required=True),))
            svc = self.world.app.extensions["zwt"]
            with svc.db.sessions() as sess:
                save_item(sess, item, source="registration", actor="test", action="create",
                          now=self.world.clock.now())
                sess.commit()
            made = self.client.post("/api/v1/me/applications", headers=self.other.headers,
                                    json={"impl_code": item.impl_code, "form": {"address": "市南区"}})
            assert made.status_code == 201, made.json
            return str(made.json["id"])
        return str(self.once("application", make))

    def other_authorisation(self) -> str:
        """The other citizen's authorisation of a third (demo citizen 2) to apply for the police item for them."""
        def make() -> str:
            from services_catalog.sandbox.citizens import DEMO_CITIZENS

            self.other_application()  # publishes the item
            agent = DEMO_CITIZENS[2].citizen
            self.world.citizen(2)
            made = self.client.post("/api/v1/me/agent-authorisations", headers=self.other.headers, json={
                "agent_name": agent.name, "agent_id_number": agent.id_number, "impl_code": make_impl_code(903)})
            assert made.status_code == 201, made.json
            return str(made.json["id"])
        return str(self.once("agent_authorisation", make))

    def other_message(self) -> str:
        self.other_application()
        listed = self.client.get("/api/v1/me/messages", headers=self.other.headers).json["items"]
        return f"{listed[0]['id']:06d}"  # zero-padded: a bare "1" would be replaced all over the answer

    def foreign_department_license(self) -> tuple[dict[str, str], str]:
        """An admin of a department other than the one that issued the other citizen's license, and its id."""
        lic = self.other_license()
        admin = self.hrss_admin() if lic["department_code"] != "hrss" else self.police_admin()
        return admin, str(lic["identifier"])


def _citizen(setting: Setting, foreign: str, kind: str, **extra: Any) -> Probe:
    return Probe(setting.me.headers, foreign, _missing_like(foreign), kind, **extra)


def _dept_item(setting: Setting, **extra: Any) -> Probe:
    return Probe(setting.hrss_admin(), setting.police_item(), setting.missing_item(), "service_item", **extra)


def _dept_license(setting: Setting, **extra: Any) -> Probe:
    admin, identifier = setting.foreign_department_license()
    return Probe(admin, identifier, _missing_like(identifier), "department_license", **extra)


def _push_to_another_department(setting: Setting) -> Probe:
    """The market regulator's signed push sent to civil affairs' address, and to a department that is not."""
    from ..issuers.signing import jsonl

    market, civil = setting.issuers()

    def send(path: str) -> Any:
        body = jsonl([{"op": "expire", "license_type": "marriage_certificate", "serial": "1", "version": 2}])
        department = path.split("/")[4]  # /api/v1/issuers/<department>/licenses
        signed = market.key.sign(department, body, "application/jsonl", created=setting.world.now)
        return setting.client.post(path, data=body, headers=signed)

    return Probe({}, civil.department, _missing_like(civil.department), None, send=send, absent=401)


def _key_of_another_department(setting: Setting) -> Probe:
    """Civil affairs' key revoked under the market regulator's address (a platform admin sees every key)."""
    market, civil = setting.issuers()
    return Probe(market.admin, civil.key.key_id, _missing_like(civil.key.key_id), None, json={})


def _callback_to_another_department(setting: Setting) -> Probe:
    """The market regulator's system reports a step on a police application, at its own address."""
    market, _civil = setting.issuers()

    def send(path: str) -> Any:
        body = b'{"move": "accept"}'
        with market.key.client("market_regulation", setting.world.now) as client:
            signed = dict(client.signed_request(body, "application/json", path=path).headers)
        return setting.client.post(path, data=body, headers=signed)

    foreign = setting.other_application()
    return Probe({}, foreign, _missing_like(foreign), None, send=send)


def _draft_item(setting: Setting) -> Probe:
    return Probe(setting.me.headers, setting.police_item(), setting.missing_item(), None)


#: How to try each owned route: endpoint -> the probe it is tried with
SCENARIOS: dict[str, Callable[[Setting], Probe]] = {
    "wallet.get_license": lambda s: _citizen(s, s.other_license()["id"], "license"),
    "wallet.create_presentation": lambda s: _citizen(s, s.other_license()["id"], "license", json={}),
    "wallet.presentation_png": lambda s: _citizen(s, s.other_presentation(), "presentation"),
    "wallet.presentation_svg": lambda s: _citizen(s, s.other_presentation(), "presentation"),
    "wallet.remove_device": lambda s: _citizen(s, s.other_device(), "device"),
    "account.end_one_session": lambda s: _citizen(s, s.other_session(), "session"),
    "materials.download_material": lambda s: _citizen(s, s.other_material(), "material"),
    "materials.delete_material": lambda s: _citizen(s, s.other_material(), "material"),
    "licenses_admin.get_license": _dept_license,
    "licenses_admin.change_status": lambda s: _dept_license(s, json={"action": "suspend", "reason": "lost"}),
    "services_admin.get_item": _dept_item,
    "services_admin.item_history": _dept_item,
    "services_admin.replace_item": lambda s: _dept_item(s, json=item_doc(901), headers={"If-Match": '"1"'}),
    "services_admin.patch_item": lambda s: _dept_item(s, json={"name": "改名"}, headers={"If-Match": '"1"'}),
    "services_admin.apply_action": lambda s: _dept_item(s, json={}, headers={"If-Match": '"1"'}),
    # a citizen asking for a department's unpublished item: it is nobody's to see yet, so no audit
    "catalog.get_service": _draft_item,
    "catalog.add_favorite": _draft_item,
    "catalog.remove_favorite": _draft_item,
    # a department's key signs for that department only; the path names the department
    "issuers.push_licenses": _push_to_another_department,
    "issuers_admin.revoke_key": _key_of_another_department,
    # online applications: another citizen's, another department's
    "applications.my_application": lambda s: _citizen(s, s.other_application(), "application"),
    "applications.withdraw": lambda s: _citizen(s, s.other_application(), "application"),
    "applications.supply_correction": lambda s: _citizen(s, s.other_application(), "application", json={}),
    "applications_commitments.deliver_owed": lambda s: _citizen(s, s.other_application(), "application", json={}),
    "applications.read_message": lambda s: Probe(s.me.headers, s.other_message(), "987654", "message"),
    # 代办: another citizen's authorisation (neither its holder nor its agent may be asked by a stranger)
    "agents.end": lambda s: _citizen(s, s.other_authorisation(), "agent_authorisation"),
    "applications_admin.department_application": lambda s: Probe(
        s.hrss_admin(), s.other_application(), _missing_like(s.other_application()), "application"),
    "applications_materials_admin.department_materials": lambda s: Probe(
        s.hrss_admin(), s.other_application(), _missing_like(s.other_application()), "application"),
    # the material variable is filled with the same value: another department's application is refused first
    "applications_materials_admin.department_material_file": lambda s: Probe(
        s.hrss_admin(), s.other_application(), _missing_like(s.other_application()), "application"),
    "applications_admin.department_step": lambda s: Probe(
        s.hrss_admin(), s.other_application(), _missing_like(s.other_application()), "application",
        json={"move": "accept"}),
    "applications_callback.department_callback": _callback_to_another_department,
    # service ratings: another citizen's application, another department's follow-up
    "ratings.rate": lambda s: _citizen(s, s.other_application(), "application", json={"level": 5}),
    "ratings.my_rating": lambda s: _citizen(s, s.other_application(), "application"),
    "ratings.respond": lambda s: _citizen(s, s.other_application(), "application", json={"satisfied": True}),
    "ratings_admin.answer": lambda s: Probe(
        s.hrss_admin(), s.other_application(), _missing_like(s.other_application()), "application",
        json={"answer": "已整改"}),
}


def _id_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every route with a variable in its path."""
    return [(row.endpoint, row.method, row.rule) for row in route_table(app) if "<" in row.rule]


def test_every_route_with_an_id_is_covered(app):
    """A new route with a path variable fails here until it has a scenario or is declared not owned."""
    missing = sorted({f"{method} {rule} (endpoint {endpoint})" for endpoint, method, rule in _id_routes(app)
                      if endpoint not in SCENARIOS and endpoint not in NOT_OWNED})
    assert not missing, ("routes with an id but no object-level test: add each endpoint to SCENARIOS in "
                         "tests/zwt/wallet/test_object_access.py (who asks, for whose object), or to NOT_OWNED "
                         "with the reason its id names nothing anyone owns:\n" + "\n".join(missing))
    assert not set(SCENARIOS) - {endpoint for endpoint, _, _ in _id_routes(app)}, "a scenario for no route"


def _fill(rule: str, value: str, department: str = "market_regulation") -> str:
    """The rule with its id variable set to ``value``, an ``any`` choice set to its first option, and a
    department that is not the id (the issuers' key routes name one before the key) set to ``department``."""
    rule = re.sub(r"<any\(([^,)]*)[^>]*>", lambda m: m.group(1).strip(), rule)
    if rule.count("<") > 1:
        rule = re.sub(r"<department>", department, rule, count=1)
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", value, rule)


class AuditRecords(logging.Handler):
    """Keeps the audit trail's records."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def kinds(self) -> list[str]:
        return [getattr(r, "object", "") for r in self.records if getattr(r, "event", None) == EVENT]


@pytest.fixture
def audit():
    """The ``zwt.audit`` records of the test."""
    handler = AuditRecords()
    logger = logging.getLogger("zwt.audit")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _comparable(response, value: str) -> tuple[int, bytes, list[tuple[str, str]]]:
    """Status, body and headers with the id asked for, and the request id, put out of the way."""
    body = response.get_data().replace(value.encode(), b"{id}")
    body = body.replace(response.headers.get("X-Request-ID", "-").encode(), b"{request_id}")
    headers = sorted((k, v.replace(value, "{id}")) for k, v in response.headers.items() if k not in VARYING)
    return response.status_code, body, headers


def test_someone_elses_object_answers_like_a_missing_one_and_is_audited(world, audit):
    """Each route with an id, tried with another citizen's or department's object and with a missing one."""
    setting = Setting(world)
    tried, wrong = 0, []
    for endpoint, method, rule in _id_routes(world.app):
        if endpoint in NOT_OWNED:
            continue
        probe = SCENARIOS[endpoint](setting)
        before = len(audit.kinds())
        answers = []
        for value in (probe.foreign, probe.missing):
            path = _fill(rule, value)
            response = probe.send(path) if probe.send else world.client.open(
                path, method=method, json=probe.json, headers={**probe.actor, **probe.headers})
            answers.append(_comparable(response, value))
        tried += 1
        foreign, missing = answers
        if missing[0] != probe.absent:
            wrong.append(f"{method} {rule}: a missing id got {missing[0]}, not {probe.absent}: the probe is wrong")
        elif foreign != missing:
            wrong.append(f"{method} {rule}: someone else's object answers {foreign}, a missing one {missing}")
        denials = audit.kinds()[before:]
        if probe.audit is not None and denials != [probe.audit]:
            wrong.append(f"{method} {rule}: audited {denials}, expected one {probe.audit!r}")
        if probe.audit is None and denials:
            wrong.append(f"{method} {rule}: audited {denials} for an object nobody owns")
    assert not wrong, "\n".join(wrong)
    assert tried == len(SCENARIOS)


def test_a_foreign_license_request_is_in_its_holders_access_log(world):
    """The holder sees that someone asked for their license (the audit row of ``find_own``)."""
    setting = Setting(world)
    foreign = setting.other_license()["id"]
    assert world.client.get(f"/api/v1/me/licenses/{foreign}", headers=setting.me.headers).status_code == 404
    log = world.client.get("/api/v1/me/access-log", headers=setting.other.headers).json["items"]
    assert [e["event"] for e in log if e["license_id"] == foreign][:1] == ["access_denied"]


def test_url_helper_matches_the_admin_routes():
    """The probe's admin URLs are the ones the catalog admin tests use."""
    assert _fill("/api/v1/admin/services/<impl_code>/history", "C") == url("C", "history")
