from hypothesis import given, settings
from hypothesis import strategies as st

from backline.scheduling.intervals import (
    at_least,
    clip,
    intersect,
    intersect_many,
    normalize,
    subtract,
    total,
    union,
)


def test_normalize_sorts_merges_overlapping_and_adjacent_and_drops_empty():
    assert normalize([(5, 9), (1, 5)]) == [(1, 9)]
    assert normalize([(10, 12), (1, 3), (2, 4), (7, 7), (8, 6)]) == [(1, 4), (10, 12)]
    assert normalize([(1, 10), (2, 3)]) == [(1, 10)]
    assert normalize([]) == []
    assert normalize(iter([(3, 4), (1, 2)])) == [(1, 2), (3, 4)]


def test_union():
    assert union([(1, 3), (8, 9)], [(3, 5), (6, 7)]) == [(1, 5), (6, 7), (8, 9)]
    assert union([], [(1, 2)]) == [(1, 2)]
    assert union([(1, 2)], []) == [(1, 2)]
    assert union([], []) == []


def test_intersect():
    assert intersect([(0, 10), (20, 30)], [(5, 25)]) == [(5, 10), (20, 25)]
    assert intersect([(0, 5)], [(5, 10)]) == []  # half-open: touching is not overlapping
    assert intersect([], [(1, 2)]) == []
    assert intersect([(1, 2)], []) == []


def test_subtract():
    assert subtract([(0, 10)], [(2, 3), (5, 6)]) == [(0, 2), (3, 5), (6, 10)]
    assert subtract([(0, 10)], [(0, 10)]) == []
    assert subtract([(0, 10), (20, 30)], [(5, 25)]) == [(0, 5), (25, 30)]
    assert subtract([(0, 10)], []) == [(0, 10)]
    assert subtract([], [(0, 10)]) == []


def test_intersect_many():
    assert intersect_many([]) == []
    assert intersect_many([[(0, 10)]]) == [(0, 10)]
    assert intersect_many([[(0, 10)], [(2, 12)], [(5, 20)]]) == [(5, 10)]
    assert intersect_many([[(0, 10)], [], [(5, 20)]]) == []


def test_clip_at_least_total():
    assert clip([(0, 10), (20, 30), (40, 50)], 5, 45) == [(5, 10), (20, 30), (40, 45)]
    assert clip([(0, 10)], 10, 20) == []
    assert clip([(0, 10)], 5, 5) == []
    assert at_least([(0, 10), (20, 25)], 6) == [(0, 10)]
    assert total([(0, 10), (20, 25)]) == 15
    assert total([]) == 0


def test_a_few_intervals_against_many():
    many = [(i * 10, i * 10 + 5) for i in range(100)]  # (0, 5), (10, 15), ... (990, 995)
    few = [(3, 12), (500, 507), (995, 2000)]
    merged = union(many, few)
    assert merged[:2] == [(0, 15), (20, 25)]
    assert (500, 507) in merged
    assert merged[-1] == (990, 2000)  # touching intervals merge
    assert union(few, many) == merged
    assert intersect(many, few) == [(3, 5), (10, 12), (500, 505)] == intersect(few, many)
    left = subtract(many, few)
    assert left[:3] == [(0, 3), (12, 15), (20, 25)]
    assert (500, 505) not in left and left[-1] == (990, 995)


spans = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 30)).map(lambda p: (p[0], p[0] + p[1])), max_size=40)


def points(intervals):
    return {t for s, e in intervals for t in range(s, e)}


def is_normalized(intervals):
    return all(s < e for s, e in intervals) and all(e1 < s2 for (_, e1), (s2, _) in zip(intervals, intervals[1:]))


@settings(max_examples=300, deadline=None)
@given(spans, spans)
def test_operations_match_point_sets(a, b):
    a, b = normalize(a), normalize(b)
    assert is_normalized(a) and points(a) == {t for s, e in a for t in range(s, e)}
    for result, expected in [(union(a, b), points(a) | points(b)), (intersect(a, b), points(a) & points(b)),
                             (subtract(a, b), points(a) - points(b)), (subtract(b, a), points(b) - points(a))]:
        assert is_normalized(result)
        assert points(result) == expected
    assert points(clip(a, 50, 150)) == {t for t in points(a) if 50 <= t < 150}


gaps_and_lengths = st.lists(st.tuples(st.integers(0, 9), st.integers(1, 30)), min_size=100, max_size=200)


@settings(max_examples=150, deadline=None)
@given(gaps_and_lengths, spans)
def test_long_against_short_lists_match_point_sets(shapes, b):
    # 100+ intervals against at most five: the binary-search paths
    a = [(i * 40 + gap, i * 40 + gap + length) for i, (gap, length) in enumerate(shapes)]
    b = [(s * 30, e * 30) for s, e in normalize(b)[:5]]
    for result, expected in [(union(a, b), points(a) | points(b)), (union(b, a), points(a) | points(b)),
                             (intersect(a, b), points(a) & points(b)), (intersect(b, a), points(a) & points(b)),
                             (subtract(a, b), points(a) - points(b))]:
        assert is_normalized(result)
        assert points(result) == expected
    assert points(intersect_many([a, b, a])) == points(a) & points(b)
