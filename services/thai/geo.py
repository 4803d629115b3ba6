"""Thailand's 77 provinces as data: Thai and English names, region, ISO 3166-2:TH code, tile-map cell."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from services.thai.collation import thai_sorted
from services.thai.dates import normalize_thai

__all__ = [
    "PROVINCES",
    "REGIONS",
    "Province",
    "Region",
    "is_province",
    "province_by_code",
    "province_by_name",
    "provinces_in_region",
]


class Region(StrEnum):
    """The six regions of the National Geographical Committee (1977), as taught in Thai geography.

    The National Statistical Office also tabulates by four regions plus Bangkok, where Tak and
    Nakhon Sawan count as northern and the East and West as central; convert before comparing.
    """

    # The value is the official Thai name, so a region shows as Thai wherever it is printed,
    # the same way provinces are stored and shown by their Thai names.
    NORTH = "ภาคเหนือ"
    NORTHEAST = "ภาคตะวันออกเฉียงเหนือ"
    CENTRAL = "ภาคกลาง"
    EAST = "ภาคตะวันออก"
    WEST = "ภาคตะวันตก"
    SOUTH = "ภาคใต้"

    @property
    def name_th(self) -> str:
        return self.value

    @property
    def name_en(self) -> str:
        return _REGION_NAMES_EN[self]


_REGION_NAMES_EN: dict[Region, str] = {
    Region.NORTH: "Northern",
    Region.NORTHEAST: "Northeastern",
    Region.CENTRAL: "Central",
    Region.EAST: "Eastern",
    Region.WEST: "Western",
    Region.SOUTH: "Southern",
}

# North to south, the order regions are listed in.
REGIONS: tuple[Region, ...] = tuple(Region)


@dataclass(frozen=True, slots=True)
class Province:
    """One province (Bangkok included, as the special-form capital that stands in for one)."""

    name_th: str
    name_en: str
    region: Region
    iso_code: str
    # (row, col) on the offline tile map: row 0 is the far north, col 0 the far west.
    tile: tuple[int, int]


_N, _NE, _C, _E, _W, _S = (
    Region.NORTH,
    Region.NORTHEAST,
    Region.CENTRAL,
    Region.EAST,
    Region.WEST,
    Region.SOUTH,
)

# The tile map, one cell per province, drawn from the provinces' rough positions:
#
#        0    1    2    3    4    5    6    7    8    9
#   0         CMI  CRI  PYO  NAN
#   1    MHS  LPN  LPG  PRE  UTD       NKI  BKN
#   2         TAK  SKT  PLK       LOE  UDN  SNK  NPM
#   3              KPT  PCT  PNB  NBP  KKN  KSN  MDH
#   4              UTI  NSN  LRI  CPM  MKM  ROI  YST  ACR
#   5              CNT  SBR  SRI  NMA  BRM  SRN  SSK  UBN
#   6         KRI  SPB  ATG  AYA  NYK  PRI
#   7         RBR  NPT  NBI  PTE  CCO  SKW
#   8         SKM  SKN  BKK  SPK  CBI  CTI
#   9         PBI                 RYG  TRT
#  10         PKN
#  11         CPN
#  12    RNG  SNI
#  13    PNA  KBI  NRT
#  14    PKT  TRG  PLG
#  15         STN  SKA  PTN
#  16                   YLA  NWT
_ROWS: tuple[tuple[str, str, Region, str, int, int], ...] = (
    ("กรุงเทพมหานคร", "Bangkok", _C, "TH-10", 8, 3),
    ("สมุทรปราการ", "Samut Prakan", _C, "TH-11", 8, 4),
    ("นนทบุรี", "Nonthaburi", _C, "TH-12", 7, 3),
    ("ปทุมธานี", "Pathum Thani", _C, "TH-13", 7, 4),
    ("พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", _C, "TH-14", 6, 4),
    ("อ่างทอง", "Ang Thong", _C, "TH-15", 6, 3),
    ("ลพบุรี", "Lop Buri", _C, "TH-16", 4, 4),
    ("สิงห์บุรี", "Sing Buri", _C, "TH-17", 5, 3),
    ("ชัยนาท", "Chai Nat", _C, "TH-18", 5, 2),
    ("สระบุรี", "Saraburi", _C, "TH-19", 5, 4),
    ("ชลบุรี", "Chon Buri", _E, "TH-20", 8, 5),
    ("ระยอง", "Rayong", _E, "TH-21", 9, 5),
    ("จันทบุรี", "Chanthaburi", _E, "TH-22", 8, 6),
    ("ตราด", "Trat", _E, "TH-23", 9, 6),
    ("ฉะเชิงเทรา", "Chachoengsao", _E, "TH-24", 7, 5),
    ("ปราจีนบุรี", "Prachin Buri", _E, "TH-25", 6, 6),
    ("นครนายก", "Nakhon Nayok", _C, "TH-26", 6, 5),
    ("สระแก้ว", "Sa Kaeo", _E, "TH-27", 7, 6),
    ("นครราชสีมา", "Nakhon Ratchasima", _NE, "TH-30", 5, 5),
    ("บุรีรัมย์", "Buri Ram", _NE, "TH-31", 5, 6),
    ("สุรินทร์", "Surin", _NE, "TH-32", 5, 7),
    ("ศรีสะเกษ", "Si Sa Ket", _NE, "TH-33", 5, 8),
    ("อุบลราชธานี", "Ubon Ratchathani", _NE, "TH-34", 5, 9),
    ("ยโสธร", "Yasothon", _NE, "TH-35", 4, 8),
    ("ชัยภูมิ", "Chaiyaphum", _NE, "TH-36", 4, 5),
    ("อำนาจเจริญ", "Amnat Charoen", _NE, "TH-37", 4, 9),
    ("บึงกาฬ", "Bueng Kan", _NE, "TH-38", 1, 7),
    ("หนองบัวลำภู", "Nong Bua Lam Phu", _NE, "TH-39", 3, 5),
    ("ขอนแก่น", "Khon Kaen", _NE, "TH-40", 3, 6),
    ("อุดรธานี", "Udon Thani", _NE, "TH-41", 2, 6),
    ("เลย", "Loei", _NE, "TH-42", 2, 5),
    ("หนองคาย", "Nong Khai", _NE, "TH-43", 1, 6),
    ("มหาสารคาม", "Maha Sarakham", _NE, "TH-44", 4, 6),
    ("ร้อยเอ็ด", "Roi Et", _NE, "TH-45", 4, 7),
    ("กาฬสินธุ์", "Kalasin", _NE, "TH-46", 3, 7),
    ("สกลนคร", "Sakon Nakhon", _NE, "TH-47", 2, 7),
    ("นครพนม", "Nakhon Phanom", _NE, "TH-48", 2, 8),
    ("มุกดาหาร", "Mukdahan", _NE, "TH-49", 3, 8),
    ("เชียงใหม่", "Chiang Mai", _N, "TH-50", 0, 1),
    ("ลำพูน", "Lamphun", _N, "TH-51", 1, 1),
    ("ลำปาง", "Lampang", _N, "TH-52", 1, 2),
    ("อุตรดิตถ์", "Uttaradit", _N, "TH-53", 1, 4),
    ("แพร่", "Phrae", _N, "TH-54", 1, 3),
    ("น่าน", "Nan", _N, "TH-55", 0, 4),
    ("พะเยา", "Phayao", _N, "TH-56", 0, 3),
    ("เชียงราย", "Chiang Rai", _N, "TH-57", 0, 2),
    ("แม่ฮ่องสอน", "Mae Hong Son", _N, "TH-58", 1, 0),
    ("นครสวรรค์", "Nakhon Sawan", _C, "TH-60", 4, 3),
    ("อุทัยธานี", "Uthai Thani", _C, "TH-61", 4, 2),
    ("กำแพงเพชร", "Kamphaeng Phet", _C, "TH-62", 3, 2),
    ("ตาก", "Tak", _W, "TH-63", 2, 1),
    ("สุโขทัย", "Sukhothai", _C, "TH-64", 2, 2),
    ("พิษณุโลก", "Phitsanulok", _C, "TH-65", 2, 3),
    ("พิจิตร", "Phichit", _C, "TH-66", 3, 3),
    ("เพชรบูรณ์", "Phetchabun", _C, "TH-67", 3, 4),
    ("ราชบุรี", "Ratchaburi", _W, "TH-70", 7, 1),
    ("กาญจนบุรี", "Kanchanaburi", _W, "TH-71", 6, 1),
    ("สุพรรณบุรี", "Suphan Buri", _C, "TH-72", 6, 2),
    ("นครปฐม", "Nakhon Pathom", _C, "TH-73", 7, 2),
    ("สมุทรสาคร", "Samut Sakhon", _C, "TH-74", 8, 2),
    ("สมุทรสงคราม", "Samut Songkhram", _C, "TH-75", 8, 1),
    ("เพชรบุรี", "Phetchaburi", _W, "TH-76", 9, 1),
    ("ประจวบคีรีขันธ์", "Prachuap Khiri Khan", _W, "TH-77", 10, 1),
    ("นครศรีธรรมราช", "Nakhon Si Thammarat", _S, "TH-80", 13, 2),
    ("กระบี่", "Krabi", _S, "TH-81", 13, 1),
    ("พังงา", "Phang Nga", _S, "TH-82", 13, 0),
    ("ภูเก็ต", "Phuket", _S, "TH-83", 14, 0),
    ("สุราษฎร์ธานี", "Surat Thani", _S, "TH-84", 12, 1),
    ("ระนอง", "Ranong", _S, "TH-85", 12, 0),
    ("ชุมพร", "Chumphon", _S, "TH-86", 11, 1),
    ("สงขลา", "Songkhla", _S, "TH-90", 15, 2),
    ("สตูล", "Satun", _S, "TH-91", 15, 1),
    ("ตรัง", "Trang", _S, "TH-92", 14, 1),
    ("พัทลุง", "Phatthalung", _S, "TH-93", 14, 2),
    ("ปัตตานี", "Pattani", _S, "TH-94", 15, 3),
    ("ยะลา", "Yala", _S, "TH-95", 16, 3),
    ("นราธิวาส", "Narathiwat", _S, "TH-96", 16, 4),
)

# Thai dictionary order of the Thai name, the order Thai government lists use.
PROVINCES: tuple[Province, ...] = tuple(
    thai_sorted(
        (Province(name_th, name_en, region, code, (row, col)) for name_th, name_en, region, code, row, col in _ROWS),
        key=lambda province: province.name_th,
    )
)

# "จ." / "จังหวัด" (province) is how Thai documents write a province name, e.g. "จ.เชียงราย".
_PROVINCE_PREFIX = re.compile(r"^(?:จังหวัด|จ\.)\s*")
_NON_LETTERS = re.compile(r"[\s\-.]")


def _lookup_form(name: str) -> str:
    text = _PROVINCE_PREFIX.sub("", normalize_thai(name))
    # English spellings vary in spacing and case ("Chonburi", "Chon Buri", "chon-buri").
    return _NON_LETTERS.sub("", text).casefold()


# Bangkok is not a จังหวัด and goes by short forms instead (keys in lookup form: "กทม." -> "กทม").
_ALIASES = {"กรุงเทพฯ": "TH-10", "กรุงเทพ": "TH-10", "กทม": "TH-10"}


_BY_CODE: dict[str, Province] = {province.iso_code: province for province in PROVINCES}
_BY_NAME: dict[str, Province] = {
    **{_lookup_form(p.name_th): p for p in PROVINCES},
    **{_lookup_form(p.name_en): p for p in PROVINCES},
    **{alias: _BY_CODE[code] for alias, code in _ALIASES.items()},
}


def province_by_name(name_th: str) -> Province | None:
    """The province a name refers to, or None; tolerates "จ." / "จังหวัด", spacing, and English names."""
    return _BY_NAME.get(_lookup_form(name_th))


def is_province(name: str) -> bool:
    """Whether name (as province_by_name reads it) is one of the 77 provinces."""
    return province_by_name(name) is not None


def province_by_code(iso_code: str) -> Province | None:
    """The province with an ISO 3166-2:TH code such as "TH-57", or None."""
    return _BY_CODE.get(iso_code.strip().upper())


def provinces_in_region(region: Region) -> tuple[Province, ...]:
    """The provinces of one region, in Thai dictionary order."""
    return tuple(province for province in PROVINCES if province.region is region)
