"""The check-in form: the §6.1 items for this patient and time point, phone-first, in plain words.

Which answers are needed is not decided here but by the follow-up contract's field table
(intake/triage/checkin_schema.py), from the baseline and the time point; this module only words the questions,
groups the red-flag re-screen into short topics ("any of these?" then, on "yes", which ones) and turns what the
browser posted into contract answers. Every Django field is `required=False`: hidden follow-ups never block the
browser; the engine's validation decides, and its errors are shown next to the inputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from intake import questions as words
from intake.content.shippable import GAD7, PHQ4, PHQ9, RMDQ
from intake.triage import checkin_schema as cs
from intake.triage.schema import CAD_ITEMS, FIELD_BY_NAME, MED_CLASSES

RF = [("yes", _("Yes")), ("no", _("No")), ("not_sure", _("Not sure"))]
YN = [("yes", _("Yes")), ("no", _("No"))]
SCALE = [(str(n), str(n)) for n in range(11)]
PGIC = [
    ("1", _("Very much better")),
    ("2", _("Much better")),
    ("3", _("A little better")),
    ("4", _("No change")),
    ("5", _("A little worse")),
    ("6", _("Much worse")),
    ("7", _("Very much worse")),
]
MED_LABELS = {
    "paracetamol": _("Paracetamol (acetaminophen)"),
    "nsaid_aspirin": _("Ibuprofen, naproxen, aspirin or another anti-inflammatory"),
    "triptan": _("A triptan (for example sumatriptan)"),
    "ergot": _("An ergot medicine (for example ergotamine)"),
    "opioid": _("An opioid (for example codeine, tramadol, morphine)"),
    "combination": _("A combination painkiller (for example with codeine or caffeine)"),
    "gepant_ditan": _("A gepant or ditan (for example rimegepant, lasmiditan)"),
    "other": _("Another painkiller"),
}

# Topic questions of the re-screen (§6.1 item 7): "no" answers every item of the topic "no", "not sure" answers
# them "not sure" (§2.1: never "no"), "yes" asks which.
TOPICS = {
    "topic_ces": (
        _(
            "Since your last check-in, have you noticed any new numbness around your bottom or genitals, or new "
            "problems passing or holding urine or stools, or with sexual function?"
        ),
        (
            "ces_saddle_numbness",
            "ces_urinary_difficulty",
            "ces_urinary_incontinence",
            "ces_bowel_dysfunction",
            "ces_sexual_dysfunction",
        ),
    ),
    "topic_neuro": (
        _(
            "Since your last check-in, have you had new weakness or numbness on one side, trouble speaking, a drooping "
            "face, loss of vision, a seizure or a faint?"
        ),
        (
            "hemi_weakness_new",
            "hemi_numbness_new",
            "speech_difficulty_new",
            "facial_droop_new",
            "vision_loss_new",
            "seizure_new",
            "faint_new",
        ),
    ),
    "topic_ha_change": (
        _(
            "Since your last check-in, is your headache clearly different from usual, a new kind, or steadily getting "
            "worse?"
        ),
        ("new_headache", "pattern_change_3mo", "progressive"),
    ),
    "topic_cad": (
        _(
            "Since your last check-in, have you had dizziness, double vision, slurred speech, trouble swallowing, "
            "sudden falls, flickering vision, numbness of the face, unsteadiness, a drooping eyelid or a whooshing "
            "noise in one ear?"
        ),
        CAD_ITEMS,
    ),
}
ITEM_LABELS = {
    "ces_saddle_numbness": _("Numbness or altered feeling around the back passage, genitals or inner buttocks"),
    "ces_urinary_difficulty": _("Difficulty starting to pass urine, a weak stream, or not feeling the bladder fill"),
    "ces_urinary_incontinence": _("Leaking urine without warning"),
    "ces_bowel_dysfunction": _("Loss of bowel control, or not feeling when the bowel is full"),
    "ces_sexual_dysfunction": _("New problems with erection or ejaculation, or loss of genital feeling"),
    "hemi_weakness_new": _("Weakness on one side of the body"),
    "hemi_numbness_new": _("Numbness on one side of the body"),
    "speech_difficulty_new": _("Trouble speaking or understanding"),
    "facial_droop_new": _("A drooping face"),
    "vision_loss_new": _("Loss of vision"),
    "seizure_new": _("A seizure (fit)"),
    "faint_new": _("Fainting"),
    "new_headache": _("A new kind of headache"),
    "pattern_change_3mo": _("My usual headache has clearly changed"),
    "progressive": _("The headache is getting steadily worse over days or weeks"),
    "vertigo_new": _("Dizziness or a spinning feeling"),
    "diplopia_new": _("Double vision"),
    "dysarthria_new": _("Slurred speech"),
    "dysphagia_new": _("Trouble swallowing"),
    "drop_attacks_new": _("Sudden falls without blacking out"),
    "nystagmus_new": _("Flickering or jumping vision"),
    "facial_numbness_new": _("Numbness of the face or lips"),
    "ataxia_new": _("Unsteadiness or clumsiness"),
    "ptosis": _("A drooping eyelid"),
    "pulsatile_tinnitus": _("A whooshing noise in time with your pulse"),
}
QUESTIONS = {
    "leg_pain_below_knee": _("Does pain now go below the knee?"),
    "leg_weakness_new": _("Since your last check-in, have you had new weakness in a leg or foot?"),
    "leg_weakness_progressing": _("Is that weakness getting worse?"),
    "fever_any": _("Since your last check-in, have you had a fever (38 °C or higher), shivers or sweats?"),
    "neck_stiffness": _("Is your neck stiff?"),
    "confusion_drowsy": _("Have you been confused or unusually drowsy?"),
    "non_blanching_rash": _("Have you noticed a rash that does not fade when pressed?"),
    "unexplained_weight_loss": _("Have you lost weight without trying (about 5 kg or more)?"),
    "onset_to_peak": _("Since your last check-in, how quickly did your worst headache reach its peak?"),
    "orthostatic": _("Is your headache worse when upright and better lying down?"),
    "pregnancy_status": _("Are you pregnant, or have you given birth in the last 6 weeks?"),
    "gestation_weeks": _("How many weeks pregnant are you?"),
    "postpartum_weeks": _("How many weeks ago did you give birth?"),
    "preeclampsia_symptoms": _("Do you have any of these now?"),
    "neck_treatment_since_last": _(
        "Since your last check-in, have you had any treatment to your neck (for example manipulation or mobilisation)?"
    ),
    "post_tx_severe_headache": _("After that neck treatment, did a new severe headache come on?"),
    "post_tx_nausea": _("After that neck treatment, did you feel sick (nausea)?"),
    "post_tx_within_7_days": _("Did any of these start within 7 days after a neck treatment?"),
    "neuro_symptoms_within_14_days": _("Was any of these in the last 2 weeks?"),
    "new_event_injury": _("Since your last check-in, have you had a new injury (for example a fall or a collision)?"),
    "major_trauma": _("Was it a significant injury to your back, such as a fall from a height or a road collision?"),
    "major_trauma_days": _("How many days ago?"),
    "head_neck_trauma": _("Did it involve a blow to your head, or a whiplash injury?"),
    "neck_trauma_days": _("How many days ago was the head or neck injury?"),
    "vomiting": _("Since the injury, have you vomited?"),
    "loc": _("Since the injury, have you blacked out?"),
    "new_event_procedure": _(
        "Since your last check-in, have you had a spinal injection, an epidural, a lumbar puncture or an operation?"
    ),
    "procedure_type": _("Which procedure?"),
    "procedure_days_ago": _("How many days ago?"),
    "dural_puncture_procedure": _(
        "Was it an injection or procedure in or near your spine (for example an epidural, "
        "spinal anaesthetic or lumbar puncture)?"
    ),
    "procedure_to_headache_onset_days": _("How many days after the procedure did a headache start?"),
    "pdph_no_longer_positional": _("Was that headache worse upright, but now no longer changes with position?"),
    "recent_spinal_procedure": _("Was it an injection or operation on your spine?"),
    "back_pain_new_or_changed": _("Since then, is your back pain new or different?"),
    "new_event_diagnosis": _("Since your last check-in, have you been told you have a new medical condition?"),
    "new_event_diagnosis_text": _("Which condition?"),
    "free_text": _("Is anything else worrying you? (optional)"),
}
PROCEDURE_LABELS = {
    "lumbar_puncture": _("Lumbar puncture"),
    "spinal_anaesthetic": _("Spinal anaesthetic"),
    "epidural_labour": _("Epidural in labour"),
    "epidural_surgical": _("Epidural for an operation or pain"),
    "myelogram": _("Myelogram"),
    "intrathecal_injection": _("Injection into the spinal fluid"),
    "spinal_surgery": _("Spine operation"),
    "other": _("Something else"),
}
ONSET_LABELS = {"no_headache": _("I have had no headache since my last check-in")}
PREGNANCY = [
    ("no", _("No")),
    ("pregnant", _("I am pregnant")),
    ("given_birth", _("I gave birth in the last 6 weeks")),
    ("not_sure", _("Not sure")),
]
PREECLAMPSIA = {
    "vision_blurred_or_flashing": _("Blurred vision or flashing lights"),
    "pain_below_ribs": _("Pain just below the ribs"),
    "vomiting": _("Vomiting"),
    "sudden_swelling": _("Sudden swelling of the face, hands or feet"),
    "not_sure": _("Not sure"),
}


def _show(name: str, values) -> str:
    return json.dumps([{"name": name, "op": "in", "value": list(values)}])


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)
    help: str = ""
    attribution: str = ""


class CheckInForm(forms.Form):
    """Page 1 (everything), or page 2 (PHQ-9 and GAD-7, when a PHQ-4 subscale is 3 or more, §6.1 item 9)."""

    def __init__(self, *, view: dict, baseline: dict, page: int = 1, data=None, initial=None):
        super().__init__(data=data, initial=initial, auto_id="id_%s")
        self.view, self.baseline, self.page = view, baseline, page
        self.layout: list[tuple[str, list[tuple[str, str | None]], str]] = []  # (title, [(field, show-when)], help)
        if page == 2:
            self._phq_cascade()
        else:
            self._page_one()

    # ------------------------------------------------------------ building
    def _radio(self, name, label, choices, help_text=""):
        self.fields[name] = forms.ChoiceField(
            required=False, label=label, help_text=help_text, choices=choices, widget=forms.RadioSelect
        )

    def _int(self, name, label, lo, hi, help_text=""):
        self.fields[name] = forms.IntegerField(
            required=False,
            label=label,
            help_text=help_text,
            min_value=lo,
            max_value=hi,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )

    def _section(self, title, entries, help_text=""):
        self.layout.append((title, entries, help_text))

    def _page_one(self):
        v = self.view
        back, headache = v["has_back_pain"] == "yes", v["has_headache"] == "yes"
        back_or_leg = back or v.get("leg_pain") == "yes"
        window = v["_window_days"]
        how: list = []
        if back:
            self._radio("nprs_back", words.NPRS["nprs_back"].label, SCALE, words.NPRS["nprs_back"].help)
            how.append(("nprs_back", None))
        if headache:
            self._radio(
                "nprs_head",
                words.NPRS["nprs_head"].label,
                [("no_headaches", _("No headaches in the last week")), *SCALE],
                words.NPRS["nprs_head"].help,
            )
            self._int(
                "ha_days_window",
                _("In the last %(n)s days, on how many days did you have any headache?") % {"n": window},
                0,
                window,
            )
            how += [("nprs_head", None), ("ha_days_window", None)]
            if v.get("_migraine"):
                self._int(
                    "migraine_days_window",
                    _("And on how many of those days did you have your main (worst) kind of headache?"),
                    0,
                    window,
                )
                how.append(("migraine_days_window", None))
        self._radio(
            "pgic", _("Since you started care, how would you describe the change in your problem overall?"), PGIC
        )
        how.append(("pgic", None))
        self._section(_("How you are doing"), how)

        self._int(
            "med_any_acute",
            _("In the last %(n)s days, on how many days did you take any painkiller or headache medicine?")
            % {"n": window},
            0,
            window,
            _("Enter 0 for none."),
        )
        meds = [("med_any_acute", None)]
        for cls in MED_CLASSES:
            self._int(f"med_{cls}", MED_LABELS[cls], 0, window, _("Days"))
            self.fields[f"med_{cls}_not_sure"] = forms.BooleanField(
                required=False,
                label=format_html('{}<span class="visually-hidden"> ({})</span>', _("Not sure"), MED_LABELS[cls]),
            )
            meds.append((f"med_{cls}", json.dumps([{"name": "med_any_acute", "op": "gte", "value": 1}])))
        self._section(_("Medicines"), meds, _("Whatever the reason you took them."))

        rs: list = []
        if back_or_leg:
            self._topic("topic_ces", rs)
            self._radio(
                "leg_pain_below_knee",
                QUESTIONS["leg_pain_below_knee"],
                list(words.CHOICES["leg_pain_below_knee"].items()),
            )
            rs.append(("leg_pain_below_knee", None))
        if back:
            self._radio("leg_weakness_new", QUESTIONS["leg_weakness_new"], RF)
            self._radio("leg_weakness_progressing", QUESTIONS["leg_weakness_progressing"], RF)
            rs += [("leg_weakness_new", None), ("leg_weakness_progressing", _show("leg_weakness_new", ["yes"]))]
        if back or headache:
            self._radio("fever_any", QUESTIONS["fever_any"], RF)
            rs.append(("fever_any", None))
        if headache:
            for name in ("neck_stiffness", "confusion_drowsy", "non_blanching_rash"):
                self._radio(name, QUESTIONS[name], RF)
                rs.append((name, _show("fever_any", ["yes"])))
        if back:
            self._radio("unexplained_weight_loss", QUESTIONS["unexplained_weight_loss"], RF)
            rs.append(("unexplained_weight_loss", None))
        if headache:
            onset = [(k, words.CHOICES["onset_to_peak"][k]) for k in FIELD_BY_NAME["onset_to_peak"].values]
            self._radio("onset_to_peak", QUESTIONS["onset_to_peak"], [*onset, *ONSET_LABELS.items()])
            rs.append(("onset_to_peak", None))
            self._topic("topic_neuro", rs)
            self._topic("topic_ha_change", rs)
            self._radio("orthostatic", QUESTIONS["orthostatic"], RF)
            rs.append(("orthostatic", None))
            if v.get("sex") != "M":
                self._radio("pregnancy_status", QUESTIONS["pregnancy_status"], PREGNANCY)
                self._int("gestation_weeks", QUESTIONS["gestation_weeks"], 0, 45)
                self._int("postpartum_weeks", QUESTIONS["postpartum_weeks"], 0, 6)
                self.fields["preeclampsia_symptoms"] = forms.MultipleChoiceField(
                    required=False,
                    label=QUESTIONS["preeclampsia_symptoms"],
                    choices=list(PREECLAMPSIA.items()),
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Tick all that apply; leave empty if none."),
                )
                rs += [
                    ("pregnancy_status", None),
                    ("gestation_weeks", _show("pregnancy_status", ["pregnant"])),
                    ("postpartum_weeks", _show("pregnancy_status", ["given_birth"])),
                    ("preeclampsia_symptoms", _show("pregnancy_status", ["pregnant", "given_birth"])),
                ]
        self._radio("neck_treatment_since_last", QUESTIONS["neck_treatment_since_last"], YN)
        rs.append(("neck_treatment_since_last", None))
        neck_scope = v.get("neck_pain") == "yes" or headache
        self._topic("topic_cad", rs, show=None if neck_scope else _show("neck_treatment_since_last", ["yes"]))
        if neck_scope:
            self._radio("neuro_symptoms_within_14_days", QUESTIONS["neuro_symptoms_within_14_days"], RF)
            rs.append(("neuro_symptoms_within_14_days", _show("topic_cad", ["yes"])))
        for name in ("post_tx_severe_headache", "post_tx_nausea", "post_tx_within_7_days"):
            self._radio(name, QUESTIONS[name], RF)
            rs.append((name, _show("neck_treatment_since_last", ["yes"])))
        self._section(_("Your safety"), rs, _("These questions are important. If you are unsure, choose “Not sure”."))

        events: list = []
        self._radio("new_event_injury", QUESTIONS["new_event_injury"], YN)
        events.append(("new_event_injury", None))
        if back:
            self._radio("major_trauma", QUESTIONS["major_trauma"], RF)
            self._int("major_trauma_days", QUESTIONS["major_trauma_days"], 0, 36500)
            events += [
                ("major_trauma", _show("new_event_injury", ["yes"])),
                ("major_trauma_days", _show("major_trauma", ["yes"])),
            ]
        if headache:
            self._radio("head_neck_trauma", QUESTIONS["head_neck_trauma"], RF)
            self._int("neck_trauma_days", QUESTIONS["neck_trauma_days"], 0, 36500)
            self._radio("vomiting", QUESTIONS["vomiting"], RF)
            self._radio("loc", QUESTIONS["loc"], RF)
            events += [
                ("head_neck_trauma", _show("new_event_injury", ["yes"])),
                ("neck_trauma_days", _show("head_neck_trauma", ["yes"])),
                ("vomiting", _show("head_neck_trauma", ["yes"])),
                ("loc", _show("head_neck_trauma", ["yes"])),
            ]
        self._radio("new_event_procedure", QUESTIONS["new_event_procedure"], YN)
        self._radio("procedure_type", QUESTIONS["procedure_type"], list(PROCEDURE_LABELS.items()))
        self._int("procedure_days_ago", QUESTIONS["procedure_days_ago"], 0, 36500)
        events += [
            ("new_event_procedure", None),
            ("procedure_type", _show("new_event_procedure", ["yes"])),
            ("procedure_days_ago", _show("new_event_procedure", ["yes"])),
        ]
        if headache:
            self._radio("dural_puncture_procedure", QUESTIONS["dural_puncture_procedure"], RF)
            self._int("procedure_to_headache_onset_days", QUESTIONS["procedure_to_headache_onset_days"], 0, 36500)
            self._radio("pdph_no_longer_positional", QUESTIONS["pdph_no_longer_positional"], RF)
            events += [
                ("dural_puncture_procedure", _show("new_event_procedure", ["yes"])),
                ("procedure_to_headache_onset_days", _show("dural_puncture_procedure", ["yes"])),
                ("pdph_no_longer_positional", _show("dural_puncture_procedure", ["yes"])),
            ]
        if back:
            self._radio("recent_spinal_procedure", QUESTIONS["recent_spinal_procedure"], RF)
            self._radio("back_pain_new_or_changed", QUESTIONS["back_pain_new_or_changed"], RF)
            events += [
                ("recent_spinal_procedure", _show("new_event_procedure", ["yes"])),
                ("back_pain_new_or_changed", _show("new_event_procedure", ["yes"])),
            ]
        self._radio("new_event_diagnosis", QUESTIONS["new_event_diagnosis"], YN)
        self.fields["new_event_diagnosis_text"] = forms.CharField(
            required=False, max_length=2000, label=QUESTIONS["new_event_diagnosis_text"]
        )
        events += [("new_event_diagnosis", None), ("new_event_diagnosis_text", _show("new_event_diagnosis", ["yes"]))]
        self._section(_("Since your last check-in"), events)

        if v["_weeks"] >= cs.EXTENDED_FROM_WEEK:
            self._instrument("phq4", PHQ4)
            inst = self.baseline.get("instruments") or {}
            if back and "rmdq" in inst:
                items = []
                for i, text in enumerate(RMDQ["items"]):
                    self.fields[f"rmdq_{i}"] = forms.BooleanField(required=False, label=text)
                    items.append((f"rmdq_{i}", None))
                self._section(RMDQ["title"], items, RMDQ.get("instructions", ""))
            if "psfs" in inst:
                items = []
                for i, activity in enumerate(inst["psfs"]):
                    self._radio(
                        f"psfs_{i}",
                        _("How well can you do this today: %(a)s?") % {"a": activity["activity"]},
                        SCALE,
                        _("0 means you cannot do it at all, 10 means as well as before the problem."),
                    )
                    items.append((f"psfs_{i}", None))
                self._section(
                    _("The activities you named at the start"),
                    items,
                    _("Optional: leave this section blank if you prefer not to answer."),
                )
        self.fields["free_text"] = forms.CharField(
            required=False,
            max_length=5000,
            label=QUESTIONS["free_text"],
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("A clinician will read it. If it is urgent, please phone the clinic or your doctor instead."),
        )
        self._section(_("Anything else"), [("free_text", None)])

    def _topic(self, topic: str, entries: list, show: str | None = None):
        question, items = TOPICS[topic]
        self._radio(topic, question, RF)
        entries.append((topic, show))
        for name in items:
            self._radio(name, ITEM_LABELS[name], RF)
            entries.append((name, _show(topic, ["yes"])))

    def _instrument(self, key: str, spec: dict):
        entries = []
        for i, text in enumerate(spec["items"]):
            self._radio(f"{key}_{i}", text, [(str(v), label) for v, label in spec["options"]])
            entries.append((f"{key}_{i}", None))
        self.layout.append((spec["title"], entries, spec.get("instructions", "")))

    def _phq_cascade(self):
        self._instrument("phq9", PHQ9)
        self._instrument("gad7", GAD7)

    # ------------------------------------------------------------ rendering
    def sections(self) -> list[Section]:
        out = []
        for title, entries, help_text in self.layout:
            section = Section(title=title, help=help_text)
            for name, show in entries:
                bound = self[name]
                f = self.fields[name]
                if isinstance(f.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    kind = "radios" if isinstance(f.widget, forms.RadioSelect) else "checkboxes"
                elif isinstance(f, forms.BooleanField):
                    kind = "checkbox"
                else:
                    kind = "other"
                item = {
                    "type": kind,
                    "field": bound,
                    "show_when": show or "",
                    "inline": name in ("nprs_back", "nprs_head") or name.startswith("psfs_"),
                }
                if name.startswith("med_") and name != "med_any_acute":
                    item = {
                        "type": "med",
                        "field": bound,
                        "not_sure": self[f"{name}_not_sure"],
                        "show_when": show or "",
                    }
                section.items.append(item)
            if title in (PHQ4["title"], PHQ9["title"], GAD7["title"]):
                section.attribution = PHQ4["attribution"]
            out.append(section)
        return out

    # ------------------------------------------------------------ to contract answers
    def answers(self) -> dict:
        """The contract answers (checkin_schema) of what was posted; only what the field table asks is kept."""
        cd = self.cleaned_data
        v = self.view
        a: dict = {}

        def put(name, value):
            if value not in (None, ""):
                a[name] = value

        if self.page == 2:
            for key, n in (("phq9", 9), ("gad7", 7)):
                values = [cd.get(f"{key}_{i}") for i in range(n)]
                if all(x not in (None, "") for x in values):
                    a.setdefault("instruments", {})[key] = [int(x) for x in values]
            return a
        put("nprs_back", int(cd["nprs_back"]) if cd.get("nprs_back") else None)
        head = cd.get("nprs_head")
        put("nprs_head", head if head == "no_headaches" else int(head) if head else None)
        put("ha_days_window", cd.get("ha_days_window"))
        put("migraine_days_window", cd.get("migraine_days_window"))
        put("pgic", int(cd["pgic"]) if cd.get("pgic") else None)
        any_acute = cd.get("med_any_acute")
        if any_acute is not None:
            med = {"any_acute": any_acute}
            for cls in MED_CLASSES:
                if any_acute == 0:
                    med[cls] = 0
                elif cd.get(f"med_{cls}_not_sure"):
                    med[cls] = "not_sure"
                elif cd.get(f"med_{cls}") is not None:
                    med[cls] = cd[f"med_{cls}"]
            a["med_days_window"] = med
        for topic, (_q, items) in TOPICS.items():
            answer = cd.get(topic)
            if topic not in self.fields or not answer:
                continue
            for item in items:
                put(item, cd.get(item) if answer == "yes" else answer)
        fever = cd.get("fever_any")
        if fever:
            if v["has_back_pain"] == "yes":
                a["fever_recent"] = fever
            if v["has_headache"] == "yes":
                a["fever"] = fever
        for name in (
            "leg_pain_below_knee",
            "leg_weakness_new",
            "leg_weakness_progressing",
            "neck_stiffness",
            "confusion_drowsy",
            "non_blanching_rash",
            "unexplained_weight_loss",
            "onset_to_peak",
            "orthostatic",
            "neck_treatment_since_last",
            "post_tx_severe_headache",
            "post_tx_nausea",
            "post_tx_within_7_days",
            "neuro_symptoms_within_14_days",
            "new_event_injury",
            "major_trauma",
            "major_trauma_days",
            "head_neck_trauma",
            "neck_trauma_days",
            "vomiting",
            "loc",
            "new_event_procedure",
            "procedure_type",
            "procedure_days_ago",
            "dural_puncture_procedure",
            "procedure_to_headache_onset_days",
            "pdph_no_longer_positional",
            "recent_spinal_procedure",
            "back_pain_new_or_changed",
            "new_event_diagnosis",
        ):
            if name in self.fields:
                put(name, cd.get(name))
        if (cd.get("new_event_diagnosis_text") or "").strip():
            a["new_event_diagnosis_text"] = cd["new_event_diagnosis_text"].strip()
        if v["has_headache"] == "yes":
            self._pregnancy(cd, a)
        inst: dict = {}
        values = [cd.get(f"phq4_{i}") for i in range(4)] if "phq4_0" in self.fields else []
        if values and all(x not in (None, "") for x in values):
            inst["phq4"] = [int(x) for x in values]
        if "rmdq_0" in self.fields:
            inst["rmdq"] = [bool(cd.get(f"rmdq_{i}")) for i in range(len(RMDQ["items"]))]  # a tick list, §1.2.2
        psfs = [(i, act) for i, act in enumerate((self.baseline.get("instruments") or {}).get("psfs") or [])]
        if psfs and "psfs_0" in self.fields:
            scores = [cd.get(f"psfs_{i}") for i, _a in psfs]
            if any(s not in (None, "") for s in scores):
                rated = zip(psfs, scores, strict=True)
                inst["psfs"] = [
                    {"activity": act["activity"], "score": int(s)} for (_i, act), s in rated if s not in (None, "")
                ]
        if inst:
            a["instruments"] = inst
        if (cd.get("free_text") or "").strip():
            a["free_text"] = cd["free_text"].strip()
        asked = set(cs.required_fields(v, a)) | {"instruments", "free_text", "procedure_type"}
        return {k: val for k, val in a.items() if k in asked}

    def _pregnancy(self, cd: dict, a: dict) -> None:
        if self.view.get("sex") == "M":
            a["pregnant"], a["postpartum_weeks"] = "no", None  # contract B.6: the form may pre-answer "no"
            return
        status = cd.get("pregnancy_status")
        if not status:
            return
        a["pregnant"] = {"pregnant": "yes", "not_sure": "not_sure"}.get(status, "no")
        a["postpartum_weeks"] = cd.get("postpartum_weeks") if status == "given_birth" else None
        if status == "pregnant" and cd.get("gestation_weeks") is not None:
            a["gestation_weeks"] = cd["gestation_weeks"]
        if status in ("pregnant", "given_birth"):
            a["preeclampsia_symptoms"] = list(cd.get("preeclampsia_symptoms") or [])

    # ------------------------------------------------------------ errors from the engine
    def field_of(self, path: str) -> str | None:
        head = path.split("[", 1)[0]
        if head.startswith("med_days_window."):
            name = "med_" + head.split(".", 1)[1]
            return name if name in self.fields else "med_any_acute"
        if head == "med_days_window":
            return "med_any_acute"
        if head.startswith("instruments."):
            key = head.split(".")[1]
            return f"{key}_0" if f"{key}_0" in self.fields else None
        if head in ("fever", "fever_recent"):
            return "fever_any"
        if head in ("pregnant",):
            return "pregnancy_status"
        for topic, (_q, items) in TOPICS.items():
            if head in items and topic in self.fields:
                return head if self.cleaned_data.get(topic) == "yes" else topic
        return head if head in self.fields else None

    def add_engine_errors(self, errors) -> list:
        """Put each engine error next to its input; returns the error summary (label, message, anchor)."""
        summary = []
        seen = set()
        for e in errors:
            name = self.field_of(e.field)
            if name is None or name in seen:
                if name is None:
                    summary.append({"label": _("Answers"), "message": e.message, "anchor": ""})
                continue
            seen.add(name)
            message = _("Please answer this question.") if e.problem == "required" else e.message
            self.add_error(name, message)
            summary.append({"label": self.fields[name].label, "message": message, "anchor": f"div_id_{name}"})
        return summary
