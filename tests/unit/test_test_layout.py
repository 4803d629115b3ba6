"""The test tree itself: pytest imports test modules by their base name (no __init__.py), so two with one name in
different folders fail to import ("import file mismatch") — seen once when parallel branches merged."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_module_has_a_name_of_its_own():
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
