"""What the pages show of a procedure and of a suggestion, in the clinic's words.

Built from rows already loaded by the selectors (findings prefetched), so
presenting a page of procedures costs no query per row.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString

from blocks.adapters import standing_scores, to_block
from blocks.charts import DiaryPoint, diary_chart
from blocks.formats import clinic_format
from blocks.forms.labels import label
from blocks.models import Decision, Procedure
from blocks.rules import Interpretation, Profile, Suggestion, catalogue, vocab
from blocks.rules.findings import Finding, finding, interpretation_findings
from blocks.rules.interpretation import evaluation_window
from blocks.services.decisions import fingerprint_of

# Status words carry the meaning; the CSS class only adds colour.
STATUS_CLASS = {
    "positive": "good",
    "negative": "bad",
    "partial": "mixed",
    "indeterminate": "neutral",
    "non_diagnostic": "neutral",
    "valid": "good",
}


def target_words(side: str, levels: Iterable[str]) -> str:
    """'right L4-L5, L5-S1': the side and levels a procedure or a suggestion is about."""
    return f"{label(side).lower()} {', '.join(levels)}"


def when(moment) -> str:
    return clinic_format(moment) if moment else ""


@dataclass(frozen=True)
class Traced:
    """A line of the page with the rule behind it: the small print links to the rules page."""

    name: str
    message: str
    rule: str = ""
    source: str = ""
    evidence: str = ""

    @property
    def anchor(self) -> str:
        return rule_anchor(self.rule)


def rule_anchor(rule_id: str) -> str:
    """The rule's anchor on the rules page ("" for a rule the catalogue does not know)."""
    rule = catalogue.RULES.get(rule_id)
    return rule.anchor if rule is not None else ""


def traced(found: Finding, name: str = "") -> Traced:
    return Traced(name, found.message, found.rule, found.source, found.evidence)


@dataclass
class ProcedureCard:
    procedure: Procedure
    reading: Interpretation
    title: str
    facts: list[tuple[str, str]]
    response: str
    response_class: str
    validity: str
    relief: str
    duration: str
    warnings: list[Traced]
    reasons: list[Traced]
    chart: SafeString | None
    discs: list[dict]
    screening: list[str]
    hard_stops: list[Traced]
    override: str
    complications: list
    diary: list
    score_form: object = None
    complication_form: object = None

    @property
    def anchor(self) -> str:
        return f"procedure-{self.procedure.pk}"


def procedure_card(
    procedure: Procedure, reading: Interpretation, profile: Profile
) -> ProcedureCard:
    diary = standing_scores(procedure)
    discs = list(procedure.discs.all())
    is_discography = procedure.kind == vocab.DISCOGRAPHY
    chart = None
    if not is_discography:
        window = evaluation_window(to_block(procedure), profile)
        chart = diary_chart(
            chart_id=f"chart-{procedure.pk}",
            points=[DiaryPoint(s.minutes_after, s.score) for s in diary],
            pre_pain=procedure.pre_pain,
            threshold_percent=reading.positive_threshold_percent,
            window=window,
            window_label=(
                f"Evaluation window ({label(procedure.anesthetic).lower()}, "
                f"{window[0]}–{window[1]} min)"
                if window
                else ""
            ),
        )
    disc_readings = {d.level: d for d in reading.discs}
    screening = _screening(procedure)
    return ProcedureCard(
        procedure=procedure,
        reading=reading,
        title=f"{label(procedure.kind)}, {target_words(procedure.side, procedure.levels)}",
        facts=_facts(procedure),
        response=label(reading.response),
        response_class=STATUS_CLASS.get(reading.response, "neutral"),
        validity=label(reading.validity),
        relief=_relief(reading),
        duration=_duration(reading),
        warnings=_warnings(reading),
        reasons=_reasons(reading),
        chart=chart,
        discs=[
            {
                "row": disc,
                "concordance": label(disc.concordance),
                "result": label(disc_readings[disc.level].result)
                if disc.level in disc_readings
                else "",
                # A negative disc is the control a discography needs: no colour says good or bad.
                "result_class": "plain",
                "reason": getattr(disc_readings.get(disc.level), "reason", ""),
            }
            for disc in discs
        ],
        screening=[label(code) for code in screening["codes"]],
        hard_stops=[traced(finding("hard_stop", code)) for code in screening["hard"]],
        override=screening["override"],
        complications=[
            {"row": c, "code": label(c.code), "severity": label(c.severity)}
            for c in procedure.complications.all()
            if not c.entered_in_error
        ],
        diary=diary,
    )


def _warnings(reading: Interpretation) -> list[Traced]:
    return [
        traced(found, label(found.code))
        for found in interpretation_findings(reading)
        if found.kind == "warning"
    ]


def _reasons(reading: Interpretation) -> list[Traced]:
    """Every reason of the reading; a non-diagnostic one names its rule."""
    rules = {
        found.message: found
        for found in interpretation_findings(reading)
        if found.kind == "non_diagnostic"
    }
    return [
        traced(rules[reason]) if reason in rules else Traced("", reason)
        for reason in reading.reasons
    ]


def _facts(procedure: Procedure) -> list[tuple[str, str]]:
    agent = label(procedure.anesthetic)
    if procedure.anesthetic_volume_ml is not None:
        agent += f", {procedure.anesthetic_volume_ml.normalize():f} mL per level"
    steroid = label(procedure.steroid)
    if procedure.steroid_dose_mg is not None:
        steroid += f", {procedure.steroid_dose_mg.normalize():f} mg"
    contrast = "Used" if procedure.contrast_used else "Not used"
    if procedure.contrast_used:
        contrast += (
            ", flow confirmed" if procedure.contrast_flow_confirmed else ", flow NOT confirmed"
        )
    performer = procedure.performed_by
    return [
        ("Intent", label(procedure.intent)),
        ("Anaesthetic", agent),
        ("Steroid", steroid),
        ("Guidance", label(procedure.guidance)),
        ("Contrast", contrast),
        ("Sedation", label(procedure.sedation)),
        ("Pain before", "—" if procedure.pre_pain is None else f"{procedure.pre_pain}/10"),
        ("Performed by", performer.get_full_name() or performer.get_username()),
    ]


def _relief(reading: Interpretation) -> str:
    if reading.relief_percent is None:
        return "Cannot be read"
    # One decimal, as the API: a whole number could round a partial block up to "80 %".
    text = f"{reading.relief_percent:.1f} %"
    if reading.peak_minutes is not None:
        text += f" (lowest score at {reading.peak_minutes} min)"
    return text


def _duration(reading: Interpretation) -> str:
    if reading.duration_minutes is None:
        return "—"
    prefix = "at least " if reading.duration_censored else ""
    return f"{prefix}{reading.duration_minutes} min"


def _screening(procedure: Procedure) -> dict:
    screening = getattr(procedure, "screening", None)
    if screening is None:
        return {"codes": [], "hard": [], "override": ""}
    return {
        "codes": list(screening.contraindications),
        "hard": screening.hard_stops,
        "override": screening.override_reason,
    }


@dataclass
class SuggestionCard:
    suggestion: Suggestion
    fingerprint: str
    title: str
    target: str
    based_on: list[dict]
    decision: Decision | None = None
    form: object = None
    extra: list[tuple[str, str]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.suggestion.code

    @property
    def rule_anchor(self) -> str:
        return rule_anchor(self.suggestion.rule)

    @property
    def accept_words(self) -> str:
        """What an Accept button accepts: "repeat the block with bupivacaine"."""
        words = self.title[:1].lower() + self.title[1:]
        if self.suggestion.anesthetic:
            words += f" with {label(self.suggestion.anesthetic).lower()}"
        return words


def suggestion_cards(
    suggestions: Sequence[Suggestion],
    *,
    procedures: dict[int, Procedure],
    decisions: dict[str, Decision],
) -> list[SuggestionCard]:
    cards = []
    for suggestion in suggestions:
        fingerprint = fingerprint_of(suggestion)
        extra = []
        if suggestion.earliest_date:
            extra.append(("Not before", f"{suggestion.earliest_date:%d %b %Y}"))
        if suggestion.anesthetic:
            extra.append(("Agent to use", label(suggestion.anesthetic)))
        cards.append(
            SuggestionCard(
                suggestion=suggestion,
                fingerprint=fingerprint,
                title=label(suggestion.code),
                target=target_words(suggestion.side, suggestion.levels),
                based_on=[_based_on(pk, procedures.get(pk)) for pk in suggestion.based_on],
                decision=decisions.get(fingerprint),
                extra=extra,
            )
        )
    return cards


def _based_on(pk: int, procedure: Procedure | None) -> dict:
    if procedure is None:
        return {"pk": pk, "words": f"Procedure #{pk}", "anchor": ""}
    day = timezone.localtime(procedure.performed_at)
    agent = "" if procedure.anesthetic == "none" else f" ({label(procedure.anesthetic).lower()})"
    return {
        "pk": pk,
        "words": f"{label(procedure.kind)} on {day:%d %b %Y}{agent}",
        "anchor": f"procedure-{pk}",
    }
