"""Check uploaded contest files (PowerPoint deck, signed submission form) by content and extract what they say."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal
from xml.etree import ElementTree

from PIL import Image
from pptx import Presentation
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.slide import Slide
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, StreamObject

from services.errors import DomainError
from services.safe_text import clean

Lang = Literal["th", "en"]
FormKind = Literal["pdf", "jpeg", "png"]

PPTX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

MB = 1024 * 1024
DEFAULT_MAX_DECK_BYTES = 50 * MB
DEFAULT_MAX_FORM_BYTES = 10 * MB
DEFAULT_MAX_UNCOMPRESSED = 500 * MB
DEFAULT_MAX_ENTRIES = 10_000
# A 600 dpi A4 scan is about 35 megapixels; a 48 MP phone photo also fits.
DEFAULT_MAX_PIXELS = 50_000_000

# Deflate tops out near 1032:1, real decks stay far below 100:1 except in tiny parts,
# so only entries big enough to hurt are held to the ratio.
_MAX_RATIO = 100
_RATIO_MIN_BYTES = 1 * MB
# python-pptx parses every slide, layout and master into an lxml tree several times the XML size,
# so XML gets a much tighter budget than pictures and videos, which it keeps as bytes.
_MAX_XML_PART = 32 * MB
_MAX_XML_TOTAL = 128 * MB
_MAX_CONTENT_TYPES = 4 * MB
_IN_CHUNK = 256 * 1024
_OUT_CHUNK = 1 * MB
# A signed form is a few pages; text is read from the first pages only, and only while the content streams parsed
# stay within a budget: pypdf parses a page's content at about 2.5 s of CPU per MB, and many pages may point at one
# large stream (a 14 KB file once took 69 s). Text is informational (judges also see the file), so a page beyond the
# budget is skipped, not refused.
FORM_MAX_PAGES = 50
_FORM_TEXT_PAGES = 10
FORM_CONTENT_BUDGET = 256 * 1024
_FORM_TEXT_CHARS = 100_000

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_ZIP_LOCAL = b"PK\x03\x04"
_ZIP_CENTRAL = b"PK\x01\x02"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PRES_PART = "ppt/presentation.xml"
_CONTENT_TYPES = "[Content_Types].xml"
_PRES_MAIN_CT = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


class DocumentError(DomainError):
    """An uploaded file was refused; `message_th` tells the applicant what to do about it."""

    def __init__(self, code: str, message_th: str, message_en: str, *, filename: str = "") -> None:
        super().__init__(code, message_th, message_en)
        self.filename = filename


@dataclass(frozen=True)
class Topic:
    """A topic the guide asks the presentation to cover, with the words that signal it."""

    code: str
    title_th: str
    title_en: str
    keywords: tuple[str, ...]
    scored: bool = True


@dataclass(frozen=True)
class SlideText:
    number: int
    title: str
    text: str
    notes: str


@dataclass(frozen=True)
class TopicCoverage:
    code: str
    title_th: str
    title_en: str
    slides: list[int]
    # True when some slide's title names the topic; False when it was only seen in body text.
    in_title: bool = False

    @property
    def covered(self) -> bool:
        return bool(self.slides)


@dataclass(frozen=True)
class DeckInfo:
    slide_count: int
    slides: list[SlideText]
    topics: list[TopicCoverage]
    media_type: str = PPTX_MEDIA_TYPE

    @property
    def missing_topics(self) -> list[TopicCoverage]:
        return [t for t in self.topics if not t.slides]


@dataclass(frozen=True)
class FormInfo:
    kind: FormKind
    media_type: str
    page_count: int
    text: str
    is_scan: bool
    width: int | None = None
    height: int | None = None


# The guide's eleven scored criteria and its two unscored sections, in the guide's order.
TOPICS: tuple[Topic, ...] = (
    Topic("objectives", "วัตถุประสงค์", "Objectives", ("วัตถุประสงค์", "objective")),
    Topic(
        "policy",
        "นโยบายหรือแผน",
        "Policy or plan",
        ("นโยบาย", "แผนยุทธศาสตร์", "วิสัยทัศน์", "เทศบัญญัติ", "policy", "vision", "strategic plan"),
    ),
    Topic("pain_point", "ปัญหา (Pain point)", "Pain point", ("pain point", "painpoint", "ปัญหา", "problem")),
    Topic(
        "solution",
        "กลไกการทำงาน (Solution)",
        "Solution",
        ("solution", "กลไก", "กระบวนการทำงาน", "แนวทางแก้ไข", "mechanism"),
    ),
    Topic(
        "character",
        "ลักษณะของโครงการ",
        "Project character",
        (
            "ความริเริ่ม",
            "ริเริ่มสร้างสรรค์",
            "ลักษณะของโครงการ",
            "ลักษณะของผลงาน",
            "รูปแบบการพัฒนา",
            "ผู้ร่วมพัฒนา",
            "creativity",
            "development model",
            "co-developer",
        ),
    ),
    Topic(
        "goals_results",
        "เป้าหมายและผลสัมฤทธิ์",
        "Goals and results",
        ("เป้าหมาย", "ผลสัมฤทธิ์", "ผลลัพธ์", "ความสำเร็จ", "goal", "result", "outcome", "achievement", "kpi"),
    ),
    Topic(
        "roadmap",
        "Roadmap",
        "Roadmap",
        ("roadmap", "road map", "แผนพัฒนา", "พัฒนาต่อยอด", "แนวทางในการปรับปรุง", "แผนในอนาคต"),
    ),
    Topic(
        "participation",
        "การมีส่วนร่วมและผลตอบรับ",
        "Participation and feedback",
        ("การมีส่วนร่วม", "มีส่วนร่วม", "ผลตอบรับ", "ความพึงพอใจ", "participation", "feedback", "satisfaction"),
    ),
    Topic(
        "datasets",
        "ชุดข้อมูล",
        "Data sets",
        ("ชุดข้อมูล", "data.go.th", "ข้อมูลเปิด", "open data", "dataset", "data set"),
    ),
    Topic(
        "communication",
        "ช่องทางการสื่อสารและประชาสัมพันธ์",
        "Communication channels",
        ("ช่องทางการสื่อสาร", "การสื่อสาร", "ประชาสัมพันธ์", "communication", "public relations"),
    ),
    Topic(
        "digital_tools",
        "เครื่องมือดิจิทัล",
        "Digital tools",
        ("เครื่องมือดิจิทัล", "ระบบงานอิเล็กทรอนิกส์", "digital tool", "electronic system"),
    ),
    Topic(
        "limitations",
        "ข้อจำกัดและอุปสรรค",
        "Limitations",
        ("ข้อจำกัด", "อุปสรรค", "limitation", "obstacle", "constraint"),
        scored=False,
    ),
    Topic(
        "team",
        "สมาชิกในทีม",
        "Team members",
        ("สมาชิกในทีม", "ทีมงาน", "ทีมพัฒนา", "คณะทำงาน", "team"),
        scored=False,
    ),
)


# --- errors -------------------------------------------------------------------------------------

_RESAVE_TH = "กรุณาเปิดไฟล์ด้วย PowerPoint แล้วบันทึกเป็น .pptx ใหม่ จากนั้นอัปโหลดอีกครั้ง"
_RESAVE_EN = "Open the file in PowerPoint, save it again as .pptx and upload that."


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB"


def _empty() -> DocumentError:
    return DocumentError(
        "empty",
        "ไฟล์ว่างเปล่า (0 ไบต์) กรุณาเลือกไฟล์ใหม่แล้วอัปโหลดอีกครั้ง",
        "The file is empty (0 bytes). Choose the file again and re-upload it.",
    )


def _too_large(size: int, limit: int, fix_th: str, fix_en: str) -> DocumentError:
    return DocumentError(
        "too_large",
        f"ไฟล์มีขนาด {_size(size)} เกินกำหนด {_size(limit)} {fix_th}",
        f"The file is {_size(size)}, over the {_size(limit)} limit. {fix_en}",
    )


def _legacy_ppt() -> DocumentError:
    return DocumentError(
        "legacy_ppt",
        "ไฟล์นี้เป็น PowerPoint รุ่นเก่า (.ppt) กรุณาบันทึกเป็น .pptx แล้วอัปโหลดใหม่ "
        "(ใน PowerPoint เลือก File › Save As › PowerPoint Presentation (*.pptx))",
        "This is an old-format PowerPoint file (.ppt). Save it as .pptx and upload again "
        "(in PowerPoint: File › Save As › PowerPoint Presentation (*.pptx)).",
    )


def _encrypted() -> DocumentError:
    return DocumentError(
        "encrypted",
        "ไฟล์ PowerPoint นี้ตั้งรหัสผ่านไว้ ระบบและกรรมการจึงเปิดอ่านไม่ได้ กรุณาเอารหัสผ่านออก "
        "(File › Info › Protect Presentation › Encrypt with Password แล้วลบรหัสผ่านให้ว่าง) "
        "บันทึกแล้วอัปโหลดใหม่",
        "This PowerPoint file is password-protected, so neither the system nor the judges can open it. "
        "Remove the password (File › Info › Protect Presentation › Encrypt with Password, clear it), "
        "save and upload again.",
    )


def _not_pptx(kind: tuple[str, str] | None = None) -> DocumentError:
    what_th = f" แต่เป็น{kind[0]}" if kind else ""
    what_en = f"; it is {kind[1]}" if kind else ""
    return DocumentError(
        "not_pptx",
        f"ไฟล์นี้ไม่ใช่ไฟล์ PowerPoint (.pptx){what_th} กรุณาอัปโหลดไฟล์งานนำเสนอที่บันทึกเป็น .pptx",
        f"This is not a PowerPoint (.pptx) file{what_en}. Upload the presentation saved as .pptx.",
    )


def _show_or_template() -> DocumentError:
    return DocumentError(
        "not_pptx",
        "ไฟล์นี้เป็น PowerPoint Show หรือเทมเพลต (.ppsx / .potx) ไม่ใช่ไฟล์งานนำเสนอ .pptx " + _RESAVE_TH,
        "This is a PowerPoint Show or template (.ppsx / .potx), not a .pptx presentation. " + _RESAVE_EN,
    )


def _deck_malformed() -> DocumentError:
    return DocumentError(
        "deck_malformed",
        "ไฟล์ PowerPoint นี้เสียหายหรืออัปโหลดไม่ครบ ระบบเปิดอ่านไม่ได้ " + _RESAVE_TH,
        "This PowerPoint file is damaged or incomplete and cannot be read. " + _RESAVE_EN,
    )


def _zip_bomb(detail_th: str, detail_en: str) -> DocumentError:
    return DocumentError(
        "zip_bomb",
        f"ไฟล์นี้ขยายตัวผิดปกติเมื่อแตกไฟล์ ({detail_th}) ระบบจึงไม่เปิดอ่าน "
        "กรุณาบีบอัดรูปภาพ (File › Compress Pictures) แล้วบันทึกเป็น .pptx ใหม่ด้วย PowerPoint "
        "จากนั้นอัปโหลดอีกครั้ง",
        f"This file expands abnormally when unpacked ({detail_en}), so it was not opened. "
        "Compress the pictures (File › Compress Pictures), save it again as .pptx in PowerPoint "
        "and upload that.",
    )


def _path_traversal() -> DocumentError:
    # The offending name is left out on purpose: it is attacker-chosen text and pages render markdown.
    return DocumentError(
        "path_traversal",
        "ไฟล์นี้มีรายการภายในที่ตั้งชื่อแบบไม่ปลอดภัย ซึ่งไฟล์ PowerPoint ปกติไม่มี " + _RESAVE_TH,
        "This file contains an entry with an unsafe path, which a normal PowerPoint file never has. " + _RESAVE_EN,
    )


def _macro_enabled() -> DocumentError:
    return DocumentError(
        "macro_enabled",
        "ไฟล์นี้มีมาโคร (.pptm) ซึ่งระบบไม่รับเพื่อความปลอดภัย กรุณาบันทึกเป็น .pptx แบบไม่มีมาโคร "
        "(File › Save As › PowerPoint Presentation (*.pptx)) แล้วอัปโหลดใหม่",
        "This file contains macros (.pptm), which are not accepted for safety. Save it as a .pptx "
        "without macros (File › Save As › PowerPoint Presentation (*.pptx)) and upload again.",
    )


def _external_content() -> DocumentError:
    # The link itself is left out: it is attacker-chosen text.
    return DocumentError(
        "external_content",
        "ไฟล์นำเสนอมีรูปภาพหรือสื่อที่ลิงก์ไปยังภายนอก (ไฟล์ในเครื่อง เว็บไซต์ หรือโฟลเดอร์ที่แชร์) ซึ่งระบบไม่รับ "
        "เพื่อความปลอดภัย และกรรมการจะมองไม่เห็น กรุณาฝังรูปภาพในไฟล์แล้วส่งใหม่ (ใน PowerPoint ลบรูปนั้นแล้วใช้ "
        "แทรก › รูปภาพ โดยไม่เลือก \"ลิงก์ไปยังไฟล์\" ส่วนวิดีโอให้ฝังในไฟล์หรือใส่เป็นลิงก์ข้อความ) "
        "ลิงก์เว็บไซต์บนข้อความใช้ได้ตามปกติ",
        "The presentation has pictures or media linked to something outside it (a file on a computer, a website or "
        "a shared folder), which is not accepted for safety and which the judges would not see. Embed the pictures "
        "in the file and upload again (in PowerPoint delete the picture and use Insert › Pictures without \"Link to "
        "File\"; embed videos or give them as a text link). Website links on text are fine.",
    )


def _no_slides() -> DocumentError:
    return DocumentError(
        "no_slides",
        "ไฟล์งานนำเสนอนี้ไม่มีสไลด์ กรุณาตรวจว่าเลือกไฟล์ถูกต้อง แล้วอัปโหลดใหม่",
        "This presentation has no slides. Check that you chose the right file and upload again.",
    )


def _pdf_encrypted() -> DocumentError:
    return DocumentError(
        "pdf_encrypted",
        "ไฟล์ PDF นี้ตั้งรหัสผ่านไว้ กรุณาส่งไฟล์สแกนที่ไม่ได้ตั้งรหัสผ่าน",
        "This PDF is password-protected. Please send a scan without a password.",
    )


def _pdf_malformed() -> DocumentError:
    return DocumentError(
        "pdf_malformed",
        "ไฟล์ PDF นี้เสียหายหรืออัปโหลดไม่ครบ ระบบเปิดอ่านไม่ได้ กรุณาสแกนใบส่งโครงการใหม่เป็น PDF หรือ JPG แล้วอัปโหลดอีกครั้ง",
        "This PDF is damaged or incomplete and cannot be read. "
        "Scan the signed form again as PDF or JPG and upload that.",
    )


def _pdf_too_many_pages(pages: int) -> DocumentError:
    return DocumentError(
        "pdf_too_many_pages",
        f"ไฟล์ PDF นี้มี {pages:,} หน้า ใบส่งโครงการต้องมีไม่เกิน {FORM_MAX_PAGES} หน้า "
        "กรุณาส่งเฉพาะใบส่งโครงการที่ลงนามแล้ว แล้วอัปโหลดใหม่",
        f"This PDF has {pages:,} pages; the signed form may have at most {FORM_MAX_PAGES}. "
        "Upload only the signed form.",
    )


def _not_pdf_or_image(kind: tuple[str, str] | None) -> DocumentError:
    what_th = f" (ไฟล์นี้เป็น{kind[0]})" if kind else ""
    what_en = f" (this is {kind[1]})" if kind else ""
    return DocumentError(
        "not_pdf_or_image",
        f"ใบส่งโครงการต้องเป็นไฟล์ PDF, JPG หรือ PNG{what_th} กรุณาสแกนใบส่งโครงการที่ลงนามแล้วเป็น .pdf หรือ .jpg แล้วอัปโหลดใหม่",
        f"The signed form must be a PDF, JPG or PNG file{what_en}. "
        "Scan the signed form as .pdf or .jpg and upload that.",
    )


def _image_undecodable() -> DocumentError:
    return DocumentError(
        "image_undecodable",
        "เปิดไฟล์ภาพนี้ไม่ได้ ไฟล์อาจเสียหายหรืออัปโหลดไม่ครบ กรุณาสแกนหรือถ่ายภาพใบส่งโครงการใหม่ แล้วอัปโหลดอีกครั้ง",
        "This image cannot be opened; it may be damaged or incompletely uploaded. "
        "Scan or photograph the form again and upload that.",
    )


def _image_too_large(size: tuple[int, int] | None, max_pixels: int) -> DocumentError:
    limit = f"{max_pixels / 1_000_000:g}"
    dims_th = f" ({size[0]}×{size[1]} พิกเซล)" if size else ""
    dims_en = f" ({size[0]}×{size[1]} pixels)" if size else ""
    return DocumentError(
        "image_too_large",
        f"ภาพมีขนาดใหญ่เกินกว่าที่ระบบรับ{dims_th} ซึ่งกำหนดไว้ไม่เกิน {limit} ล้านพิกเซล "
        "กรุณาสแกนที่ความละเอียด 200–300 dpi หรือย่อภาพ แล้วอัปโหลดใหม่",
        f"The image is too large{dims_en}; the limit is {limit} megapixels. "
        "Scan at 200–300 dpi or shrink the image and upload again.",
    )


@contextmanager
def _failing_as(make: Callable[[], DocumentError]) -> Iterator[None]:
    # Hostile bytes reach deep into zipfile, lxml, python-pptx, pypdf and Pillow, each with its own
    # exception zoo; callers are promised a DocumentError and nothing else.
    try:
        yield
    except (DocumentError, MemoryError):
        raise
    except Exception as exc:
        raise make() from exc


# --- sniffing -----------------------------------------------------------------------------------

_HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def _has_stream(data: bytes, name: str) -> bool:
    """Whether an OLE2 compound file names a stream; directory entries hold names in UTF-16LE."""
    return name.encode("utf-16-le") in data


def _sniff(data: bytes) -> tuple[str, str] | None:
    """Name what a file is (Thai, English) so a refusal can say what was uploaded instead."""
    head = data[:16]
    if b"%PDF-" in data[:1024]:
        return ("ไฟล์ PDF", "a PDF file")
    if head.startswith(_JPEG_MAGIC):
        return ("ไฟล์ภาพ JPG", "a JPG image")
    if head.startswith(_PNG_MAGIC):
        return ("ไฟล์ภาพ PNG", "a PNG image")
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return (
            "ภาพ HEIC จาก iPhone กรุณาแปลงเป็น JPG ก่อน",
            "a HEIC photo from an iPhone; convert it to JPG first",
        )
    if head.startswith((b"GIF87a", b"GIF89a")) or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return ("ไฟล์ภาพ GIF/WebP", "a GIF/WebP image")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return ("ไฟล์ภาพ TIFF", "a TIFF image")
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")):
        return ("ไฟล์โปรแกรม", "a program")
    if head.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")):
        return ("ไฟล์บีบอัด (rar/7z/gz)", "a compressed archive (rar/7z/gz)")
    if head.startswith(_OLE2_MAGIC):
        if _has_stream(data, "WordDocument"):
            return ("เอกสาร Word รุ่นเก่า (.doc)", "an old-format Word document (.doc)")
        if _has_stream(data, "Workbook"):
            return ("ไฟล์ Excel รุ่นเก่า (.xls)", "an old-format Excel workbook (.xls)")
        return ("ไฟล์ Office รุ่นเก่า", "an old-format Office file")
    if head.startswith(_ZIP_LOCAL):
        return _sniff_zip(data)
    return None


def _sniff_zip(data: bytes) -> tuple[str, str]:
    names: set[str] = set()
    if data.count(_ZIP_CENTRAL) <= DEFAULT_MAX_ENTRIES:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except Exception:  # only naming the file here; the caller refuses it either way
            names = set()
    if "word/document.xml" in names:
        return ("เอกสาร Word (.docx)", "a Word document (.docx)")
    if "xl/workbook.xml" in names:
        return ("ไฟล์ Excel (.xlsx)", "an Excel workbook (.xlsx)")
    if _PRES_PART in names:
        return ("ไฟล์ PowerPoint (.pptx)", "a PowerPoint file (.pptx)")
    if "mimetype" in names and "content.xml" in names:
        return ("ไฟล์ OpenDocument (.odp/.odt)", "an OpenDocument file (.odp/.odt)")
    return ("ไฟล์ zip", "a zip archive")


# --- deck ---------------------------------------------------------------------------------------


def check_deck(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_DECK_BYTES,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> DeckInfo:
    """Accept a .pptx by its content (never its name) and read its slides, or raise DocumentError."""
    try:
        _check_deck_container(data, max_bytes=max_bytes, max_uncompressed=max_uncompressed, max_entries=max_entries)
        slides = _read_slides(data)
    except DocumentError as exc:
        exc.filename = filename
        raise
    return DeckInfo(slide_count=len(slides), slides=slides, topics=topic_coverage(slides))


def _check_deck_container(data: bytes, *, max_bytes: int, max_uncompressed: int, max_entries: int) -> None:
    if not data:
        raise _empty()
    if len(data) > max_bytes:
        raise _too_large(
            len(data),
            max_bytes,
            "กรุณาบีบอัดรูปภาพ (File › Compress Pictures) หรือนำวิดีโอออก แล้วอัปโหลดใหม่",
            "Compress the pictures (File › Compress Pictures) or remove videos, then upload again.",
        )
    if data.startswith(_OLE2_MAGIC):
        # Password-protected .pptx files are OLE2 containers too, so the stream names decide.
        if _has_stream(data, "EncryptedPackage") or _has_stream(data, "EncryptionInfo"):
            raise _encrypted()
        if _has_stream(data, "WordDocument") or _has_stream(data, "Workbook"):
            raise _not_pptx(_sniff(data))
        raise _legacy_ppt()
    if not data.startswith(_ZIP_LOCAL):
        raise _not_pptx(_sniff(data))
    # zipfile walks the whole central directory building one object per record, whatever count the
    # end record claims; every record starts with this signature, so counting it bounds that work.
    if data.count(_ZIP_CENTRAL) > max_entries:
        raise _zip_bomb(f"มีรายการภายในเกิน {max_entries:,} รายการ", f"more than {max_entries:,} entries")
    with _failing_as(_deck_malformed):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
        view = memoryview(data)
        _check_entries(infos, max_uncompressed=max_uncompressed, max_entries=max_entries)
        names = {i.filename for i in infos}
        if _PRES_PART not in names:
            raise _not_pptx(_sniff_zip(data))
        if _CONTENT_TYPES not in names:
            raise _deck_malformed()
        if any(n.rsplit("/", 1)[-1].casefold() == "vbaproject.bin" for n in names):
            raise _macro_enabled()
        by_name = {i.filename: i for i in infos}
        _check_content_types(_read_member(view, by_name[_CONTENT_TYPES], cap=_MAX_CONTENT_TYPES))
        # Decompress every member once, in bounded chunks, before python-pptx reads them all in one
        # go: a header that understates a member's size would otherwise inflate in a single call.
        for info in infos:
            if info.filename.endswith(".rels"):
                _check_relationships(_read_member(view, info, cap=_MAX_XML_PART))
                continue
            for _ in _member_chunks(view, info):
                pass


def _unsafe_name(name: str) -> bool:
    return name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name) is not None or ".." in name.split("/")


def _check_entries(infos: Sequence[zipfile.ZipInfo], *, max_uncompressed: int, max_entries: int) -> None:
    if len(infos) > max_entries:
        raise _zip_bomb(f"มีรายการภายในเกิน {max_entries:,} รายการ", f"more than {max_entries:,} entries")
    seen: set[str] = set()
    total = total_compressed = total_xml = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name) or stat.S_ISLNK(info.external_attr >> 16):
            raise _path_traversal()
        if name in seen:
            # Two members with one name let different readers see different files.
            raise _deck_malformed()
        seen.add(name)
        if info.flag_bits & 0x1:
            raise _encrypted()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _deck_malformed()
        size, packed = info.file_size, info.compress_size
        if size >= _RATIO_MIN_BYTES and size > _MAX_RATIO * packed:
            raise _zip_bomb(
                f"รายการหนึ่งขยายจาก {_size(packed)} เป็น {_size(size)}",
                f"one entry grows from {_size(packed)} to {_size(size)}",
            )
        if name.endswith((".xml", ".rels")):
            if size > _MAX_XML_PART:
                raise _zip_bomb(f"ส่วน XML ขนาด {_size(size)}", f"an XML part of {_size(size)}")
            total_xml += size
        total += size
        total_compressed += packed
    if total > max_uncompressed:
        raise _zip_bomb(
            f"ขนาดหลังแตกไฟล์ {_size(total)} เกินกำหนด {_size(max_uncompressed)}",
            f"{_size(total)} unpacked, over the {_size(max_uncompressed)} limit",
        )
    if total_xml > _MAX_XML_TOTAL:
        raise _zip_bomb(f"ส่วน XML รวม {_size(total_xml)}", f"{_size(total_xml)} of XML")
    if total >= _RATIO_MIN_BYTES and total > _MAX_RATIO * total_compressed:
        raise _zip_bomb(
            f"ขยายจาก {_size(total_compressed)} เป็น {_size(total)}",
            f"grows from {_size(total_compressed)} to {_size(total)}",
        )


def _member_chunks(view: memoryview, info: zipfile.ZipInfo) -> Iterator[bytes | memoryview]:
    """Yield a member's bytes in bounded chunks, refusing output beyond its declared size."""
    offset = info.header_offset
    if offset < 0 or offset + 30 > len(view) or bytes(view[offset : offset + 4]) != _ZIP_LOCAL:
        raise _deck_malformed()
    name_len, extra_len = struct.unpack("<HH", view[offset + 26 : offset + 30])
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(view):
        raise _deck_malformed()
    raw = view[start:end]
    produced = crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _deck_malformed()
        for pos in range(0, len(raw), _OUT_CHUNK):
            chunk = raw[pos : pos + _OUT_CHUNK]
            crc = zlib.crc32(chunk, crc)
            produced += len(chunk)
            yield chunk
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pos = 0
        while not inflater.eof:
            if inflater.unconsumed_tail:
                feed: bytes | memoryview = inflater.unconsumed_tail
            elif pos < len(raw):
                feed = raw[pos : pos + _IN_CHUNK]
                pos += _IN_CHUNK
            else:
                break
            chunk_out = inflater.decompress(feed, _OUT_CHUNK)
            produced += len(chunk_out)
            if produced > info.file_size:
                raise _zip_bomb("ข้อมูลจริงใหญ่กว่าขนาดที่ระบุไว้ในไฟล์", "an entry holds more data than its header declares")
            crc = zlib.crc32(chunk_out, crc)
            yield chunk_out
        if not inflater.eof:
            raise _deck_malformed()
    if produced != info.file_size or crc != info.CRC:
        raise _deck_malformed()


def _read_member(view: memoryview, info: zipfile.ZipInfo, *, cap: int) -> bytes:
    if info.file_size > cap:
        raise _zip_bomb("ส่วนประกอบของไฟล์ใหญ่เกินปกติ", "a package part is abnormally large")
    return b"".join(bytes(c) for c in _member_chunks(view, info))


def _check_content_types(xml: bytes) -> None:
    # A DTD has no business in [Content_Types].xml and is the only way to an entity expansion bomb.
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise _deck_malformed()
    root = ElementTree.fromstring(xml)
    types = {el.get("PartName", "").lstrip("/"): el.get("ContentType", "") for el in root.iter(f"{_CT_NS}Override")}
    all_types = [*types.values(), *(el.get("ContentType", "") for el in root.iter(f"{_CT_NS}Default"))]
    if any("macroenabled" in t.casefold() or "vbaproject" in t.casefold() for t in all_types):
        raise _macro_enabled()
    main = types.get(_PRES_PART, "")
    if "slideshow" in main or "template" in main:
        raise _show_or_template()
    if main != _PRES_MAIN_CT:
        raise _not_pptx()


_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# What a hyperlink on text may open when clicked; nothing reads it while drawing the slide.
_LINK_SCHEMES = ("http://", "https://", "mailto:")


def _outside_target(target: str) -> bool:
    """A target that names something outside the package: a URL with a scheme, a file: path, a UNC or drive path."""
    folded = target.strip().casefold()
    return (folded.startswith(("file:", "\\\\", "//", "\\")) or re.match(r"^[a-z]:[\\/]", folded) is not None
            or re.match(r"^[a-z][a-z0-9+.-]*:", folded) is not None)


def _check_relationships(xml: bytes) -> None:
    """Refuse parts linked from outside the file. Only an http(s)/mailto hyperlink is allowed to point out: a
    linked picture, video, sound, OLE object or template is fetched by whoever renders the deck (LibreOffice on the
    server, PowerPoint on a judge's laptop), and a file: or UNC target reads that machine's disk or network shares."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise _deck_malformed()
    root = ElementTree.fromstring(xml)
    for rel in root.iter(f"{_RELS_NS}Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode", "").casefold() == "external"
        if rel.get("Type", "") == _HYPERLINK_TYPE and target.strip().casefold().startswith(_LINK_SCHEMES):
            continue
        if external or _outside_target(target):
            raise _external_content()


def _read_slides(data: bytes) -> list[SlideText]:
    with _failing_as(_deck_malformed):
        prs = Presentation(io.BytesIO(data))
        slides = [_slide_text(number, slide) for number, slide in enumerate(prs.slides, start=1)]
    if not slides:
        raise _no_slides()
    return slides


def _clean(text: str) -> str:
    # python-pptx marks soft line breaks with a vertical tab; people mean a new line. The deck's text is applicant
    # text shown to judges and stored as JSON: no control or bidi character (safe_text.clean).
    return clean(text.replace("\v", "\n")).strip()


def _shape_texts(shapes: Iterable[BaseShape]) -> Iterator[str]:
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shape_texts(shape.shapes)
        elif isinstance(shape, Shape) and shape.has_text_frame:
            text = _clean(shape.text_frame.text)
            if text:
                yield text
        elif isinstance(shape, GraphicFrame) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    text = _clean(cell.text)
                    if text:
                        yield text


def _slide_text(number: int, slide: Slide) -> SlideText:
    pieces = list(_shape_texts(slide.shapes))
    title_shape = slide.shapes.title
    title = _clean(title_shape.text_frame.text) if title_shape is not None else ""
    if not title and pieces:
        title = pieces[0]
    title = " ".join(title.split())
    notes = ""
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        notes = _clean(frame.text) if frame is not None else ""
    return SlideText(number=number, title=title, text="\n".join(pieces), notes=notes)


# --- topics -------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def _normalise(text: str) -> str:
    # NFKC folds the two spellings of sara am (ำ vs ํา) that Thai fonts and PDF exports mix up;
    # zero-width spaces are Thai line-break hints that would split keywords.
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    return " ".join(text.split())


@lru_cache(maxsize=64)
def _topic_pattern(topic: Topic) -> re.Pattern[str]:
    parts = []
    for keyword in topic.keywords:
        word = re.escape(_normalise(keyword))
        # Latin keywords must start a word ("vision" is not inside "television"); Thai has no spaces.
        parts.append(rf"(?<![a-z0-9]){word}" if keyword[:1].isascii() else word)
    return re.compile("|".join(parts))


def topic_coverage(slides: Sequence[SlideText], topics: Sequence[Topic] = TOPICS) -> list[TopicCoverage]:
    """Say on which slides each topic appears: slides whose title names it, else slides that mention it.

    Speaker notes are left out: judges see the slides, not the notes.
    """
    titles = [(s.number, _normalise(s.title)) for s in slides]
    bodies = [(s.number, _normalise(s.text)) for s in slides]
    result = []
    for topic in topics:
        pattern = _topic_pattern(topic)
        in_titles = [n for n, t in titles if pattern.search(t)]
        found = in_titles or [n for n, t in bodies if pattern.search(t)]
        result.append(TopicCoverage(topic.code, topic.title_th, topic.title_en, found, bool(in_titles)))
    return result


def slide_ranges(numbers: Sequence[int]) -> str:
    """Compress slide numbers into ranges: [3, 5, 6, 7] -> "3, 5–7"."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def format_coverage(cov: TopicCoverage, lang: Lang = "th") -> str:
    """One checklist line, e.g. "Roadmap: สไลด์ 14–15" or "ชุดข้อมูล: ไม่พบ"."""
    if lang == "th":
        title = cov.title_th
        where = f"สไลด์ {slide_ranges(cov.slides)}" if cov.slides else "ไม่พบ"
    else:
        title = cov.title_en
        word = "slide" if len(set(cov.slides)) == 1 else "slides"
        where = f"{word} {slide_ranges(cov.slides)}" if cov.slides else "not found"
    return f"{title}: {where}"


# --- signed form --------------------------------------------------------------------------------


def check_signed_form(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_FORM_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> FormInfo:
    """Accept the signed submission form as PDF, JPG or PNG by its content, or raise DocumentError."""
    try:
        if not data:
            raise _empty()
        if len(data) > max_bytes:
            raise _too_large(
                len(data),
                max_bytes,
                "กรุณาสแกนใหม่ที่ความละเอียด 200–300 dpi แล้วอัปโหลดอีกครั้ง",
                "Scan again at 200–300 dpi and upload that.",
            )
        if b"%PDF-" in data[:1024]:
            return _check_pdf(data)
        if data.startswith(_JPEG_MAGIC):
            return _check_image(data, "jpeg", max_pixels=max_pixels)
        if data.startswith(_PNG_MAGIC):
            return _check_image(data, "png", max_pixels=max_pixels)
        raise _not_pdf_or_image(_sniff(data))
    except DocumentError as exc:
        exc.filename = filename
        raise


def _check_pdf(data: bytes) -> FormInfo:
    # An upload cut short loses the end of the file; pypdf would quietly rebuild what is left.
    if b"%%EOF" not in data[-2048:]:
        raise _pdf_malformed()
    with _failing_as(_pdf_malformed):
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Scanners often set only an owner password (no password to open); such a file is fine.
            with _failing_as(_pdf_encrypted):
                if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    raise _pdf_encrypted()
        page_count = len(reader.pages)
        if page_count == 0:
            raise _pdf_malformed()
        if page_count > FORM_MAX_PAGES:
            raise _pdf_too_many_pages(page_count)
        texts: list[str] = []
        budget = FORM_CONTENT_BUDGET
        seen: set[tuple[int, ...]] = set()
        for index in range(min(page_count, _FORM_TEXT_PAGES)):
            page = reader.pages[index]
            streams = _page_streams(page)
            key = tuple(id(stream) for stream in streams)
            if key in seen:  # the same content as an earlier page: same text, parsed once
                continue
            seen.add(key)
            size = _decoded_size(streams, budget)
            if size is None or size > budget:
                break
            budget -= size
            texts.append(page.extract_text() or "")
    # PDF text often holds NULs and other controls (PostgreSQL's JSON would refuse \u0000)
    text = clean("\n".join(texts))[:_FORM_TEXT_CHARS]
    return FormInfo(
        kind="pdf", media_type="application/pdf", page_count=page_count, text=text, is_scan=not text.strip()
    )


def _page_streams(page: Any) -> list[Any]:
    """The content streams a page's text extraction parses: its /Contents and the form XObjects it can draw."""
    streams: list[Any] = []
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if isinstance(contents, ArrayObject):
        streams += [item.get_object() for item in contents]
    elif contents is not None:
        streams.append(contents)
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                streams.append(xobject)
    # pypdf hands back one cached object per indirect reference, so id() tells shared streams apart
    return streams


def _decoded_size(streams: Sequence[Any], budget: int) -> int | None:
    """Bytes the streams decode to, counted up to budget + 1 without inflating past it; None for a stream whose
    filter is not Flate (or none), whose size cannot be bounded before decoding it."""
    total = 0
    for stream in streams:
        if not isinstance(stream, StreamObject):
            return None
        raw = stream._data  # the encoded bytes as stored in the file
        filters = stream.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, ArrayObject) else [str(filters)] if filters else []
        if not names:
            total += len(raw)
        elif names == ["/FlateDecode"]:
            inflater = zlib.decompressobj()
            try:
                total += len(inflater.decompress(raw, budget + 1 - total)) if total <= budget else 1
            except zlib.error:
                return None
        else:
            return None
        if total > budget:
            return total
    return total


def _check_image(data: bytes, kind: Literal["jpeg", "png"], *, max_pixels: int) -> FormInfo:
    with _failing_as(_image_undecodable):
        try:
            image = Image.open(io.BytesIO(data), formats=[kind.upper()])
        except Image.DecompressionBombError as exc:
            raise _image_too_large(None, max_pixels) from exc
        with image:
            width, height = image.size
            # Checked here rather than through Image.MAX_IMAGE_PIXELS, a process-wide setting.
            if width * height > max_pixels:
                raise _image_too_large((width, height), max_pixels)
            if kind == "jpeg":
                # Decoding at 1/8 scale still reads every scan, so damage is still caught, at a
                # fraction of the memory of a full-size phone photo.
                image.draft(None, (max(1, width // 8), max(1, height // 8)))
            image.load()
    return FormInfo(
        kind=kind,
        media_type=f"image/{kind}",
        page_count=1,
        text="",
        is_scan=True,
        width=width,
        height=height,
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
