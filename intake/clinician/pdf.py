"""The summary as a PDF (fpdf2, pure Python): the same sections, in the same order, as the summary page."""

from __future__ import annotations

import unicodedata

from django.utils import timezone
from fpdf import FPDF

from .selectors.summary import SummaryView

# The PDF core fonts cover Latin-1 only; the few other characters of our wording get plain equivalents.
_PLAIN = str.maketrans(
    {"—": "-", "–": "-", "≥": ">=", "≤": "<=", "→": "->", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...",
     "⚠": "(!)", "•": "-", "×": "x", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ø": "O", "ø": "o"}
)


def _latin1(char: str) -> str:
    try:
        char.encode("latin-1")
        return char
    except UnicodeEncodeError:
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        return base or "?"  # e.g. ń -> n; a character with no Latin base letter -> ?


def plain(text) -> str:
    return "".join(_latin1(c) for c in str(text).translate(_PLAIN))


class _Doc(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, plain(f"{self.footer_text} - page {self.page_no()}/{{nb}}"), align="C")


def summary_pdf(view: SummaryView) -> bytes:
    intake, patient = view.intake, view.intake.patient
    doc = _Doc(f"Intake {intake.pk}, {patient} - confidential clinical information")
    doc.set_title(plain(f"Intake summary {intake.pk}"))
    doc.set_creator("Clinic intake")
    doc.set_auto_page_break(True, margin=16)
    doc.add_page()

    def heading(text: str, size: int = 12) -> None:
        doc.ln(2)
        doc.set_font("Helvetica", "B", size)
        doc.multi_cell(0, 6, plain(text), new_x="LMARGIN", new_y="NEXT")
        doc.set_font("Helvetica", "", 10)

    def line(text: str, bold: bool = False, indent: int = 0) -> None:
        doc.set_font("Helvetica", "B" if bold else "", 10)
        doc.set_x(doc.l_margin + indent)
        doc.multi_cell(0, 5, plain(text), new_x="LMARGIN", new_y="NEXT")

    heading("Intake summary", 16)
    dob = f"{patient.date_of_birth:%d %b %Y}" if patient.date_of_birth else "not recorded"
    line(f"Patient: {patient}    Date of birth: {dob}")
    local = timezone.localtime(intake.submitted_at)
    line(f"Submitted: {local:%d %b %Y %H:%M}    Rules version: {view.rules_version or '-'}")
    line(f"Overall tier: {view.tier_label}", bold=True)
    if view.failed:
        heading("Summary failed - review manually")
        line("The triage engine could not produce a summary for this intake. Review every answer manually; the "
             "absence of flags here does not mean there are none.")
        return bytes(doc.output())

    heading("Red flags")
    if not view.red_flags:
        line("No red flag fired.")
    for flag in view.red_flags:
        line(f"{flag.id} - {flag.title}  [{flag.tier} / {flag.action}]", bold=True)
        line(f"Action: {flag.action_label}", indent=4)
        for f in flag.facts:
            line(f"Answer: {f.question or f.path}: {f.answer or f.value}  ({f.path}={f.value})", indent=4)
        line(f"Sources: {', '.join(flag.sources)}", indent=4)
        row = flag.row
        if row is not None and row.acknowledged_at:
            who = row.acknowledged_by.get_username() if row.acknowledged_by else "-"
            when = timezone.localtime(row.acknowledged_at)
            line(f"Acknowledged by {who} on {when:%d %b %Y %H:%M}: {row.acknowledgement_note or '-'}", indent=4)
        else:
            line("Not yet acknowledged", indent=4)
    if view.notes:
        heading("Notes")
        for note in view.notes:
            line(f"{note.id}: {note.text}" + (f"  [{note.tier} / {note.action}]" if note.tier else ""))

    heading("Precautions")
    line("; ".join(label for _code, label in view.precautions) if view.precautions else "None.")

    heading("Back pain")
    if view.back_pain:
        for label, value in view.back_rows:
            line(f"{label}: {value}")
    else:
        line("No back pain reported.")

    heading("Headache")
    line(f"Phenotype status: {view.headache_status_label}")
    if view.suppressed:
        line(view.suppression_message, bold=True)
        if view.suppressing_flags:
            line(f"Suppressed by: {', '.join(view.suppressing_flags)}")
    for p in view.phenotypes:
        line(f"{p.get('code')}: {p.get('label')} ({p.get('certainty')})")
    for hint in view.secondary_hints:
        line(f"Secondary hint {hint.get('code')}: {hint.get('text')}")
    if view.headache_counts:
        line(f"Headache days per month: {view.headache_counts.get('headache_days_per_month')}; migraine days "
             f"(derived): {view.headache_counts.get('migraine_days_per_month')}")

    heading("Medication overuse")
    line(f"MOH (ICHD-3 8.2): {view.moh_label}; acute-medication threshold met: "
         f"{'yes' if view.med_overuse else 'no'}")
    if view.med_days:
        line("Days per month: " + ", ".join(f"{label} {value}" for label, value in view.med_days))

    heading("Central sensitisation features")
    line("Present: " + (", ".join(f"{c} {n}" for c, n in view.cs_present) or "none"))
    line("Absent: " + (", ".join(c for c, _n in view.cs_absent) or "none"))
    line("Unknown: " + (", ".join(c for c, _n in view.cs_unknown) or "none"))
    line(f"Pattern: {view.cs_pattern_label}. {view.fm_2016_label}.")
    doc.set_font("Helvetica", "I", 9)
    doc.multi_cell(0, 5, plain(view.cs_footnote), new_x="LMARGIN", new_y="NEXT")

    heading("Questionnaire scores")
    if not view.scores:
        line("No questionnaire scored.")
    for score in view.scores:
        total = score.not_scored and f"not scored ({score.not_scored})" or score.total
        band = f", band {score.band}" if score.band else ""
        line(f"{score.name}: {total}{band}")
    return bytes(doc.output())
