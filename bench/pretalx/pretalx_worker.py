"""pretalx's side of the comparison, run by bench_pretalx.py with bench/.venv-pretalx's Python: an event with N
submissions and 5 reviews each, made with pretalx's own models, then on each "run" line from stdin the organiser's
review dashboard rendered through Django's test client with every cache cleared; prints one line per run."""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretalx_settings")
os.environ.setdefault("PRETALX_NO_INITIAL_LOG", "1")

import django

django.setup()

import pretalx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.timezone import now  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402
from pretalx.event.models import Event, Organiser, Team  # noqa: E402
from pretalx.person.models import User  # noqa: E402
from pretalx.submission.models import Review, ReviewScore, Submission  # noqa: E402
from pretalx.submission.models.submission import SpeakerRole  # noqa: E402

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", 10_000))
REVIEWERS = 25
PER_SUBMISSION = 5
SPEAKERS = 2_000


def populate() -> tuple[User, Event]:
    rng = random.Random(7)
    with scopes_disabled():
        organiser = Organiser.objects.create(name="Bench", slug="bench")
        orga = User.objects.create_user(email="orga@example.org", password="bench-password-1", name="Organiser")
        team = Team.objects.create(
            organiser=organiser,
            name="Organisers",
            all_events=True,
            can_create_events=True,
            can_change_teams=True,
            can_change_organiser_settings=True,
            can_change_event_settings=True,
            can_change_submissions=True,
        )
        team.members.add(orga)
        start = (now() + timedelta(days=120)).date()
        event = Event.objects.create(
            name="Bench",
            slug="bench",
            organiser=organiser,
            date_from=start,
            date_to=start + timedelta(days=2),
            email="orga@example.org",
        )
        reviewers = User.objects.bulk_create(
            [
                User(email=f"reviewer{i}@example.org", name=f"Reviewer {i}", code=f"RV{i:04d}", password="!")
                for i in range(REVIEWERS)
            ]
        )
        reviewer_team = Team.objects.create(organiser=organiser, name="Reviewers", all_events=True, is_reviewer=True)
        reviewer_team.members.add(*reviewers)
        speakers = User.objects.bulk_create(
            [
                User(email=f"speaker{i}@example.org", name=f"Speaker {i}", code=f"SP{i:05d}", password="!")
                for i in range(SPEAKERS)
            ]
        )
        kind = event.cfp.default_type
        submissions = Submission.objects.bulk_create(
            [
                Submission(
                    event=event,
                    code=f"W{i:06d}",
                    title=f"Work {i}",
                    submission_type=kind,
                    state="submitted",
                    abstract="An abstract.",
                    description="",
                    content_locale="en",
                )
                for i in range(SUBMISSIONS)
            ],
            batch_size=2_000,
        )
        SpeakerRole.objects.bulk_create(
            [SpeakerRole(submission=s, user=speakers[i % SPEAKERS]) for i, s in enumerate(submissions)],
            batch_size=5_000,
        )
        category = event.score_categories.first()
        by_value = {int(s.value): s for s in ReviewScore.objects.filter(category=category)}
        reviews = []
        for n, sub in enumerate(submissions):
            quality = rng.uniform(0.4, 0.9)
            for k in range(PER_SUBMISSION):
                value = max(by_value, key=lambda v, q=quality: -abs(v - q * max(by_value) - rng.gauss(0, 0.3)))
                reviews.append(
                    Review(submission=sub, user=reviewers[(n + k * 5) % REVIEWERS], text="", score=Decimal(value))
                )
        reviews = Review.objects.bulk_create(reviews, batch_size=5_000)
        through = Review.scores.through
        through.objects.bulk_create(
            [through(review_id=r.id, reviewscore_id=by_value[int(r.score)].id) for r in reviews], batch_size=5_000
        )
    return orga, event


def migrate() -> float:
    """pretalx's schema; its hundreds of migrations take minutes on SQLite, so the migrated file is kept beside the
    virtual environment and copied on the next run."""
    t0 = time.perf_counter()
    database = Path(settings.DATABASES["default"]["NAME"])
    template = Path(sys.prefix) / f"migrated-{pretalx.__version__}.sqlite3"
    if template.exists():
        connections.close_all()
        shutil.copyfile(template, database)
    call_command("migrate", verbosity=0)  # nothing left to do after a copy
    if not template.exists():
        connections.close_all()
        shutil.copyfile(database, template)
    return time.perf_counter() - t0


def main() -> None:
    migrated = migrate()
    t0 = time.perf_counter()
    orga, event = populate()
    print(
        f"ready migrate {migrated:.1f} s, {SUBMISSIONS:,} submissions × {PER_SUBMISSION} reviews "
        f"in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    client = Client()
    client.force_login(orga)
    url = f"/orga/event/{event.slug}/reviews/"
    for line in sys.stdin:
        if line.strip() != "run":
            break
        for cache in caches.all():
            cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            body = response.content
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert response.status_code == 200, (response.status_code, body[:500])
        shown = body.count(b"/submissions/W0")  # links to the works on this page of the dashboard
        print(f"{elapsed:.4f} {cpu:.4f} {len(queries)} {len(body)} {shown}", flush=True)


if __name__ == "__main__":
    main()
