"""The results announcement in DGA's format: award levels, the works by the Thai order of their province, the
legend of abbreviations, a Buddhist-era date; plain Thai text ready to paste."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models import Organisation, OrgType, Submission
from services.contest import demo
from services.contest.editions import get_edition
from services.judging.guards import JUDGEABLE
from services.platform.clock import contest_now
from services.platform.safe_text import clean
from services.results import awards
from services.thai.collation import thai_sort_key
from services.thai.dates import format_thai_date, to_bangkok

# The announcement's legend, in its order (the 2564 text misspells อบต. as "บริการ"; this is the legal name).
LEGEND: tuple[tuple[str, str], ...] = (
    (OrgType.pao.value, "องค์การบริหารส่วนจังหวัด"),
    (OrgType.city.value, "เทศบาลนคร"),
    (OrgType.town.value, "เทศบาลเมือง"),
    (OrgType.subdistrict_muni.value, "เทศบาลตำบล"),
    (OrgType.sao.value, "องค์การบริหารส่วนตำบล"),
)
_TYPE_ORDER = {code: i for i, (code, _) in enumerate(LEGEND)}
BANGKOK_TH = "กรุงเทพมหานคร"


@dataclass(frozen=True)
class AnnouncedWork:
    submission_id: int
    title: str
    organisation: str  # full name, e.g. เทศบาลตำบลท่าคันโท
    short_name: str  # e.g. ทต.ท่าคันโท
    org_type: str
    province: str


@dataclass(frozen=True)
class AnnouncedLevel:
    code: str
    name_th: str
    note_th: str
    works: tuple[AnnouncedWork, ...]


@dataclass(frozen=True)
class Announcement:
    edition_name: str
    theme: str
    announced_on: date
    levels: tuple[AnnouncedLevel, ...]
    works: tuple[AnnouncedWork, ...]
    confirmed: bool  # False: drawn from the proposal, not yet the organisers' frozen list
    demo: bool  # the 2564 demo edition: scores, and so these awards, are illustrative
    quorum_note: str = ""  # the list was confirmed with works below quorum: said on the announcement itself


def announcement_order(work: AnnouncedWork) -> tuple[object, ...]:
    """Thai dictionary order of the province (เชียงราย files under ช), then the organisation type in the legend's
    order, then the organisation's and the project's names."""
    return (
        thai_sort_key(work.province),
        _TYPE_ORDER.get(work.org_type, len(_TYPE_ORDER)),
        thai_sort_key(work.short_name),
        thai_sort_key(work.title),
        work.submission_id,
    )


def province_label(province: str) -> str:
    # Bangkok is not a จังหวัด and is written out in full.
    return province if province == BANGKOK_TH else f"จ.{province}"


def project_title(title: str) -> str:
    title = title.strip()
    return title if title.startswith("โครงการ") else f"โครงการ{title}"


def build(*, session: Session, edition_id: int, announced_on: date | None = None) -> Announcement:
    edition = get_edition(session=session, edition_id=edition_id)
    rows = session.exec(
        select(Submission, Organisation)
        .join(Organisation, col(Organisation.id) == col(Submission.organisation_id))
        .where(Submission.edition_id == edition_id, col(Submission.status).in_(JUDGEABLE))
    ).all()
    works = {}
    for sub, org in rows:
        assert sub.id is not None
        works[sub.id] = AnnouncedWork(sub.id, sub.title, org.full_name, org.short_name, str(org.org_type), org.province)
    confirmed = awards.confirmed_awards(session=session, edition_id=edition_id)
    override = awards.quorum_override(session=session, edition_id=edition_id) if confirmed else None
    if confirmed:
        chosen = {a.submission_id: a.level_code for a in confirmed}
    else:
        proposal = awards.propose(session=session, edition_id=edition_id, stability=False)
        chosen = {a.submission_id: a.level_code for a in proposal.awards}
    plan = awards.parse_plan(edition.award_plan)
    levels = tuple(
        AnnouncedLevel(
            lv.code,
            lv.name_th,
            lv.note_th,
            tuple(sorted((works[s] for s, c in chosen.items() if c == lv.code and s in works), key=announcement_order)),
        )
        for lv in plan.levels
    )
    return Announcement(
        edition.name,
        edition.theme,
        announced_on or to_bangkok(contest_now()).date(),
        levels,
        tuple(sorted(works.values(), key=announcement_order)),
        bool(confirmed),
        demo.demo_edition_id(session=session) == edition_id,
        awards.quorum_note_th(override) if override else "",
    )


def render(a: Announcement) -> str:
    """The announcement as plain text, in the layout of DGA's 2564 announcement."""
    lines: list[str] = []
    if not a.confirmed:
        lines += ["[ร่าง — ผลรางวัลยังไม่ได้รับการยืนยันจากผู้จัดงาน]", ""]
    lines.append(f"ประกาศผลการตัดสิน{a.edition_name}")
    if a.theme:
        lines.append(f"ภายใต้แนวคิด “{a.theme}”")
    lines += [
        f"ประกาศ ณ วันที่ {format_thai_date(a.announced_on)}",
        "",
        "คณะกรรมการฯ ได้พิจารณาผลงานทุกโครงการเรียบร้อยแล้ว และมีผลการตัดสินโดยเรียงตามลำดับตัวอักษรแรกของชื่อจังหวัดดังนี้",
        "",
    ]
    if a.quorum_note:
        # The sentence above says every work was judged: the note, right under it, says where that falls short.
        lines += [f"[{a.quorum_note}]", ""]
    for level in a.levels:
        lines.append(f"{level.name_th} ได้แก่")
        if level.note_th:
            lines.append(f"({level.note_th})")
        for w in level.works:
            lines.append(f"  • {project_title(w.title)} {w.organisation} {province_label(w.province)}")
        lines.append("")
    lines += ["รายชื่อหน่วยงานและผลงาน ของ อปท. โดยเรียงตามลำดับตัวอักษรแรกของชื่อจังหวัด", ""]
    for number, w in enumerate(a.works, start=1):
        lines.append(f"{number}. {w.short_name} {province_label(w.province)}")
        lines.append(f"   – {project_title(w.title)}")
    used = {w.org_type for w in a.works}
    legend = [f"{code} คือ {name}" for code, name in LEGEND if code in used]
    if legend:
        lines += ["", "คำอธิบายเพิ่มเติม", *legend]
    # Each line is one line of the announcement: applicant text brings no control character and no line break.
    return "\n".join(clean(line, multiline=False) for line in lines) + "\n"


DEMO_NOTE_TH = (
    "ข้อมูลสาธิต: รายชื่อผลงานมาจากประกาศผลปี 2564 จริง แต่คะแนนเป็นข้อมูลสมมติ "
    "ผลรางวัลในที่นี้จึงเป็นเพียงตัวอย่าง (ประกาศจริงไม่ได้ระบุผู้ได้รับรางวัลยอดเยี่ยม)"
)
DEMO_NOTE_EN = (
    "Demo data: the works are the published 2564 list, but the scores are illustrative, so these awards "
    "are an example only (the real announcement left the Excellent award's line blank)."
)


def announcement_text(*, session: Session, edition_id: int, announced_on: date | None = None) -> str:
    return render(build(session=session, edition_id=edition_id, announced_on=announced_on))
