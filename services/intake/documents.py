"""Shared by the document checks: limits, typed errors a person can act on, sniffing by content."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from services.platform.errors import DomainError

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
        'แทรก › รูปภาพ โดยไม่เลือก "ลิงก์ไปยังไฟล์" ส่วนวิดีโอให้ฝังในไฟล์หรือใส่เป็นลิงก์ข้อความ) '
        "ลิงก์เว็บไซต์บนข้อความใช้ได้ตามปกติ",
        "The presentation has pictures or media linked to something outside it (a file on a computer, a website or "
        "a shared folder), which is not accepted for safety and which the judges would not see. Embed the pictures "
        'in the file and upload again (in PowerPoint delete the picture and use Insert › Pictures without "Link to '
        'File"; embed videos or give them as a text link). Website links on text are fine.',
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


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
