"""Child process for the durability test: saves a judge's scores in a loop and prints each acknowledged save."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlmodel import Session, select

from models import User
from services.contest import editions
from services.judging import sheets, worklist
from services.platform.db import build_engine


def main(url: str) -> None:
    engine = build_engine(url)
    with Session(engine) as s:
        judge = s.exec(select(User).where(User.username == "judge-dga")).one()
        edition = editions.current_edition(session=s)
        subs = [a.submission.id for a in worklist.list_assignments(session=s, judge_id=judge.id, edition_id=edition.id)]
        criteria = [c.id for c in edition.scored_criteria]
    n = 0
    while True:
        sub, crit = subs[n % len(subs)], criteria[n % len(criteria)]
        points = float(n % 6)
        with Session(engine, expire_on_commit=False) as s:
            sheets.save_sheet(session=s, judge_id=judge.id, submission_id=sub, points={crit: points}, actor="judge-dga")
        print(f"OK {n} {sub} {crit} {points}", flush=True)  # only after the commit returned
        n += 1


if __name__ == "__main__":
    main(sys.argv[1])
