"""Build real upload files in memory (decks, PDFs, scans and hostile look-alikes) for the document tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image
from pptx import Presentation
from pptx.util import Inches, Pt
from pypdf import PdfWriter

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# The guide's goals table: before the project, target, after the project.
GOALS_TABLE = (
    ("ตัวชี้วัด", "ก่อนดำเนินโครงการ", "เป้าหมาย", "หลังดำเนินโครงการ"),
    ("จำนวนคนใช้บริการ (คน/เดือน)", "120", "300", "450"),
    ("ระยะเวลาให้บริการ (นาที/รายการ)", "45", "15", "10"),
)

_LAYOUT_TITLE_AND_CONTENT = 1
_LAYOUT_BLANK = 6


def make_deck(
    slides: list[tuple[str, str]],
    with_table: bool = False,
    notes: list[str | None] | None = None,
    *,
    group_text: str | None = None,
) -> bytes:
    """A real .pptx: one slide per (title, body).

    An empty title gives a blank-layout slide whose only text is the body, in a text box.
    `with_table` puts the guide's goals table on the last slide; `notes` are speaker notes per slide;
    `group_text` adds a grouped shape holding that text to the last slide.
    """
    prs = Presentation()
    for index, (title, body) in enumerate(slides):
        if title:
            slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_AND_CONTENT])
            assert slide.shapes.title is not None
            slide.shapes.title.text = title
            slide.placeholders[1].text = body
        else:
            slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_BLANK])
            box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(1))
            box.text_frame.text = body
        if notes and index < len(notes) and notes[index]:
            slide.notes_slide.notes_text_frame.text = notes[index]
    last = prs.slides[-1] if slides else None
    if with_table and last is not None:
        shape = last.shapes.add_table(
            len(GOALS_TABLE), len(GOALS_TABLE[0]), Inches(0.5), Inches(4), Inches(9), Inches(2)
        )
        for r, row in enumerate(GOALS_TABLE):
            for c, text in enumerate(row):
                shape.table.cell(r, c).text = text
    if group_text and last is not None:
        group = last.shapes.add_group_shape()
        box = group.shapes.add_textbox(Inches(1), Inches(6), Inches(4), Inches(0.5))
        box.text_frame.text = group_text
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def contest_deck() -> bytes:
    """A 16-slide deck laid out like the organiser's template, in Thai, with Roadmap on slides 14–15."""
    return make_deck(
        [
            ("ระบบแจ้งเรื่องร้องเรียนออนไลน์ เทศบาลตำบลท่าคันโท", "รางวัลท้องถิ่นดิจิทัล ประจำปี 2564"),
            ("วัตถุประสงค์ของโครงการ", "ลดเวลาการทำงาน สร้างความโปร่งใสตรวจสอบได้"),
            ("นโยบายและวิสัยทัศน์ของผู้บริหาร", "แผนยุทธศาสตร์ประจำปี 2564 ด้านบริการประชาชน"),
            ("ปัญหา (Pain point)", "ประชาชนต้องเดินทางมาที่สำนักงานหลายครั้ง"),
            ("Solution: กลไกการทำงาน", "LINE Chatbot เชื่อมกับระบบงานของเทศบาล"),
            ("ความริเริ่มสร้างสรรค์และรูปแบบการพัฒนา", "พัฒนาโดยบุคลากรภายใน อปท. เอง"),
            ("เป้าหมายและผลสัมฤทธิ์", "ผู้ใช้บริการเพิ่มขึ้นเป็น 450 คนต่อเดือน"),
            ("การมีส่วนร่วมของประชาชน", "ผลตอบรับ: ความพึงพอใจร้อยละ 92"),
            ("เครื่องมือดิจิทัลที่ใช้งาน", "LINE Official Account, Google Sheets"),
            ("ข้อจำกัดและอุปสรรค", "งบประมาณจำกัด"),
            ("สมาชิกในทีม", "นายสมชาย ใจดี หัวหน้าทีม"),
            ("ภาพกิจกรรม", "ลงพื้นที่อบรมการใช้งาน"),
            ("ภาพหน้าจอระบบ", "หน้าจอหลักของระบบ"),
            ("Roadmap ช่วง 3–6 เดือน", "เพิ่มการแจ้งเตือนสถานะเรื่อง"),
            ("Roadmap ช่วง 6 เดือน – 1 ปี", "เชื่อมต่อระบบกับจังหวัด"),
            ("ขอบคุณ", "ติดต่อ 02-6126060"),
        ]
    )


def rezip(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: Iterable[tuple[str, bytes]] = (),
    drop: Iterable[str] = (),
) -> bytes:
    """Copy a zip, swapping, adding or dropping members."""
    replace = replace or {}
    dropped = set(drop)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in dropped:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in add:
            dst.writestr(name, content)
    return out.getvalue()


def read_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def make_pptm(*, content_type: bool = True, vba: bool = True) -> bytes:
    """A macro-enabled deck: its content types say macroEnabled and/or it carries ppt/vbaProject.bin."""
    deck = make_deck([("แผนงาน", "มีมาโคร")])
    types = read_member(deck, "[Content_Types].xml")
    add: list[tuple[str, bytes]] = []
    if content_type:
        types = types.replace(
            b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
            b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
        )
    if vba:
        add.append(("ppt/vbaProject.bin", OLE2_MAGIC + b"\x00" * 504 + "VBA".encode("utf-16-le")))
    return rezip(deck, replace={"[Content_Types].xml": types}, add=add)


def make_ppsx() -> bytes:
    """A PowerPoint Show: a deck whose main part says slideshow."""
    deck = make_deck([("ภาพรวม", "สไลด์โชว์")])
    types = read_member(deck, "[Content_Types].xml").replace(
        b"presentationml.presentation.main+xml", b"presentationml.slideshow.main+xml"
    )
    return rezip(deck, replace={"[Content_Types].xml": types})


def make_traversal_zip(name: str = "../../etc/cron.d/evil") -> bytes:
    """A real deck with one extra member whose name escapes the extraction folder."""
    return rezip(make_deck([("วัตถุประสงค์", "ทดสอบ")]), add=[(name, b"* * * * * root sh -c id\n")])


def make_docx_like() -> bytes:
    """A zip shaped like a Word document: no ppt/presentation.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", b"<w:document/>")
    return out.getvalue()


def make_many_entries_zip(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("ppt/presentation.xml", b"<p/>")
        for i in range(count):
            zf.writestr(f"ppt/x/{i}", b"")
    return out.getvalue()


@lru_cache(maxsize=1)
def make_zip_bomb(megabytes: int = 200) -> bytes:
    """A deck-shaped zip whose picture member inflates to `megabytes` MB of zeros (~1000:1, ~200 KB here)."""
    out = io.BytesIO()
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", read_member(make_deck([("x", "y")]), "[Content_Types].xml"))
        zf.writestr("ppt/presentation.xml", b"<p:presentation/>")
        with zf.open("ppt/media/image1.png", "w") as member:
            for _ in range(megabytes):
                member.write(zeros)
    return out.getvalue()


@dataclass(frozen=True)
class RawMember:
    """A zip member written byte for byte, so its header can lie about its contents."""

    name: str
    payload: bytes  # raw deflate (method 8) or stored bytes (method 0)
    method: int
    crc: int
    compress_size: int
    file_size: int
    flags: int = 0  # bit 0: traditional PKWARE encryption
    external_attr: int = 0  # high 16 bits: Unix mode, e.g. a symlink


def raw_zip(members: Iterable[RawMember]) -> bytes:
    """Assemble a zip from members as given, without zipfile's consistency checks."""
    body = io.BytesIO()
    central = io.BytesIO()
    count = 0
    for m in members:
        name = m.name.encode()
        offset = body.tell()
        sizes = struct.pack("<3L", m.crc, m.compress_size, m.file_size)
        # version, flags, method, time, date | sizes | name and extra lengths
        body.write(b"PK\x03\x04" + struct.pack("<5H", 20, m.flags, m.method, 0, 0) + sizes)
        body.write(struct.pack("<2H", len(name), 0) + name + m.payload)
        # made-by, needed, flags, method, time, date | sizes | name, extra, comment, disk, internal attr,
        # external attr, local header offset
        central.write(b"PK\x01\x02" + struct.pack("<6H", 20, 20, m.flags, m.method, 0, 0) + sizes)
        central.write(struct.pack("<5H2L", len(name), 0, 0, 0, 0, m.external_attr, offset) + name)
        count += 1
    cd = central.getvalue()
    start = body.tell()
    body.write(cd)
    body.write(b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, count, count, len(cd), start, 0))
    return body.getvalue()


def _deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def honest_member(name: str, data: bytes) -> RawMember:
    packed = _deflate_raw(data)
    return RawMember(name, packed, 8, zlib.crc32(data), len(packed), len(data))


def deck_members(data: bytes) -> list[RawMember]:
    """A zip's members, re-deflated honestly, ready to be tampered with."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [honest_member(i.filename, zf.read(i)) for i in zf.infolist()]


def make_lying_zip(real_megabytes: int = 64, declared: int = 1000) -> bytes:
    """A deck whose picture header claims `declared` bytes (with a matching CRC) but inflates much further."""
    members = deck_members(make_deck([("วัตถุประสงค์", "ทดสอบ")]))
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    packed = b"".join(packer.compress(chunk) for _ in range(real_megabytes)) + packer.flush()
    members.append(RawMember("ppt/media/image9.png", packed, 8, zlib.crc32(bytes(declared)), len(packed), declared))
    return raw_zip(members)


def make_legacy_ppt() -> bytes:
    """An old .ppt: OLE2 signature, padding and the "PowerPoint Document" stream name."""
    return OLE2_MAGIC + b"\x00" * 504 + "PowerPoint Document".encode("utf-16-le") + b"\x00" * 1024


def make_legacy_doc() -> bytes:
    return OLE2_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 1024


def make_encrypted_pptx() -> bytes:
    """A password-protected .pptx: an OLE2 container with EncryptionInfo and EncryptedPackage streams."""
    return (
        OLE2_MAGIC
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 100
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 2048
    )


def make_executable(kind: str = "pe") -> bytes:
    """A program someone renamed to .pptx or .pdf."""
    if kind == "elf":
        return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00" + b"\x00" * 200
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 200


def truncate(data: bytes, keep: float = 0.5) -> bytes:
    """The first `keep` share of a file, as an interrupted upload leaves it."""
    return data[: max(1, int(len(data) * keep))]


def _pdf_escape(text: str) -> bytes:
    return text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(text: str | None = "Submission form - signed") -> bytes:
    """A one-page PDF: with Latin text in Helvetica (extractable), or blank like a scan when text is None."""
    if text is None:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    lines = text.splitlines() or [""]
    ops = b"BT /F1 14 Tf 16 TL 72 770 Td " + b" T* ".join(b"(" + _pdf_escape(line) + b") Tj" for line in lines)
    content = ops + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_shared_stream_pdf(pages: int = 400, operations: int = 600_000) -> bytes:
    """The "13.8 KB PDF that costs a minute of CPU": many pages whose /Contents all point at one compressed content
    stream of `operations` tiny text-showing operations (it deflates about 1000:1), so a reader that extracts text
    page by page parses the same megabytes again for every page."""
    content = b"BT /F1 1 Tf " + b"(a) Tj " * operations + b"ET"
    packed = zlib.compress(content, 9)
    kids = b" ".join(f"{4 + i} 0 R".encode() for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
        b"<< /Length " + str(len(packed)).encode() + b" /Filter /FlateDecode >>\nstream\n" + packed + b"\nendstream",
    ]
    font = f"/Resources << /Font << /F1 {4 + pages} 0 R >> >>".encode()
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + font + b" /Contents 3 0 R >>"] * pages
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf_file(objects)


def make_encrypted_pdf(user_password: str = "secret") -> bytes:
    """A PDF that needs a password to open (RC4, which pypdf decrypts without extra packages)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _noise_image(width: int, height: int, seed: int) -> Image.Image:
    # A seeded gradient with a pattern keeps images distinct, deterministic and not trivially compressible.
    pixels = bytes(((x * 7 + y * 13 + seed) * 31 % 256) for y in range(height) for x in range(width))
    return Image.frombytes("L", (width, height), pixels).convert("RGB")


def make_jpeg(width: int = 240, height: int = 320, seed: int = 0) -> bytes:
    out = io.BytesIO()
    _noise_image(width, height, seed).save(out, format="JPEG", quality=85)
    return out.getvalue()


def make_png(width: int = 240, height: int = 320, seed: int = 0) -> bytes:
    out = io.BytesIO()
    _noise_image(width, height, seed).save(out, format="PNG")
    return out.getvalue()


def make_huge_png_header(width: int = 20_000, height: int = 20_000) -> bytes:
    """A tiny PNG whose header claims a huge canvas: a decompression bomb for image decoders."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">L", len(body)) + kind + body + struct.pack(">L", zlib.crc32(kind + body))

    header = struct.pack(">2L5B", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(1024))) + chunk(b"IEND", b"")
    )


def make_heic_like() -> bytes:
    """The first bytes of an iPhone HEIC photo."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


# --- hostile decks: parts that point outside the file -------------------------------------------

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def make_linked_picture_deck(target: str, *, rel_type: str = "image", text: str = "ภาพประกอบ") -> bytes:
    """A deck whose first slide shows a picture linked (not embedded) to `target` (http://…, file:///…, \\\\host\\…):
    the picture's blip says r:link, and its relationship is TargetMode="External", as PowerPoint's
    "Insert › Picture › Link to File" writes it. LibreOffice fetches such a target when it draws the slide."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_BLANK])
    slide.shapes.add_textbox(Inches(1), Inches(0.5), Inches(8), Inches(1)).text_frame.text = text
    slide.shapes.add_picture(io.BytesIO(_tiny_png()), Inches(1), Inches(2), Inches(6), Inches(4))
    buffer = io.BytesIO()
    prs.save(buffer)
    data = buffer.getvalue()
    slide_xml = read_member(data, "ppt/slides/slide1.xml").decode()
    rels = read_member(data, "ppt/slides/_rels/slide1.xml.rels").decode()
    slide_xml = slide_xml.replace('r:embed="rId2"', 'r:link="rIdLinked"', 1)
    link = (
        f'<Relationship Id="rIdLinked" Type="{_REL_NS}/{rel_type}" Target="{_xml_attr(target)}" TargetMode="External"/>'
    )
    rels = rels.replace("</Relationships>", link + "</Relationships>")
    return rezip(
        data, replace={"ppt/slides/slide1.xml": slide_xml.encode(), "ppt/slides/_rels/slide1.xml.rels": rels.encode()}
    )


def make_text_hyperlink_deck(url: str = "https://www.dga.or.th/") -> bytes:
    """A deck with an ordinary hyperlink on a run of text (external, and harmless: nothing fetches it)."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_BLANK])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(1))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "เว็บไซต์โครงการ"
    run.hyperlink.address = url
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def make_internal_rel_deck(target: str) -> bytes:
    """A deck with an extra relationship that is not marked External but whose target is `target` (a file: URL or
    a UNC path), which a reader may still follow."""
    data = make_deck([("ชื่อโครงการ", "เนื้อหา")])
    rels = read_member(data, "ppt/slides/_rels/slide1.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdOdd" Type="{_REL_NS}/image" Target="{_xml_attr(target)}"/></Relationships>',
    )
    return rezip(data, replace={"ppt/slides/_rels/slide1.xml.rels": rels.encode()})


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@lru_cache(maxsize=1)
def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()
