"""Unit tests for the province table: completeness, codes, regions, lookups and the tile map."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from services.thai.collation import thai_sorted
from services.thai.geo import (
    PROVINCES,
    REGIONS,
    Province,
    Region,
    is_province,
    province_by_code,
    province_by_name,
    provinces_in_region,
)

# The provinces of the 2564 results announcement.
ANNOUNCEMENT_2564 = [
    "กาฬสินธุ์", "ขอนแก่น", "ฉะเชิงเทรา", "ชลบุรี", "เชียงราย", "เชียงใหม่", "ตรัง", "ตาก", "นครปฐม",
    "นครราชสีมา", "นนทบุรี", "พิษณุโลก", "ภูเก็ต", "แม่ฮ่องสอน", "ยะลา", "ร้อยเอ็ด", "ระยอง", "ลพบุรี",
    "เลย", "ศรีสะเกษ", "สงขลา", "สมุทรสาคร", "สุโขทัย", "สุราษฎร์ธานี", "สุรินทร์", "หนองบัวลำภู", "อุดรธานี",
]  # fmt: skip


def _named(name_th: str) -> Province:
    province = province_by_name(name_th)
    assert province is not None, name_th
    return province


# --- the table --------------------------------------------------------------------------------


def test_there_are_77_provinces_with_unique_names_and_codes() -> None:
    assert len(PROVINCES) == 77
    for field in ("name_th", "name_en", "iso_code", "tile"):
        values = [getattr(p, field) for p in PROVINCES]
        assert len(set(values)) == 77, field


def test_codes_are_iso_3166_2_th_province_codes() -> None:
    codes = {p.iso_code for p in PROVINCES}
    assert all(re.fullmatch(r"TH-[1-9]\d", code) for code in codes)
    assert min(codes) == "TH-10"
    assert max(codes) == "TH-96"
    assert "TH-S" not in codes  # Pattaya is a special-form city, not a province


def test_bangkok_and_bueng_kan_are_included() -> None:
    assert _named("กรุงเทพมหานคร").iso_code == "TH-10"
    assert _named("บึงกาฬ").iso_code == "TH-38"
    assert _named("นราธิวาส").iso_code == "TH-96"


def test_provinces_are_listed_in_thai_dictionary_order() -> None:
    assert list(PROVINCES) == thai_sorted(PROVINCES, key=lambda p: p.name_th)
    assert PROVINCES[0].name_th == "กระบี่"
    assert PROVINCES[-1].name_th == "อุบลราชธานี"


def test_provinces_are_frozen() -> None:
    with pytest.raises(AttributeError):
        PROVINCES[0].name_th = "x"  # type: ignore[misc]


# --- regions ----------------------------------------------------------------------------------


def test_six_regions_with_thai_and_english_names() -> None:
    assert len(REGIONS) == 6
    assert [r.name_th for r in REGIONS] == [
        "ภาคเหนือ",
        "ภาคตะวันออกเฉียงเหนือ",
        "ภาคกลาง",
        "ภาคตะวันออก",
        "ภาคตะวันตก",
        "ภาคใต้",
    ]
    assert [r.name_en for r in REGIONS] == ["Northern", "Northeastern", "Central", "Eastern", "Western", "Southern"]
    assert str(Region.SOUTH) == "ภาคใต้"  # prints as Thai in the UI


def test_region_sizes_follow_the_six_region_scheme() -> None:
    sizes = Counter(p.region for p in PROVINCES)
    assert sizes == {
        Region.NORTH: 9,
        Region.NORTHEAST: 20,
        Region.CENTRAL: 22,  # 21 provinces and Bangkok
        Region.EAST: 7,
        Region.WEST: 5,
        Region.SOUTH: 14,
    }
    assert sum(len(provinces_in_region(r)) for r in REGIONS) == 77


@pytest.mark.parametrize(
    ("name_th", "region"),
    [
        ("เชียงราย", Region.NORTH),
        ("ภูเก็ต", Region.SOUTH),
        ("ตาก", Region.WEST),
        ("ชลบุรี", Region.EAST),
        ("สุโขทัย", Region.CENTRAL),
        ("บึงกาฬ", Region.NORTHEAST),
        ("กรุงเทพมหานคร", Region.CENTRAL),
    ],
)
def test_region_of_a_province(name_th: str, region: Region) -> None:
    assert _named(name_th).region is region


# --- lookups ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name_th", ANNOUNCEMENT_2564)
def test_every_announcement_province_is_found(name_th: str) -> None:
    assert _named(name_th).name_th == name_th
    assert _named(f"จ.{name_th}").name_th == name_th  # as the announcement writes it
    assert is_province(name_th)


@pytest.mark.parametrize(
    "name",
    [
        "เชียงราย",
        "จ.เชียงราย",
        "จ. เชียงราย",
        "จังหวัดเชียงราย",
        "จังหวัด เชียงราย",
        " เชียง\u200bราย ",
        "Chiang Rai",
        "chiangrai",
    ],
)
def test_lookup_tolerates_prefixes_spacing_and_english(name: str) -> None:
    assert _named(name).iso_code == "TH-57"


@pytest.mark.parametrize("name", ["กรุงเทพฯ", "กทม.", "กรุงเทพ", "Bangkok"])
def test_bangkok_short_forms(name: str) -> None:
    assert _named(name).iso_code == "TH-10"


@pytest.mark.parametrize("name", ["", "พัทยา", "เมืองพัทยา", "จ.", "เชียง", "Chiang", "ป่าตอง"])
def test_non_provinces_are_not_found(name: str) -> None:
    assert province_by_name(name) is None
    assert not is_province(name)


def test_province_by_code() -> None:
    assert province_by_code("TH-83") == _named("ภูเก็ต")
    assert province_by_code(" th-38 ") == _named("บึงกาฬ")
    assert province_by_code("TH-S") is None


# --- the tile map -----------------------------------------------------------------------------


def _tile(name_th: str) -> tuple[int, int]:
    return _named(name_th).tile


def _connected(tiles: set[tuple[int, int]]) -> bool:
    start = next(iter(tiles))
    seen, todo = {start}, [start]
    while todo:
        row, col = todo.pop()
        for step in ((row + 1, col), (row - 1, col), (row, col + 1), (row, col - 1)):
            if step in tiles and step not in seen:
                seen.add(step)
                todo.append(step)
    return seen == tiles


def test_every_province_has_its_own_tile_on_a_non_negative_grid() -> None:
    tiles = [p.tile for p in PROVINCES]
    assert len(set(tiles)) == len(tiles) == 77
    assert all(row >= 0 and col >= 0 for row, col in tiles)
    assert min(row for row, _ in tiles) == 0
    assert min(col for _, col in tiles) == 0


def test_the_map_has_north_at_the_top_and_the_peninsula_going_down() -> None:
    top = min(p.tile[0] for p in PROVINCES)
    bottom = max(p.tile[0] for p in PROVINCES)
    assert _tile("เชียงราย")[0] == top
    assert _tile("นราธิวาส")[0] == bottom
    south = provinces_in_region(Region.SOUTH)
    rest = [p for p in PROVINCES if p.region is not Region.SOUTH]
    assert min(p.tile[0] for p in south) > max(p.tile[0] for p in rest)
    # A peninsula: the south is narrow and tall.
    assert len({p.tile[1] for p in south}) <= 5 < len({p.tile[0] for p in south})


def test_tiles_keep_the_main_compass_relations() -> None:
    assert _tile("เชียงใหม่")[0] < _tile("กรุงเทพมหานคร")[0] < _tile("ภูเก็ต")[0]
    assert _tile("กาญจนบุรี")[1] < _tile("กรุงเทพมหานคร")[1] < _tile("อุบลราชธานี")[1]
    assert _tile("หนองคาย")[0] < _tile("นครราชสีมา")[0]
    assert _tile("ภูเก็ต")[1] < _tile("นครศรีธรรมราช")[1]
    isan_cols = [p.tile[1] for p in provinces_in_region(Region.NORTHEAST)]
    assert min(isan_cols) > _tile("กรุงเทพมหานคร")[1]


@pytest.mark.parametrize("region", [r for r in REGIONS if r is not Region.WEST])
def test_regions_form_one_block_of_tiles(region: Region) -> None:
    # The West is left out: Tak lies far up the Myanmar border from Kanchanaburi, and the map keeps
    # rows close to latitude there rather than drawing the long thin strip that joins them.
    assert _connected({p.tile for p in provinces_in_region(region)})
