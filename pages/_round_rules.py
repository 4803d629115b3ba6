"""The rounds page's editor of one round's rules (aggregation, quorum) and its own criteria (a copy of the edition's
made when the round was added)."""

import pandas as pd
import streamlit as st

from pages import _ui
from services.contest import editions
from services.judging import rounds
from services.platform.errors import DomainError
from services.results.phrases import METHOD


def editor(edition_id: int, chosen: rounds.RoundView, actor: str) -> None:
    """Widgets keyed by the round's position, so each round keeps its own while the organiser switches."""
    pos = chosen.position
    with st.expander(_ui.t("กติกาและเกณฑ์ของรอบนี้", "This round's rules and criteria"), icon=":material/tune:"):
        methods = list(METHOD)
        method = st.selectbox(
            _ui.t("วิธีรวมคะแนน", "Aggregation"),
            methods,
            index=methods.index(chosen.method),
            format_func=lambda code: _ui.label(METHOD, code),
            key=f"rounds_method_{pos}",
        )
        quorum = int(
            st.number_input(
                _ui.t("องค์ประชุม: ใบให้คะแนนขั้นต่ำ (0 = กรรมการที่ได้รับมอบหมายทุกคน)", "Quorum: sheets (0 = every judge)"),
                0,
                100,
                chosen.quorum_min_sheets or 0,
                key=f"rounds_quorum_{pos}",
            )
        )
        if st.button(_ui.t("บันทึกกติกา", "Save the rules"), key=f"rounds_save_{pos}"):
            try:
                with _ui.db() as session:
                    rounds.update_round(
                        session=session,
                        edition_id=edition_id,
                        round_no=chosen.position,
                        aggregation_method=method,
                        quorum_min_sheets=quorum or None,
                        actor=actor,
                    )
            except DomainError as e:
                _ui.show_error(e)
            else:
                _ui.results_changed()
                st.rerun()
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _ui.t("ข้อ", "No."): c.position,
                        _ui.t("รหัส", "Code"): c.code,
                        _ui.t("เกณฑ์", "Criterion"): c.title(_ui.lang()),
                        _ui.t("คะแนนเต็ม", "Max"): c.max_points,
                        _ui.t("คิดคะแนน", "Scored"): c.scored,
                    }
                    for c in chosen.criteria
                ]
            ),
            hide_index=True,
            key=f"rounds_criteria_{pos}",
        )
        if chosen.criteria:
            by_code = {c.code: c for c in chosen.criteria}
            code = st.selectbox(_ui.t("แก้ไขเกณฑ์", "Edit a criterion"), list(by_code), key=f"rounds_crit_pick_{pos}")
            crit = by_code[code]
            title_th = st.text_input(
                _ui.t("ชื่อเกณฑ์ (ไทย)", "Title (Thai)"),
                crit.title_th,
                max_chars=500,
                key=f"rounds_crit_th_{pos}_{code}",
            )
            max_points = int(
                st.number_input(
                    _ui.t("คะแนนเต็ม", "Max points"),
                    0,
                    100,
                    crit.max_points,
                    key=f"rounds_crit_max_{pos}_{code}",
                )
            )
            if st.button(_ui.t("บันทึกเกณฑ์", "Save the criterion"), key=f"rounds_crit_save_{pos}"):
                try:
                    with _ui.db() as session:
                        editions.save_criterion(
                            session=session,
                            edition_id=edition_id,
                            code=code,
                            title_th=title_th,
                            title_en=crit.title_en,
                            guidance_th=crit.guidance_th,
                            max_points=max_points,
                            scored=crit.scored,
                            round_no=chosen.position,
                            actor=actor,
                        )
                except DomainError as e:
                    _ui.show_error(e)
                else:
                    _ui.results_changed()
                    st.rerun()
