"""What a counter remembers between runs of ``python -m wallet``: its state directory.

The directory holds ``state.json`` (versioned JSON: the highest bundle ``seq`` seen, the newest bundle
``iat`` seen, the ETag of the held bundle, and the replay cache of holder-bound presentations) and
``bundle.cose``, the newest trust bundle accepted. Both are replaced atomically (temporary file, fsync,
rename), the bundle first, so a crash leaves the old state or the new one, never half of either. A state
file that cannot be read is an error, never silently reset: a reset would forget the rollback watermark.
Runs that share a directory take turns (an exclusive ``flock`` on ``.lock``). No network code here.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InvalidCredential
from .replay import MemoryReplayCache
from .trust import CLOCK_SKEW, TrustBundle

__all__ = ["FORMAT", "VERSION", "REPLAY_LIMIT", "StateError", "CounterState", "StateDir", "dumps", "loads"]

FORMAT = "qd1-counter-state"
VERSION = 1
#: Live entries the persisted replay cache keeps at most (each lives ``2 * PRESENTATION_WINDOW + 1`` s).
REPLAY_LIMIT = 10_000

_STATE, _BUNDLE, _LOCK = "state.json", "bundle.cose", ".lock"


class StateError(Exception):
    """The state directory cannot be used: unreadable, corrupt, or written by a newer version."""


@dataclass
class CounterState:
    """The counter's memory: rollback and clock watermarks, the held bundle's ETag, the replay cache."""

    seq: int | None = None
    iat: int | None = None
    etag: str | None = None
    replay: list[tuple[bytes, int]] = field(default_factory=list)

    def check_clock(self, now: int) -> None:
        """Raise ``clock_before_bundle`` when ``now`` is behind the newest bundle ``iat`` this counter has seen."""
        if self.iat is not None and now < self.iat - CLOCK_SKEW:
            raise InvalidCredential("clock_before_bundle",
                                    f"clock {now} is before {self.iat}, the newest bundle iat this counter has seen")

    def is_newer(self, bundle: TrustBundle) -> bool:
        """Whether ``bundle`` is newer than anything seen (higher ``seq``, or the same one signed later)."""
        if self.seq is None:
            return True
        if bundle.seq != self.seq:
            return bundle.seq > self.seq
        return self.iat is None or bundle.iat > self.iat

    def record(self, bundle: TrustBundle) -> None:
        """Raise the watermarks to ``bundle`` (never lower them)."""
        self.seq = bundle.seq if self.seq is None else max(self.seq, bundle.seq)
        self.iat = bundle.iat if self.iat is None else max(self.iat, bundle.iat)

    def replay_cache(self, now: int) -> MemoryReplayCache:
        """The persisted replay cache, live entries only."""
        return MemoryReplayCache.restore(self.replay, now=now, max_entries=REPLAY_LIMIT)

    def keep_replay(self, cache: MemoryReplayCache, now: int) -> None:
        """Write the cache's live entries back into the state."""
        self.replay = cache.entries(now)


def dumps(state: CounterState) -> bytes:
    """Serialise ``state`` as versioned JSON."""
    doc = {"format": FORMAT, "version": VERSION, "seq": state.seq, "iat": state.iat, "etag": state.etag,
           "replay": [[key.hex(), expires] for key, expires in state.replay]}
    return json.dumps(doc, indent=1).encode("utf-8") + b"\n"


def _int_or_none(doc: dict[str, Any], name: str) -> int | None:
    value = doc.get(name)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise StateError(f"{name!r} must be an integer or null")
    return value


def _replay(value: Any) -> list[tuple[bytes, int]]:
    if not isinstance(value, list):
        raise StateError("'replay' must be a list")
    out = []
    for entry in value:
        ok = isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
        if not ok or not isinstance(entry[1], int) or isinstance(entry[1], bool):
            raise StateError("'replay' entries must be [hex key, expiry]")
        try:
            out.append((bytes.fromhex(entry[0]), entry[1]))
        except ValueError:
            raise StateError("'replay' keys must be hex") from None
    return out


def loads(data: bytes) -> CounterState:
    """Parse a state file, raising ``StateError`` for anything but a well-formed version we understand."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StateError(f"not JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StateError(f"not a {FORMAT} file")
    version = doc.get("version")
    if version != VERSION:
        raise StateError(f"version {version!r} is not {VERSION} (written by another version of the CLI?)")
    etag = doc.get("etag")
    if etag is not None and not isinstance(etag, str):
        raise StateError("'etag' must be a string or null")
    return CounterState(seq=_int_or_none(doc, "seq"), iat=_int_or_none(doc, "iat"), etag=etag,
                        replay=_replay(doc.get("replay", [])))


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        _replace(path, data)
    except OSError as exc:
        raise StateError(f"cannot write {path}: {exc.strerror}") from None


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


class StateDir:
    """A counter's state directory (created on first use)."""

    def __init__(self, path: Path) -> None:
        """Name the directory; nothing is read or written yet."""
        self.path = path

    @contextmanager
    def locked(self) -> Iterator[StateDir]:
        """Hold the directory's exclusive lock (created with the directory if need be)."""
        import fcntl  # POSIX; counters run Linux

        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = open(self.path / _LOCK, "a+b")
        except OSError as exc:
            raise StateError(f"cannot use {self.path}: {exc.strerror}") from None
        with handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield self

    def load(self) -> CounterState:
        """The state held, or a fresh one when the directory holds none yet."""
        path = self.path / _STATE
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return CounterState()
        except OSError as exc:
            raise StateError(f"cannot read {path}: {exc.strerror}") from None
        try:
            return loads(data)
        except StateError as exc:
            raise StateError(f"{path} is corrupt: {exc}; restore it from a backup, or provision this counter "
                             f"again with an empty directory") from None

    def save(self, state: CounterState) -> None:
        """Replace the state file atomically."""
        _write_atomic(self.path / _STATE, dumps(state))

    def held_bundle(self) -> bytes | None:
        """The bundle this counter holds, if any."""
        try:
            return (self.path / _BUNDLE).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(f"cannot read {self.path / _BUNDLE}: {exc.strerror}") from None

    def keep_bundle(self, data: bytes) -> None:
        """Replace the held bundle atomically (call before saving the state that names it)."""
        _write_atomic(self.path / _BUNDLE, data)

    def keep_file(self, name: str, data: bytes) -> Path:
        """Write another file into the directory atomically and return its path."""
        _write_atomic(self.path / name, data)
        return self.path / name
