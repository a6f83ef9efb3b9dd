"""clinician:intake_summary, intake_explain, intake_print, intake_pdf."""

from __future__ import annotations

import copy

from django.urls import reverse

from intake import demo
from intake.clinician.models import AuditEvent
from intake.triage.sensitisation import FOOTNOTE

from .factories import make_failed_intake, make_intake


def summary(client, intake):
    return client.get(reverse("clinician:intake_summary", args=[intake.pk]))


def explain(client, intake):
    return client.get(reverse("clinician:intake_explain", args=[intake.pk]))


def test_it_shows_the_sections_in_the_order_a_clinician_reads_them(clinician_client):
    body = summary(clinician_client, make_intake("ED_NOW")).content.decode()
    sections = ["section-red-flags", "section-precautions", "section-back", "section-headache",
                "section-medication", "section-cs", "section-scores", "section-answers"]
    positions = [body.index(f'id="{s}"') for s in sections]
    assert positions == sorted(positions)


def test_it_shows_each_flag_with_tier_action_triggering_answers_and_sources(clinician_client):
    body = summary(clinician_client, make_intake("ED_NOW")).content.decode()
    card = body.split('id="flag-HA-THUNDER"')[1].split("</article>")[0]
    assert "HA-THUNDER — Thunderclap onset" in card
    assert "EMERGENCY / ED_NOW" in card
    assert "Emergency department now" in card
    assert "How quickly did your current or worst headache reach its worst?" in card
    assert "onset_to_peak=seconds" in card
    assert "ICHD3-4.4, SNNOOP10" in card


def test_it_shows_the_suppression_message_instead_of_headache_phenotypes(clinician_client):
    body = summary(clinician_client, make_intake("ED_NOW")).content.decode()
    section = body.split('id="section-headache"')[1].split("</section>")[0]
    assert "Features reported; secondary cause must be excluded." in section
    assert "HA-THUNDER" in section
    assert "thunderclap pattern (4.4 only after secondary causes are excluded)" in section


def test_it_shows_headache_phenotypes_when_no_red_flag_suppresses_them(clinician_client):
    intake = make_intake(answers=demo.CHRONIC_MIGRAINE_CHRONIC_LBP)
    section = summary(clinician_client, intake).content.decode().split('id="section-headache"')[1]
    assert "features consistent with ICHD-3 1.3 chronic migraine" in section.split("</section>")[0]


def test_it_shows_medication_overuse(clinician_client):
    intake = make_intake(answers=demo.CHRONIC_MIGRAINE_CHRONIC_LBP)
    section = summary(clinician_client, intake).content.decode().split('id="section-medication"')[1]
    assert "Triptan: 4" in section.split("</section>")[0]


def test_it_shows_the_fixed_cs_footnote(clinician_client):
    body = summary(clinician_client, make_intake("NONE")).content.decode()
    assert FOOTNOTE == ("Feature summary only. Classification requires the clinician to judge disproportionate pain "
                        "and examine for hypersensitivity (Nijs 2014; IASP 2021).")
    assert f'<p class="footnote" id="cs-footnote">{FOOTNOTE}</p>' in body


def test_it_shows_instrument_scores_and_bands(clinician_client):
    body = summary(clinician_client, make_intake("NONE")).content.decode()
    row = body.split('id="score-startback"')[1].split("</tr>")[0]
    assert "STarT Back" in row and ">2<" in row and ">low<" in row


def test_it_shows_a_failed_summary_for_manual_review_with_every_answer(clinician_client):
    body = summary(clinician_client, make_failed_intake()).content.decode()
    assert "Summary failed — review manually" in body
    assert "No red flag fired" not in body
    assert "<details id=\"answers-details\" open>" in body
    assert "ces_saddle_numbness" in body


def test_it_links_every_flag_and_score_to_its_explain_entry(clinician_client):
    intake = make_intake("ED_NOW")
    body = summary(clinician_client, intake).content.decode()
    explain_body = explain(clinician_client, intake).content.decode()
    for anchor in ("explain-HA-THUNDER", "explain-HA-NEW-PATTERN", "explain-MED-THRESHOLDS", "explain-F1"):
        assert f"#{anchor}" in body
        assert f'id="{anchor}"' in explain_body


def test_it_explains_a_fired_flag_with_the_answers_it_read(clinician_client):
    body = explain(clinician_client, make_intake("ED_NOW")).content.decode()
    entry = body.split('id="explain-HA-THUNDER"')[1].split("</article>")[0]
    assert "fired / true" in entry
    assert "onset_to_peak" in entry and "Within seconds, like a thunderclap" in entry
    assert "ICHD3-4.4, SNNOOP10" in entry


def test_it_shows_the_answers_of_the_rules_evaluated_with_all_negative_answers(clinician_client):
    intake = make_intake("ED_NOW")
    clear = next(e for e in intake.summary["explain"] if e["id"] == "RED-FLAGS-CLEAR")
    assert "HA-FEVER" in clear["detail"]["rules"]
    body = explain(clinician_client, intake).content.decode()
    entry = body.split('id="explain-clear-HA-FEVER"')[1].split("</article>")[0]
    assert "<code class=\"path\">fever</code>" in entry
    assert "<td>No</td>" in entry


def test_it_marks_suppressed_phenotypes_not_interpreted(clinician_client):
    answers = copy.deepcopy(demo.CHRONIC_MIGRAINE_CHRONIC_LBP)
    answers["progressive"] = "yes"
    body = explain(clinician_client, make_intake(answers=answers)).content.decode()
    entry = body.split('id="explain-ICHD-1_3"')[1].split("</article>")[0]
    assert "not interpreted: red flag present" in entry


def test_it_prints_the_summary_without_forms(clinician_client):
    intake = make_intake("ED_NOW")
    body = clinician_client.get(reverse("clinician:intake_print", args=[intake.pk])).content.decode()
    assert "clinician/print.css" in body
    assert 'id="ack-form-HA-THUNDER"' not in body
    assert "HA-THUNDER — Thunderclap onset" in body
    assert FOOTNOTE in body


def test_it_downloads_the_summary_as_a_pdf(clinician_client):
    intake = make_intake("ED_NOW")
    response = clinician_client.get(reverse("clinician:intake_pdf", args=[intake.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="intake-{intake.pk}-summary.pdf"'
    assert response.content.startswith(b"%PDF")


def test_it_writes_a_pdf_of_a_failed_summary(clinician_client):
    intake = make_failed_intake()
    response = clinician_client.get(reverse("clinician:intake_pdf", args=[intake.pk]))
    assert response.content.startswith(b"%PDF")


def test_it_records_each_view_of_the_summary_in_the_audit_trail(clinician_client, clinician):
    intake = make_intake("NONE")
    summary(clinician_client, intake)
    clinician_client.get(reverse("clinician:intake_pdf", args=[intake.pk]))
    events = list(AuditEvent.objects.filter(object_type="intake.intake").order_by("id"))
    assert [(e.action, e.object_id, e.patient_pk, e.user_id) for e in events] == [
        ("view", str(intake.pk), intake.patient_id, clinician.pk)
    ] * 2
    assert events[1].detail == {"page": "pdf"}


def test_it_answers_404_for_an_unknown_intake(clinician_client):
    assert clinician_client.get(reverse("clinician:intake_summary", args=[999999])).status_code == 404


def test_it_issues_as_many_queries_for_a_long_summary_as_for_a_short_one(clinician_client,
                                                                         django_assert_num_queries):
    short, long = make_intake("NONE"), make_intake(answers=demo.CHRONIC_MIGRAINE_CHRONIC_LBP)
    summary(clinician_client, short)
    # 6 (one of them the user's permissions, intake.clinician.backends): the session's idle-expiry save happens at
    # most once a minute (SessionTouchMiddleware), not here
    with django_assert_num_queries(6):
        summary(clinician_client, short)
    with django_assert_num_queries(6):
        summary(clinician_client, long)


def test_it_keeps_names_readable_in_the_pdf_fonts():
    from intake.clinician.pdf import plain

    assert plain("Zieliński — ≥5 → Łódź") == "Zielinski - >=5 -> Lódz"  # ó is Latin-1
