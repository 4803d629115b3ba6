"""Awards for organisers: the plan, the proposal from the ranking and how sure it is, confirmation (frozen and
audited), the announcement text, the executive deck, certificates and the open-data files."""

import logging
import math
import subprocess
from collections.abc import Callable
from typing import cast

import streamlit as st

from models import Phase, Role
from pages import _ui
from services.contest import demo
from services.platform import office
from services.platform.errors import ValidationFailed
from services.platform.safe_text import md
from services.results import announcement, awards, exec_deck, exports
from services.results import phrases as results_phrases
from services.thai.dates import format_thai_datetime

log = logging.getLogger(__name__)

acc = _ui.require_role(Role.organiser)
NO_AWARD = "—"


def _download(label: str, make: bytes | Callable[[], bytes], file_name: str, mime: str, key: str) -> None:
    """A download that builds its file only when clicked (st.download_button runs the callable then). No rerun on
    the click: a rerun (this session's or, with the deferred file, another's) could drop the file before the
    browser fetched it, and the download silently failed."""
    st.download_button(
        label,
        data=make,
        file_name=file_name,
        mime=mime,
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def _certificates_pdf(deck: Callable[[], exec_deck.DeckData], year: int, frozen_at: object) -> None:
    """Made on request rather than when the download is clicked: LibreOffice takes seconds and can fail, and a
    download built on click could only fail with the browser's bare error. Kept for this session while the awards
    stay as they were confirmed."""
    made = st.session_state.get("awards_pdf")
    if st.button(
        _ui.t("สร้างเกียรติบัตร (.pdf)", "Make certificates (.pdf)"),
        key="awards_make_pdf",
        icon=":material/picture_as_pdf:",
    ):
        with st.spinner(_ui.t("กำลังแปลงเป็น PDF ด้วย LibreOffice…", "Converting to PDF with LibreOffice…")):
            try:
                made = (frozen_at, exec_deck.to_pdf(exec_deck.build_certificates(deck())))
            except (RuntimeError, subprocess.TimeoutExpired):
                log.exception("certificates: PDF conversion failed")
                made = None
                st.error(
                    _ui.t(
                        "แปลงเกียรติบัตรเป็น PDF ไม่สำเร็จ กรุณาลองอีกครั้ง หรือดาวน์โหลดไฟล์ .pptx แล้วบันทึกเป็น PDF จาก PowerPoint",
                        "Could not convert the certificates to PDF. Try again, or download the .pptx and "
                        "save it as PDF from PowerPoint.",
                    ),
                    icon=":material/error:",
                )
        st.session_state["awards_pdf"] = made
    if made and made[0] == frozen_at and made[1]:
        _download(
            _ui.t("เกียรติบัตร (.pdf)", "Certificates (.pdf)"),
            made[1],
            f"certificates-{year}.pdf",
            "application/pdf",
            "awards_dl_pdf",
        )


with _ui.db() as session:
    edition = _ui.edition_or_stop(session)
    st.title(_ui.t("ผลรางวัล", "Awards"))
    st.caption(edition.name)
    _ui.demo_notice(session, edition)
    is_demo = demo.demo_edition_id(session=session) == edition.id

with _ui.guard():
    proposal = _ui.cached_proposal(edition.id, edition.config.aggregation_method.value)
    plan = proposal.plan
    frozen = proposal.frozen_at is not None

    # --- the plan ------------------------------------------------------------------------------------------
    with st.expander(
        _ui.t("แผนรางวัลของรุ่นนี้", "This edition's award plan"),
        expanded=not plan.levels,
        icon=":material/workspace_premium:",
    ):
        edited = st.data_editor(
            [
                {
                    "code": lv.code,
                    "th": lv.name_th,
                    "en": lv.name_en,
                    "count": lv.count,
                    "min_score": lv.min_score,
                    "note_th": lv.note_th,
                }
                for lv in plan.levels
            ],
            num_rows="dynamic",
            disabled=frozen,
            key="awards_plan",
            width="stretch",
            column_config={
                "code": _ui.t("รหัส", "code"),
                "th": _ui.t("ชื่อรางวัล", "Thai name"),
                "en": _ui.t("ชื่อภาษาอังกฤษ", "English name"),
                "count": st.column_config.NumberColumn(_ui.t("จำนวนรางวัล", "count"), min_value=0, step=1),
                "min_score": st.column_config.NumberColumn(
                    _ui.t("คะแนนขั้นต่ำ", "min. score"), min_value=0.0, max_value=100.0
                ),
                "note_th": _ui.t("หมายเหตุ", "note"),
            },
        )
        st.caption(
            _ui.t(
                "แต่ละระดับระบุจำนวนรางวัล หรือคะแนนขั้นต่ำ (หรือทั้งสองอย่าง) เรียงจากรางวัลสูงสุดลงมา",
                "Give each level a count or a minimum score (or both), highest award first.",
            )
        )
        if not frozen and st.button(_ui.t("บันทึกแผนรางวัล", "Save the plan"), key="awards_plan_save"):
            with _ui.db() as session:
                awards.save_plan(
                    session=session,
                    edition_id=edition.id,
                    actor=acc.username,
                    levels=[
                        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
                        for row in edited
                    ],
                )
            _ui.results_changed()
            st.rerun()

    # --- proposal or confirmed list ----------------------------------------------------------------------------
    if frozen:
        assert proposal.frozen_at is not None
        if proposal.quorum_override is not None:
            st.warning(md(awards.quorum_note_th(proposal.quorum_override), multiline=True), icon=":material/warning:")
        st.success(
            _ui.t(
                f"ยืนยันผลรางวัลแล้วโดย {proposal.frozen_by} เมื่อ {format_thai_datetime(proposal.frozen_at)}"
                " ผลนี้ถูกล็อกและบันทึกในประวัติการแก้ไข",
                f"Confirmed by {proposal.frozen_by}; the list is frozen and audited.",
            ),
            icon=":material/lock:",
        )
        st.dataframe(
            [
                {
                    _ui.t("รางวัล", "Award"): a.level_th if _ui.lang() == "th" else a.level_en,
                    _ui.t("อันดับ", "Rank"): a.position,
                    _ui.t("หน่วยงาน", "Organisation"): a.short_name,
                    _ui.t("จังหวัด", "Province"): a.province,
                    _ui.t("ผลงาน", "Project"): a.title,
                    _ui.t("คะแนน", "Score"): a.score,
                }
                for a in proposal.confirmed
            ],
            hide_index=True,
            width="stretch",
            key="awards_confirmed",
        )
        c1, c2 = st.columns(2)
        with c1.popover(
            _ui.t("เปิดแก้ไขผลรางวัล", "Reopen the awards"),
            icon=":material/lock_open:",
            disabled=edition.phase == Phase.announced,
        ):
            reason = st.text_input(_ui.t("เหตุผล", "Reason"), key="awards_reopen_reason")
            if st.button(_ui.t("เปิดแก้ไข", "Reopen"), key="awards_reopen"):
                with _ui.db() as session:
                    awards.reopen_awards(session=session, edition_id=edition.id, actor=acc.username, reason=reason)
                _ui.results_changed()
                st.rerun()
        if edition.phase != Phase.announced:
            if c2.button(
                _ui.t("ประกาศผล (เปิดผลสาธารณะ)", "Announce (open the public results)"),
                key="awards_announce",
                type="primary",
                icon=":material/campaign:",
            ):
                with _ui.db() as session:
                    awards.announce(session=session, edition_id=edition.id, actor=acc.username)
                st.rerun()
        else:
            c2.info(_ui.t("ประกาศผลแล้ว", "Announced."), icon=":material/campaign:")
    else:
        st.header(_ui.t("ข้อเสนอตามอันดับคะแนน", "Proposal from the ranking"))
        chain = " → ".join([_ui.t("คะแนนรวม", "score"), *(link.label(_ui.lang()) for link in proposal.tie_breaks)])
        method = _ui.label(results_phrases.METHOD, proposal.method)
        st.caption(
            _ui.t(
                f"วิธีรวมคะแนน: {method} · ตัดสินเมื่อคะแนนเท่ากัน: {chain}",
                f"Aggregation: {method} · tie-break chain: {chain}",
            )
        )
        if proposal.below_quorum:
            below = proposal.below_quorum
            st.error(
                _ui.t(
                    f"ยังมี {len(below)} ผลงานที่ได้รับคะแนนไม่ครบองค์ประชุม ยืนยันผลรางวัลไม่ได้จนกว่ากรรมการจะส่งใบให้คะแนน"
                    "ให้ครบ (ดูรายชื่อด้านล่าง และหน้า “ความครบถ้วนของการให้คะแนน”) หรือระบุเหตุผลเพื่อยืนยันทั้งที่ไม่ครบ",
                    f"{len(below)} works are below the judging quorum: the awards cannot be confirmed until the "
                    "judges submit their sheets (list below), or unless you give a reason to confirm anyway.",
                ),
                icon=":material/block:",
            )
            with st.expander(
                _ui.t(f"ผลงานที่คะแนนยังไม่ครบองค์ประชุม ({len(below)})", f"Works below quorum ({len(below)})"), expanded=True
            ):
                st.dataframe(
                    [
                        {
                            _ui.t("หน่วยงาน", "Organisation"): w.short_name,
                            _ui.t("ผลงาน", "Project"): w.title,
                            _ui.t("กรรมการ", "Judges"): w.label(_ui.lang()),
                            _ui.t("ยังไม่ส่ง", "Still owed by"): ", ".join(j.display_name for j in w.missing),
                        }
                        for w in below
                    ],
                    hide_index=True,
                    width="stretch",
                    key="awards_below_quorum",
                )
        for check in proposal.unstable:
            level = plan.level(check.level_code).name(_ui.lang())
            st.warning(
                _ui.t(
                    f"เส้นตัด{level} (อันดับ {check.cutoff}) อยู่ในช่วงความคลาดเคลื่อน: "
                    f"{', '.join(map(md, check.inside))} อยู่ในเส้น {check.inside_probability:.0%} ของการสุ่มกรรมการ, "
                    f"{', '.join(map(md, check.outside)) or '—'} เข้ามาได้ "
                    f"{check.outside_probability:.0%}"
                    + (" · มีผลงานคะแนนเท่ากันทุกขั้นที่เส้นตัด ต้องให้คณะกรรมการตัดสิน" if check.exact_tie else ""),
                    f"The {level} cut-off (rank {check.cutoff}) is within the noise: "
                    f"{', '.join(map(md, check.inside))} stays in "
                    f"{check.inside_probability:.0%} of resamples, {', '.join(map(md, check.outside)) or '—'} gets in "
                    f"{check.outside_probability:.0%}"
                    + (" · an exact tie sits on it: the committee decides" if check.exact_tie else ""),
                ),
                icon=":material/warning:",
            )
        codes = [lv.code for lv in plan.levels]
        names = {lv.code: lv.name(_ui.lang()) for lv in plan.levels}
        band_names = [*(names[c] for c in codes), _ui.t("ไม่ได้รางวัล", "none")]
        board = _ui.cached_leaderboard(edition.id, proposal.method.value)
        proposed = {a.submission_id: a for a in proposal.awards}
        shown = board.rows[: len(proposal.awards) + 5]
        rows = []
        for r in shown:
            a = proposed.get(r.submission_id)
            row = {
                "id": r.submission_id,
                _ui.t("ข้อเสนอ", "Proposed"): names.get(a.level_code, "") if a else "",
                "level": a.level_code if a else NO_AWARD,
                _ui.t("อันดับ", "Rank"): f"{r.rank}{'=' if r.tied else ''}",
                _ui.t("หน่วยงาน", "Organisation"): r.short_name,
                _ui.t("จังหวัด", "Province"): r.province,
                _ui.t("ผลงาน", "Project"): r.title,
                _ui.t("คะแนน", "Score"): r.score,
            }
            for i, v in enumerate(r.tie_break_values, start=1):
                row[f"T{i}"] = None if math.isnan(v) else round(v, 2)
            if a:
                for name, p in zip(band_names, a.band_probabilities, strict=False):
                    row[f"P({name})"] = None if math.isnan(p) else round(100 * p)  # whole percentages
                row[_ui.t("อันดับเมื่อตัดกรรมการทีละคน", "Rank leaving one judge out")] = f"{a.loo_best}–{a.loo_worst}"
            rows.append(row)
        decided = st.data_editor(
            rows,
            hide_index=True,
            width="stretch",
            key="awards_proposal",
            disabled=[k for k in (rows[0] if rows else {}) if k != "level"],
            column_config={
                **{f"P({name})": st.column_config.NumberColumn(format="%d%%") for name in band_names},
                **{
                    k: st.column_config.NumberColumn(format="%.2f")
                    for k in (rows[0] if rows else {})
                    if k == _ui.t("คะแนน", "Score") or (k[:1] == "T" and k[1:].isdigit())
                },
                "id": None,
                "level": st.column_config.SelectboxColumn(
                    _ui.t("รางวัลที่ยืนยัน", "Award to confirm"),
                    options=[*codes, NO_AWARD],
                    required=True,
                    # The cell holds the level's code (what confirm_awards reads) and shows its name.
                    format_func=lambda code: names.get(str(code), band_names[-1]),
                ),
            },
        )
        # The editor hands rows back as it was given them: the hidden id column is the int it was, level a code.
        overrides = {
            cast(int, row["id"]): (None if row["level"] == NO_AWARD else str(row["level"]))
            for row in decided
            if row["level"] != (proposed[row["id"]].level_code if row["id"] in proposed else NO_AWARD)
        }
        note = st.text_area(
            _ui.t(
                "มติ/เหตุผลของคณะกรรมการ (จำเป็นเมื่อเปลี่ยนจากข้อเสนอ)",
                "The committee's resolution (needed when changing the proposal)",
            ),
            key="awards_note",
        )
        quorum_reason = ""
        if proposal.below_quorum:
            quorum_reason = st.text_area(
                _ui.t(
                    "เหตุผลที่ต้องยืนยันทั้งที่คะแนนยังไม่ครบองค์ประชุม (บันทึกในประวัติ และแสดงในประกาศผลและสไลด์)",
                    "Why confirm with works below quorum (audited, and shown on the announcement and the deck)",
                ),
                key="awards_quorum_reason",
            )
        if st.button(
            _ui.t("ยืนยันและล็อกผลรางวัล", "Confirm and freeze the awards"),
            type="primary",
            key="awards_confirm",
            icon=":material/lock:",
        ):
            try:
                with _ui.db() as session:
                    awards.confirm_awards(
                        session=session,
                        edition_id=edition.id,
                        actor=acc.username,
                        overrides=overrides,
                        note=note,
                        quorum_override_reason=quorum_reason,
                    )
            except ValidationFailed as e:
                # The refusal names works and so carries applicant text: shown inert.
                st.error(md(e.message(_ui.lang()), multiline=True), icon=":material/block:")
            else:
                _ui.results_changed()
                st.rerun()

    # --- the announcement and the files ----------------------------------------------------------------------
    st.header(_ui.t("ประกาศผลและไฟล์", "Announcement and files"))
    if is_demo:
        st.info(_ui.t(announcement.DEMO_NOTE_TH, announcement.DEMO_NOTE_EN), icon=":material/info:")
    with _ui.db() as session:
        text = announcement.announcement_text(session=session, edition_id=edition.id)
    st.code(text, language=None, wrap_lines=True)
    st.caption(_ui.t("กดปุ่มคัดลอกที่มุมขวาบนของกรอบเพื่อนำไปวางได้ทันที", "Use the copy button at the box's top right."))
    edition_id = edition.id
    year = edition.year_be

    def _data() -> exports.ResultsData:
        with _ui.db() as s:
            return exports.results_data(session=s, edition_id=edition_id)

    def _deck() -> exec_deck.DeckData:
        with _ui.db() as s:
            return exec_deck.deck_data(session=s, edition_id=edition_id)

    def _public() -> bytes:
        import json

        with _ui.db() as s:
            return json.dumps(
                exports.public_results(session=s, edition_id=edition_id), ensure_ascii=False, indent=2
            ).encode()

    cols = st.columns(4)
    with cols[0]:
        _download(
            _ui.t("ประกาศผล (.txt)", "Announcement (.txt)"),
            text.encode("utf-8"),
            f"announcement-{year}.txt",
            "text/plain",
            "awards_dl_text",
        )
        _download(
            _ui.t("สไลด์ผู้บริหาร (.pptx)", "Executive deck (.pptx)"),
            lambda: exec_deck.build_deck(_deck()),
            f"executive-deck-{year}.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "awards_dl_deck",
        )
    with cols[1]:
        _download(
            _ui.t("ผลคะแนน (.csv)", "Results (.csv)"),
            lambda: exports.results_csv(_data()),
            f"results-{year}.csv",
            "text/csv",
            "awards_dl_csv",
        )
        _download(
            _ui.t("สถิติ (.csv)", "Statistics (.csv)"),
            lambda: exports.statistics_csv(_data()),
            f"statistics-{year}.csv",
            "text/csv",
            "awards_dl_stats",
        )
    with cols[2]:
        _download(
            _ui.t("ผลคะแนนและสถิติ (.xlsx)", "Results & statistics (.xlsx)"),
            lambda: exports.results_xlsx(_data()),
            f"results-{year}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "awards_dl_xlsx",
        )
        _download(
            _ui.t("ผลคะแนนและสถิติ (.json)", "Results & statistics (.json)"),
            lambda: exports.results_json(_data()),
            f"results-{year}.json",
            "application/json",
            "awards_dl_json",
        )
    with cols[3]:
        _download(
            _ui.t("เกียรติบัตร (.pptx)", "Certificates (.pptx)"),
            lambda: exec_deck.build_certificates(_deck()),
            f"certificates-{year}.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "awards_dl_cert",
        )
        if office.libreoffice():
            _certificates_pdf(_deck, year, proposal.frozen_at)
        if edition.phase == Phase.announced and frozen:
            _download(
                _ui.t("ผลสาธารณะ (.json)", "Public results (.json)"),
                _public,
                f"public-results-{year}.json",
                "application/json",
                "awards_dl_public",
            )
    if edition.phase == Phase.announced and frozen:
        # How the server is started is the administrator's business (README), not the organiser's.
        st.caption(
            _ui.t(
                "ผลสาธารณะเปิดให้อ่านได้ที่ /api/public/results.json (เมื่อผู้ดูแลระบบเปิดบริการนี้) และดาวน์โหลดได้จากปุ่มด้านบนเสมอ",
                "The public results are served at /api/public/results.json (when the administrator "
                "has that service on), and can always be downloaded above.",
            )
        )
