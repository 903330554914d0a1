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


def _span(a: Sequence[Interval], start: int, end: int, *, touching: bool = False) -> tuple[int, int]:
    """The slice ``a[i:j]`` of intervals overlapping ``[start, end)`` (or touching it)."""
    if touching:
        return bisect_left(a, start, key=_END), bisect_right(a, end, key=_START)
    return bisect_right(a, start, key=_END), bisect_left(a, end, key=_START)


def _coalesce(ordered: Iterable[Interval]) -> list[Interval]:
    """Merge overlapping and touching neighbours of intervals sorted by start; drop empty ones."""
    out: list[Interval] = []
    cur_s = cur_e = None
    for s, e in ordered:
        if e <= s:
            continue
        if cur_e is None:
            cur_s, cur_e = s, e
        elif s <= cur_e:
            if e > cur_e:
                cur_e = e
        else:
            out.append((cur_s, cur_e))
            cur_s, cur_e = s, e
    if cur_e is not None:
        out.append((cur_s, cur_e))
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
    out = list(a)
    for s, e in b:
        i, j = _span(out, s, e, touching=True)
        if i < j:
            s, e = min(s, out[i][0]), max(e, out[j - 1][1])
        out[i:j] = [(s, e)]
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
        out = list(a)
        for s, e in b:
            i, j = _span(out, s, e)
            if i < j:
                first, last = out[i], out[j - 1]
                out[i:j] = [piece for piece in ((first[0], s), (e, last[1])) if piece[0] < piece[1]]
        return out
    out = []
    append = out.append
    ib = iter(b)
    bs, be = next(ib)
    exhausted = False
    for s, e in a:
        while not exhausted and be <= s:
            try:
                bs, be = next(ib)
            except StopIteration:
                exhausted = True
        while not exhausted and bs < e:
            if bs > s:
                append((s, bs))
            if be >= e:
                s = e
                break
            s = be
            try:
                bs, be = next(ib)
            except StopIteration:
                exhausted = True
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
