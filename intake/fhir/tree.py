"""The intake as a tree of Questionnaire items, built from the definitions that build the patient wizard.

- which fields exist, their types, values, ranges and "required when": `intake/triage/schema.py` (contract part B);
- the patient's wording and choice labels: `intake/questions.py`;
- the questionnaires: shipped wording (`intake/content/shippable.py`, own-wording ones in questions.py), licensed
  wording only from the clinic's active content pack (reference.md §1.3), item domains from the instrument modules.

Every node knows its FHIR item (linkId, type, options) and where its value sits in the contract answers, so the
same tree builds the Questionnaire, exports answers as a QuestionnaireResponse and reads one back.

linkId = the contract path of the value without list indices of repeating groups: `age`, `ha_types.side`,
`ha_types.aura.types`, `med_days.triptan`, `instruments.phq9[8]`, `instruments.psfs.score`. One linkId is not a
contract field: `ha_types.has_aura` (the wizard's "warning symptoms?" question), which says whether
`ha_types[i].aura` is an object or null (docs/fhir.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from intake import questions as words
from intake.content import shippable
from intake.content.packs import EXTRA_ITEMS, item_domain
from intake.content.packs import INPUT_KEY as PACK_INPUT_KEY
from intake.triage.instruments import INPUT_KEYS, INSTRUMENTS
from intake.triage.instruments import promis_sleep as promis_module
from intake.triage.instruments import sss as sss_module
from intake.triage.instruments import wpi as wpi_module
from intake.triage.instruments.csi import CONDITION_CODES
from intake.triage.schema import AURA_FIELDS, FIELDS, HA_TYPE_FIELDS, MED_CLASSES, OPTIONAL, Condition, Field
from intake.wizard import MAX_TEXT as PSFS_MAX_TEXT  # PSFS activity names, as the wizard takes them
from intake.wizard import RELEVANCE  # which questionnaires apply to whom, as the wizard asks them

from . import codes
from .conditions import Atom

# Fields of part B that are not questions: `contract_version` is metadata of the JSON input.
NOT_ASKED = {"contract_version"}
# Input key of each instrument -> the content-pack instrument that holds its licensed wording.
PACK_FOR_INPUT = {v: k for k, v in PACK_INPUT_KEY.items()}
PACK_FOR_INPUT["csi_b"] = "csi"  # Part B's condition list goes with the CSI (own words, no licensed text)


@dataclass
class Node:
    """One Questionnaire item and where its value lives in the contract answers.

    shape, for answers: "code" (one enum value), "codes" (a list of codes; [] = none of these), "int", "decimal",
    "bool", "string", "int_code" (an integer chosen from labelled options), "med" (0-31 or "not_sure"),
    "presence" (aura yes/no -> object or null); for groups: "object" (a dict), "list" (fixed positions),
    "repeat" (a list of dicts, one group per element).
    """

    link_id: str
    type: str
    text: str
    key: str | int | None
    shape: str
    required: bool = False
    condition: Condition | None = None  # the schema's "required when" (or the questionnaire's relevance)
    enable: Atom | None = None  # an explicit enableWhen where no schema Condition exists (aura group)
    options: tuple = ()  # ((contract value, display), ...)
    lo: float | None = None
    hi: float | None = None
    nullable: bool = False
    rf: bool = False
    repeats: bool = False
    min_occurs: int | None = None
    max_occurs: int | None = None
    help: str = ""
    loinc: str = ""
    max_length: int | None = None
    read_only: bool = False
    copyright: str = ""
    children: list[Node] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.type == "group"

    def child(self, link_id: str) -> Node | None:
        for c in self.children:
            if c.link_id == link_id:
                return c
        return None


def _s(text) -> str:
    return str(text) if text else ""


def _labels(choices_key: str, rf: bool) -> dict:
    return words.RF if rf else words.CHOICES.get(choices_key, words.YES_NO)


def _text(key: str, fallback: str) -> tuple[str, str]:
    t = words.Q.get(key)
    return (_s(t.label), _s(t.help)) if t else (fallback, "")


def _field_node(spec: Field, link_id: str, text_key: str, choices_key: str) -> Node:
    label, help_text = _text(text_key, link_id)
    condition = spec.required if isinstance(spec.required, Condition) else None
    required = spec.required is not OPTIONAL and not spec.nullable
    node = Node(link_id=link_id, type="choice", text=label, help=help_text, key=spec.name, shape="code",
                required=required, condition=condition, rf=spec.rf, nullable=spec.nullable)
    if spec.kind == "enum":
        labels = _labels(choices_key, spec.rf)
        node.options = tuple((v, _s(labels.get(v, v))) for v in spec.values)
    elif spec.kind == "codes":
        labels = words.CHOICES.get(choices_key, {})
        node.shape, node.repeats = "codes", True
        node.options = tuple((v, _s(labels.get(v, v))) for v in spec.values)
    elif spec.kind == "int":
        node.type, node.shape, node.lo, node.hi = "integer", "int", spec.lo, spec.hi
    elif spec.kind == "number":
        node.type, node.shape, node.lo, node.hi = "decimal", "decimal", spec.lo, spec.hi
    else:  # pragma: no cover - objects are built by their own helpers
        raise ValueError(spec.kind)
    return node


def _aura_group() -> Node:
    children = [_field_node(spec, f"ha_types.aura.{spec.name}", f"aura.{spec.name}", f"aura.{spec.name}")
                for spec in AURA_FIELDS]
    return Node(link_id="ha_types.aura", type="group", text=_s(words.STEPS["aura"].label), key="aura",
                shape="object", required=True, enable=Atom("ha_types.has_aura", "=", "yes"), children=children)


def _ha_types_group(spec: Field) -> Node:
    children: list[Node] = []
    for field_spec in HA_TYPE_FIELDS:
        if field_spec.name == "aura":
            label, help_text = _text("ha_types.aura", "aura")
            labels = words.CHOICES["ha_types.aura"]
            children.append(Node(link_id="ha_types.has_aura", type="choice", text=label, help=help_text, key="aura",
                                 shape="presence", required=True,
                                 options=tuple((v, _s(labels[v])) for v in ("yes", "no"))))
            children.append(_aura_group())
            continue
        children.append(_field_node(field_spec, f"ha_types.{field_spec.name}", f"ha_types.{field_spec.name}",
                                    f"ha_types.{field_spec.name}"))
    return Node(link_id="ha_types", type="group", text=_s(_("Headache types (the main one first; at most 2)")),
                key="ha_types", shape="repeat", required=True, condition=spec.required, repeats=True,
                min_occurs=1, max_occurs=2, children=children)


def _med_days_group() -> Node:
    children = []
    for key in (*MED_CLASSES, "any_acute", "nonopioid_any"):
        label, help_text = _text(f"med_days.{key}", key)
        children.append(Node(link_id=f"med_days.{key}", type="integer", text=label, help=help_text, key=key,
                             shape="med" if key in MED_CLASSES else "int", required=key != "nonopioid_any",
                             lo=0, hi=31))
    legend = words.GROUPS["med_days"]
    return Node(link_id="med_days", type="group", text=_s(legend.label), help=_s(legend.help), key="med_days",
                shape="object", required=True, children=children)


# ---------------------------------------------------------------- questionnaires (contract B.13)
def _leaf_for_domain(link_id: str, key, text: str, domain: dict, options, *, required: bool) -> Node:
    """One questionnaire item from its domain (packs.item_domain) and its (value, label) options, or None.

    The FHIR type depends on the domain only, never on whether a pack is loaded, so an answer exported today reads
    back the same way after a pack changes: booleans -> boolean; enums -> choice; integers over at most 11 values
    -> choice (coded, with ordinalValue); wider integers (MIDAS day counts) -> integer.
    """
    node = Node(link_id=link_id, type="choice", text=text, key=key, shape="code", required=required,
                nullable=not required)
    if domain["type"] == "bool":
        node.type, node.shape = "boolean", "bool"
    elif domain["type"] == "enum":
        labels = dict(options or ())
        values = [v for v, _label in options] if options else domain["values"]
        node.options = tuple((v, _s(labels.get(v, v))) for v in values)
    elif domain["hi"] - domain["lo"] <= 10:
        node.shape = "int_code"
        pairs = options or [(v, str(v)) for v in range(domain["lo"], domain["hi"] + 1)]
        node.options = tuple((v, _s(label)) for v, label in pairs)
    else:
        node.type, node.shape, node.lo, node.hi = "integer", "int", domain["lo"], domain["hi"]
    return node


def _pack_options(content: dict | None, i: int) -> list | None:
    """An item's (value, label) options from a pack; None without a pack or when the pack gives none."""
    if content is None or i >= len(content["items"]):
        return None
    opts = content["items"][i].get("options", content.get("options"))
    return None if opts is None else [(o["value"], o["label"]) for o in opts]


def _pack_text(content: dict | None, i: int, name: str) -> str:
    if content is not None and i < len(content["items"]):
        return content["items"][i]["text"]
    return f"{name}, item {i + 1}"


def _list_group(prefix: str, key, title: str, texts: list[str], domains: list[dict], options: list, *,
                nullable: bool) -> Node:
    children = [
        _leaf_for_domain(f"{prefix}[{i}]", i, text, domains[i], options[i], required=not nullable)
        for i, text in enumerate(texts)
    ]
    return Node(link_id=prefix, type="group", text=title, key=key, shape="list", children=children)


def _shipped(key: str) -> Node:
    """An instrument whose wording we ship (reference.md §1.3)."""
    if key in shippable.SHIPPED and key != "rmdq":
        data = shippable.SHIPPED[key]
        n = len(data["items"])
        options = [(v, label) for v, label in data["options"]]
        node = _list_group(f"instruments.{key}", key, _s(data["title"]), [_s(t) for t in data["items"]],
                           [{"type": "int", "lo": 0, "hi": 3}] * n, [options] * n, nullable=False)
        for child, loinc in zip(node.children, codes.LOINC_ITEMS.get(key, ()), strict=False):
            child.loinc = loinc
        node.help, node.copyright = _s(data["instructions"]), _s(data["attribution"])
        return node
    if key == "rmdq":
        data = shippable.RMDQ
        n = len(data["items"])
        node = _list_group("instruments.rmdq", key, _s(data["title"]), [_s(t) for t in data["items"]],
                           [{"type": "bool"}] * n, [None] * n, nullable=False)
        node.help, node.copyright = _s(data["instructions"]), _s(data["attribution"])
        return node
    if key in ("nprs_back", "nprs_head"):
        text = words.NPRS[key]
        return Node(link_id=f"instruments.{key}", type="integer", text=_s(text.label), help=_s(text.help), key=key,
                    shape="int", lo=0, hi=10)
    if key == "psfs":
        children = [
            Node(link_id="instruments.psfs.activity", type="string", text=_s(_("Activity")), key="activity",
                 shape="string", required=True, max_length=PSFS_MAX_TEXT),
            Node(link_id="instruments.psfs.score", type="integer",
                 text=_s(_("How well can you do this activity today (0–10)?")), key="score", shape="int",
                 required=True, lo=0, hi=10),
        ]
        return Node(link_id="instruments.psfs", type="group", text=_s(words.PSFS.label), help=_s(words.PSFS.help),
                    key="psfs", shape="repeat", repeats=True, min_occurs=3, max_occurs=5, children=children)
    if key == "wpi":
        return Node(link_id="instruments.wpi", type="choice", text=_s(words.WPI.label), help=_s(words.WPI.help),
                    key="wpi", shape="codes", repeats=True,
                    options=tuple((c, _s(words.WPI_AREAS[c])) for c in wpi_module.AREA_CODES),
                    copyright=_s(words.QUESTIONNAIRE_ATTRIBUTION_OWN))
    if key == "sss":
        severity = tuple((v, _s(label)) for v, label in sorted(words.CHOICES["sss.severity"].items()))
        children = [
            Node(link_id=f"instruments.sss.{k}", type="choice", text=_s(words.SSS_ITEMS[k].label), key=k,
                 shape="int_code", required=True, options=severity)
            for k in sss_module.SEVERITY_KEYS
        ] + [
            Node(link_id=f"instruments.sss.{k}", type="boolean", text=_s(words.SSS_ITEMS[k].label), key=k,
                 shape="bool", required=True)
            for k in (*sss_module.SYMPTOM_KEYS, sss_module.DURATION_KEY)
        ]
        return Node(link_id="instruments.sss", type="group", text=_s(words.SSS.label), key="sss", shape="object",
                    children=children, copyright=_s(words.QUESTIONNAIRE_ATTRIBUTION_OWN))
    raise LookupError(key)


SHIPPED_KEYS = ("rmdq", "phq9", "gad7", "phq4", "nprs_back", "nprs_head", "psfs", "wpi", "sss")


def _licensed(key: str, pack, everything: bool) -> Node:
    """A licensed instrument: its wording only from the clinic's pack; without one (export only) neutral names."""
    instrument = PACK_FOR_INPUT[key]
    module = INSTRUMENTS[instrument]
    content = pack.content if pack is not None else None
    name = _s(module.NAME)
    title = content["title"] if content else name
    if key == "csi_b":
        # Part B in the wizard's own words (no licensed text), as the wizard asks it after part A.
        return Node(link_id="instruments.csi_b", type="choice", text=_s(words.CSI_B.label),
                    help=_s(words.CSI_B.help), key="csi_b", shape="codes", repeats=True,
                    options=tuple((c, _s(words.CHOICES["diagnosed_conditions"][c])) for c in CONDITION_CODES))
    elif key == "midas":
        n = module.N_ITEMS
        items = _list_group("instruments.midas.items", "items", title,
                            [_pack_text(content, i, name) for i in range(n)], [item_domain("midas", i, n)
                                                                              for i in range(n)],
                            [_pack_options(content, i) for i in range(n)], nullable=False)
        # Items A and B: optional and unscored; the pack's wording when it has one (packs.EXTRA_ITEMS), else a
        # neutral name. Always integers (the domain decides the type, not the pack).
        extras = [
            Node(link_id=f"instruments.midas.{k}", type="integer", key=k, shape="int",
                 text=(content or {}).get(k, {}).get("text") or f"{name} {k.upper()} ({module.SCALE[k]['labels']})",
                 lo=module.SCALE[k]["min"], hi=module.SCALE[k]["max"])
            for k in EXTRA_ITEMS["midas"]
        ]
        node = Node(link_id="instruments.midas", type="group", text=title, key="midas", shape="object",
                    children=[items, *extras])
    elif key == "promis_sleep":
        forms = tuple(promis_module.FORM_ITEMS) if content is None or everything else (content["form"],)
        n = max(promis_module.FORM_ITEMS[f] for f in forms)
        items = _list_group("instruments.promis_sleep.items", "items", title,
                            [_pack_text(content, i, name) for i in range(n)],
                            [item_domain("promis_sleep", i, n) for i in range(n)],
                            [_pack_options(content, i) for i in range(n)], nullable=False)
        form = Node(link_id="instruments.promis_sleep.form", type="choice", text=_s(_("Short form")), key="form",
                    shape="code", required=True, options=tuple((f, f) for f in forms), read_only=len(forms) == 1)
        t_score = Node(link_id="instruments.promis_sleep.t_score", type="decimal",
                       text=_s(_("T-score from the official HealthMeasures conversion (optional)")), key="t_score",
                       shape="decimal")
        node = Node(link_id="instruments.promis_sleep", type="group", text=title, key="promis_sleep",
                    shape="object", children=[form, items, t_score])
    else:
        n = module.N_ITEMS
        domains = [item_domain(instrument, i, n) for i in range(n)]
        node = _list_group(f"instruments.{key}", key, title, [_pack_text(content, i, name) for i in range(n)],
                           domains, [_pack_options(content, i) for i in range(n)],
                           nullable=bool(domains[0].get("nullable")))
    if content and content.get("instructions"):
        node.help = content["instructions"]
    if pack is not None:
        node.copyright = pack.copyright_notice
    return node


def _instruments_group(packs: dict, everything: bool) -> Node:
    children = []
    for key in INPUT_KEYS:
        if key in SHIPPED_KEYS:
            node = _shipped(key)
        else:
            pack = packs.get(PACK_FOR_INPUT[key])
            if pack is None and not everything:
                continue  # reference.md §1.3: a licensed instrument only with the clinic's pack
            node = _licensed(key, pack, everything)
        node.condition = RELEVANCE.get(key)
        children.append(node)
    return Node(link_id="instruments", type="group", text=_s(_("Questionnaires")), key="instruments",
                shape="object", children=children)


def build(packs: dict | None = None, *, everything: bool = False) -> Node:
    """The whole intake as a tree (root: the answers object).

    `packs`: active content packs by instrument (wizard.active_packs()). `everything`: include every licensed
    instrument even without a pack, with neutral item names; used to export stored answers (which may hold an
    instrument whose pack was later withdrawn) and never to publish wording.
    """
    packs = packs or {}
    children: list[Node] = []
    for spec in FIELDS:
        if spec.name in NOT_ASKED:
            continue
        if spec.name == "ha_types":
            children.append(_ha_types_group(spec))
        elif spec.name == "med_days":
            children.append(_med_days_group())
        elif spec.name == "instruments":
            children.append(_instruments_group(packs, everything))
        else:
            children.append(_field_node(spec, spec.name, spec.name, spec.name))
    return Node(link_id="", type="group", text="", key=None, shape="object", children=children)


def walk(node: Node):
    """Every node below `node`, depth first, in questionnaire order."""
    for child in node.children:
        yield child
        yield from walk(child)


def index(root: Node) -> dict[str, Node]:
    return {n.link_id: n for n in walk(root)}
