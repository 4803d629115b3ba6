"""Backup and restore: a consistent, database-neutral snapshot (every table, stored files included) in one zip, with a
manifest of SHA-256 digests signed by the server's key, so a damaged or hand-edited backup is never restored."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

import models  # noqa: F401  (every table on the metadata)
from models import AppSecret
from services.platform import web_sessions
from services.platform.db import READ_ONLY_OPTION
from services.platform.errors import DomainError, ValidationFailed
from services.platform.settings import get_settings

FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# The cookie-signing key stays on its server: a backup carrying it could be re-signed by whoever holds the file.
SERVER_ONLY_SECRETS = ("cookie_signing_key",)
# A restore reads at most this much from one member, whatever its header says (zip bombs).
MAX_MEMBER_BYTES = 4 * 1024**3
# Tables whose rows do not make a database "hold data" (made by the server on its own).
BOOKKEEPING = {"app_secret", "rate_hit", "web_session"}
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: dict[str, int]
    safety_backup: Path | None = None
    verified: str = "signed"  # "signed" (digests and the server key's signature) or "digests" (unsigned, accepted)
    replaced: dict[str, int] = field(default_factory=dict)  # what the target held before, when it held anything


class BackupRefused(ValidationFailed):
    """The backup is damaged, altered, or the target holds data it would replace."""


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode()}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if "$b64" in value:
            return base64.b64decode(value["$b64"], validate=True)
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
    return value


def _schema_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _signing_key(conn: Connection) -> bytes | None:
    """LDAWARD_SECRET_KEY, else this server's stored cookie key (never in a backup); None when there is neither."""
    configured = get_settings().secret_key
    if configured:
        return configured.encode()
    table = AppSecret.__table__  # type: ignore[attr-defined]
    value = conn.execute(sa.select(table.c.value).where(table.c.name == SERVER_ONLY_SECRETS[0])).scalar()
    return str(value).encode() if value else None


def _signature(key: bytes, manifest: bytes) -> str:
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


class _Hashing:
    """A binary file wrapper that digests and counts what is written through it."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.sha, self.size = fh, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.sha.update(data)
        self.size += len(data)


def backup(*, engine: Engine, path: Path) -> BackupSummary:
    """Write every table to path inside one read transaction, so the snapshot is consistent while the app runs. The
    manifest lists each member's SHA-256 and size, and manifest.sig signs the manifest with the server's key."""
    tables: dict[str, int] = {}
    members: dict[str, dict[str, Any]] = {}
    with Session(engine) as session:  # make the server's key if it has none yet, so that the backup is signed
        web_sessions.signing_key(session=session)
        session.commit()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with (
        engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        for table in SQLModel.metadata.sorted_tables:
            stmt = sa.select(table).order_by(*table.primary_key.columns)
            if table.name == "app_secret":
                stmt = stmt.where(table.c.name.not_in(SERVER_ONLY_SECRETS))
            name = f"tables/{table.name}.jsonl"
            with zf.open(name, "w") as raw:
                out, n = _Hashing(raw), 0
                for row in conn.execute(stmt).mappings():
                    out.write(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False).encode() + b"\n")
                    n += 1
            tables[table.name] = n
            members[name] = {"sha256": out.sha.hexdigest(), "size": out.size}
        manifest = json.dumps(
            {
                "format": FORMAT_VERSION,
                "schema": _schema_revision(conn),
                "created_at": datetime.now(UTC).isoformat(),
                "tables": tables,
                "members": members,
            },
            ensure_ascii=False,
            indent=1,
        ).encode()
        zf.writestr(MANIFEST, manifest)
        key = _signing_key(conn)
        zf.writestr(
            SIGNATURE,
            json.dumps(
                {
                    "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
                    "hmac_sha256": _signature(key, manifest) if key else None,
                }
            ),
        )
    tmp.replace(path)
    return BackupSummary(path, tables)


# --- restore -----------------------------------------------------------------------------------------------------


def _damaged(detail_th: str, detail_en: str) -> BackupRefused:
    return BackupRefused(
        "bad_backup",
        f"ไฟล์สำรองข้อมูลเสียหายหรือไม่ใช่ไฟล์สำรองของระบบนี้ ({detail_th}) ไม่ได้แก้ไขข้อมูลใดในฐานข้อมูล",
        f"The backup file is damaged or not one of ours ({detail_en}). Nothing in the database was changed.",
    )


def _altered(detail_th: str, detail_en: str) -> BackupRefused:
    return BackupRefused(
        "altered_backup",
        f"ไฟล์สำรองถูกแก้ไขหลังจากสร้าง ({detail_th}) จึงไม่กู้คืน ไม่ได้แก้ไขข้อมูลใดในฐานข้อมูล",
        f"The backup was altered after it was made ({detail_en}), so it is not restored. Nothing "
        "in the database was changed.",
    )


@dataclass(frozen=True)
class _Checked:
    manifest: dict[str, Any]
    verified: str


class _TooLarge(Exception):
    """A member holds more bytes than it may."""


def _read_capped(zf: zipfile.ZipFile, name: str, limit: int) -> Iterator[bytes]:
    """The member's bytes in chunks, never more than limit whatever its header claims."""
    read = 0
    with zf.open(name) as fh:
        while chunk := fh.read(min(_CHUNK, limit - read + 1)):
            read += len(chunk)
            if read > limit:
                raise _TooLarge(name)
            yield chunk


def _check(zf: zipfile.ZipFile, conn: Connection, *, accept_unsigned: bool, max_member_bytes: int) -> _Checked:
    """Verify the whole file before anything is touched: manifest, signature, every member's size and digest."""
    names = set(zf.namelist())
    if MANIFEST not in names or SIGNATURE not in names:
        raise _damaged(f"ไม่มี {MANIFEST} หรือ {SIGNATURE}", f"{MANIFEST} or {SIGNATURE} is missing")
    try:
        raw = b"".join(_read_capped(zf, MANIFEST, 16 * 1024 * 1024))
        manifest = json.loads(raw)
        sig = json.loads(b"".join(_read_capped(zf, SIGNATURE, 64 * 1024)))
    except _TooLarge:
        raise _damaged("รายการไฟล์ใหญ่เกินกำหนด", "the manifest is too large") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _damaged("รายการไฟล์ไม่ใช่ JSON", "the manifest is not JSON") from None
    if not isinstance(manifest, dict) or not isinstance(sig, dict):
        raise _damaged("รายการไฟล์ผิดรูปแบบ", "the manifest has the wrong shape")
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupRefused(
            "bad_backup_version",
            f"รุ่นของไฟล์สำรองข้อมูล ({manifest.get('format')}) ไม่ตรงกับระบบ ({FORMAT_VERSION}) ไม่ได้แก้ไขข้อมูลใดในฐานข้อมูล",
            f"The backup's format version ({manifest.get('format')}) is not this system's "
            f"({FORMAT_VERSION}). Nothing in the database was changed.",
        )
    if sig.get("manifest_sha256") != hashlib.sha256(raw).hexdigest():
        raise _altered("รายการไฟล์ไม่ตรงกับค่าตรวจสอบ", "the manifest does not match its digest")
    key = _signing_key(conn)
    signed = sig.get("hmac_sha256")
    if key is not None and isinstance(signed, str) and hmac.compare_digest(signed, _signature(key, raw)):
        verified = "signed"
    elif key is not None and signed:
        raise _altered("ลายมือชื่อดิจิทัลไม่ตรงกับกุญแจของเซิร์ฟเวอร์นี้", "its signature does not match this server's key")
    elif accept_unsigned:
        verified = "digests"
    else:
        raise BackupRefused(
            "unverified_backup",
            "ตรวจลายมือชื่อของไฟล์สำรองไม่ได้ (ไม่มีลายมือชื่อ หรือเซิร์ฟเวอร์นี้ไม่มีกุญแจ LDAWARD_SECRET_KEY ของเครื่องที่สร้าง) "
            "ตั้งค่า LDAWARD_SECRET_KEY ให้ตรงกับเครื่องที่สร้าง หรือใช้ --accept-unsigned หากแน่ใจว่าไฟล์ไม่ถูกแก้ไข",
            "The backup's signature cannot be checked (it has none, or this server lacks the LDAWARD_SECRET_KEY of "
            "the one that made it). Set LDAWARD_SECRET_KEY to that key, or use --accept-unsigned if you are sure the "
            "file was not edited.",
        )
    schema = _schema_revision(conn)
    if manifest.get("schema") != schema:
        raise BackupRefused(
            "bad_backup_schema",
            f"ไฟล์สำรองมาจากฐานข้อมูลรุ่น {manifest.get('schema')} แต่ฐานข้อมูลนี้เป็นรุ่น {schema}: ใช้โปรแกรมรุ่นเดียวกับที่สร้างไฟล์สำรอง",
            f"The backup comes from schema revision {manifest.get('schema')}, this database is at "
            f"{schema}: restore with the release that made it.",
        )
    members = manifest.get("members")
    expected = {f"tables/{t.name}.jsonl" for t in SQLModel.metadata.sorted_tables}
    if not isinstance(members, dict) or set(members) != expected:
        raise _damaged("รายการตารางไม่ครบหรือเกิน", "the list of tables is incomplete or has extra ones")
    if names != expected | {MANIFEST, SIGNATURE}:
        missing = sorted(expected - names)
        if missing:
            raise _damaged(f"ไม่มี {', '.join(missing)}", f"missing {', '.join(missing)}")
        raise _altered("มีไฟล์ที่ไม่อยู่ในรายการ", "it holds files its manifest does not list")
    for name in sorted(expected):
        entry = members[name]
        if not isinstance(entry, dict) or not isinstance(entry.get("size"), int) or entry["size"] > max_member_bytes:
            raise _damaged(f"{name} ใหญ่เกินกำหนด", f"{name} is larger than allowed")
        sha, size = hashlib.sha256(), 0
        try:
            for chunk in _read_capped(zf, name, entry["size"]):
                sha.update(chunk)
                size += len(chunk)
        except _TooLarge:
            raise _altered(f"{name} ยาวกว่าที่บันทึกไว้", f"{name} is longer than recorded") from None
        if size != entry["size"] or sha.hexdigest() != entry.get("sha256"):
            raise _altered(f"{name} ไม่ตรงกับค่าตรวจสอบ", f"{name} does not match its digest")
    return _Checked(manifest, verified)


def holdings(*, engine: Engine) -> dict[str, int]:
    """Row counts of the tables that make a database hold data (empty when it holds none)."""
    with engine.connect() as conn:
        counts = {
            t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in SQLModel.metadata.sorted_tables
            if t.name not in BOOKKEEPING
        }
    return {name: n for name, n in counts.items() if n}


def _holds_data(held: dict[str, int]) -> BackupRefused:
    th = {"submission": "ผลงาน", "scoresheet": "ใบให้คะแนน", "score": "คะแนน", "user": "บัญชีผู้ใช้"}
    shown = [(th[k], k, held.get(k, 0)) for k in th]
    return BackupRefused(
        "target_not_empty",
        "ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว ("
        + ", ".join(f"{label} {n:,}" for label, _, n in shown)
        + ") การกู้คืนจะแทนที่ทั้งหมด: ใช้ --force เพื่อยืนยัน (ระบบจะสำรองข้อมูลเดิมไว้ก่อน)",
        "The target database already holds data ("
        + ", ".join(
            f"{n:,} {en}"
            for (_, _, n), en in zip(shown, ("submissions", "score sheets", "scores", "user accounts"), strict=True)
        )
        + "); a restore replaces all of it. Use --force to confirm (a safety backup of it is written first).",
    )


def restore(
    *,
    engine: Engine,
    path: Path,
    force: bool = False,
    safety_path: Path | None = None,
    accept_unsigned: bool = False,
    max_member_bytes: int = MAX_MEMBER_BYTES,
) -> BackupSummary:
    """Replace the database's contents with the snapshot (the schema must already be at the newest revision).

    The whole file is verified first. A target holding data is refused unless force, and then safety_path
    receives a backup of it before anything is replaced. Every malformed backup ends in one BackupRefused, and
    the target is left as it was."""
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupRefused("no_backup", f"ไม่พบไฟล์ {path}", f"There is no file {path}.") from None
    except (OSError, zipfile.BadZipFile, ValueError):
        raise _damaged("ไม่ใช่ไฟล์ zip", "not a zip file") from None
    with zf:
        try:
            with engine.connect() as conn:
                checked = _check(zf, conn, accept_unsigned=accept_unsigned, max_member_bytes=max_member_bytes)
        except DomainError:
            raise
        except (OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError) as e:
            # zlib.error, a truncated member, an encrypted one: all the same to the person restoring
            raise _damaged("อ่านเนื้อไฟล์ไม่ได้", f"its content cannot be read: {type(e).__name__}") from None
        held = holdings(engine=engine)
        safety: Path | None = None
        if held:
            if not force:
                raise _holds_data(held)
            if safety_path is None:
                raise ValueError("a forced restore onto a database holding data needs safety_path")
            safety = backup(engine=engine, path=safety_path).path
        try:
            tables = _replace(engine, zf)
        except DomainError:
            raise
        except (
            json.JSONDecodeError,
            UnicodeDecodeError,
            binascii.Error,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            SQLAlchemyError,
        ) as e:
            raise _damaged(
                "ข้อมูลในตารางใส่ลงฐานข้อมูลไม่ได้", f"its rows do not fit the database: {type(e).__name__}"
            ) from None
    return BackupSummary(path, tables, safety, checked.verified, held)


def _replace(engine: Engine, zf: zipfile.ZipFile) -> dict[str, int]:
    """Delete every row and insert the backup's, in one transaction (a failure leaves the target as it was)."""
    tables: dict[str, int] = {}
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            stmt = table.delete()
            if table.name == "app_secret":  # this server's own key stays (the backup never carries one)
                stmt = stmt.where(table.c.name.not_in(SERVER_ONLY_SECRETS))
            conn.execute(stmt)
        for table in SQLModel.metadata.sorted_tables:
            columns = set(table.columns.keys())
            rows = []
            for line in io.TextIOWrapper(zf.open(f"tables/{table.name}.jsonl"), encoding="utf-8"):
                if not line.strip():
                    continue
                row = json.loads(line)
                if not isinstance(row, dict) or not set(row) <= columns:
                    raise _damaged(f"แถวในตาราง {table.name} ผิดรูปแบบ", f"a row of {table.name} has the wrong shape")
                if table.name == "app_secret" and row.get("name") in SERVER_ONLY_SECRETS:
                    continue
                rows.append({k: _decode(v) for k, v in row.items()})
            if rows:
                conn.execute(table.insert(), rows)
            tables[table.name] = len(rows)
        if conn.dialect.name == "postgresql":
            # Serial columns must continue after the restored ids.
            for table in SQLModel.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and pk[0].autoincrement is not False:
                    conn.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{pk[0].name}'), "
                            f'COALESCE((SELECT MAX({pk[0].name}) FROM "{table.name}"), 0) + 1, false)'
                        )
                    )
    return tables
