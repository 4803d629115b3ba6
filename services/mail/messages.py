"""Every message the contest sends, Thai first with English below, as plain text plus an HTML alternative.

Pure functions from values to a Rendered message. Applicant text arrives hostile: each value is cleaned with
safe_text.clean (one line, bounded) and escaped in the HTML; links are built here from the settings, never taken
from input. Dates are Buddhist-era in Thai, Common Era in English."""

from __future__ import annotations

import html as _html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from services.platform.safe_text import clean
from services.platform.settings import get_settings
from services.thai.dates import format_date, format_thai_datetime, to_bangkok

# Longest applicant value put in a message (a title may be 500 characters; a subject line stays readable).
MAX_VALUE = 300
MAX_SUBJECT_VALUE = 80
SIGNATURE_TH = "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน) · โทร 02-612-6060"
SIGNATURE_EN = "Digital Government Development Agency (DGA) · tel. +66 2 612 6060"
FOOTER_TH = "อีเมลนี้ส่งโดยระบบอัตโนมัติของรางวัลท้องถิ่นดิจิทัล ใช้ที่อยู่อีเมลของท่านเพื่อการประกวดนี้เท่านั้น"
FOOTER_EN = (
    "Sent automatically by the Local Digital Award platform; your address is used for this contest's messages only."
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Link:
    url: str
    label_th: str
    label_en: str


def value(text: object, limit: int = MAX_VALUE) -> str:
    """Applicant text for a message: cleaned, on one line, cut at `limit` characters."""
    s = " ".join(clean(text, multiline=False).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def public_link(page: str, **params: str) -> str:
    """A full address in the app (LDAWARD_PUBLIC_URL), e.g. the my-submission page with its codes."""
    base = get_settings().public_url.rstrip("/")
    return f"{base}/{page}" + (f"?{urlencode(params)}" if params else "")


def edit_link(receipt_code: str, token: str) -> str:
    """The link that opens the applicant's own submission: the my-submission page fills in both codes from it."""
    return public_link("my_submission", code=receipt_code, token=token)


def _when(moment: datetime) -> tuple[str, str]:
    return format_thai_datetime(moment), f"{format_date(moment, 'en')} {to_bangkok(moment):%H:%M} (Bangkok time)"


def compose(
    subject_th: str, subject_en: str, th: Sequence[str], en: Sequence[str], link: Link | None = None
) -> Rendered:
    """The one layout: Thai paragraphs, the link, then the English ones; the HTML escapes every line."""
    subject = value(f"{subject_th} / {subject_en}", 300)
    text_parts = [*th]
    if link:
        text_parts.append(f"{link.label_th}: {link.url}")
    text_parts += ["", SIGNATURE_TH, "", "—" * 20, "", *en]
    if link:
        text_parts.append(f"{link.label_en}: {link.url}")
    text_parts += ["", SIGNATURE_EN, "", FOOTER_TH, FOOTER_EN]
    e = _html.escape

    def paras(lines: Sequence[str]) -> str:
        return "".join(f"<p>{e(line)}</p>" if line else "" for line in lines)

    def button(label: str) -> str:
        if not link:
            return ""
        return (
            f'<p><a href="{e(link.url, quote=True)}" style="font-weight:bold">{e(label)}</a><br>'
            f"<small>{e(link.url)}</small></p>"
        )

    body = (
        f'<div lang="th">{paras(th)}{button(link.label_th if link else "")}<p>{e(SIGNATURE_TH)}</p></div>'
        f'<hr><div lang="en">{paras(en)}{button(link.label_en if link else "")}<p>{e(SIGNATURE_EN)}</p></div>'
        f'<hr><p style="color:#666;font-size:small">{e(FOOTER_TH)}<br>{e(FOOTER_EN)}</p>'
    )
    page = (
        f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{e(subject)}</title></head>'
        f'<body style="font-family:sans-serif;line-height:1.5">{body}</body></html>'
    )
    return Rendered(subject, "\n".join(text_parts) + "\n", page)


# --- to the coordinator -------------------------------------------------------------------------------------------


def receipt(
    *,
    receipt_code: str,
    organisation: str,
    title: str,
    sent_at: datetime,
    link: str,
    files: Sequence[tuple[str, str]] = (),
) -> Rendered:
    """The receipt when the applicant presses "send": the code, what was received, and the edit link."""
    org, project = value(organisation), value(title)
    when_th, when_en = _when(sent_at)
    th = [
        f'ได้รับผลงาน "{project}" ของ{org} แล้ว เมื่อ {when_th}',
        f"เลขที่ใบรับ: {receipt_code}",
        *(f"ไฟล์: {value(name, 120)} (sha256 {sha[:16]}…)" for name, sha in files),
        "เก็บอีเมลนี้ไว้ ลิงก์ด้านล่างเปิดผลงานของท่านเพื่อดูสถานะหรือแก้ไขได้จนถึงวันปิดรับ อย่าส่งต่อลิงก์นี้ให้ผู้อื่น",
    ]
    en = [
        f'We received "{project}" from {org} on {when_en}.',
        f"Receipt code: {receipt_code}",
        *(f"File: {value(name, 120)} (sha256 {sha[:16]}…)" for name, sha in files),
        "Keep this e-mail: the link below opens your submission to follow its status or edit it until intake "
        "closes. Do not forward it.",
    ]
    return compose(
        f"ใบรับผลงาน {receipt_code}",
        f"Receipt {receipt_code}",
        th,
        en,
        Link(link, "เปิดผลงานของท่าน", "Open your submission"),
    )


def edit_link_again(*, receipt_code: str, title: str, link: str) -> Rendered:
    project = value(title) or "(ยังไม่ได้ตั้งชื่อโครงการ)"
    th = [
        f'มีผู้ขอส่งลิงก์แก้ไขผลงาน "{project}" (เลขที่ใบรับ {receipt_code}) อีกครั้ง',
        "ลิงก์ใหม่ด้านล่างใช้แทนลิงก์และรหัสแก้ไขเดิม ซึ่งใช้ไม่ได้แล้ว หากท่านไม่ได้ขอ ไม่ต้องดำเนินการใด ๆ",
    ]
    en = [
        f'Someone asked for the edit link of "{project}" (receipt {receipt_code}) again.',
        "The new link below replaces the earlier link and edit code, which no longer work. If you did not ask, "
        "there is nothing to do.",
    ]
    return compose(
        f"ลิงก์แก้ไขผลงาน {receipt_code}",
        f"Your edit link {receipt_code}",
        th,
        en,
        Link(link, "เปิดผลงานของท่าน", "Open your submission"),
    )


def accepted(*, receipt_code: str, title: str, organisation: str) -> Rendered:
    project, org = value(title), value(organisation)
    th = [f'ผลงาน "{project}" ของ{org} (เลขที่ใบรับ {receipt_code}) ผ่านการตรวจคุณสมบัติ และเข้าสู่การพิจารณาของคณะกรรมการ']
    en = [f'"{project}" from {org} (receipt {receipt_code}) passed screening and goes to the judges.']
    return compose(
        f"ผลงานผ่านการตรวจคุณสมบัติ {receipt_code}",
        f"Submission accepted {receipt_code}",
        th,
        en,
        Link(public_link("my_submission"), "ดูสถานะผลงาน", "Follow your submission"),
    )


def ineligible(
    *, receipt_code: str, title: str, organisation: str, reason: str, rule_reasons: Sequence[tuple[str, str]] = ()
) -> Rendered:
    """Not accepted: the organiser's reason, then each rule of the call it fails (Thai, English)."""
    project, org = value(title), value(organisation)
    th = [
        f'ผลงาน "{project}" ของ{org} (เลขที่ใบรับ {receipt_code}) ไม่ผ่านการตรวจคุณสมบัติ',
        f"เหตุผล: {value(reason, 1000)}",
        *(f"• {r_th}" for r_th, _ in rule_reasons),
        "หากมีข้อสงสัย กรุณาติดต่อผู้จัดงาน",
    ]
    en = [
        f'"{project}" from {org} (receipt {receipt_code}) was found ineligible.',
        f"Reason: {value(reason, 1000)}",
        *(f"• {r_en}" for _, r_en in rule_reasons),
        "Please contact the organisers with any question.",
    ]
    return compose(f"ผลงานไม่ผ่านการตรวจคุณสมบัติ {receipt_code}", f"Submission not eligible {receipt_code}", th, en)


def returned(*, receipt_code: str, title: str, reason: str, deadline: datetime) -> Rendered:
    project = value(title)
    when_th, when_en = _when(deadline)
    th = [
        f'ผู้จัดงานขอให้แก้ไขผลงาน "{project}" (เลขที่ใบรับ {receipt_code})',
        f"สิ่งที่ต้องแก้ไข: {value(reason, 1000) or '-'}",
        f'แก้ไขได้ถึง {when_th} ด้วยลิงก์ในใบรับผลงาน หรือขอลิงก์ใหม่ที่หน้า "ผลงานของฉัน"',
    ]
    en = [
        f'The organisers returned "{project}" (receipt {receipt_code}) for fixes.',
        f"What to fix: {value(reason, 1000) or '-'}",
        f'Edit it until {when_en} with the link in your receipt, or ask for a new link on "My submission".',
    ]
    return compose(
        f"ขอให้แก้ไขผลงาน {receipt_code}",
        f"Please fix your submission {receipt_code}",
        th,
        en,
        Link(public_link("my_submission"), "ผลงานของฉัน", "My submission"),
    )


def extension(*, receipt_code: str, title: str, until: datetime) -> Rendered:
    project = value(title)
    when_th, when_en = _when(until)
    th = [f'ผู้จัดงานขยายเวลาส่งและแก้ไขผลงาน "{project}" (เลขที่ใบรับ {receipt_code}) ถึง {when_th}']
    en = [f'The organisers extended the deadline of "{project}" (receipt {receipt_code}) to {when_en}.']
    return compose(
        f"ขยายเวลาส่งผลงาน {receipt_code}",
        f"Deadline extended {receipt_code}",
        th,
        en,
        Link(public_link("my_submission"), "ผลงานของฉัน", "My submission"),
    )


def results_announced(*, edition_name: str, receipt_code: str, title: str, award: tuple[str, str] | None) -> Rendered:
    """To every entrant when the results are announced; those with an award read which."""
    project, edition = value(title), value(edition_name)
    th = [f"ประกาศผล{edition}แล้ว"]
    en = [f"The results of {edition} are out."]
    if award:
        th.append(f'ขอแสดงความยินดี ผลงาน "{project}" (เลขที่ใบรับ {receipt_code}) ได้รับ{value(award[0])}')
        en.append(f'Congratulations: "{project}" (receipt {receipt_code}) receives {value(award[1])}.')
    else:
        th.append(f'ขอบคุณที่ส่งผลงาน "{project}" (เลขที่ใบรับ {receipt_code}) เข้าร่วมการประกวด')
        en.append(f'Thank you for entering "{project}" (receipt {receipt_code}).')
    return compose(
        f"ประกาศผล{edition}",
        f"Results of {edition}",
        th,
        en,
        Link(public_link(""), "รางวัลท้องถิ่นดิจิทัล", "Local Digital Award"),
    )


def feedback_released(*, edition_name: str, receipt_code: str, title: str) -> Rendered:
    """To an entrant when the organisers release the committee's report on their work. The link opens the page
    only: the edit code is not stored, so the applicant enters it (or uses the link from their receipt)."""
    project, edition = value(title), value(edition_name)
    th = [
        f'รายงานผลการพิจารณาผลงาน "{project}" (เลขที่ใบรับ {receipt_code}) ใน{edition} พร้อมให้ดาวน์โหลดแล้ว',
        'เปิดหน้า "ผลงานของฉัน" ด้วยเลขที่ใบรับและรหัสแก้ไข เพื่อดูคะแนนรายเกณฑ์ ความเห็นของคณะกรรมการ และหัวข้อที่ไฟล์นำเสนอยังขาด',
    ]
    en = [
        f'The committee\'s feedback on "{project}" (receipt {receipt_code}) in {edition} is ready.',
        'Open "My submission" with your receipt code and edit code for the points per criterion, the '
        "committee's comments and the topics your deck missed.",
    ]
    return compose(
        f"รายงานผลการพิจารณา {receipt_code}",
        f"Feedback report {receipt_code}",
        th,
        en,
        Link(public_link("my_submission", code=receipt_code), "ผลงานของฉัน", "My submission"),
    )


def not_advanced(*, edition_name: str, round_name: str, receipt_code: str, title: str) -> Rendered:
    """To an entrant whose work the organisers did not shortlist for the next round."""
    project, edition, stage = value(title), value(edition_name), value(round_name)
    th = [
        f'ขอบคุณที่ส่งผลงาน "{project}" (เลขที่ใบรับ {receipt_code}) เข้าร่วม{edition}',
        f"คณะกรรมการพิจารณา{stage}แล้ว ผลงานของท่านไม่ได้รับการคัดเลือกให้เข้ารอบต่อไป",
        'รายงานผลการพิจารณาจะเปิดให้ดาวน์โหลดที่หน้า "ผลงานของฉัน" เมื่อผู้จัดงานเผยแพร่',
    ]
    en = [
        f'Thank you for entering "{project}" (receipt {receipt_code}) in {edition}.',
        f"The committee has finished {stage}; your work was not shortlisted for the next round.",
        'The feedback report will be on "My submission" once the organisers release it.',
    ]
    return compose(
        f"ผลการคัดเลือก{stage} {receipt_code}",
        f"Shortlist of {stage} {receipt_code}",
        th,
        en,
        Link(public_link("my_submission", code=receipt_code), "ผลงานของฉัน", "My submission"),
    )


# --- to judges --------------------------------------------------------------------------------------------------


def judge_assigned(*, name: str, titles: Sequence[str], deadline: datetime | None) -> Rendered:
    listed = [value(t, 120) for t in titles[:20]]
    more = len(titles) - len(listed)
    th = [f"เรียน {value(name)}", f"ท่านได้รับมอบหมายให้พิจารณาผลงาน {len(titles)} ผลงาน:", *(f"• {t}" for t in listed)]
    en = [f"Dear {value(name)},", f"You have been assigned {len(titles)} works:", *(f"• {t}" for t in listed)]
    if more > 0:
        th.append(f"และอีก {more} ผลงาน")
        en.append(f"and {more} more")
    if deadline:
        when_th, when_en = _when(deadline)
        th.append(f"กรุณาส่งใบให้คะแนนภายใน {when_th}")
        en.append(f"Please submit the score sheets by {when_en}.")
    return compose(
        "มอบหมายผลงานให้พิจารณา",
        "Works assigned to you",
        th,
        en,
        Link(public_link("judge"), "เข้าสู่หน้าให้คะแนน", "Open the scoring page"),
    )


def judge_reminder(*, name: str, owed: int, deadline: datetime | None) -> Rendered:
    th = [f"เรียน {value(name)}", f"ท่านยังมีใบให้คะแนนที่ยังไม่ได้ส่ง {owed} ใบ"]
    en = [f"Dear {value(name)},", f"You still owe {owed} score sheet{'s' if owed != 1 else ''}."]
    if deadline:
        when_th, when_en = _when(deadline)
        th.append(f"กำหนดส่ง {when_th}")
        en.append(f"The deadline is {when_en}.")
    return compose(
        "เตือนส่งใบให้คะแนน",
        "Reminder: score sheets owed",
        th,
        en,
        Link(public_link("judge"), "เข้าสู่หน้าให้คะแนน", "Open the scoring page"),
    )


# --- pitching -----------------------------------------------------------------------------------------------------


def pitching_slot(
    *,
    receipt_code: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    presentation_minutes: int,
    qa_minutes: int,
    room: int,
    meeting_url: str,
    changed: bool,
) -> Rendered:
    """The applicant's online presentation slot, published or moved (the .ics comes as an attachment)."""
    project = value(title)
    when_th, when_en = _when(starts_at)
    ends = to_bangkok(ends_at)
    lead_th = "มีการเปลี่ยนแปลงเวลานำเสนอผลงาน" if changed else "กำหนดเวลานำเสนอผลงานออนไลน์"
    lead_en = "Your presentation slot has changed" if changed else "Your online presentation slot"
    th = [
        f'{lead_th} "{project}" (เลขที่ใบรับ {receipt_code})',
        f"เวลา: {when_th} ถึง {ends:%H:%M} น. (นำเสนอ {presentation_minutes} นาที ตอบคำถาม {qa_minutes} นาที) ห้อง {room}",
        "ไฟล์นัดหมาย (.ics) แนบมากับอีเมลนี้ เปิดเพื่อเพิ่มลงในปฏิทิน" + (" และลบนัดหมายเดิมออก" if changed else ""),
    ]
    en = [
        f'{lead_en}: "{project}" (receipt {receipt_code})',
        f"When: {when_en} to {ends:%H:%M} ({presentation_minutes} min presentation, {qa_minutes} min questions), "
        f"room {room}",
        "The attached .ics file adds it to your calendar" + (" (remove the earlier one)." if changed else "."),
    ]
    link = Link(meeting_url, "ห้องประชุมออนไลน์", "Online meeting") if meeting_url.startswith("https://") else None
    return compose(
        f"{'เปลี่ยนเวลานำเสนอ' if changed else 'กำหนดเวลานำเสนอ'} {receipt_code}",
        f"{'Presentation moved' if changed else 'Presentation slot'} {receipt_code}",
        th,
        en,
        link,
    )
