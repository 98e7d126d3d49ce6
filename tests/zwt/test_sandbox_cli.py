"""`flask --app app sandbox ...`: enrol a new person in the demo, read the SMS outbox, fake a face capture.

Each app here keeps the sandboxes' files under the test's tmp_path; a second app on the same files stands
for another process (the server beside a developer's CLI).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import Result
from flask import Flask

from services_catalog.proofing import CarrierOutcome, LivenessOutcome
from services_catalog.records import Citizen, IdentityOutcome
from services_catalog.sandbox.citizens import DEMO_CITIZENS, is_valid_resident_id
from wallet.identifiers import resident_id_check_digit
from zwt.container import services
from zwt.sandbox_cli import new_resident_id

ZHANG = DEMO_CITIZENS[0]
VALID_ID = "37020319950505002" + resident_id_check_digit("37020319950505002")  # 1995-05-05, 市北, unknown
WRONG_CHECK_DIGIT = VALID_ID[:17] + ("1" if VALID_ID[17] != "1" else "2")


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    """Where the sandboxes keep their people, texts and liveness tokens."""
    return {"registry": tmp_path / "people.json", "outbox": tmp_path / "sms.jsonl",
            "liveness": tmp_path / "liveness.jsonl"}


@pytest.fixture
def sandbox_app(make_app: Callable[..., Flask], paths: dict[str, Path]) -> Callable[..., Flask]:
    """Build an app whose sandboxes use ``paths`` (call twice for two processes on the same files)."""
    def build(**extra: str) -> Flask:
        return make_app({"ZWT_SANDBOX_REGISTRY_PATH": str(paths["registry"]),
                         "ZWT_SMS_OUTBOX_PATH": str(paths["outbox"]),
                         "ZWT_LIVENESS_SESSIONS_PATH": str(paths["liveness"]), **extra})
    return build


def run(app: Flask, *args: str) -> Result:
    """Invoke ``flask --app app sandbox ARGS`` on ``app``."""
    return app.test_cli_runner().invoke(args=["sandbox", *args])


def added_id_number(result: Result) -> str:
    """The ID number add-person reported."""
    assert result.exit_code == 0, result.output
    found = re.search(r"ID number\s+(\S+)", result.stdout)
    assert found is not None, result.stdout
    return found.group(1)


def _services_of(app: Flask) -> Any:
    with app.app_context():
        return services()


# -- add-person ------------------------------------------------------------------------------------------

def test_an_added_person_is_known_to_police_social_security_and_carrier(sandbox_app: Callable[..., Flask]) -> None:
    """The police confirm the newcomer's name, social security holds their card, the carrier matches their phone."""
    app = sandbox_app()
    result = run(app, "add-person", "--name", "王小明", "--phone", "13912345678", "--id-number", VALID_ID,
                 "--licenses", "id_card, social_security_card")
    assert added_id_number(result) == VALID_ID
    assert ("王小明" in result.stdout and "13912345678" in result.stdout
            and "id_card,social_security_card" in result.stdout)
    assert "sandbox sms --phone 13912345678" in result.stdout
    svc, citizen = _services_of(app), Citizen(VALID_ID, "王小明")
    assert svc.departments["police"].adapter.check_identity(citizen, timeout=2.0) is IdentityOutcome.MATCH
    assert svc.departments["police"].adapter.check_identity(Citizen(VALID_ID, "王小红"), timeout=2.0) \
        is IdentityOutcome.MISMATCH
    held = svc.departments["hrss"].adapter.records(citizen, timeout=2.0)
    assert [lic.license_type for lic in held.licenses] == ["social_security_card"]
    assert held.social_security is not None
    assert svc.proofing.carrier.check("王小明", VALID_ID, "13912345678", timeout=2.0) is CarrierOutcome.MATCH
    listed = run(app, "people")
    assert listed.exit_code == 0 and re.search(
        rf"^added\s+{VALID_ID}\s+13912345678\s+王小明\s+id_card,social_security_card$", listed.stdout, re.M)
    assert f"{len(DEMO_CITIZENS) + 1} people: {len(DEMO_CITIZENS)} demo, 1 added" in listed.stdout


def test_generated_id_numbers_are_valid_distinct_adults_of_qingdao(sandbox_app: Callable[..., Flask]) -> None:
    """Without --id-number each person gets a valid 370202 number of an adult, never one already known."""
    app = sandbox_app()
    numbers = [added_id_number(run(app, "add-person", "--name", f"新人{i}", "--phone", f"1391234560{i}"))
               for i in range(5)]
    today = _services_of(app).clock.now().date()
    assert len(set(numbers)) == 5
    for number in numbers:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert is_valid_resident_id(number) and number.startswith("370202"), number
        assert 18 <= (today - born).days / 365.25 <= 71, number
    police = _services_of(app).departments["police"].adapter
    assert all(police.check_identity(Citizen(n, f"新人{i}"), timeout=2.0) is IdentityOutcome.MATCH
               for i, n in enumerate(numbers))


def test_a_generated_id_number_skips_the_ones_taken() -> None:
    """new_resident_id draws again when the number it drew is already known."""
    today = dt.date(2026, 11, 30)
    first = new_resident_id(today, set(), randbelow=lambda _n: 0)
    draws = iter([0, 0, 0, 1])
    second = new_resident_id(today, {first}, randbelow=lambda _n: next(draws))
    assert (first[14:17], second[14:17], second[:14]) == ("001", "002", first[:14])
    assert is_valid_resident_id(first) and is_valid_resident_id(second)
    assert second[17] == resident_id_check_digit(second[:17])


@pytest.mark.parametrize("args, option", [
    (["--name", "李雷", "--phone", "1391234567"], "'--phone'"),
    (["--name", "李雷", "--phone", ZHANG.phone], "'--phone'"),
    (["--name", "李雷", "--phone", "13912345670", "--id-number", WRONG_CHECK_DIGIT], "'--id-number'"),
    (["--name", "李雷", "--phone", "13912345670", "--id-number", ZHANG.citizen.id_number], "'--id-number'"),
    (["--name", " ", "--phone", "13912345670"], "'--name'"),
    (["--name", "李雷", "--phone", "13912345670", "--licenses", "id_card,passport"], "'--licenses'"),
], ids=["bad-phone", "known-phone", "bad-check-digit", "known-id-number", "blank-name", "unknown-license"])
def test_refused_input_names_the_option_and_leaves_the_file_alone(sandbox_app: Callable[..., Flask],
                                                                  paths: dict[str, Path], args: list[str],
                                                                  option: str) -> None:
    """A bad or already known value is a usage error (exit 2) naming its option, without a traceback."""
    app = sandbox_app()
    added_id_number(run(app, "add-person", "--name", "王小明", "--phone", "13912345678"))
    before = paths["registry"].read_bytes()
    result = run(app, "add-person", *args)
    assert (result.exit_code, option in result.output) == (2, True), result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert paths["registry"].read_bytes() == before


def test_add_person_refuses_without_a_registry_file(make_app: Callable[..., Flask]) -> None:
    """With ZWT_SANDBOX_REGISTRY_PATH=off (the test default) there is no file to add to: a clear refusal."""
    result = run(make_app(), "add-person", "--name", "王小明", "--phone", "13912345678")
    assert result.exit_code == 1 and "ZWT_SANDBOX_REGISTRY_PATH is off" in result.output


@pytest.mark.parametrize("setting, value", [
    ("ZWT_PROOFING_URL", "http://127.0.0.1:9"),
    ("ZWT_DEPARTMENTS", "police=police@http://127.0.0.1:9"),
])
@pytest.mark.parametrize("command", [
    ["add-person", "--name", "王小明", "--phone", "13912345678"], ["people"], ["sms"], ["face-token", VALID_ID],
], ids=["add-person", "people", "sms", "face-token"])
def test_every_command_refuses_real_systems(sandbox_app: Callable[..., Flask], paths: dict[str, Path],
                                            setting: str, value: str, command: list[str]) -> None:
    """Pointed at a real gateway or real departments, nothing is added, read or handed out."""
    result = run(sandbox_app(**{setting: value}), *command)
    assert result.exit_code == 1 and f"{setting} points at real systems" in result.output, result.output
    assert result.stdout == "" and not any(p.exists() for p in paths.values())


# -- sms -------------------------------------------------------------------------------------------------

def test_sms_prints_what_the_telecom_sandbox_sent_also_in_another_process(sandbox_app: Callable[..., Flask]) -> None:
    """Texts sent through the proofing port are listed oldest first, by any app on the same outbox file."""
    server, cli = sandbox_app(), sandbox_app()
    sms = _services_of(server).proofing.sms
    sms.send("13912345678", "【青岛政务通】验证码 483920，5 分钟内有效。", timeout=2.0)
    sms.send(ZHANG.phone, "【青岛政务通】验证码 111111，5 分钟内有效。", timeout=2.0)
    sms.send("13912345678", "【青岛政务通】验证码 765432，5 分钟内有效。", timeout=2.0)
    line = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  "
    for app in (server, cli):
        result = run(app, "sms")
        assert result.exit_code == 0, result.output
        assert [re.sub(line, "", text) for text in result.stdout.splitlines()] == [
            "13912345678  【青岛政务通】验证码 483920，5 分钟内有效。",
            f"{ZHANG.phone}  【青岛政务通】验证码 111111，5 分钟内有效。",
            "13912345678  【青岛政务通】验证码 765432，5 分钟内有效。"]
        assert all(re.match(line, text) for text in result.stdout.splitlines())
    newest = run(cli, "sms", "--phone", "13912345678", "--last", "1")
    assert newest.exit_code == 0 and newest.stdout.count("\n") == 1 and "765432" in newest.stdout
    assert run(cli, "sms", "--phone", "13700000000").stdout == ""
    assert run(cli, "sms", "--last", "0").exit_code == 2


def test_sms_with_the_outbox_in_memory_says_so(make_app: Callable[..., Flask]) -> None:
    """With ZWT_SMS_OUTBOX_PATH=off the command still reads its own process's texts and warns about the rest."""
    app = make_app()
    _services_of(app).proofing.sms.send(ZHANG.phone, "验证码 222222", timeout=2.0)
    result = run(app, "sms")
    assert result.exit_code == 0 and "验证码 222222" in result.stdout
    assert "ZWT_SMS_OUTBOX_PATH is off" in result.stderr


# -- face-token ------------------------------------------------------------------------------------------

def test_a_face_token_passes_liveness_once_also_in_another_process(sandbox_app: Callable[..., Flask]) -> None:
    """The token printed alone on stdout passes the server's liveness check once; replayed anywhere, it fails."""
    cli, server = sandbox_app(), sandbox_app()
    added_id_number(run(cli, "add-person", "--name", "王小明", "--phone", "13912345678", "--id-number", VALID_ID))
    result = run(cli, "face-token", VALID_ID)
    assert result.exit_code == 0 and result.stderr == "", result.output
    token = result.stdout.strip()
    assert result.stdout == token + "\n" and re.fullmatch(r"\S{16,}", token)
    check = _services_of(server).proofing.liveness.check
    assert check("王小明", VALID_ID, token, timeout=2.0) is LivenessOutcome.PASS
    assert check("王小明", VALID_ID, token, timeout=2.0) is LivenessOutcome.FAIL
    assert _services_of(cli).proofing.liveness.check("王小明", VALID_ID, token, timeout=2.0) is LivenessOutcome.FAIL
    same_process = run(cli, "face-token", VALID_ID.lower()).stdout.strip()
    assert same_process != token
    assert _services_of(cli).proofing.liveness.check("王小明", VALID_ID, same_process, timeout=2.0) \
        is LivenessOutcome.PASS


def test_a_face_token_for_an_unknown_person_warns_and_fails(sandbox_app: Callable[..., Flask]) -> None:
    """For an ID number no sandbox knows the token is still printed alone, with a warning on stderr; it fails."""
    app = sandbox_app()
    result = run(app, "face-token", VALID_ID)
    assert result.exit_code == 0 and "know no person with ID number" in result.stderr
    token = result.stdout.strip()
    assert result.stdout == token + "\n"
    assert _services_of(app).proofing.liveness.check("王小明", VALID_ID, token, timeout=2.0) is LivenessOutcome.FAIL


def test_a_face_token_kept_in_memory_warns_that_the_server_cannot_redeem_it(make_app: Callable[..., Flask]) -> None:
    """With ZWT_LIVENESS_SESSIONS_PATH=off another app cannot redeem the token, and the command says so."""
    cli, server = make_app(), make_app()
    result = run(cli, "face-token", ZHANG.citizen.id_number)
    assert result.exit_code == 0 and "ZWT_LIVENESS_SESSIONS_PATH is off" in result.stderr
    token = result.stdout.strip()
    name, number = ZHANG.citizen.name, ZHANG.citizen.id_number
    assert _services_of(server).proofing.liveness.check(name, number, token, timeout=2.0) is LivenessOutcome.FAIL
    assert _services_of(cli).proofing.liveness.check(name, number, token, timeout=2.0) is LivenessOutcome.PASS
