"""Interval algebra over sorted, disjoint, half-open integer intervals ``(start, end)``.

Times are UTC epoch seconds. A *normalized* list is sorted, has no empty intervals and no two intervals
that overlap or touch: ``normalize([(1, 5), (5, 9)]) == [(1, 9)]``. ``union``, ``intersect`` and
``subtract`` take normalized lists and return normalized lists in one linear pass, or, when one list is
much shorter than the other, with a binary search per interval of the short one. This module is the green
zone's hot path, so the loops avoid re-reading tuples they already hold.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from operator import itemgetter

Interval = tuple[int, int]

_START, _END = itemgetter(0), itemgetter(1)
_FEW = 16  # a list this many times shorter than the other is handled by binary search
_FAR = 1 << 62  # later than any time


def _span(a: Sequence[Interval], start: int, end: int, lo: int = 0, *, touching: bool = False) -> tuple[int, int]:
    """The slice ``a[i:j]`` (``i >= lo``) of intervals overlapping ``[start, end)``, or touching it."""
    if touching:
        i = bisect_left(a, start, lo, key=_END)
        return i, bisect_right(a, end, i, key=_START)
    i = bisect_right(a, start, lo, key=_END)
    return i, bisect_left(a, end, i, key=_START)


def _coalesce(ordered: Iterable[Interval]) -> list[Interval]:
    """Merge overlapping and touching neighbours of intervals sorted by start; drop empty ones."""
    out: list[Interval] = []
    append = out.append
    current = None  # kept as the original tuple until something merges into it
    for interval in ordered:
        s, e = interval
        if e <= s:
            continue
        if current is None:
            current, end = interval, e
        elif s > end:
            append(current)
            current, end = interval, e
        elif e > end:
            current, end = (current[0], e), e
    if current is not None:
        append(current)
    return out


def normalize(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort, drop empty intervals, merge overlapping and adjacent ones."""
    return _coalesce(sorted(intervals))


def union(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Everything in ``a`` or ``b`` (timsort merges two sorted runs in linear time)."""
    if not a:
        return list(b)
    if not b:
        return list(a)
    if len(a) < len(b):
        a, b = b, a
    if len(b) * _FEW > len(a):
        return _coalesce(sorted([*a, *b]))
    out: list[Interval] = []
    done = 0  # a[:done] is in out
    for s, e in b:
        i, j = _span(a, s, e, done, touching=True)
        out += a[done:i]
        if i < j:
            s, e = min(s, a[i][0]), max(e, a[j - 1][1])
        if out and out[-1][1] >= s:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
        done = j
    out += a[done:]
    return out


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Everything in both ``a`` and ``b``."""
    out: list[Interval] = []
    if not a or not b:
        return out
    if len(a) < len(b):
        a, b = b, a
    if len(b) * _FEW <= len(a):
        for s, e in b:
            i, j = _span(a, s, e)
            out += [(s if s > s2 else s2, e if e < e2 else e2) for s2, e2 in a[i:j]]
        return out
    append = out.append
    ia, ib = iter(a), iter(b)
    s1, e1 = next(ia)
    s2, e2 = next(ib)
    try:
        while True:
            if e1 <= s2:
                s1, e1 = next(ia)
            elif e2 <= s1:
                s2, e2 = next(ib)
            elif e1 < e2:
                append((s1 if s1 > s2 else s2, e1))
                s1, e1 = next(ia)
            else:
                append((s1 if s1 > s2 else s2, e2))
                s2, e2 = next(ib)
    except StopIteration:
        return out


def subtract(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Everything in ``a`` that is not in ``b``."""
    if not a or not b:
        return list(a)
    if len(b) * _FEW <= len(a):
        rest, out, done = list(a), [], 0  # rest[:done] is in out; rest[done] may be a cut remainder
        for s, e in b:
            i, j = _span(rest, s, e, done)
            if i == j:
                continue
            out += rest[done:i]
            if rest[i][0] < s:
                out.append((rest[i][0], s))
            if rest[j - 1][1] > e:
                rest[j - 1] = (e, rest[j - 1][1])
                j -= 1
            done = j
        out += rest[done:]
        return out
    out = []
    append = out.append
    ib = iter([*b, (_FAR, _FAR)])  # the sentinel ends both loops below, so next() never runs out
    bs, be = next(ib)
    for interval in a:
        s, e = interval
        while be <= s:
            bs, be = next(ib)
        if bs >= e:
            append(interval)
            continue
        while bs < e:
            if bs > s:
                append((s, bs))
            if be >= e:
                s = e
                break
            s = be
            bs, be = next(ib)
        if s < e:
            append((s, e))
    return out


def intersect_many(lists: Sequence[Sequence[Interval]]) -> list[Interval]:
    """Everything in every list; the shortest lists go first so the running result shrinks fast."""
    if not lists:
        return []
    ordered = sorted(lists, key=len)
    result = list(ordered[0])
    for other in ordered[1:]:
        if not result:
            break
        result = intersect(result, other)
    return result


def clip(a: Sequence[Interval], start: int, end: int) -> list[Interval]:
    """The part of ``a`` inside ``[start, end)``."""
    if start >= end:
        return []
    i, j = _span(a, start, end)
    return [(s if s > start else start, e if e < end else end) for s, e in a[i:j]]


def at_least(a: Iterable[Interval], seconds: int) -> list[Interval]:
    """Only the intervals lasting ``seconds`` or longer."""
    return [iv for iv in a if iv[1] - iv[0] >= seconds]


def total(a: Iterable[Interval]) -> int:
    """The number of seconds covered."""
    return sum(e - s for s, e in a)
