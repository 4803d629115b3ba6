"""The signed-form check run in a separate, limited process, so one hostile PDF or image cannot hold the app.

documents.check_signed_form already bounds its own work (pages, decoded content); this is the backstop for what it
cannot foresee (a font or an image format that is slow to parse): the check runs in a child Python process with
RLIMIT_CPU and RLIMIT_AS and a wall-clock timeout, and at most `CONCURRENT_CHECKS` children run at once in this app
process, so a burst of uploads queues instead of taking every core. The child sends its verdict back as JSON.
Run as `python -m services.intake.form_check` it reads the file from stdin.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import resource
import subprocess
import sys
import threading
from collections import OrderedDict
from typing import Any

from services.intake.documents import DEFAULT_MAX_FORM_BYTES, DEFAULT_MAX_PIXELS, DocumentError
from services.intake.signed_form import FormInfo, check_signed_form
from services.platform.settings import PROJECT_ROOT

CPU_SECONDS = 5
ADDRESS_SPACE_BYTES = 1536 * 1024 * 1024
WALL_SECONDS = 20.0
# Waiting for a free slot counts too: past this the applicant is told to try again rather than left waiting.
QUEUE_SECONDS = 60.0
CONCURRENT_CHECKS = max(1, (os.cpu_count() or 2) // 2)
_slots = threading.BoundedSemaphore(CONCURRENT_CHECKS)
# Verdicts of the child by (sha256, limits): the same file checked again (the demo's 45 copies of one scan, an
# applicant re-sending) costs no new process. Only the child's own verdicts are kept, never a timeout or a busy refusal.
_VERDICTS_KEPT = 256
_verdicts: OrderedDict[tuple[str, int, int], dict[str, Any]] = OrderedDict()
_verdicts_lock = threading.Lock()


def _too_costly() -> DocumentError:
    return DocumentError(
        "form_too_costly",
        "ระบบตรวจไฟล์นี้ไม่เสร็จในเวลาที่กำหนด ไฟล์อาจซับซ้อนหรือเสียหายผิดปกติ กรุณาสแกนใบส่งโครงการที่ลงนามแล้วใหม่ "
        "เป็น PDF หรือ JPG (หรือสั่งพิมพ์เป็น PDF ใหม่) แล้วอัปโหลดอีกครั้ง",
        "Checking this file did not finish in the time allowed; it may be abnormally complex or damaged. Scan the "
        "signed form again as PDF or JPG (or print it to a new PDF) and upload that.",
    )


def _busy() -> DocumentError:
    return DocumentError(
        "form_check_busy",
        "ขณะนี้มีผู้อัปโหลดไฟล์พร้อมกันจำนวนมาก กรุณารอสักครู่แล้วอัปโหลดใหม่ ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย",
        "Many files are being uploaded right now. Please wait a moment and upload again; nothing saved is lost.",
    )


def _limit_child() -> None:  # between fork and exec, in the child only
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child_command(max_bytes: int, max_pixels: int) -> list[str]:
    return [sys.executable, "-m", "services.intake.form_check", str(max_bytes), str(max_pixels)]


def check_signed_form_isolated(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_FORM_BYTES, max_pixels: int = DEFAULT_MAX_PIXELS
) -> FormInfo:
    """check_signed_form in a limited child process: its FormInfo, or its DocumentError, or a DocumentError saying
    the check cost too much (CPU, memory or time) or that too many checks are waiting."""
    if len(data) > max_bytes or not data:
        return check_signed_form(data, filename, max_bytes=max_bytes, max_pixels=max_pixels)  # refused at once
    key = (hashlib.sha256(data).hexdigest(), max_bytes, max_pixels)
    with _verdicts_lock:
        known = _verdicts.get(key)
    verdict = known if known is not None else _run_child(data, filename, max_bytes, max_pixels)
    if known is None and ("form" in verdict or "error" in verdict):
        with _verdicts_lock:
            _verdicts[key] = verdict
            while len(_verdicts) > _VERDICTS_KEPT:
                _verdicts.popitem(last=False)
    if "form" in verdict:
        return FormInfo(**verdict["form"])
    error = DocumentError(*verdict["error"]) if "error" in verdict else _too_costly()
    error.filename = filename
    raise error


def _run_child(data: bytes, filename: str, max_bytes: int, max_pixels: int) -> dict[str, Any]:
    """The child's verdict ({"form": …} or {"error": […]}), or {} when it ran out of CPU, memory or time."""
    if not _slots.acquire(timeout=QUEUE_SECONDS):
        error = _busy()
        error.filename = filename
        raise error
    try:
        done = subprocess.run(
            _child_command(max_bytes, max_pixels),
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
            cwd=PROJECT_ROOT,
            preexec_fn=_limit_child,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        )
        verdict: Any = json.loads(done.stdout) if done.returncode == 0 else {}
    except (subprocess.TimeoutExpired, ValueError):
        verdict = {}
    finally:
        _slots.release()
    return verdict if isinstance(verdict, dict) else {}


def _main() -> None:
    max_bytes, max_pixels = int(sys.argv[1]), int(sys.argv[2])
    data = sys.stdin.buffer.read(max_bytes + 1)
    try:
        info = check_signed_form(data, "", max_bytes=max_bytes, max_pixels=max_pixels)
        verdict: dict[str, Any] = {"form": dataclasses.asdict(info)}
    except DocumentError as exc:
        verdict = {"error": [exc.code, exc.message_th, exc.message_en]}
    except MemoryError:
        sys.exit(3)  # the parent reports it as too costly
    sys.stdout.write(json.dumps(verdict))


if __name__ == "__main__":
    _main()
