"""Backup and restore: a consistent, database-neutral snapshot (every table, stored files included) in one zip."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models  # noqa: F401  (every table on the metadata)
from services.db import READ_ONLY_OPTION
from services.errors import ValidationFailed

FORMAT_VERSION = 1


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: dict[str, int]


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
            return base64.b64decode(value["$b64"])
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
    return value


def backup(*, engine: Engine, path: Path) -> BackupSummary:
    """Write every table to path inside one read transaction, so the snapshot is consistent while the app runs."""
    tables: dict[str, int] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
            with zf.open(f"tables/{table.name}.jsonl", "w") as fh:
                n = 0
                for row in rows:
                    fh.write(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False).encode() + b"\n")
                    n += 1
            tables[table.name] = n
        zf.writestr("manifest.json", json.dumps({"format": FORMAT_VERSION, "tables": tables}))
    tmp.replace(path)
    return BackupSummary(path, tables)


def restore(*, engine: Engine, path: Path) -> BackupSummary:
    """Replace the database's contents with the snapshot (the schema must already be at the newest revision)."""
    try:
        zf = zipfile.ZipFile(path)
        manifest = json.loads(zf.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as e:
        raise ValidationFailed("bad_backup", f"ไฟล์สำรองข้อมูลเสียหายหรือไม่ใช่ไฟล์สำรองของระบบนี้: {e}",
                               f"The backup file is damaged or not one of ours: {e}") from e
    if manifest.get("format") != FORMAT_VERSION:
        raise ValidationFailed("bad_backup_version", "รุ่นของไฟล์สำรองข้อมูลไม่ตรงกับระบบ",
                               "The backup's format version does not match.")
    tables: dict[str, int] = {}
    with zf, engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in SQLModel.metadata.sorted_tables:
            rows = [
                {k: _decode(v) for k, v in json.loads(line).items()}
                for line in io.TextIOWrapper(zf.open(f"tables/{table.name}.jsonl"), encoding="utf-8")
                if line.strip()
            ]
            if rows:
                conn.execute(table.insert(), rows)
            tables[table.name] = len(rows)
        if conn.dialect.name == "postgresql":
            # Serial columns must continue after the restored ids.
            for table in SQLModel.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and pk[0].autoincrement is not False:
                    conn.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{pk[0].name}'), "
                        f"COALESCE((SELECT MAX({pk[0].name}) FROM \"{table.name}\"), 0) + 1, false)"))
    return BackupSummary(path, tables)
