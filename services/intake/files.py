"""The submission's files: checking an upload, storing it once by content, the attachments' views."""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlmodel import Session, col, select

from models import (
    Attachment,
    AttachmentKind,
    StoredFile,
)
from services.intake import deck_check, deck_topics, documents, form_check, signed_form
from services.intake.records import AttachmentView, Upload
from services.platform.clock import contest_now
from services.platform.errors import DomainError, NotFound, ValidationFailed
from services.platform.settings import get_settings

_FORM_TEXT_KEPT = 4_000
_SLIDE_TEXT_KEPT = 4_000


# --- documents -----------------------------------------------------------------------------------------------------

FileKind = Literal["deck", "form"]


def deck_analysis(info: deck_topics.DeckInfo) -> dict[str, Any]:
    return {
        "slide_count": info.slide_count,
        "slides": [
            {
                "number": s.number,
                "title": s.title,
                "text": s.text[:_SLIDE_TEXT_KEPT],
                "notes": s.notes[:_SLIDE_TEXT_KEPT],
            }
            for s in info.slides
        ],
        "topics": [
            {"code": t.code, "title_th": t.title_th, "title_en": t.title_en, "slides": t.slides, "in_title": t.in_title}
            for t in info.topics
        ],
        "missing_topics": [t.code for t in info.missing_topics],
    }


def form_analysis(info: signed_form.FormInfo) -> dict[str, Any]:
    return {
        "kind": info.kind,
        "page_count": info.page_count,
        "is_scan": info.is_scan,
        "text": info.text[:_FORM_TEXT_KEPT],
        "width": info.width,
        "height": info.height,
    }


def coverage_lines(analysis: dict[str, Any], lang: str = "th") -> list[str]:
    """The deck's topic checklist from a stored analysis, e.g. "Roadmap: สไลด์ 14–15", "ชุดข้อมูล: ไม่พบ"."""
    lines = []
    for t in analysis.get("topics", []):
        cov = deck_topics.TopicCoverage(t["code"], t["title_th"], t["title_en"], list(t["slides"]), t["in_title"])
        lines.append(deck_topics.format_coverage(cov, "en" if lang == "en" else "th"))
    return lines


def guess_kind(data: bytes, filename: str) -> FileKind:
    """Deck or signed form, by content first (zip or OLE2 means a PowerPoint attempt), then by name."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or filename.lower().endswith((".pptx", ".ppt", ".pptm")):
        return "deck"
    return "form"


def check_upload(kind: FileKind, upload: Upload) -> dict[str, Any]:
    """The intake's check of one file: its analysis, or a DocumentError saying what to do."""
    settings = get_settings()
    if kind == "deck":
        return deck_analysis(
            deck_check.check_deck(upload.data, upload.filename, max_bytes=settings.max_deck_mb * 1024 * 1024)
        )
    # In a limited child process: a hostile PDF costs that process its CPU budget, not the app's cores.
    return form_analysis(
        form_check.check_signed_form_isolated(
            upload.data, upload.filename, max_bytes=settings.max_form_mb * 1024 * 1024
        )
    )


def file_verdict(upload: Upload, kind: FileKind | None = None) -> dict[str, Any]:
    """What the intake would say about a file, as plain data (for `ldaward check-file`)."""
    kind = kind or guess_kind(upload.data, upload.filename)
    verdict: dict[str, Any] = {
        "file": upload.filename,
        "kind": kind,
        "size": len(upload.data),
        "sha256": documents.sha256_hex(upload.data),
    }
    try:
        analysis = check_upload(kind, upload)
    except documents.DocumentError as e:
        return verdict | {"accepted": False, "code": e.code, "message_th": e.message_th, "message_en": e.message_en}
    summary = {k: v for k, v in analysis.items() if k not in ("slides", "text")}
    if kind == "deck":
        summary["coverage_th"] = coverage_lines(analysis, "th")
        summary["coverage_en"] = coverage_lines(analysis, "en")
        summary["slide_titles"] = [s["title"] for s in analysis["slides"]]
    else:
        summary["has_text"] = bool(analysis["text"].strip())
    return verdict | {"accepted": True, "code": "ok", "analysis": summary}


def _prefixed(kind: AttachmentKind, e: documents.DocumentError) -> ValidationFailed:
    if kind == AttachmentKind.deck:
        return ValidationFailed(
            e.code, f"ไฟล์นำเสนอ (PowerPoint): {e.message_th}", f"Presentation (PowerPoint): {e.message_en}"
        )
    return ValidationFailed(e.code, f"ใบส่งโครงการที่ลงนามแล้ว: {e.message_th}", f"Signed submission form: {e.message_en}")


def check_files(files: dict[AttachmentKind, Upload]) -> tuple[dict[AttachmentKind, dict[str, Any]], list[DomainError]]:
    analyses: dict[AttachmentKind, dict[str, Any]] = {}
    problems: list[DomainError] = []
    for kind, upload in files.items():
        try:
            analyses[kind] = check_upload("deck" if kind == AttachmentKind.deck else "form", upload)
        except documents.DocumentError as e:
            problems.append(_prefixed(kind, e))
    return analyses, problems


def store_file(*, session: Session, data: bytes) -> str:
    """Store content once by its sha256 and return the digest."""
    digest = documents.sha256_hex(data)
    if session.get(StoredFile, digest) is None:
        session.add(StoredFile(sha256=digest, size=len(data), content=data))
        session.flush()  # no ORM relationship orders this insert before the attachment that points to it
    return digest


def _media_type(kind: AttachmentKind, data: bytes) -> str:
    if kind == AttachmentKind.deck:
        return documents.PPTX_MEDIA_TYPE
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


def _safe_name(filename: str) -> str:
    """The last path component only, so a stored name can never point elsewhere."""
    name = re.split(r"[\\/]", filename)[-1].strip().lstrip(".") or "file"
    return name[:255]


def attach_upload(
    session: Session, submission_id: int, kind: AttachmentKind, upload: Upload, analysis: dict[str, Any]
) -> None:
    """Store the file and point the submission's attachment of this kind at it (replacing an earlier one)."""
    digest = store_file(session=session, data=upload.data)
    row = session.exec(
        select(Attachment).where(Attachment.submission_id == submission_id, Attachment.kind == kind)
    ).first()
    if row is None:
        row = Attachment(submission_id=submission_id, kind=kind, original_name="", media_type="", size=0, sha256=digest)
    row.original_name = _safe_name(upload.filename)
    row.media_type = _media_type(kind, upload.data)
    row.size = len(upload.data)
    row.sha256 = digest
    row.analysis = analysis
    row.uploaded_at = contest_now()
    session.add(row)


def view_attachment(a: Attachment) -> AttachmentView:
    return AttachmentView(
        a.id or 0, AttachmentKind(a.kind), a.original_name, a.media_type, a.size, a.sha256, dict(a.analysis or {})
    )


def attachments(*, session: Session, submission_id: int) -> list[AttachmentView]:
    rows = session.exec(
        select(Attachment).where(Attachment.submission_id == submission_id).order_by(col(Attachment.kind))
    ).all()
    return [view_attachment(a) for a in rows]


def file_content(*, session: Session, sha256: str) -> bytes:
    stored = session.get(StoredFile, sha256)
    if stored is None:
        raise NotFound("no_file", "ไม่พบไฟล์นี้", "No such file.")
    return stored.content
