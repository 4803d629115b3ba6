"""The signed submission form's check: a bounded PDF or image scan."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, StreamObject

from services.intake.documents import (
    _FORM_TEXT_CHARS,
    _FORM_TEXT_PAGES,
    _JPEG_MAGIC,
    _PNG_MAGIC,
    DEFAULT_MAX_FORM_BYTES,
    DEFAULT_MAX_PIXELS,
    FORM_CONTENT_BUDGET,
    FORM_MAX_PAGES,
    DocumentError,
    FormKind,
    _empty,
    _failing_as,
    _image_too_large,
    _image_undecodable,
    _not_pdf_or_image,
    _pdf_encrypted,
    _pdf_malformed,
    _pdf_too_many_pages,
    _sniff,
    _too_large,
)
from services.platform.safe_text import clean


@dataclass(frozen=True)
class FormInfo:
    kind: FormKind
    media_type: str
    page_count: int
    text: str
    is_scan: bool
    width: int | None = None
    height: int | None = None


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
