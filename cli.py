"""ldaward: the operators' command line (init, demo, users, stats, results, backup, restore)."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from services.contest import demo
from services.contest.editions import current_edition
from services.platform import auth
from services.platform.backup import backup, restore
from services.platform.db import get_engine, session_scope, upgrade_schema
from services.platform.errors import DomainError
from services.platform.safe_text import clean_value, for_terminal
from services.results import ranking, scoring, stats


def _json_default(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _print_json(data: Any) -> None:
    # Every text cleaned (safe_text.clean): no control or bidi character reaches a terminal or a pipe, escaped or not.
    plain = json.loads(json.dumps(data, ensure_ascii=False, default=_json_default))
    print(json.dumps(clean_value(plain), ensure_ascii=False, indent=2))


def _edition_id(session: Any, given: int | None) -> int:
    if given is not None:
        return given
    edition = current_edition(session=session)
    if edition is None:
        raise DomainError(
            "no_edition",
            "ยังไม่มีรุ่นการประกวดในฐานข้อมูล: รัน `ldaward demo` หรือสร้างในหน้าผู้ดูแล",
            "No contest edition yet: run `ldaward demo` or create one on the admin page.",
        )
    return edition.id


def cmd_init(args: argparse.Namespace) -> int:
    engine = get_engine()
    upgrade_schema(engine)
    with session_scope(engine) as session:
        created = auth.ensure_admin_from_settings(session=session)
    print("schema up to date" + (f"; organiser {created.username} created" if created else ""))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    engine = get_engine()
    upgrade_schema(engine)
    with session_scope(engine) as session:
        result = demo.load_demo(session=session)
    if result.created:
        print(f"loaded the 2564 edition: {result.works} works, {result.judges} judges, {result.sheets} score sheets")
    else:
        print("the 2564 edition is already loaded; nothing changed")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    password = args.password or os.environ.get("LDAWARD_NEW_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("no password: give --password or set LDAWARD_NEW_PASSWORD", file=sys.stderr)
            return 2
        password = getpass.getpass("password: ")
    engine = get_engine()
    upgrade_schema(engine)
    with session_scope(engine) as session:
        account = auth.create_user(
            session=session,
            username=args.username,
            display_name=args.name or args.username,
            role=args.role,
            password=password,
            agency=args.agency,
            email=args.email,
            actor="cli",
        )
    print(f"created {account.role.value} {account.username}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with session_scope(get_engine()) as session:
        figures = stats.headline_stats(session=session, edition_id=_edition_id(session, args.edition))
    if args.json:
        _print_json(figures.to_dict())
    else:
        top_c, top_p = figures.top_category, figures.top_province
        print(f"works {figures.works} · organisations {figures.organisations} · provinces {figures.provinces}")
        if top_c:
            print(f"top category {top_c.label} ({top_c.count})")
        if top_p:
            print(f"top province {top_p.province} ({top_p.organisations} organisations)")
        print(
            f"judging {figures.judging.sheets_submitted}/{figures.judging.sheets_expected} sheets "
            f"({figures.judging.percent}%)"
        )
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    with session_scope(get_engine()) as session:
        board = ranking.leaderboard(
            session=session, edition_id=_edition_id(session, args.edition), method=scoring.Method(args.method)
        )
    if args.json:
        _print_json(
            {
                "edition_id": board.edition_id,
                "method": board.method.value,
                "tie_breakers": board.tie_break_names,
                "unscored": board.unscored,
                "rows": board.rows,
            }
        )
    else:
        for row in board.rows:
            print(
                for_terminal(
                    f"{row.rank:>3}{'=' if row.tied else ' '} {row.score:6.2f}  "
                    f"{row.short_name} จ.{row.province}  {row.title}"
                )
            )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    path = Path(args.path or f"backups/ldaward-{datetime.now():%Y%m%d-%H%M%S}.zip")
    summary = backup(engine=get_engine(), path=path)
    print(f"backup written to {summary.path} ({sum(summary.tables.values())} rows)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    engine = get_engine()
    upgrade_schema(engine)
    path = Path(args.path)
    safety = Path(args.safety_dir) / f"before-restore-{datetime.now():%Y%m%d-%H%M%S}.zip"
    summary = restore(
        engine=engine, path=path, force=args.force, safety_path=safety, accept_unsigned=args.accept_unsigned
    )
    if summary.safety_backup is not None:
        print(f"safety backup of the replaced data written to {summary.safety_backup}")
        print(f"ข้อมูลเดิมถูกสำรองไว้ที่ {summary.safety_backup}")
    if summary.verified != "signed":
        print("warning: the backup's signature was not checked (--accept-unsigned); its digests were", file=sys.stderr)
    print(f"restored {sum(summary.tables.values())} rows from {summary.path}")
    return 0


def cmd_check_file(args: argparse.Namespace) -> int:
    """The intake's verdict on one file, as JSON; 0 when it would be accepted, 1 when refused. Never a traceback."""
    from services.intake import files, records

    path = Path(args.path)
    try:
        verdict = files.file_verdict(records.Upload(path.name, path.read_bytes()), args.kind)
    except OSError as e:
        verdict = {
            "file": str(path),
            "kind": args.kind,
            "accepted": False,
            "code": "unreadable",
            "message_th": f"เปิดไฟล์ไม่ได้: {e.strerror or e}",
            "message_en": f"Cannot read the file: {e}",
        }
    except Exception as e:  # the operator gets a verdict whatever the bytes do
        verdict = {
            "file": str(path),
            "kind": args.kind,
            "accepted": False,
            "code": "check_failed",
            "message_th": "ตรวจไฟล์ไม่สำเร็จ",
            "message_en": f"The check failed: {type(e).__name__}",
        }
    _print_json(verdict)
    return 0 if verdict["accepted"] else 1


def cmd_import(args: argparse.Namespace) -> int:
    """Re-keyed submissions from a CSV and a folder of files, with the intake's checks; a report line per row."""
    from services.intake import bulk_import

    csv_path, folder = Path(args.csv), Path(args.folder)
    if not csv_path.is_file() or not folder.is_dir():
        print(f"not found: {csv_path if not csv_path.is_file() else folder}", file=sys.stderr)
        return 2
    engine = get_engine()
    upgrade_schema(engine)
    with session_scope(engine) as session:
        report = bulk_import.import_csv(
            session=session,
            edition_id=_edition_id(session, args.edition),
            csv_text=csv_path.read_text(encoding="utf-8-sig"),
            folder=folder,
            actor=f"import:{args.actor}",
            ignore_deadline=args.ignore_deadline,
        )
    if args.json:
        _print_json(
            {
                "imported": report.imported,
                "failed": report.failed,
                "missing_columns": report.missing_columns,
                "rows": report.rows,
            }
        )
    else:
        if report.missing_columns:
            print("missing columns: " + ", ".join(report.missing_columns))
        for row in report.rows:
            if row.ok:
                print(for_terminal(f"line {row.line}: OK {row.receipt_code} {row.title}"))
            else:
                print(for_terminal(f"line {row.line}: REFUSED {row.title}"))
                for th, en in zip(row.problems_th, row.problems_en, strict=True):
                    print(f"    - {th}\n      {en}")
        print(f"{report.imported} imported, {report.failed} refused")
    return 0 if report.failed == 0 else 1


def cmd_announce(args: argparse.Namespace) -> int:
    """The announcement text in DGA's format on stdout (ready to paste); notes about the data on stderr."""
    from datetime import date

    from services.results import announcement

    with session_scope(get_engine()) as session:
        built = announcement.build(
            session=session,
            edition_id=_edition_id(session, args.edition),
            announced_on=date.fromisoformat(args.date) if args.date else None,
        )
    if built.demo:
        print(announcement.DEMO_NOTE_TH, file=sys.stderr)
    if not built.confirmed:
        print("ร่าง: ผลรางวัลยังไม่ได้ยืนยัน / draft: the awards are not confirmed yet", file=sys.stderr)
    sys.stdout.write(announcement.render(built))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Results and statistics as open-data files: csv (results), stats-csv, json, xlsx; to a file or stdout."""
    from services.results import exports

    with session_scope(get_engine()) as session:
        data = exports.results_data(
            session=session,
            edition_id=_edition_id(session, args.edition),
            method=scoring.Method(args.method) if args.method else None,
        )
    body = {
        "csv": exports.results_csv,
        "stats-csv": exports.statistics_csv,
        "json": exports.results_json,
        "xlsx": exports.results_xlsx,
    }[args.format](data)
    if args.output:
        Path(args.output).write_bytes(body)
        print(f"{args.format} written to {args.output} ({len(data.rows)} results)", file=sys.stderr)
    elif args.format == "xlsx":
        print("xlsx is binary: give --output FILE", file=sys.stderr)
        return 2
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return 0


def cmd_mail_worker(args: argparse.Namespace) -> int:
    """Deliver the outbox: one round with --once (for cron), else until stopped. Any number may run beside the
    app's own threads; they take turns through the database (services/mail/worker.py)."""
    from services.mail import worker

    return worker.command(once=args.once)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ldaward",
        description="Local Digital Award operators' tool. Uses DATABASE_URL (default: SQLite file data/ldaward.db).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or upgrade the database schema").set_defaults(func=cmd_init)
    sub.add_parser("demo", help="load the 2564 reference edition (once)").set_defaults(func=cmd_demo)
    user = sub.add_parser("user", help="manage accounts").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["organiser", "judge", "executive"])
    add.add_argument("--name", default="")
    add.add_argument("--agency", default="")
    add.add_argument("--email", default="")
    add.add_argument("--password", help="or LDAWARD_NEW_PASSWORD, or asked at the prompt")
    add.set_defaults(func=cmd_user_add)
    for name, func, helptext in (
        ("stats", cmd_stats, "the dashboard's figures"),
        ("results", cmd_results, "the ranked results"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--json", action="store_true")
        p.add_argument("--edition", type=int)
        if name == "results":
            p.add_argument("--method", default="mean", choices=[m.value for m in scoring.Method])
        p.set_defaults(func=func)
    b = sub.add_parser("backup", help="write a consistent snapshot (database and files) to a zip")
    b.add_argument("path", nargs="?")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="replace the database's contents with a snapshot")
    r.add_argument("path")
    r.add_argument(
        "--force",
        action="store_true",
        help="replace a database that holds data (a safety backup of it is written first)",
    )
    r.add_argument("--safety-dir", default="backups", help="where the safety backup goes (default: backups)")
    r.add_argument(
        "--accept-unsigned",
        action="store_true",
        help="restore a backup whose signature this server cannot check (its digests still are)",
    )
    r.set_defaults(func=cmd_restore)
    cf = sub.add_parser("check-file", help="the intake's verdict on a deck or signed form (JSON; exit 1 if refused)")
    cf.add_argument("path")
    cf.add_argument("--kind", choices=["deck", "form"], help="default: decided from the file's content")
    cf.set_defaults(func=cmd_check_file)
    im = sub.add_parser("import", help="bulk intake of re-keyed submissions: CSV plus a folder of files")
    im.add_argument("csv")
    im.add_argument("folder")
    im.add_argument("--edition", type=int)
    im.add_argument("--actor", default=os.environ.get("USER", "operator"), help="who re-keyed them (audited)")
    im.add_argument(
        "--ignore-deadline", action="store_true", help="entries that reached the organisers before intake closed"
    )
    im.add_argument("--json", action="store_true")
    im.set_defaults(func=cmd_import)
    an = sub.add_parser("announce", help="print the results announcement in DGA's format (Thai, ready to paste)")
    an.add_argument("--edition", type=int)
    an.add_argument("--date", help="announcement date, ISO (default: today on the contest clock)")
    an.set_defaults(func=cmd_announce)
    ex = sub.add_parser("export", help="results and statistics as open data (CSV with BOM, JSON, XLSX)")
    ex.add_argument("--format", choices=["csv", "stats-csv", "json", "xlsx"], default="csv")
    ex.add_argument("--output", "-o", help="file to write (stdout if omitted; required for xlsx)")
    ex.add_argument("--edition", type=int)
    ex.add_argument("--method", choices=[m.value for m in scoring.Method], help="default: the edition's method")
    ex.set_defaults(func=cmd_export)
    mw = sub.add_parser("mail-worker", help="deliver queued e-mail (LDAWARD_SMTP_URL) until stopped")
    mw.add_argument("--once", action="store_true", help="one round, print what it did (JSON), then exit")
    mw.set_defaults(func=cmd_mail_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DomainError as e:
        print(e.message_th, file=sys.stderr)
        print(e.message_en, file=sys.stderr)
        return 1
    except BrokenPipeError:  # piped into head: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
