"""Every patient-facing question of the intake: wording, help text and choice labels, in one place.

Own plain words, marked for translation. The wording follows the "Intake question(s), own words" suggestions of
reference.md §2.2–§2.4 and the meanings of contract part B; which questions exist and when they are required is
NOT decided here but in `intake/triage/schema.py` (the wizard reads both). Keys are contract field names; keys of
nested objects are written `ha_types.<key>`, `aura.<key>`, `med_days.<key>`. Official questionnaire wording (PHQ-9,
GAD-7, PHQ-4, RMDQ) lives in `intake/content/shippable.py`; own-wording questionnaires (NPRS, PSFS, WPI, SSS) here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Text:
    label: str
    help: str = ""


# ---------------------------------------------------------------- choice labels
YES_NO = {"yes": _("Yes"), "no": _("No")}
# §2.1: every red-flag question offers "Not sure"; it never counts as "no".
RF = {"yes": _("Yes"), "no": _("No"), "not_sure": _("Not sure")}
FREQUENCY = {"never": _("Never"), "sometimes": _("Sometimes"), "often": _("Often"), "always": _("Always")}
HOW_LONG_AT_THIS_LEVEL = {
    "lt_1m": _("Less than 1 month"),
    "1_3m": _("1 to 3 months"),
    "gt_3m": _("More than 3 months"),
}

CHOICES: dict[str, dict] = {
    "sex": {"F": _("Female"), "M": _("Male"), "other": _("Other or prefer to describe differently")},
    "back_pain_days_past_6m": {
        "lt_half": _("On fewer than half of the days"),
        "half_or_more": _("On half of the days or more"),
    },
    "leg_pain_below_knee": {
        "none": _("No, it stays above the knee"),
        "left": _("Yes, in the left leg"),
        "right": _("Yes, in the right leg"),
        "both": _("Yes, in both legs"),
    },
    "leg_vs_back": {
        "leg_worse": _("The leg pain is worse"),
        "back_worse": _("The back pain is worse"),
        "equal": _("About the same"),
    },
    "headache_freq_duration": HOW_LONG_AT_THIS_LEVEL,
    "onset_to_peak": {
        "seconds": _("Within seconds, like a thunderclap"),
        "within_a_minute": _("Within about a minute"),
        "minutes": _("Over several minutes"),
        "hours": _("Over hours"),
        "days_or_longer": _("Over days or longer"),
        "not_sure": _("Not sure"),
    },
    "preeclampsia_symptoms": {
        "vision_blurred_or_flashing": _("Blurred vision or flashing lights"),
        "pain_below_ribs": _("Pain just below the ribs"),
        "vomiting": _("Vomiting"),
        "sudden_swelling": _("Sudden swelling of the face, hands or feet"),
        "not_sure": _("Not sure"),
    },
    "typical_aura": {
        "visual": _("The changes in my sight"),
        "sensory": _("The numbness or pins and needles"),
        "speech": _("The speech difficulty"),
    },
    "procedure_type": {
        "lumbar_puncture": _("Lumbar puncture (spinal tap)"),
        "spinal_anaesthetic": _("Spinal anaesthetic"),
        "epidural_labour": _("Epidural during labour"),
        "epidural_surgical": _("Epidural for an operation or pain"),
        "myelogram": _("Myelogram (a spine X-ray with dye)"),
        "intrathecal_injection": _("An injection into the fluid around the spine"),
        "spinal_surgery": _("Spinal surgery"),
        "other": _("Something else"),
    },
    "diagnosed_conditions": {
        "restless_legs": _("Restless legs"),
        "chronic_fatigue": _("Chronic fatigue syndrome"),
        "fibromyalgia": _("Fibromyalgia"),
        "tmd": _("Jaw joint problems (TMD)"),
        "migraine_or_tension_headache": _("Migraine or tension-type headache"),
        "ibs": _("Irritable bowel syndrome"),
        "multiple_chemical_sensitivity": _("Multiple chemical sensitivity"),
        "neck_injury": _("Neck injury (including whiplash)"),
        "anxiety_panic": _("Anxiety or panic attacks"),
        "depression": _("Depression"),
    },
    "allodynia_touch": FREQUENCY,
    "pain_hypersensitivity": FREQUENCY,
    "sensory_sensitivity": FREQUENCY,
    "med_overuse_duration": HOW_LONG_AT_THIS_LEVEL,
    "headache_predates_med_use": RF,
    "ha_second_type": YES_NO,
    # One headache type (contract B.7).
    "ha_types.attack_count_lifetime": {
        "1": _("This is the first one"),
        "2-4": _("2 to 4 times"),
        "5-9": _("5 to 9 times"),
        "10+": _("10 times or more"),
    },
    "ha_types.duration_untreated": {
        "lt_30m": _("Less than 30 minutes"),
        "30m_4h": _("30 minutes to 4 hours"),
        "4h_72h": _("4 hours to 3 days"),
        "3d_7d": _("3 to 7 days"),
        "gt_7d_or_continuous": _("More than a week, or it never goes away"),
    },
    "ha_types.side": {
        "one_side": _("One side of the head (even if the side changes between headaches)"),
        "both_sides": _("Both sides or all over"),
        "varies": _("It varies"),
    },
    "ha_types.quality": {
        "throbbing": _("Throbbing or pulsing"),
        "pressing_tight": _("Pressing or tight, like a band"),
        "other": _("Something else"),
    },
    "ha_types.intensity": {
        "mild": _("Mild: I can carry on as usual"),
        "moderate": _("Moderate: it limits what I can do"),
        "severe": _("Severe: I cannot do my usual activities"),
    },
    "ha_types.nausea": {"none": _("No"), "mild": _("Mild nausea"), "moderate_severe": _("Moderate or severe nausea")},
    "ha_types.aura": YES_NO,
    "ha_types.triptan_relieves": {
        "yes": _("Yes, a triptan or ergot helps"),
        "no": _("No, it does not help"),
        "not_used": _("I have never tried one"),
    },
    "aura.types": {
        "visual": _("Changes in sight (for example zigzag lines, flashing lights, blind spots)"),
        "sensory": _("Numbness or pins and needles"),
        "speech": _("Trouble speaking or finding words"),
        "motor": _("Weakness of an arm or leg"),
        "brainstem": _("Dizziness, double vision, slurred speech or unsteadiness"),
        "retinal": _("Loss of sight or flashing in one eye only"),
    },
    "aura.attack_count": {"1": _("Once"), "2-4": _("2 to 4 times"), "5+": _("5 times or more")},
    # Own-wording questionnaires (reference §1.3: NPRS, SSS).
    "sss.severity": {
        0: _("No problem"),
        1: _("Slight or mild problem, usually mild or now and then"),
        2: _("Moderate problem, often present and noticeable"),
        3: _("Severe problem, constant and disrupting daily life"),
    },
    "sss.symptoms_3mo_plus": {True: _("Yes"), False: _("No")},
}


def choice_label(key: str, value) -> str:
    """The patient's words for a stored value (used by the review page)."""
    return CHOICES.get(key, RF).get(value, value)


# ---------------------------------------------------------------- questions (contract part B)
Q: dict[str, Text] = {
    # B.2
    "age": Text(_("How old are you?"), _("In whole years.")),
    "sex": Text(_("What is your sex?")),
    "has_back_pain": Text(_("Is low back pain one of the reasons for this visit?")),
    "has_headache": Text(_("Are headaches one of the reasons for this visit?")),
    "neck_pain": Text(_("Do you have neck pain at the moment?")),
    "leg_pain": Text(
        _("Do you have pain in one or both legs?"),
        _("Pain in the thigh or lower down. Pain only in the buttock does not count as leg pain."),
    ),
    # B.3 back
    "back_pain_duration_weeks": Text(
        _("How many weeks ago did this episode of back pain start?"), _("Whole weeks. Enter 0 if less than a week.")
    ),
    "back_pain_history_months": Text(
        _("How long have you had back problems overall, including earlier flare-ups?"),
        _("Whole months. Enter 0 if this is your first episode."),
    ),
    "back_pain_onset_age": Text(_("How old were you when back pain first ever started?"), _("Age in years.")),
    "back_pain_days_past_6m": Text(_("In the past 6 months, how often have you had back pain?")),
    "back_pain_new_or_changed": Text(
        _("Is this back pain new, or has it changed in how it feels?"),
    ),
    "abdominal_pain_new": Text(_("Do you have new pain in your tummy (abdomen) with this problem?")),
    "back_pain_unchanged_by_movement": Text(
        _("Does the back pain stay the same whatever you do, not changing with movement or position?")
    ),
    "thoracic_pain": Text(_("Do you have pain in your mid-back, between the shoulder blades or around the ribs?")),
    "night_pain_unrelenting": Text(
        _("Is the pain constant, and not eased by rest or lying down, including at night?")
    ),
    "unexplained_weight_loss": Text(
        _("Have you lost weight without trying in the last 6 months?"),
        _("About 5 kg (11 lb) or more, or about 1 in 20 of your body weight."),
    ),
    "ces_saddle_numbness": Text(
        _("New numbness or a change in feeling around your back passage, genitals or inner buttocks?")
    ),
    "ces_urinary_difficulty": Text(
        _("New difficulty starting to pass urine, a weak stream, not feeling your bladder fill, or being unable "
          "to pass urine?")
    ),
    "ces_urinary_incontinence": Text(_("New leaking of urine without warning?")),
    "ces_bowel_dysfunction": Text(_("New loss of bowel control, or not feeling when your bowel is full?")),
    "ces_sexual_dysfunction": Text(
        _("New problems with erection or ejaculation, or loss of feeling in your genitals?")
    ),
    "leg_weakness_new": Text(
        _("Do you have new weakness in a leg or foot?"), _("For example tripping, or a foot that slaps down.")
    ),
    "leg_weakness_progressing": Text(
        _("Is that weakness getting worse?"), _("Answer “No” if you have no new weakness.")
    ),
    "gait_disturbance_new": Text(_("Has your walking become unsteady recently?")),
    "sensory_change_new": Text(
        _("Do you have new numbness or a change in feeling in your legs or body?"),
        _("For example numbness that is spreading up your body."),
    ),
    "fever_recent": Text(
        _("In the last 2 weeks, have you had a fever (38 °C / 100.4 °F or higher), shivers or sweats, or felt "
          "generally unwell?")
    ),
    "ivdu": Text(_("Do you inject drugs?"), _("Your answer is confidential and helps us keep you safe.")),
    "recent_spinal_procedure": Text(_("Have you recently had a spinal injection or spinal surgery?")),
    "major_trauma": Text(
        _("Did the pain start after a significant injury?"),
        _("For example a fall from a height, a road accident or a sports collision."),
    ),
    "major_trauma_days": Text(_("If yes: how many days ago was that injury?"), _("Enter 0 if it was today.")),
    "osteoporosis": Text(_("Have you been told you have osteoporosis or thin bones?")),
    "steroids_3mo_plus": Text(
        _("Have you taken steroid tablets (such as prednisolone) for 3 months or more?")
    ),
    "onset_sudden": Text(_("Did the back pain start suddenly?")),
    "minor_trauma": Text(_("Did the back pain start after a minor fall or lifting something?")),
    "collapse_or_faint": Text(
        _("Did this pain come on with fainting, collapsing, or feeling faint or clammy?")
    ),
    "known_aaa": Text(_("Have you been told you have an aortic aneurysm (a swelling of the main blood vessel)?")),
    "abdominal_pulsation": Text(_("Do you feel a pulsing or throbbing in your tummy?")),
    "axspa_night_waking": Text(_("It wakes me in the second half of the night")),
    "axspa_buttock_pain": Text(_("I have pain in my buttocks")),
    "axspa_improves_with_movement": Text(_("It gets better when I move about")),
    "axspa_nsaid_response_48h": Text(_("Anti-inflammatories (such as ibuprofen) help within about 2 days")),
    "axspa_family_history": Text(_("A parent, brother, sister or child has spondyloarthritis")),
    "axspa_arthritis": Text(_("I have, or have had, arthritis (swollen, painful joints)")),
    "axspa_enthesitis": Text(_("I have, or have had, pain where tendons attach, for example at the heel")),
    "axspa_psoriasis": Text(_("I have, or have had, psoriasis")),
    "structural_deformity": Text(
        _("Have you been told you have a curve or other shape change of your spine?"), _("Optional.")
    ),
    "pain_multiple_sites": Text(_("Do you have pain in several other parts of your body too?"), _("Optional.")),
    # B.4 leg
    "leg_pain_below_knee": Text(_("Does the leg pain go below the knee?")),
    "leg_vs_back": Text(_("Which is worse, the leg pain or the back pain?")),
    "leg_paraesthesia": Text(_("Do you have numbness or pins and needles in the painful leg?")),
    # B.5 neck and cervical arteries
    "neck_stiff_reduced_movement": Text(_("Is your neck stiff, so that you cannot move it as far as usual?")),
    "vertigo_new": Text(_("Dizziness or a spinning feeling")),
    "diplopia_new": Text(_("Double vision")),
    "dysarthria_new": Text(_("Slurred speech")),
    "dysphagia_new": Text(_("Trouble swallowing")),
    "drop_attacks_new": Text(_("Sudden falls without blacking out")),
    "nystagmus_new": Text(_("Flickering or jumping vision")),
    "facial_numbness_new": Text(_("Numbness of your face or lips")),
    "ataxia_new": Text(_("Unsteadiness, clumsiness, or loss of balance or coordination")),
    "ptosis": Text(_("A drooping eyelid")),
    "pulsatile_tinnitus": Text(_("A whooshing noise in your ear in time with your pulse")),
    "neuro_symptoms_within_14_days": Text(
        _("Did you have any of the symptoms you answered “Yes” to in the last 2 weeks, or do you have them now?")
    ),
    "cad_symptoms_older_intermittent": Text(
        _("More than 2 weeks ago, did you have episodes of any of these symptoms that came and went?")
    ),
    "dizziness_neck_movement": Text(_("Do you get dizzy when you turn your head or look up?")),
    "sudden_severe_unlike_before": Text(
        _("Has sudden, severe neck pain or headache come on that is unlike anything you have had before?")
    ),
    "recent_neck_injury": Text(_("Have you injured your neck in the last 4 weeks?")),
    "recent_neck_manipulation": Text(
        _("In the last 4 weeks, has anyone else manipulated (“clicked” or “cracked”) your neck?")
    ),
    "cad_rf_hypertension": Text(_("High blood pressure")),
    "cad_rf_high_cholesterol": Text(_("High cholesterol")),
    "cad_rf_connective_tissue": Text(_("A connective tissue disorder (for example Ehlers-Danlos or Marfan syndrome)")),
    "cad_rf_recent_infection": Text(_("An infection in the last 4 weeks")),
    "cad_rf_migraine": Text(_("Migraine")),
    "cad_rf_family_history": Text(_("A family history of a torn neck artery or a stroke at a young age")),
    "cad_rf_smoker": Text(_("I smoke")),
    "uci_rheumatoid_arthritis": Text(_("Rheumatoid arthritis")),
    "uci_down_syndrome": Text(_("Down syndrome")),
    "uci_neck_surgery": Text(_("Previous neck surgery")),
    # B.6 headache
    "headache_days_per_month": Text(
        _("Over the last 3 months, on how many days a month have you had a headache?"),
        _("An average, 0 to 31. Enter 0 if it is less than one day a month."),
    ),
    "headache_freq_duration": Text(_("How long have your headaches been this frequent?")),
    "headache_history_months": Text(
        _("How long have you had this headache problem?"), _("Whole months. Enter 0 if less than a month.")
    ),
    "ha_second_type": Text(
        _("Do you also get a second, different kind of headache?"),
        _("For example a migraine and also a milder, pressing headache. We will ask about each one."),
    ),
    "onset_to_peak": Text(_("How quickly did your current or worst headache reach its worst?")),
    "new_headache": Text(_("Is this a new kind of headache that started in the last 3 months?")),
    "pattern_change_3mo": Text(
        _("Has your usual headache clearly changed in the last 3 months (new features, or a new type)?")
    ),
    "progressive": Text(_("Has the headache been getting steadily worse over days or weeks?")),
    "fever": Text(_("In the last few days, have you had a fever (38 °C / 100.4 °F or higher)?")),
    "neck_stiffness": Text(_("Is your neck stiff?")),
    "confusion_drowsy": Text(_("Have you been confused or unusually drowsy?")),
    "non_blanching_rash": Text(
        _("Have you noticed a rash that does not fade when you press a glass against it?")
    ),
    "hemi_weakness_new": Text(_("Weakness on one side of your body")),
    "hemi_numbness_new": Text(_("Numbness on one side of your body")),
    "speech_difficulty_new": Text(_("Trouble speaking or understanding")),
    "facial_droop_new": Text(_("A drooping face")),
    "vision_loss_new": Text(_("Loss of vision")),
    "seizure_new": Text(_("A seizure (fit)")),
    "faint_new": Text(_("Fainting")),
    "orthostatic": Text(_("Is the headache worse when you sit or stand up, and better when you lie down?")),
    "worse_lying_or_morning": Text(_("Is the headache worse when lying down, or when you wake up?")),
    "vomiting": Text(_("Have you vomited with this headache (or since an injury)?")),
    "transient_visual_obscurations": Text(_("Does your vision grey out for a few seconds at a time?")),
    "valsalva_or_exertion_trigger": Text(
        _("Is the headache brought on by coughing, sneezing, straining, exercise or sex?")
    ),
    "pregnant": Text(_("Are you pregnant?"), _("Answer “No” if this does not apply to you.")),
    "gestation_weeks": Text(_("If yes: how many weeks pregnant are you?"), _("Completed weeks.")),
    "postpartum_weeks": Text(
        _("If you have given birth in the last 6 weeks: how many weeks ago?"),
        _("Whole weeks. Leave blank if you have not given birth in the last 6 weeks."),
    ),
    "preeclampsia_symptoms": Text(
        _("If you are pregnant or gave birth in the last 6 weeks: do you have any of these now?"),
        _("Tick all that apply. Leave all unticked if you have none of them."),
    ),
    "head_neck_trauma": Text(_("Did the headache start after a blow to the head, a fall or a whiplash injury?")),
    "neck_trauma_days": Text(_("If yes: how many days ago was that injury?"), _("Enter 0 if it was today.")),
    "anticoagulant": Text(
        _("Do you take blood thinners?"), _("For example warfarin, apixaban, rivaroxaban, dabigatran or heparin.")
    ),
    "loc": Text(_("Have you blacked out (lost consciousness) since an injury?")),
    "red_painful_eye": Text(_("Is one eye red and painful?")),
    "eye_blurring_haloes": Text(_("Do you have blurred vision, or see haloes around lights, with that eye?")),
    "ha_autonomic_features": Text(
        _("With the headache, do you get a watering or red eye, a runny nostril or a drooping eyelid on one side?")
    ),
    "new_drug_at_onset": Text(_("Did the headache start soon after you started a new medicine?")),
    "gca_jaw_claudication": Text(_("Pain in your jaw or tongue when chewing, which eases when you stop")),
    "gca_scalp_tenderness": Text(_("A scalp that is tender to touch or when combing your hair")),
    "gca_temple_tenderness": Text(_("Tender or thickened temples (the sides of your forehead)")),
    "gca_morning_girdle_stiffness": Text(_("Stiffness in your shoulders or hips in the morning")),
    "gca_systemic": Text(_("Fever, weight loss or unusual tiredness")),
    "gca_visual": Text(_("Changes in your vision, such as blurring, double vision or loss of sight")),
    "typical_aura": Text(
        _("Which of these warning symptoms are your usual pattern, the same for a long time?"),
        _("Tick the ones that have been the same for years. Leave them unticked if they are new or have changed."),
    ),
    "aura_first_ever": Text(_("Is this the first time you have had warning symptoms like these?")),
    "aura_limb_weakness": Text(_("Did the warning symptoms include weakness of an arm or leg?")),
    "aura_over_60min": Text(_("Have the warning symptoms ever lasted more than 1 hour?")),
    "aura_started_age_50_plus": Text(_("Did the warning symptoms first start when you were 50 or older?")),
    "aura_sudden_onset": Text(
        _("Did the warning symptoms come on suddenly, all at once, rather than spreading slowly?")
    ),
    # B.9 procedures
    "dural_puncture_procedure": Text(
        _("Before this headache started, did you have a lumbar puncture, a spinal anaesthetic, an epidural (including "
          "in labour) or another procedure on your spine?")
    ),
    "procedure_type": Text(_("If yes: which procedure was it?"), _("Optional.")),
    "procedure_days_ago": Text(
        _("If yes: how many days ago was the procedure?"), _("You can use decimals, for example 1.5 days.")
    ),
    "procedure_to_headache_onset_days": Text(
        _("If yes: how many days after the procedure did the headache start?"),
        _("You can use decimals. Enter a minus number if the headache started before the procedure."),
    ),
    "pdph_no_longer_positional": Text(
        _("If yes: the headache used to change when you sat up or lay down. Has it stopped changing like that?")
    ),
    # B.10 history
    "cancer_history": Text(_("Have you ever had cancer?")),
    "immunosuppressed": Text(
        _("Do you have HIV or a weakened immune system?"),
        _("For example from chemotherapy, transplant medicines, biologic drugs or long-term steroids."),
    ),
    "diagnosed_conditions": Text(
        _("Has a doctor ever told you that you have any of these?"), _("Optional. Tick all that apply.")
    ),
    # B.11 own-wording sensitivity questions (§3.3 F4–F5)
    "allodynia_touch": Text(
        _("Does light touch on painful areas hurt, such as clothing, bedsheets or shower water?"), _("Optional.")
    ),
    "pain_hypersensitivity": Text(
        _("Do light pressure, warmth or cold cause pain that would not normally hurt?"), _("Optional.")
    ),
    "sensory_sensitivity": Text(
        _("Are you unusually bothered by bright light, loud noise or strong smells, even without a headache?"),
        _("Optional."),
    ),
    # B.12 medicines
    "med_days.paracetamol": Text(_("Paracetamol (acetaminophen)")),
    "med_days.nsaid_aspirin": Text(_("Anti-inflammatories or aspirin (for example ibuprofen, naproxen)")),
    "med_days.triptan": Text(_("Triptans (for example sumatriptan, rizatriptan)")),
    "med_days.ergot": Text(_("Ergotamine")),
    "med_days.opioid": Text(_("Opioids (for example codeine, tramadol, morphine)")),
    "med_days.combination": Text(
        _("Combination painkillers (for example paracetamol with codeine, or with caffeine)")
    ),
    "med_days.gepant_ditan": Text(_("Gepants or ditans (for example rimegepant, ubrogepant, lasmiditan)")),
    "med_days.other": Text(_("Any other painkiller or headache medicine")),
    "med_days.any_acute": Text(
        _("On how many days a month did you take any of these medicines at all?"),
        _("Count each day once, even if you took several medicines that day."),
    ),
    "med_days.nonopioid_any": Text(
        _("On how many days a month did you take paracetamol or an anti-inflammatory (either one)?"),
        _("Optional. Count each day once."),
    ),
    "med_days.not_sure": Text(_("Not sure")),
    "med_overuse_duration": Text(_("How long have you been taking painkillers on this many days?")),
    "headache_predates_med_use": Text(
        _("Did you have headaches before you started taking painkillers this often?")
    ),
    # B.7 one headache type
    "ha_types.attack_count_lifetime": Text(_("How many times have you had this kind of headache?")),
    "ha_types.duration_untreated": Text(
        _("How long does it last if you take nothing, or if the medicine does not work?"),
        _("If you fall asleep and wake up without it, count until you woke."),
    ),
    "ha_types.side": Text(_("Where is the pain?")),
    "ha_types.quality": Text(_("What does the pain feel like?")),
    "ha_types.intensity": Text(_("How bad is it usually?")),
    "ha_types.nausea": Text(_("Do you feel sick (nausea) with it?")),
    "ha_types.aura": Text(
        _("Before or with this headache, do you get warning symptoms (an “aura”)?"),
        _("For example zigzag lines, flashing lights, blind spots, pins and needles, or trouble finding words, "
          "usually lasting a few minutes to an hour."),
    ),
    "ha_types.triptan_relieves": Text(
        _("If you think this headache is a migraine: does a triptan or ergot medicine relieve it?")
    ),
    "ha_types.days_per_month": Text(
        _("On how many days a month do you get this kind of headache?"),
        _("An average over the last 3 months, 0 to 31. Enter 0 if less than one day a month."),
    ),
    "ha_types.worse_with_activity": Text(
        _("It gets worse with, or I avoid, routine activity such as walking or stairs")
    ),
    "ha_types.vomiting": Text(_("I vomit with it")),
    "ha_types.photophobia": Text(_("Light bothers me during it")),
    "ha_types.phonophobia": Text(_("Noise bothers me during it")),
    "ha_types.ha_started_with_neck_problem": Text(_("The headaches began when my neck problem began")),
    "ha_types.ha_improves_when_neck_improves": Text(_("The headache gets better when my neck gets better")),
    "ha_types.neck_movement_or_posture_triggers_ha": Text(
        _("Moving my neck, or holding it in one position, brings it on")
    ),
    "ha_types.side_locked": Text(_("It is always on the same side")),
    "ha_types.neck_pressure_triggers_ha": Text(_("Pressing on my neck muscles brings it on")),
    # B.8 aura of one type
    "aura.types": Text(_("Which warning symptoms do you get?"), _("Tick all that apply; at least one.")),
    "aura.attack_count": Text(_("How many times have you had headaches with these warning symptoms?")),
    "aura.spreads_over_5min": Text(_("At least one symptom spreads slowly, over 5 minutes or more")),
    "aura.two_or_more_in_succession": Text(_("Two or more symptoms come one after the other")),
    "aura.each_lasts_5_60min": Text(_("Each symptom lasts between 5 minutes and 1 hour")),
    "aura.one_sided": Text(_("At least one symptom is on one side only")),
    "aura.positive": Text(_("At least one is a “positive” symptom, such as flickering lights or pins and needles")),
    "aura.headache_within_60min": Text(_("The headache comes with the symptoms, or within 1 hour after them")),
}

# Headings (legends) of the tick lists and groups of short items.
GROUPS: dict[str, Text] = {
    "axspa": Text(_("Tick any that are true for your back pain or your health"), _("Leave unticked if not.")),
    "ces": Text(
        _("Since this back or leg problem began, have you noticed any of the following?"),
        _("These questions are important for your safety. If you are unsure, choose “Not sure”."),
    ),
    "cad": Text(
        _("Since this neck pain or headache began, have you had any of the following?"),
        _("Include anything that is new since it began, however long ago."),
    ),
    "cad_risk": Text(_("Do you have any of these?"), _("Tick all that apply. Leave unticked if not.")),
    "neuro": Text(_("Since this headache began, have you had any of the following?")),
    "gca": Text(_("Do you have any of the following?")),
    "ha_features": Text(_("Tick any that are true for this headache"), _("Leave unticked if not.")),
    "neck_proxies": Text(_("Tick any that are true for this headache and your neck"), _("Leave unticked if not.")),
    "aura_features": Text(_("Tick any that are true for these warning symptoms"), _("Leave unticked if not.")),
    "med_days": Text(
        _("Over the last 3 months, on how many days a month did you take each of these?"),
        _("Whatever the reason you took it. Enter 0 for none. If you cannot say, tick “Not sure”."),
    ),
}

# ---------------------------------------------------------------- own-wording questionnaires (§1.3)
NPRS = {
    "nprs_back": Text(
        _("On average over the last week, how bad has your back pain been?"),
        _("0 means no pain; 10 means the worst pain you can imagine."),
    ),
    "nprs_head": Text(
        _("On average over the last week, how bad have your headaches been?"),
        _("0 means no pain; 10 means the worst pain you can imagine."),
    ),
}
PSFS = Text(
    _("Activities that are hard for you"),
    _("Name 3 to 5 important activities that you cannot do, or find hard to do, because of your problem. For each one, "
      "rate how well you can do it today: 0 means you cannot do it at all, 10 means as well as before the problem. "
      "Leave this section blank if you prefer not to answer."),
)
PSFS_ACTIVITY = _("Activity %(n)s")
PSFS_SCORE = _("How well can you do activity %(n)s today (0–10)?")
WPI = Text(
    _("Where have you had pain in the last week?"),
    _("Tick every area. Leave an area unticked if you have had no pain there."),
)
WPI_AREAS = {
    "left_jaw": _("Left jaw"),
    "right_jaw": _("Right jaw"),
    "left_shoulder_girdle": _("Left shoulder"),
    "right_shoulder_girdle": _("Right shoulder"),
    "left_upper_arm": _("Left upper arm"),
    "right_upper_arm": _("Right upper arm"),
    "left_lower_arm": _("Left lower arm"),
    "right_lower_arm": _("Right lower arm"),
    "left_hip": _("Left hip or buttock"),
    "right_hip": _("Right hip or buttock"),
    "left_upper_leg": _("Left upper leg"),
    "right_upper_leg": _("Right upper leg"),
    "left_lower_leg": _("Left lower leg"),
    "right_lower_leg": _("Right lower leg"),
    "neck": _("Neck"),
    "upper_back": _("Upper back"),
    "lower_back": _("Lower back"),
    "chest": _("Chest"),
    "abdomen": _("Tummy (abdomen)"),
}
SSS = Text(_("Tiredness, sleep and concentration"))
SSS_ITEMS = {
    "fatigue": Text(_("Over the last week, how much of a problem has tiredness been?")),
    "waking_unrefreshed": Text(_("Over the last week, how much of a problem has waking up unrefreshed been?")),
    "cognitive": Text(
        _("Over the last week, how much of a problem have thinking or memory difficulties been?")
    ),
    "symptoms": Text(_("In the last 6 months, have you had any of these?"), _("Tick all that apply.")),
    "headaches": Text(_("Headaches")),
    "lower_abdominal_pain": Text(_("Pain or cramps in your lower tummy")),
    "depression": Text(_("Depression")),
    "symptoms_3mo_plus": Text(_("Have your pain and these symptoms been at a similar level for at least 3 months?")),
}
# CSI part B (contract B.13 `csi_b`), asked right after a clinic's CSI part A pack: the condition names are the
# `diagnosed_conditions` labels above (own words; they are not licensed text). "None of these" sends [].
CSI_B = Text(
    _("Has a doctor diagnosed you with any of these conditions?"),
    _("Optional. Tick any that a doctor has diagnosed, or tick “None of these”."),
)
# Help text of an optional questionnaire item whose wording comes from a content pack (MIDAS items A and B).
OPTIONAL_ITEM = _("Optional.")
QUESTIONNAIRE_ATTRIBUTION_OWN = _(
    "Questions in our own words, based on the 2016 fibromyalgia criteria (Wolfe et al., 2016)."
)

# ---------------------------------------------------------------- steps
STEPS: dict[str, Text] = {
    "about": Text(_("About you"), _("A few questions to decide which sections apply to you.")),
    "back": Text(_("Your back pain")),
    "back-health": Text(_("Your back pain and your health"), _("These questions help us keep you safe.")),
    "nerves": Text(_("Legs, bladder and bowel")),
    "neck": Text(_("Neck and new symptoms")),
    "headache": Text(_("Your headaches")),
    "headache-main": Text(_("Your main headache"), _("Think about your worst or most frequent kind of headache.")),
    "headache-second": Text(_("Your second kind of headache")),
    "aura": Text(_("Warning symptoms (aura)")),
    "headache-symptoms": Text(_("Headache: other symptoms"), _("These questions help us keep you safe.")),
    "headache-more": Text(_("Headache: injuries, pregnancy and procedures")),
    "health": Text(_("Your health")),
    "medicines": Text(_("Painkillers and headache medicines")),
    "pain": Text(_("Pain and daily activities")),
    "back-function": Text(_("How your back affects you today")),
    "mood": Text(_("How you have been feeling")),
    "body": Text(_("Pain around your body")),
    "more-questionnaires": Text(_("More questionnaires")),
}
AURA_FOR_TYPE = {0: _("Your main headache"), 1: _("Your second kind of headache")}

# ---------------------------------------------------------------- messages
MSG = {
    "required": _("Please answer this question."),
    "required_rf": _("Please answer this question. If you do not know, choose “Not sure”."),
    "required_number": _("Please enter a number."),
    "choose": _("Please choose one of the answers."),
    "whole_number": _("Enter a whole number from %(lo)s to %(hi)s."),
    "whole_number_min": _("Enter a whole number of %(lo)s or more."),
    "number": _("Enter a number from %(lo)s to %(hi)s."),
    "inconsistent": _("This answer does not fit with another answer. Please check it."),
    "at_least_one": _("Tick at least one."),
    "questionnaire_all": _("Please answer every question of this questionnaire."),
    "psfs_rows": _("Name at least 3 activities and rate each one, or leave them all blank."),
    "psfs_score": _("Rate this activity from 0 to 10."),
    "psfs_activity": _("Name the activity you are rating."),
    "text_too_long": _("Please keep this shorter than %(n)s characters."),
    "section_unfinished": _("This section is not finished yet."),
    "your_answers": _("Your answers"),
    "not_answered": _("Not answered"),
    "none_of_these": _("None of these"),
    "none_and_codes": _("You ticked “None of these” and a condition. Untick one of them."),
}
INCONSISTENT = {
    "back_pain_onset_age": _("This cannot be more than your age now."),
    "leg_pain_below_knee": _("You said you have no leg pain, so choose “No”."),
    "ha_types.days_per_month": _("This cannot be more than your total headache days a month."),
    "procedure_to_headache_onset_days": _("This cannot be more than the number of days since the procedure."),
    "med_days": _("This cannot be more than the days you took any of these medicines."),
    "med_days.nonopioid_any": _(
        "This must be at least the larger of the paracetamol and anti-inflammatory days, at most their sum, and no "
        "more than the days with any medicine."
    ),
    "typical_aura": _("Only tick symptoms you get now, and none if this is the first time you have had them."),
}


def _format(text, **kwargs) -> str:
    return str(text) % kwargs


format_lazy_pct = lazy(_format, str)
