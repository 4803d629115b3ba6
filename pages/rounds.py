"""Judging rounds for organisers: the edition's rounds, a new round with a copy of the criteria, and the shortlist of
a round for the next one, when there is a next one (top N, a threshold or by hand), with each work's chance of being
above the cut; freezing it is final."""

import pandas as pd
import streamlit as st

from models import Role
from pages import _dates, _round_rules, _ui
from services.judging import rounds
from services.platform.errors import DomainError
from services.results import advance
from services.results.phrases import ADVANCE_RULE, METHOD
from services.thai.dates import format_thai_date, format_thai_datetime

acc = _ui.require_role(Role.organiser)

with _ui.db(read_only=True) as session:
    edition = _ui.edition_or_stop(session)
    listed = rounds.list_rounds(session=session, edition_id=edition.id)
current = rounds.current_of(listed)


# The bootstrap behind each work's chance costs seconds at a national edition's size (10,000 works: ~20 s for 100
# replicates on two busy cores), so a preview is kept a minute: moving the page's other widgets does not redo it.
@st.cache_data(ttl=60, show_spinner=_ui.t("กำลังคำนวณโอกาสของแต่ละผลงาน…", "Computing each work's chance…"))
def preview(
    edition_id: int, round_no: int, rule: str, n: int | None, threshold: float | None, by_hand: tuple[int, ...]
) -> advance.Shortlist:
    with _ui.db(read_only=True) as session:
        return advance.shortlist(
            session=session,
            edition_id=edition_id,
            round_no=round_no,
            rule=rule,
            n=n,
            threshold=threshold,
            by_hand=by_hand,
        )


st.title(_ui.t("รอบการตัดสิน", "Judging rounds"))
st.caption(edition.name)


def _state(r: rounds.RoundView) -> str:
    if r.frozen:
        return _ui.t("ยืนยันรายชื่อผ่านเข้ารอบแล้ว", "shortlist frozen")
    return _ui.t("รอบปัจจุบัน", "current") if r.position == current else _ui.t("รอรอบก่อนหน้า", "waiting")


def _span(r: rounds.RoundView) -> str:
    shown = [format_thai_date(d, "short") for d in (r.starts_on, r.ends_on) if d is not None]
    return " – ".join(shown)


st.dataframe(
    pd.DataFrame(
        [
            {
                _ui.t("รอบ", "Round"): r.position,
                _ui.t("ชื่อ", "Name"): r.name(_ui.lang()),
                _ui.t("ช่วงวันที่", "Dates"): _span(r),
                _ui.t("วิธีรวมคะแนน", "Aggregation"): _ui.label(METHOD, r.method),
                _ui.t("เกณฑ์ที่ให้คะแนน", "Scored criteria"): len(r.scored_criteria),
                _ui.t("กรรมการไม่เห็นคะแนนกันเอง", "Blind"): r.blind,
                _ui.t("รอบถัดไปเห็นคะแนน", "Shown to next round"): r.scores_visible_to_next,
                _ui.t("สถานะ", "State"): _state(r),
            }
            for r in listed
        ]
    ),
    hide_index=True,
    key="rounds_table",
)

with st.expander(_ui.t("เพิ่มรอบการตัดสิน", "Add a judging round"), icon=":material/add:"):
    st.caption(
        _ui.t(
            "รอบใหม่ได้สำเนาเกณฑ์ของรุ่นการประกวดไปแก้ไขแยกได้ และพิจารณาเฉพาะผลงานที่ผ่านเข้ารอบจากรอบก่อนหน้า",
            "A new round gets a copy of the edition's criteria to edit apart, and judges only the works the round "
            "before advanced.",
        )
    )
    name_th = st.text_input(_ui.t("ชื่อรอบ (ไทย)", "Name (Thai)"), max_chars=rounds.MAX_NAME_CHARS, key="rounds_name_th")
    name_en = st.text_input(
        _ui.t("ชื่อรอบ (อังกฤษ)", "Name (English)"), max_chars=rounds.MAX_NAME_CHARS, key="rounds_name_en"
    )
    c1, c2 = st.columns(2)
    starts_on = _dates.date_field(c1, "วันเริ่ม", "Starts", value=None, key="rounds_starts")
    ends_on = _dates.date_field(c2, "วันสิ้นสุด", "Ends", value=None, key="rounds_ends")
    blind = st.checkbox(
        _ui.t("กรรมการไม่เห็นคะแนนของกันและกัน", "Judges are blind to each other"), True, key="rounds_blind"
    )
    visible = st.checkbox(
        _ui.t("ให้กรรมการรอบถัดไปเห็นคะแนนรอบนี้", "Show this round's scores to the next round's judges"),
        False,
        key="rounds_visible",
    )
    if st.button(_ui.t("เพิ่มรอบ", "Add the round"), key="rounds_add", icon=":material/add:"):
        try:
            with _ui.db() as session:
                rounds.add_round(
                    session=session,
                    edition_id=edition.id,
                    name_th=name_th,
                    name_en=name_en,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    blind=blind,
                    scores_visible_to_next=visible,
                    actor=acc.username,
                )
        except DomainError as e:
            _ui.show_error(e)
        else:
            st.rerun()

# --- one round: its rules, and its shortlist for the next round when there is one --------------------------------
st.header(_ui.t("กติกาและการคัดเลือกของแต่ละรอบ", "Each round's rules and shortlist"))
positions = [r.position for r in listed]
picked = st.selectbox(
    _ui.t("รอบ", "Round"),
    positions,
    index=positions.index(current),
    format_func=lambda p: f"{p}. {listed[p - 1].name(_ui.lang())}",
    key="rounds_pick",
)
chosen = listed[picked - 1]
if not chosen.frozen:
    _round_rules.editor(edition.id, chosen, acc.username)

# A shortlist picks the works of the round after this one: the last round has none to pick for.
if picked == len(listed) and not chosen.frozen:
    st.info(
        _ui.t(
            "รอบนี้เป็นรอบสุดท้าย จึงไม่มีการคัดเลือกผลงานเข้ารอบถัดไป ผลของรอบนี้คือผลการตัดสิน "
            "หากต้องการรอบนำเสนอหรือรอบอื่นต่อจากรอบนี้ ให้เปิด “เพิ่มรอบการตัดสิน” ด้านบน ตั้งชื่อรอบ แล้วกด “เพิ่มรอบ” "
            "จากนั้นจึงคัดเลือกผลงานเข้ารอบนั้นได้ที่นี่",
            "This is the last round, so there is no shortlist for a next round: its results are the contest's. To "
            "add a pitching or other round after it, open “Add a judging round” above, name the round and press "
            "“Add the round”; then shortlist the works for it here.",
        ),
        icon=":material/info:",
    )
    if picked > 1:  # a later round added by mistake can go while nothing hangs on it (rounds.remove_round)
        with st.expander(_ui.t("ลบรอบนี้", "Remove this round"), icon=":material/delete:"):
            st.caption(
                _ui.t(
                    "ลบได้เฉพาะรอบสุดท้ายที่ยังไม่มีใบให้คะแนน การมอบหมายกรรมการ หรือวันนำเสนอ "
                    "และรอบก่อนหน้ายังไม่ได้ยืนยันผลการคัดเลือก เกณฑ์ของรอบนี้จะถูกลบไปด้วย และบันทึกในประวัติการแก้ไข",
                    "Only the last round can go, while it has no score sheet, judge assignment or pitching day "
                    "and the round before has not frozen its shortlist; its criteria go with it, and the audit "
                    "trail says so.",
                )
            )
            sure = st.checkbox(
                _ui.t(f"ยืนยันลบรอบ “{chosen.name_th}”", f"Yes, remove “{chosen.name(_ui.lang())}”"),
                key="rounds_remove_confirm",
            )
            if st.button(
                _ui.t("ลบรอบ", "Remove the round"), key="rounds_remove", disabled=not sure, icon=":material/delete:"
            ):
                try:
                    with _ui.db() as session:
                        rounds.remove_round(session=session, edition_id=edition.id, round_no=picked, actor=acc.username)
                except DomainError as e:
                    _ui.show_error(e)
                else:
                    st.session_state.pop("rounds_pick", None)
                    st.rerun()
    st.stop()

st.subheader(_ui.t("คัดเลือกผลงานเข้ารอบถัดไป", "Shortlist for the next round"))
if chosen.frozen:
    with _ui.db(read_only=True) as session:
        result = advance.shortlist(session=session, edition_id=edition.id, round_no=picked)
    assert chosen.frozen_at is not None
    st.success(
        _ui.t(
            f"ยืนยันรายชื่อแล้ว {len(result.advancing)} ผลงาน ({_ui.label(ADVANCE_RULE, result.rule)}) "
            f"โดย {chosen.frozen_by} เมื่อ {format_thai_datetime(chosen.frozen_at)}",
            f"Frozen: {len(result.advancing)} works ({_ui.label(ADVANCE_RULE, result.rule)}) by {chosen.frozen_by}.",
        ),
        icon=":material/lock:",
    )
    rule = result.rule
else:
    rules = [r.value for r in advance.Rule]
    rule = advance.Rule(
        st.radio(
            _ui.t("วิธีคัดเลือก", "Rule"),
            rules,
            format_func=lambda code: _ui.label(ADVANCE_RULE, code),
            horizontal=True,
            key="rounds_rule",
        )
    )
    n = threshold = None
    by_hand: list[int] = []
    if rule is advance.Rule.top_n:
        n = int(st.number_input(_ui.t("จำนวนผลงาน (N)", "Works (N)"), 1, 10_000, 10, key="rounds_n"))
    elif rule is advance.Rule.threshold:
        threshold = float(
            st.number_input(
                _ui.t("คะแนนขั้นต่ำ", "Threshold"), 0.0, float(chosen.max_total or 100), 70.0, 0.5, key="rounds_threshold"
            )
        )
    if rule is advance.Rule.by_hand:
        with _ui.db(read_only=True) as session:
            ranked = advance.ranked_works(session=session, edition_id=edition.id, round_no=picked)
        titles = {r.submission_id: f"{r.rank}. {r.title} ({r.organisation})" for r in ranked}
        by_hand = st.multiselect(
            _ui.t("ผลงานที่ผ่านเข้ารอบ", "Works that advance"),
            list(titles),
            format_func=titles.__getitem__,
            key="rounds_by_hand",
        )
    reason = st.text_area(
        _ui.t("เหตุผล (จำเป็นเมื่อเลือกเอง)", "Reason (needed when chosen by hand)"), max_chars=1000, key="rounds_reason"
    )
    try:
        result = preview(edition.id, picked, rule.value, n, threshold, tuple(sorted(by_hand)))
    except DomainError as e:
        _ui.show_error(e)
        st.stop()

st.metric(_ui.t("ผ่านเข้ารอบ", "Advancing"), f"{len(result.advancing)}/{len(result.rows)}")
if result.stability is not None:
    s = result.stability
    text = _ui.t(
        f"ที่จุดตัดอันดับ {s.cutoff}: ผลงานท้ายกลุ่มที่ผ่านมีโอกาสอยู่เหนือจุดตัด {s.inside_probability:.0%} "
        f"ผลงานแรกที่ไม่ผ่านมีโอกาส {s.outside_probability:.0%} (สุ่มคณะกรรมการซ้ำ)",
        f"At the cut (rank {s.cutoff}): the last work in stays above it with {s.inside_probability:.0%}, the first "
        f"out gets above it with {s.outside_probability:.0%} (judges resampled).",
    )
    (st.success if s.stable else st.warning)(text, icon=":material/query_stats:")
st.dataframe(
    pd.DataFrame(
        [
            {
                _ui.t("อันดับ", "Rank"): r.rank,
                _ui.t("ผลงาน", "Work"): r.title,
                _ui.t("หน่วยงาน", "Organisation"): r.organisation,
                _ui.t("จังหวัด", "Province"): r.province,
                _ui.t("คะแนน", "Score"): r.score,
                _ui.t("กรรมการ", "Judges"): r.judge_count,
                _ui.t("โอกาสอยู่เหนือจุดตัด", "Chance above the cut"): (
                    None if r.probability_above_cut is None else round(100 * r.probability_above_cut)
                ),
                _ui.t("ผ่านเข้ารอบ", "Advances"): r.advances,
            }
            for r in result.rows
        ]
    ),
    hide_index=True,
    key="rounds_shortlist",
)

if not chosen.frozen:
    sure = st.checkbox(
        _ui.t(
            "ยืนยันรายชื่อนี้ (แก้ไขภายหลังไม่ได้ ผลงานที่ไม่ผ่านจะได้รับแจ้ง)",
            "Freeze this shortlist (final; the works not advanced are told)",
        ),
        key="rounds_confirm",
    )
    if st.button(
        _ui.t("ยืนยันรายชื่อผ่านเข้ารอบ", "Freeze the shortlist"),
        type="primary",
        disabled=not sure,
        key="rounds_freeze",
        icon=":material/lock:",
    ):
        try:
            with _ui.db() as session:
                advance.freeze(
                    session=session,
                    edition_id=edition.id,
                    round_no=picked,
                    rule=rule,
                    n=result.n,
                    threshold=result.threshold,
                    by_hand=[r.submission_id for r in result.advancing] if rule is advance.Rule.by_hand else (),
                    reason=reason,
                    actor=acc.username,
                )
        except DomainError as e:
            _ui.show_error(e)
        else:
            _ui.results_changed()
            preview.clear()
            st.rerun()
