"""The announcement's text, from a read model: DGA's layout, Thai collation of provinces, legend, Buddhist-era date."""

from datetime import date

from services.contest import reference_2564 as ref
from services.results.announcement import AnnouncedLevel, AnnouncedWork, Announcement, announcement_order, render


def work(n, short_name, province, title="โครงการทดสอบ", org_type=None):
    org_type = org_type or short_name.split(".", 1)[0] + "."
    return AnnouncedWork(n, title, f"หน่วยงาน{n}", short_name, org_type, province)


def announce(works, levels=(), confirmed=True):
    return Announcement(
        "รางวัลท้องถิ่นดิจิทัล ประจำปี 2564",
        "ท้องถิ่นดิจิทัล",
        date(2021, 9, 21),
        tuple(levels),
        tuple(sorted(works, key=announcement_order)),
        confirmed,
        False,
    )


def test_a_leading_vowel_does_not_sort_first_chiang_rai_files_under_cho():
    works = [
        work(1, "ทน.เชียงราย", "เชียงราย"),
        work(2, "ทม.แสนสุข", "ชลบุรี"),
        work(3, "ทต.ท่าคันโท", "กาฬสินธุ์"),
        work(4, "อบต.โคกขมิ้น", "เลย"),
        work(5, "ทม.ร้อยเอ็ด", "ร้อยเอ็ด"),
    ]
    text = render(announce(works))
    order = [w.short_name for w in sorted(works, key=announcement_order)]
    assert order == ["ทต.ท่าคันโท", "ทม.แสนสุข", "ทน.เชียงราย", "ทม.ร้อยเอ็ด", "อบต.โคกขมิ้น"]
    assert "1. ทต.ท่าคันโท จ.กาฬสินธุ์\n   – โครงการทดสอบ" in text
    assert text.index("ทม.แสนสุข จ.ชลบุรี") < text.index("ทน.เชียงราย จ.เชียงราย")


def test_the_2564_works_come_out_in_the_announcements_province_order():
    works = [AnnouncedWork(w.number, w.title, w.full_name, w.short_name, w.org_type, w.province) for w in ref.WORKS]
    ordered = sorted(reversed(works), key=announcement_order)
    assert [w.province for w in ordered] == [w.province for w in ref.WORKS]


def test_within_a_province_the_legends_type_order_then_the_name():
    works = [
        work(1, "อบต.สันสลี", "เชียงราย"),
        work(2, "ทต.บ้านเหล่า", "เชียงราย"),
        work(3, "ทน.เชียงราย", "เชียงราย"),
        work(4, "อบจ.เชียงราย", "เชียงราย"),
        work(5, "อบต.ป่าหุ่ง", "เชียงราย"),
    ]
    assert [w.short_name for w in sorted(works, key=announcement_order)] == [
        "อบจ.เชียงราย",
        "ทน.เชียงราย",
        "ทต.บ้านเหล่า",
        "อบต.ป่าหุ่ง",
        "อบต.สันสลี",
    ]


def test_award_levels_come_first_with_their_note_and_full_organisation_names():
    winner = work(1, "ทต.ท่าคันโท", "กาฬสินธุ์", "โครงการนวัตกรรมพิกัดชีวิต")
    levels = [
        AnnouncedLevel("excellent", "รางวัลยอดเยี่ยม", "ได้รับรางวัล DG Award", (winner,)),
        AnnouncedLevel("outstanding", "รางวัลดีเด่น", "", ()),
    ]
    text = render(announce([winner], levels))
    assert text.index("รางวัลยอดเยี่ยม ได้แก่") < text.index("รางวัลดีเด่น ได้แก่") < text.index("รายชื่อหน่วยงาน")
    assert "(ได้รับรางวัล DG Award)" in text
    assert "  • โครงการนวัตกรรมพิกัดชีวิต หน่วยงาน1 จ.กาฬสินธุ์" in text
    assert "ประกาศ ณ วันที่ 21 กันยายน 2564" in text
    assert not text.startswith("[ร่าง")


def test_the_legend_lists_only_the_abbreviations_used_in_the_legends_order():
    text = render(announce([work(1, "อบต.ก", "ตาก"), work(2, "ทน.ข", "ตาก")]))
    legend = text.split("คำอธิบายเพิ่มเติม\n", 1)[1].splitlines()
    assert legend == ["ทน. คือ เทศบาลนคร", "อบต. คือ องค์การบริหารส่วนตำบล"]


def test_bangkok_is_not_written_as_a_changwat_and_titles_get_the_project_word():
    text = render(announce([work(1, "กรุงเทพมหานคร", "กรุงเทพมหานคร", "ระบบ BKK Risk Map", org_type="พิเศษ")]))
    assert "1. กรุงเทพมหานคร กรุงเทพมหานคร\n   – โครงการระบบ BKK Risk Map" in text
    assert "จ.กรุงเทพมหานคร" not in text and "คำอธิบายเพิ่มเติม" not in text


def test_a_draft_says_so_on_its_first_line():
    assert render(announce([work(1, "ทต.ก", "ตาก")], confirmed=False)).startswith("[ร่าง")
