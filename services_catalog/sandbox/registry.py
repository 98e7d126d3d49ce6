"""The people every sandbox knows: the six demo citizens plus those added to a JSON file, re-read when it changes.

``flask --app app sandbox add-person`` appends to the file; a running sandbox sees the newcomer on its next
request because :func:`load_people` compares the file's stamp (inode, size, mtime) on every read.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from typing import Any, Iterable, Mapping, Sequence

from ..records import Citizen, HousingFundSummary, LicenseRecord, SocialSecuritySummary
from .citizens import DEMO_CITIZENS, DemoCitizen, is_valid_resident_id
from .newcomer import generate_person

__all__ = ["PersonRefused", "PeopleRegistry", "add_person", "load_people", "person_to_dict", "person_from_dict"]

_PHONE = re.compile(r"^1[3-9][0-9]{9}\Z")
_FORMAT = 1
_cache: dict[str, tuple[tuple[int, int, int], tuple[DemoCitizen, ...]]] = {}
_cache_lock = threading.Lock()
_write_lock = threading.Lock()


class PersonRefused(ValueError):
    """A person cannot be added: ``field`` names the bad input, ``reason`` is a short machine code."""

    def __init__(self, field: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


def person_to_dict(person: DemoCitizen) -> dict[str, Any]:
    """Return a JSON-ready dict of a person and every record the departments hold about them."""
    return {
        "name": person.citizen.name, "id_number": person.citizen.id_number, "phone": person.phone,
        "licenses": [lic.to_dict() for lic in person.licenses],
        "social_security": person.social_security.to_dict() if person.social_security else None,
        "housing_fund": person.housing_fund.to_dict() if person.housing_fund else None,
    }


def person_from_dict(data: Mapping[str, Any]) -> DemoCitizen:
    """Rebuild a person from :func:`person_to_dict` output."""
    ss, hf = data["social_security"], data["housing_fund"]
    return DemoCitizen(Citizen(data["id_number"], data["name"]),
                       tuple(LicenseRecord.from_dict(lic) for lic in data["licenses"]),
                       SocialSecuritySummary.from_dict(ss) if ss else None,
                       HousingFundSummary.from_dict(hf) if hf else None, data["phone"])


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def _read_file(path: str) -> tuple[DemoCitizen, ...]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return tuple(person_from_dict(p) for p in data["people"])


def load_people(path: str | os.PathLike[str] | None) -> tuple[DemoCitizen, ...]:
    """Return the built-in demo citizens plus the people in the file at ``path`` (missing or None: none)."""
    if path is None:
        return DEMO_CITIZENS
    key = os.fspath(path)
    stamp = _stamp(key)
    if stamp is None:
        return DEMO_CITIZENS
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    people = DEMO_CITIZENS + _read_file(key)
    with _cache_lock:
        _cache[key] = (stamp, people)
    return people


def _validate(people: Sequence[DemoCitizen], name: str, id_number: str, phone: str) -> None:
    if not name.strip() or len(name) > 30:
        raise PersonRefused("name", "invalid", "a name of 1 to 30 characters is required")
    if not is_valid_resident_id(id_number):
        raise PersonRefused("id_number", "invalid", f"{id_number!r:.24} is not a valid resident ID number "
                                                    "(18 characters, real birth date, GB 11643 check digit)")
    if not _PHONE.match(phone):
        raise PersonRefused("phone", "invalid", f"{phone!r:.20} is not an 11-digit mainland mobile number")
    if any(p.citizen.id_number == id_number for p in people):
        raise PersonRefused("id_number", "taken", "the sandboxes already know a person with this ID number")
    if any(p.phone == phone for p in people):
        raise PersonRefused("phone", "taken", "the sandboxes already know a person with this phone")


def add_person(path: str | os.PathLike[str], *, name: str, id_number: str, phone: str,
               licenses: Iterable[str] = ("id_card",)) -> DemoCitizen:
    """Generate a person's records, append them to the file at ``path`` and return the person.

    Refuses (:class:`PersonRefused`) a bad name, ID number or phone and an ID number or phone already known.
    The file is replaced atomically, so a sandbox reading it concurrently sees the old or the new list.
    """
    key = os.fspath(path)
    id_number = id_number.strip().upper()
    with _write_lock:
        _validate(load_people(key), name, id_number, phone)
        try:
            person = generate_person(name.strip(), id_number, phone, licenses)
        except ValueError as exc:
            raise PersonRefused("licenses", "invalid", str(exc)) from None
        added = (_read_file(key) if _stamp(key) is not None else ()) + (person,)
        folder = os.path.dirname(os.path.abspath(key))
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".people-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"format": _FORMAT, "people": [person_to_dict(p) for p in added]}, handle,
                      ensure_ascii=False, indent=1)
        os.replace(temporary, key)
    return person


class PeopleRegistry:
    """What a sandbox asks about people: by ID number or phone, always as of the file's current contents.

    ``PeopleRegistry(path)`` reads the built-in people plus the file; ``PeopleRegistry.fixed(people)``
    serves exactly ``people`` (tests inject their own citizens this way).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else os.fspath(path)
        self._fixed: tuple[DemoCitizen, ...] | None = None
        self._indexed: tuple[DemoCitizen, ...] = ()
        self._by_id: dict[str, DemoCitizen] = {}
        self._by_phone: dict[str, DemoCitizen] = {}
        self._lock = threading.Lock()

    @classmethod
    def fixed(cls, people: Iterable[DemoCitizen]) -> PeopleRegistry:
        """Return a registry of exactly ``people``, no file."""
        registry = cls()
        registry._fixed = tuple(people)
        return registry

    def people(self) -> tuple[DemoCitizen, ...]:
        """Return everyone the sandboxes know right now."""
        return self._fixed if self._fixed is not None else load_people(self.path)

    def _index(self) -> tuple[dict[str, DemoCitizen], dict[str, DemoCitizen]]:
        people = self.people()
        with self._lock:
            if people is not self._indexed:
                self._by_id = {p.citizen.id_number: p for p in people}
                self._by_phone = {p.phone: p for p in people if p.phone}
                self._indexed = people
            return self._by_id, self._by_phone

    def by_id_number(self) -> Mapping[str, DemoCitizen]:
        """Return everyone by resident ID number."""
        return self._index()[0]

    def find(self, id_number: str) -> DemoCitizen | None:
        """Return the person with ``id_number``, if any."""
        return self._index()[0].get(id_number)

    def find_phone(self, phone: str) -> DemoCitizen | None:
        """Return the person a carrier has registered ``phone`` to, if any."""
        return self._index()[1].get(phone)

    def add(self, *, name: str, id_number: str, phone: str, licenses: Iterable[str] = ("id_card",)) -> DemoCitizen:
        """Add a person to this registry's file (see :func:`add_person`)."""
        if self.path is None:
            raise ValueError("this registry has no file to add people to")
        return add_person(self.path, name=name, id_number=id_number, phone=phone, licenses=licenses)
