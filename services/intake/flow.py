"""The guided submission: a draft saved at every step, sent with its declarations; one-shot intake."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any, Protocol

from sqlmodel import Session

from models import (
    AttachmentKind,
    Edition,
    Organisation,
    Submission,
    SubmissionStatus,
)
from services.intake import documents, eligibility, questionnaire
from services.intake.access import (
    _authorised,
    _check_open,
    _for_edit,
    _new_codes,
    _organisation_of,
    deadline_of,
    edition_of,
    hash_token,
)
from services.intake.files import attach_upload, attachments, check_files
from services.intake.phrases import DECLARATION
from services.intake.records import (
    EDITABLE_STATUSES,
    PERSONAL_FIELDS,
    STEP_CONFIRM,
    STEP_CONTACTS,
    STEP_DOCUMENTS,
    STEP_ORGANISATION,
    STEP_PROJECT,
    STEP_SEND,
    Access,
    ContactsStep,
    DraftView,
    Missing,
    OrganisationStep,
    ProjectStep,
    Receipt,
    Started,
    SubmissionForm,
    SubmissionRejected,
    Upload,
)
from services.intake.validation import (
    normalise_phone,
    validate_contacts,
    validate_declarations,
    validate_form,
    validate_organisation,
    validate_project,
)
from services.mail import notify as mail_notify
from services.platform import audit, ratelimit, text_limits
from services.platform.clock import contest_now
from services.platform.errors import DomainError, ValidationFailed
from services.thai import geo

# --- the guided flow -----------------------------------------------------------------------------------------------


def _audit_change(session: Session, sub: Submission, action: str, actor: str, changes: dict[str, Any]) -> None:
    """Apply changes to the submission and audit what differed (personal data as 'changed', not its value)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, value in changes.items():
        old = getattr(sub, key)
        if old == value:
            continue
        masked = key in PERSONAL_FIELDS
        before[key] = "•••" if masked and old else (old.isoformat() if isinstance(old, date) else old)
        after[key] = "(changed)" if masked else (value.isoformat() if isinstance(value, date) else value)
        setattr(sub, key, value)
    audit.record(
        session=session,
        actor=actor,
        action=action,
        entity="submission",
        entity_id=sub.id,
        before=before or None,
        after=after or {"saved": True},
    )


def _contact_changes(contacts: ContactsStep) -> dict[str, Any]:
    return {
        "submitter_name": contacts.submitter_name.strip(),
        "submitter_position": contacts.submitter_position.strip(),
        "submitter_has_signing_authority": contacts.submitter_has_signing_authority,
        "coordinator_name": contacts.coordinator_name.strip(),
        "coordinator_phone": normalise_phone(contacts.coordinator_phone),
        "coordinator_email": contacts.coordinator_email.strip().lower(),
    }


def _project_changes(project: ProjectStep) -> dict[str, Any]:
    extension = project.is_new_initiative is False
    partner = project.developed_by == "partner"
    known = geo.province_by_name(project.partner_province) if partner else None
    return {
        "title": project.title.strip(),
        "category": project.category,
        "golive_date": project.golive_date,
        "is_new_initiative": project.is_new_initiative,
        "earlier_project_name": project.earlier_project_name.strip() if extension else "",
        "earlier_project_year_be": project.earlier_project_year_be if extension else None,
        "developed_by": project.developed_by,
        "partner_name": project.partner_name.strip() if partner else "",
        "partner_province": known.name_th if known else "",
        "digital_declared": project.digital_declared,
    }


def _actor(sub: Submission) -> str:
    return f"applicant:{sub.receipt_code}"


def _touch(sub: Submission, step: int, now: datetime) -> None:
    sub.draft_step = max(sub.draft_step, step)
    sub.updated_at = now


def start(*, session: Session, edition_id: int, organisation: OrganisationStep, now: datetime | None = None) -> Started:
    """Step 1: save the organisation as a new draft, and hand out its receipt code and secret edit token."""
    edition = edition_of(session, edition_id)
    now = now or contest_now()
    _check_open(edition, None, now)
    organisation = text_limits.cleaned_fields(organisation)
    problems = validate_organisation(organisation)
    if problems:
        raise SubmissionRejected(problems)
    org = _organisation_of(session, organisation)
    assert org.id is not None
    return _new_draft(session, edition, org.id, STEP_ORGANISATION, now, {"organisation": org.short_name})


def start_another(*, session: Session, access: Access, now: datetime | None = None) -> Started:
    """ "Submit another project": a new draft with the organisation and contacts carried over, at the project step."""
    now = now or contest_now()
    source = _authorised(session, access)
    edition = edition_of(session, source.edition_id)
    _check_open(edition, None, now)
    carried = (
        "submitter_name",
        "submitter_position",
        "submitter_has_signing_authority",
        "coordinator_name",
        "coordinator_phone",
        "coordinator_email",
    )
    return _new_draft(
        session,
        edition,
        source.organisation_id,
        STEP_CONTACTS,
        now,
        {"carried_from": source.receipt_code},
        **{f: getattr(source, f) for f in carried},
    )


def _new_draft(
    session: Session,
    edition: Edition,
    organisation_id: int,
    step: int,
    now: datetime,
    audited: dict[str, Any],
    **fields: Any,
) -> Started:
    """A new draft of organisation_id at `step` with fresh codes (fields: what it starts with), audited."""
    assert edition.id is not None
    code, token = _new_codes(session, edition)
    sub = Submission(
        edition_id=edition.id,
        organisation_id=organisation_id,
        title="",
        category="",
        status=SubmissionStatus.draft,
        receipt_code=code,
        edit_token_hash=hash_token(token),
        draft_step=step,
        updated_at=now,
        **fields,
    )
    session.add(sub)
    session.flush()
    audit.record(
        session=session,
        actor=_actor(sub),
        action="submission.draft_start",
        entity="submission",
        entity_id=sub.id,
        after=audited,
    )
    session.commit()
    access = Access(code, token)
    return Started(access, load(session=session, access=access, now=now))


def save_organisation(
    *, session: Session, access: Access, organisation: OrganisationStep, now: datetime | None = None
) -> DraftView:
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    organisation = text_limits.cleaned_fields(organisation)
    problems = validate_organisation(organisation)
    if problems:
        raise SubmissionRejected(problems)
    org = _organisation_of(session, organisation)
    _audit_change(session, sub, "submission.edit_organisation", _actor(sub), {"organisation_id": org.id})
    _touch(sub, STEP_ORGANISATION, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_contacts(
    *, session: Session, access: Access, contacts: ContactsStep, now: datetime | None = None
) -> DraftView:
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    contacts = text_limits.cleaned_fields(contacts)
    problems = validate_contacts(contacts, require_authority=True)
    if problems:
        raise SubmissionRejected(problems)
    _audit_change(session, sub, "submission.edit_contacts", _actor(sub), _contact_changes(contacts))
    _touch(sub, STEP_CONTACTS, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_project(*, session: Session, access: Access, project: ProjectStep, now: datetime | None = None) -> DraftView:
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    project = text_limits.cleaned_fields(project)
    problems = validate_project(project, require_character=True, now=now)
    if problems:
        raise SubmissionRejected(problems)
    _audit_change(session, sub, "submission.edit_project", _actor(sub), _project_changes(project))
    _touch(sub, STEP_PROJECT, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_documents(
    *,
    session: Session,
    access: Access,
    deck: Upload | None = None,
    signed_form: Upload | None = None,
    now: datetime | None = None,
    client: str | None = None,
) -> DraftView:
    """Step 4: check and store the deck and/or the signed form (a new file replaces the earlier one).

    With `client` (the page's rate-limit identity), each file counts against the per-client upload limit, committed
    before the check so that refused files count too: checking is what costs."""
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    assert sub.id is not None
    files = {k: u for k, u in ((AttachmentKind.deck, deck), (AttachmentKind.signed_form, signed_form)) if u}
    if client is not None and files:
        limit = ratelimit.upload_limit()
        subject = ratelimit.subject_of(session=session, bucket=limit.bucket, client=client)
        for _ in files:
            ratelimit.hit(session=session, limit=limit, subject=subject)
        session.commit()
    have = {a.kind for a in attachments(session=session, submission_id=sub.id)}
    missing = [k for k in AttachmentKind if k not in have and k not in files]
    if missing:
        raise SubmissionRejected(
            [
                ValidationFailed(
                    "attach_both",
                    "กรุณาแนบทั้งไฟล์นำเสนอและใบส่งโครงการที่ลงนามแล้ว",
                    "Attach both the presentation and the signed form.",
                )
            ]
        )
    analyses, problems = check_files(files)
    if problems:
        raise SubmissionRejected(problems)
    for kind, upload in files.items():
        attach_upload(session, sub.id, kind, upload, analyses[kind])
    audit.record(
        session=session,
        actor=_actor(sub),
        action="submission.upload",
        entity="submission",
        entity_id=sub.id,
        after={str(k): documents.sha256_hex(u.data) for k, u in files.items()},
    )
    _touch(sub, STEP_DOCUMENTS, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def send(*, session: Session, access: Access, declarations: dict[str, bool], now: datetime | None = None) -> DraftView:
    """Step 5 ("send"): the four declarations ticked and everything the form asks present; the draft becomes a
    submission. Sending again after an edit only records the declarations."""
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    assert sub.id is not None
    org = session.get(Organisation, sub.organisation_id)
    kinds = {a.kind for a in attachments(session=session, submission_id=sub.id)}
    gaps = [
        ValidationFailed(m.code, m.message_th, m.message_en)
        for m in missing_of(sub, kinds, include_declarations=False, include_confirm=False)
    ]
    problems: list[DomainError] = [*gaps, *validate_declarations(declarations)]
    if problems:
        raise SubmissionRejected(problems)
    sub.declarations = {code: True for code in DECLARATION}
    first = sub.status == SubmissionStatus.draft
    if first:
        sub.status = SubmissionStatus.submitted
        sub.submitted_at = now
    audit.record(
        session=session,
        actor=_actor(sub),
        action="submission.submit" if first else "submission.resend",
        entity="submission",
        entity_id=sub.id,
        after={"title": sub.title, "organisation": org.short_name if org else ""},
    )
    if first:  # the receipt, with the edit link: the token is in hand only here
        mail_notify.submission_sent(session=session, submission=sub, token=access.edit_token.strip())
    _touch(sub, STEP_SEND, now)
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


def save_answers(
    *,
    session: Session,
    access: Access,
    answers: questionnaire.Answers,
    confirm: bool = False,
    now: datetime | None = None,
) -> DraftView:
    """Step 7's questions: saved as they are; with `confirm`, checked for completeness and the submission is
    confirmed."""
    now = now or contest_now()
    sub, _ = _for_edit(session, access, now)
    if sub.status == SubmissionStatus.draft:
        raise ValidationFailed(
            "send_first",
            'กรุณากด "ส่ง" ก่อน แล้วจึงตอบคำถามและกดยืนยัน',
            'Press "Send" first, then answer the questions and confirm.',
        )
    answers = questionnaire.normalise(answers)
    problems = questionnaire.validate(answers, for_confirm=confirm)
    if problems:
        raise SubmissionRejected(problems)
    sub.answers = questionnaire.dump_answers(answers)
    after: dict[str, Any] = {
        "digital_tools": answers.digital_tools,
        "communication_channels": answers.communication_channels,
    }
    if confirm:
        sub.confirmed_at = now
        after["confirmed"] = True
        _touch(sub, STEP_CONFIRM, now)
    else:
        sub.updated_at = now
    audit.record(
        session=session,
        actor=_actor(sub),
        action="submission.confirm" if confirm else "submission.answers",
        entity="submission",
        entity_id=sub.id,
        after=after,
    )
    session.add(sub)
    session.commit()
    return load(session=session, access=access, now=now)


class Completable(Protocol):
    """What missing_of reads of a submission: a Submission, or the screening list's light row of it."""

    @property
    def submitter_name(self) -> str: ...
    @property
    def submitter_position(self) -> str: ...
    @property
    def submitter_has_signing_authority(self) -> bool: ...
    @property
    def coordinator_name(self) -> str: ...
    @property
    def coordinator_phone(self) -> str: ...
    @property
    def coordinator_email(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def golive_date(self) -> date | None: ...
    @property
    def is_new_initiative(self) -> bool | None: ...
    @property
    def developed_by(self) -> str: ...
    @property
    def declarations(self) -> dict[str, Any]: ...
    @property
    def confirmed_at(self) -> object: ...  # read as "confirmed or not"


def missing_of(
    sub: Completable,
    kinds: set[AttachmentKind] | frozenset[AttachmentKind],
    *,
    include_declarations: bool = True,
    include_confirm: bool = True,
) -> list[Missing]:
    """What the call asks that this submission does not have yet."""
    gaps: list[Missing] = []

    def need(ok: object, code: str, th: str, en: str) -> None:
        if not ok:
            gaps.append(Missing(code, th, en))

    need(
        sub.submitter_name and sub.submitter_position,
        "missing_submitter",
        "ยังไม่มีชื่อและตำแหน่งผู้ส่งโครงการ",
        "The submitter's name and position are missing.",
    )
    need(
        sub.submitter_has_signing_authority,
        "no_signing_authority",
        "ยังไม่ได้ยืนยันว่าผู้ส่งเป็นผู้มีอำนาจลงนาม",
        "The submitter's signing authority is not confirmed.",
    )
    need(
        sub.coordinator_name and sub.coordinator_phone and sub.coordinator_email,
        "missing_coordinator",
        "ยังไม่มีข้อมูลผู้ประสานงาน (ชื่อ โทรศัพท์ อีเมล)",
        "The coordinator's contacts are missing.",
    )
    need(
        sub.title and sub.category,
        "missing_project",
        "ยังไม่มีชื่อโครงการหรือประเภทผลงาน",
        "The project title or category is missing.",
    )
    need(sub.golive_date, "missing_golive", "ยังไม่ได้ระบุวันที่เริ่มใช้งานจริง", "The go-live date is missing.")
    need(
        sub.is_new_initiative is not None and sub.developed_by,
        "missing_character",
        "ยังไม่ได้ระบุลักษณะโครงการ (ริเริ่มใหม่/ต่อยอด และรูปแบบการพัฒนา)",
        "The character of the project (new or extension; how it was developed) is missing.",
    )
    need(AttachmentKind.deck in kinds, "missing_deck", "ยังไม่ได้แนบไฟล์นำเสนอ (.pptx)", "The deck (.pptx) is missing.")
    need(
        AttachmentKind.signed_form in kinds,
        "missing_signed_form",
        "ยังไม่ได้แนบใบส่งโครงการที่ลงนามแล้ว",
        "The signed submission form is missing.",
    )
    if include_declarations:
        need(
            all(sub.declarations.get(c) for c in DECLARATION),
            "declarations",
            "ยังไม่ได้ยอมรับเงื่อนไขทั้ง 4 ข้อ",
            "The four declarations are not all accepted.",
        )
    if include_confirm:
        need(
            sub.confirmed_at,
            "not_confirmed",
            "ยังไม่ได้ตอบคำถามขั้นตอนที่ 7 และกดยืนยัน",
            "The step-7 questions have not been answered and confirmed.",
        )
    return gaps


def eligibility_of(sub: Submission, org: Organisation | None, edition: Edition) -> eligibility.Eligibility:
    return eligibility.assess(
        org_type=str(org.org_type) if org else None,
        golive_date=sub.golive_date,
        golive_cutoff=edition.golive_cutoff,
        digital_declared=sub.digital_declared,
        confirmed_by=sub.eligibility_confirmed_by,
    )


def load(*, session: Session, access: Access, now: datetime | None = None) -> DraftView:
    """The applicant's own submission, opened with the receipt code and edit token."""
    sub = _authorised(session, access)
    return _draft_view(session, sub, now or contest_now())


def _draft_view(session: Session, sub: Submission, now: datetime) -> DraftView:
    assert sub.id is not None
    edition = edition_of(session, sub.edition_id)
    org = session.get(Organisation, sub.organisation_id)
    assert org is not None
    files = tuple(attachments(session=session, submission_id=sub.id))
    deadline = deadline_of(edition, sub)
    return DraftView(
        id=sub.id,
        edition_id=sub.edition_id,
        receipt_code=sub.receipt_code,
        status=SubmissionStatus(sub.status),
        draft_step=sub.draft_step,
        organisation=OrganisationStep(str(org.org_type), org.name, org.province, org.district, org.subdistrict),
        full_name=org.full_name,
        short_name=org.short_name,
        contacts=ContactsStep(
            sub.submitter_name,
            sub.submitter_position,
            sub.coordinator_name,
            sub.coordinator_phone,
            sub.coordinator_email,
            sub.submitter_has_signing_authority,
        ),
        project=ProjectStep(
            sub.title,
            sub.category,
            sub.golive_date,
            sub.is_new_initiative,
            sub.earlier_project_name,
            sub.earlier_project_year_be,
            sub.developed_by,
            sub.partner_name,
            sub.partner_province,
            sub.digital_declared,
        ),
        declarations={k: bool(v) for k, v in sub.declarations.items()},
        answers=questionnaire.load_answers(sub.answers),
        attachments=files,
        submitted_at=sub.submitted_at,
        confirmed_at=sub.confirmed_at,
        deadline=deadline,
        editable=SubmissionStatus(sub.status) in EDITABLE_STATUSES and edition.intake_opens_at <= now <= deadline,
        eligibility=eligibility_of(sub, org, edition),
        missing=tuple(missing_of(sub, {a.kind for a in files})),
    )


# --- one-shot intake (re-keyed entries, `ldaward import`) -------------------------------------------------------


def submit(
    *,
    session: Session,
    edition_id: int,
    form: SubmissionForm,
    deck: Upload,
    signed_form: Upload,
    now: datetime | None = None,
    actor: str | None = None,
    enforce_deadline: bool = True,
) -> Receipt:
    """Check everything, then save the submission and its files in one transaction and return the receipt."""
    edition = edition_of(session, edition_id)
    now = now or contest_now()
    if enforce_deadline:
        _check_open(edition, None, now)
    # cleaned as the guided flow cleans each step
    form = replace(
        form,
        organisation=text_limits.cleaned_fields(form.organisation),
        contacts=text_limits.cleaned_fields(form.contacts),
        project=text_limits.cleaned_fields(form.project),
    )
    analyses, file_problems = check_files({AttachmentKind.deck: deck, AttachmentKind.signed_form: signed_form})
    problems = validate_form(form) + file_problems
    if problems:
        raise SubmissionRejected(problems)
    org = _organisation_of(session, form.organisation)
    code, token = _new_codes(session, edition)
    assert org.id is not None
    sub = Submission(
        edition_id=edition_id,
        organisation_id=org.id,
        status=SubmissionStatus.submitted,
        receipt_code=code,
        edit_token_hash=hash_token(token),
        declarations={c: bool(form.declarations.get(c)) for c in DECLARATION},
        submitted_at=now,
        draft_step=STEP_SEND,
        **_contact_changes(form.contacts),
        **_project_changes(form.project),
    )
    session.add(sub)
    session.flush()
    assert sub.id is not None
    for kind, upload in ((AttachmentKind.deck, deck), (AttachmentKind.signed_form, signed_form)):
        attach_upload(session, sub.id, kind, upload, analyses[kind])
    audit.record(
        session=session,
        actor=actor or f"applicant:{code}",
        action="submission.submit",
        entity="submission",
        entity_id=sub.id,
        after={"title": sub.title, "organisation": org.short_name},
    )
    # The receipt with its edit link, as a work sent through the guided form gets (the organisers' bulk import
    # comes here): the coordinator can answer the questionnaire and correct the work without asking for a token.
    mail_notify.submission_sent(session=session, submission=sub, token=token)
    session.commit()
    return Receipt(sub.id, code, token, org.full_name, sub.title, now)
