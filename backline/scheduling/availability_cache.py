"""Each person's expanded free time for a window, kept in the Django cache, so that an act's schedule costs
a cache read per member instead of a recurrence expansion per member (ADR 0005).

Every person has a *version*: a random token in the cache. An entry is stored with the version read
before its data was loaded, and served only while that version is current. Anything that changes what
decides a person's free time (an availability rule or block, a commitment, the default) replaces the
version through ``changed``: at once, and again when the transaction commits, so an entry written from
data read in between is never served either. Inside a transaction that changed a person, nothing is
stored for them (it could still roll back). A version that was evicted simply starts again with a new
token, which no entry carries. Rows written without model signals (``bulk_create``, ``QuerySet.update``)
must call ``changed`` themselves.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection, transaction

VERSION_TIMEOUT = 7 * 86400
ENTRY_TIMEOUT = 6 * 3600  # windows are relative to today: older ones are not read again

Interval = tuple[int, int]
_local = threading.local()


def _pending() -> set[int]:
    """People changed by this thread's open transaction (not yet committed)."""
    if not hasattr(_local, "pending"):
        _local.pending = set()
    return _local.pending


def _version_key(user_id: int) -> str:
    return f"availability:v:{user_id}"


def _entry_key(user_id: int, kind: str, start: int, end: int) -> str:
    return f"availability:{kind}:{user_id}:{start}:{end}"


def _new_versions(user_ids: Iterable[int]) -> None:
    cache.set_many({_version_key(u): secrets.token_hex(8) for u in user_ids}, VERSION_TIMEOUT)


def changed(user_ids: Iterable[int | None]) -> None:
    """What decides these people's free time has changed: forget every window expanded for them."""
    ids = sorted({u for u in user_ids if u})
    if not ids:
        return
    _new_versions(ids)
    if connection.in_atomic_block:
        _pending().update(ids)

    def committed():
        _new_versions(ids)
        _pending().difference_update(ids)

    transaction.on_commit(committed)


def _with_versions(ids: list[int], found: dict) -> dict:
    """``found`` (a cache read) with a version for everyone in ``ids``: new ones for people without."""
    unversioned = [u for u in ids if _version_key(u) not in found]
    if unversioned:
        for u in unversioned:
            cache.add(_version_key(u), secrets.token_hex(8), VERSION_TIMEOUT)
        found |= cache.get_many([_version_key(u) for u in unversioned])
    return found


def kept(user_ids: Iterable[int], *, name: str, parts: tuple, compute: Callable[[], object]):
    """A result worked out from these people's free time (an act's green zone for a window and its
    options, all in ``parts``), kept under their versions: one cache read for the versions, one for the
    result, whatever the number of people. Any change to any of them makes it be worked out again."""
    ids = sorted({u for u in user_ids if u})
    if not connection.in_atomic_block:
        _pending().clear()
    if _pending().intersection(ids):
        return compute()
    found = _with_versions(ids, cache.get_many([_version_key(u) for u in ids]))
    versions = [(u, found.get(_version_key(u))) for u in ids]
    if any(version is None for _, version in versions):
        return compute()
    digest = hashlib.sha256(repr((parts, versions)).encode()).hexdigest()
    key = f"availability:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ENTRY_TIMEOUT)
    return value


def cached(user_ids: Iterable[int], *, kind: str, start: int, end: int,
           load: Callable[[list[int]], dict[int, list[Interval]]]) -> dict[int, list[Interval]]:
    """Each person's intervals of ``kind`` (``free``, ``not_busy``) in ``[start, end)``: from the cache where
    current, the rest from ``load(missing ids)`` (one call for all of them), then kept. Two cache reads
    for any number of people (the second only for people never seen or evicted)."""
    ids = sorted({u for u in user_ids if u})
    if not ids:
        return {}
    if not connection.in_atomic_block:
        _pending().clear()  # no transaction is open: whatever it changed was committed or rolled back
    keys = {u: (_version_key(u), _entry_key(u, kind, start, end)) for u in ids}
    found = _with_versions(ids, cache.get_many([key for pair in keys.values() for key in pair]))
    out: dict[int, list[Interval]] = {}
    versions: dict[int, str | None] = {}
    for u in ids:
        version_key, entry_key = keys[u]
        versions[u] = found.get(version_key)
        entry = found.get(entry_key)
        if entry is not None and versions[u] is not None and entry[0] == versions[u]:
            out[u] = entry[1]
    missing = [u for u in ids if u not in out]
    if missing:
        loaded = load(missing)
        pending = _pending()
        cache.set_many({keys[u][1]: (versions[u], loaded[u]) for u in missing
                        if versions[u] is not None and u not in pending}, ENTRY_TIMEOUT)
        out.update(loaded)
    return out
