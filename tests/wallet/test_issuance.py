"""The issuing contract's record rules and its version / state rule, without any framework."""

from __future__ import annotations

import datetime as dt

import pytest

from wallet.identifiers import resident_id_check_digit, unified_credit_code_check_char
from wallet.issuance import RecordRefused, Stored, decide, license_of, parse_record

_FIRST17 = "37020219850312031"
PERSON = _FIRST17 + resident_id_check_digit(_FIRST17)
_BODY = "91370200MA3C1234X"
USCC = _BODY + unified_credit_code_check_char(_BODY)
ISSUER = "11370200MB" + "0000006"
ISSUER += unified_credit_code_check_char(ISSUER)
REPRESENTATIVE = {"id_number": PERSON, "name": "张伟"}
BAD_ID = PERSON[:17] + ("0" if PERSON[17] != "0" else "1")  # a wrong check digit


def business(**changes):
    """A valid business-license record."""
    out = {"op": "issue", "license_type": "business_license", "serial": "370200MR2019000123", "version": 3,
           "holder": {"uscc": USCC, "name": "青岛海岸咖啡有限公司",
                      "representative": {"id_number": PERSON, "name": "张伟"}},
           "issuer_code": ISSUER, "issuer_name": "青岛市市场监督管理局", "issued_on": "2019-05-20",
           "valid_from": "2019-05-20", "valid_until": None,
           "fields": {"entity_type": "有限责任公司", "legal_representative": "张伟", "established_date": "2019-05-20"}}
    out.update(changes)
    return out


def marriage(**changes):
    """A valid marriage-certificate record of a person."""
    out = {"op": "issue", "license_type": "marriage_certificate", "serial": "J370202-2020-1", "version": 1,
           "holder": {"id_number": PERSON.lower(), "name": "张伟"}, "issuer_code": ISSUER,
           "issuer_name": "青岛市市南区民政局", "issued_on": "2020-02-14", "valid_from": "2020-02-14",
           "valid_until": None, "fields": {"certificate_number": "J370202-2020-000001"}}
    out.update(changes)
    return out


def test_an_organisation_record_links_through_its_representative():
    """The holder code is the credit code; the wallet that receives it is the representative's."""
    record = parse_record(business())
    holder = record.content.holder
    assert holder.is_organisation and holder.code == USCC and holder.linking_id == PERSON
    lic = license_of(record, "ABC123")
    assert lic.holder_code == USCC and lic.holder_name == "青岛海岸咖啡有限公司"
    assert lic.fields["entity_type"] == "有限责任公司" and lic.valid_until is None


def test_a_person_record_is_normalised_and_its_digest_ignores_spelling():
    """A lower-case x in the ID number and key order do not change the canonical form or digest."""
    a, b = parse_record(marriage()), parse_record(dict(reversed(list(marriage().items()))))
    assert a.content.holder.linking_id == PERSON and a.digest == b.digest
    assert a.digest != parse_record(marriage(issuer_name="别处")).digest


@pytest.mark.parametrize("change, reason, field", [
    ({"op": "grant"}, "invalid", "op"),
    ({"license_type": "pilot_license"}, "unknown_license_type", "license_type"),
    ({"serial": "bad serial"}, "invalid", "serial"),
    ({"version": 0}, "invalid", "version"),
    ({"version": True}, "invalid", "version"),
    ({"holder": {"id_number": PERSON, "name": "张伟"}}, "unknown_holder", "holder.uscc"),
    ({"holder": {"uscc": "91370200MA3C1234X0", "name": "某公司", "representative": REPRESENTATIVE}},
     "unknown_holder", "holder.uscc"),
    ({"holder": {"uscc": USCC, "name": "某公司", "representative": {"id_number": BAD_ID, "name": "张伟"}}},
     "unknown_holder", "holder.representative.id_number"),
    ({"holder": None}, "required", "holder"),
    ({"issuer_code": "not-a-code"}, "invalid", "issuer_code"),
    ({"valid_from": "2019-02-30"}, "invalid", "valid_from"),
    ({"valid_until": "2018-01-01"}, "invalid", "valid_until"),
    ({"fields": {"entity_type": ""}}, "invalid", "fields.entity_type"),
    ({"fields": {"established_date": "20190520"}}, "invalid", "fields.established_date"),
    ({"fields": {"gender": "男"}}, "unknown_field", "fields.gender"),
    ({"extra": 1}, "unknown_field", "extra"),
])
def test_each_refusal_names_its_field(change, reason, field):
    """A bad record raises ``RecordRefused`` with the reason and the path of the value at fault."""
    with pytest.raises(RecordRefused) as caught:
        parse_record(business(**change))
    assert (caught.value.reason, caught.value.field) == (reason, field)


def test_a_status_record_carries_no_license():
    """A revoke has only the four keys and a reason; a holder in it is refused."""
    record = parse_record({"op": "revoke", "license_type": "business_license", "serial": "S-1", "version": 4,
                           "reason": "吊销"})
    assert record.content is None and record.reason == "吊销"
    with pytest.raises(RecordRefused) as caught:
        parse_record({"op": "revoke", "license_type": "business_license", "serial": "S-1", "version": 4,
                      "holder": {}})
    assert caught.value.field == "holder"


def _stored(version=3, state="valid", record=None, holder="h"):
    return Stored(version, state, (record or parse_record(business())).digest, holder)


def _status(op, version):
    return parse_record({"op": op, "license_type": "business_license", "serial": "S-1", "version": version})


def test_versions_grow_and_the_same_version_is_unchanged_or_a_conflict():
    """New: stored valid; lower: stale; same content: unchanged; same version other content: conflict."""
    record = parse_record(business())
    assert decide(None, record, "h").outcome == "stored"
    assert decide(_stored(), record, "h").outcome == "unchanged"
    assert decide(_stored(version=4), record, "h").reason == "stale_version"
    assert decide(_stored(), parse_record(business(issuer_name="另一局")), "h").reason == "version_conflict"
    changed = parse_record(business(op="change", version=4, issuer_name="另一局"))
    assert decide(_stored(state="suspended"), changed, "h").state == "suspended"
    assert decide(_stored(), changed, "someone else").reason == "holder_changed"


def test_states_move_by_the_rule_and_revoke_and_expire_are_final():
    """suspend -> suspended, reinstate -> valid; after revoke or expire nothing goes; unknown serials need an issue."""
    assert decide(_stored(), _status("suspend", 4), None).state == "suspended"
    assert decide(_stored(state="suspended"), _status("reinstate", 4), None).state == "valid"
    assert decide(_stored(), _status("reinstate", 4), None).reason == "invalid_transition"
    assert decide(_stored(), _status("expire", 4), None).state == "expired"
    for final in ("revoked", "expired"):
        assert decide(_stored(state=final), _status("reinstate", 5), None).reason == "final_state"
        assert decide(_stored(state=final), parse_record(business(version=9)), "h").reason == "final_state"
    assert decide(None, _status("revoke", 1), None).reason == "not_issued"


def test_birth_certificate_holder_code_is_the_childs_id_number():
    """A type whose holder kind is a document number takes the person's resident ID number as holder code."""
    record = parse_record(marriage(license_type="birth_certificate", fields={}, valid_from=dt.date(2020, 1, 1)
                                   .isoformat()))
    assert license_of(record, "X1").holder_code == PERSON
