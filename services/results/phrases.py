"""Thai and English labels of results' codes: aggregation methods and the reference award levels."""

from __future__ import annotations

from services.platform.phrases import Label

# scoring.Method: how one work's judges' totals become its score.
METHOD: dict[str, Label] = {
    "mean": ("ค่าเฉลี่ยคะแนนรวมของกรรมการ", "Mean of the judges' totals"),
    "median": ("ค่ามัธยฐาน", "Median"),
    "trimmed_mean": ("ค่าเฉลี่ยตัดค่าสูงสุด-ต่ำสุด", "Trimmed mean"),
    "zscore": ("ปรับมาตรฐานรายกรรมการ (z-score)", "Per-judge z-score"),
}

# The award levels of the 2564 announcement (the seeds' words). An edition's award plan names its own levels;
# these are the names a plan falls back on for these codes when it gives none, so a code is never shown.
AWARD_LEVEL: dict[str, Label] = {
    "excellent": ("รางวัลยอดเยี่ยม", "Excellent"),
    "outstanding": ("รางวัลดีเด่น", "Outstanding"),
}

# advance.Rule: how the organisers shortlist a round's works for the next round.
ADVANCE_RULE: dict[str, Label] = {
    "top_n": ("อันดับสูงสุด N ผลงาน", "Top N works"),
    "threshold": ("คะแนนตั้งแต่เกณฑ์ที่กำหนด", "Score at or above a threshold"),
    "by_hand": ("เลือกเอง", "Chosen by hand"),
}
