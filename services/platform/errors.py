"""Domain errors: each carries a message a person can act on, in Thai and in English."""

from __future__ import annotations


class DomainError(Exception):
    """Raised by services; pages show message(lang) and never a traceback."""

    def __init__(self, code: str, message_th: str, message_en: str = "") -> None:
        super().__init__(code, message_th, message_en)  # all three, so the error survives pickling
        self.code = code
        self.message_th = message_th
        self.message_en = message_en or message_th

    def __str__(self) -> str:
        return self.message_th

    def message(self, lang: str = "th") -> str:
        return self.message_en if lang == "en" else self.message_th


class NotFound(DomainError):
    """Named constructors for the things several services look up, so each is worded once."""

    @classmethod
    def edition(cls) -> NotFound:
        return cls("no_edition", "ไม่พบรุ่นการประกวดนี้", "No such contest edition.")

    @classmethod
    def submission(cls) -> NotFound:
        return cls("no_submission", "ไม่พบผลงานนี้", "No such submission.")

    @classmethod
    def user(cls) -> NotFound:
        return cls("no_user", "ไม่พบผู้ใช้นี้", "No such user.")

    @classmethod
    def judge(cls) -> NotFound:
        return cls("no_judge", "ไม่พบกรรมการท่านนี้", "No such judge.")

    @classmethod
    def pitch_day(cls) -> NotFound:
        return cls("no_day", "ไม่พบวันนำเสนอนี้", "No such day.")


class Forbidden(DomainError):
    pass


class ValidationFailed(DomainError):
    pass
