"""Entry point: page config, session defaults, the pages the signed-in role may open, then run the page."""

import streamlit as st

from models import Role
from pages import _ui

st.set_page_config(
    page_title="รางวัลท้องถิ่นดิจิทัล · Local Digital Award", page_icon=":material/emoji_events:", layout="wide"
)
_ui.init_session()

signin = st.Page("pages/signin.py", title=_ui.t("ลงชื่อเข้าใช้", "Sign in"), icon=":material/login:", url_path="signin")
submit = st.Page(
    "pages/submit.py",
    title=_ui.t("ส่งผลงานเข้าประกวด", "Submit a project"),
    icon=":material/upload_file:",
    url_path="submit",
)
judge = st.Page("pages/judge.py", title=_ui.t("ให้คะแนน", "Score"), icon=":material/rule:", url_path="judge")
board = st.Page(
    "pages/leaderboard.py",
    title=_ui.t("ผลคะแนนและสถิติ", "Leaderboard & statistics"),
    icon=":material/leaderboard:",
    url_path="leaderboard",
)
submissions = st.Page(
    "pages/submissions.py",
    title=_ui.t("ผลงานที่ส่งเข้าประกวด", "Submissions"),
    icon=":material/folder_open:",
    url_path="submissions",
)
admin = st.Page(
    "pages/admin.py", title=_ui.t("ผู้ดูแลระบบ", "Administration"), icon=":material/settings:", url_path="admin"
)
account = st.Page(
    "pages/account.py", title=_ui.t("บัญชีของฉัน", "My account"), icon=":material/person:", url_path="account"
)
pitching = st.Page(
    "pages/schedule.py",
    title=_ui.t("กำหนดการนำเสนอ", "Pitching schedule"),
    icon=":material/calendar_month:",
    url_path="schedule",
)
my_submission = st.Page(
    "pages/my_submission.py",
    title=_ui.t("ผลงานของฉัน", "My submission"),
    icon=":material/edit_document:",
    url_path="my_submission",
)
judging_desk = st.Page(
    "pages/judging_admin.py", title=_ui.t("การพิจารณาของกรรมการ", "Judging"), icon=":material/gavel:", url_path="judging"
)
consensus = st.Page(
    "pages/consensus.py",
    title=_ui.t("ความเห็นพ้องของกรรมการ", "Committee consensus"),
    icon=":material/balance:",
    url_path="consensus",
)
live = st.Page("pages/live.py", title=_ui.t("การนำเสนอสด", "Live pitching"), icon=":material/podium:", url_path="live")
audit_page = st.Page(
    "pages/audit.py", title=_ui.t("บันทึกการเปลี่ยนแปลง", "Audit trail"), icon=":material/history:", url_path="audit"
)
judging_status = st.Page(
    "pages/judging_status.py",
    title=_ui.t("ความครบถ้วนของการให้คะแนน", "Judging completeness"),
    icon=":material/fact_check:",
    url_path="judging_status",
)
awards_page = st.Page(
    "pages/awards.py", title=_ui.t("ผลรางวัล", "Awards"), icon=":material/emoji_events:", url_path="awards"
)
feedback_page = st.Page(
    "pages/feedback.py",
    title=_ui.t("รายงานผลถึงผู้ส่งผลงาน", "Feedback to entrants"),
    icon=":material/reviews:",
    url_path="feedback",
)
results_public = st.Page(
    "pages/results_public.py",
    title=_ui.t("ผลการตัดสิน", "Results"),
    icon=":material/workspace_premium:",
    url_path="results",
)
rounds_page = st.Page(
    "pages/rounds.py", title=_ui.t("รอบการตัดสิน", "Judging rounds"), icon=":material/stairs:", url_path="rounds"
)
outbox_page = st.Page(
    "pages/outbox.py", title=_ui.t("กล่องจดหมายออก", "Outbox"), icon=":material/outbox:", url_path="outbox"
)

# Only the pages offered here can be reached, by menu or by URL.
PAGES_BY_ROLE = {
    None: [submit, my_submission, results_public, signin],
    Role.organiser: [
        board,
        awards_page,
        feedback_page,
        submissions,
        judging_desk,
        judging_status,
        rounds_page,
        consensus,
        pitching,
        live,
        admin,
        audit_page,
        outbox_page,
        submit,
        results_public,
        account,
    ],
    Role.judge: [judge, live, results_public, account],
    Role.executive: [board, results_public, account],
}

acc = _ui.account()
pg = st.navigation(PAGES_BY_ROLE[acc.role if acc else None], expanded=True)  # not "View 5 more", in English
_ui.sidebar()
with _ui.guard():  # a page that fails (the database gone a moment) says so in Thai; nothing on screen is dropped
    pg.run()
