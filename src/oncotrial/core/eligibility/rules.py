"""Eligibility rule types. Each rule evaluates one condition to met / not met / not evaluable.

A criterion's *condition* is what its text states ("WBC ≥ 2.0 × 10⁹/L" for an
inclusion, "GI bleeding within 4 weeks" for an exclusion). ``met`` answers whether
the condition holds; :mod:`oncotrial.core.eligibility.screening` turns that into
eligibility. ``met is None`` means the data needed are missing or stale: never met.

Sources: thresholds come from the protocol file; measurability follows RECIST 1.1
(Eisenhauer et al., Eur J Cancer 2009;45:228–247, §3.1); Child-Pugh follows
Pugh et al., Br J Surg 1973;60:646–649.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from oncotrial.core.calculators.child_pugh import child_pugh_score
from oncotrial.core.eligibility.comparison import Operator
from oncotrial.core.eligibility.patient import Candidate
from oncotrial.core.response.measurability import Measurability, baseline_measurability
from oncotrial.core.units import SPECS, Measurand, Measurement


@dataclass(frozen=True, slots=True)
class ScreeningContext:
    """When screening happens and how old data may be (protocol parameters)."""

    on: date
    lab_recency_days: int
    imaging_recency_days: int


@dataclass(frozen=True, slots=True)
class Outcome:
    met: bool | None
    reason: str


class Rule(Protocol):
    """One checkable condition. ``describe`` restates it in words with its threshold."""

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome: ...

    def describe(self) -> str: ...


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _recent_lab(candidate: Candidate, measurand: Measurand, context: ScreeningContext
                ) -> tuple[Measurement | None, str | None]:
    lab = candidate.latest_lab(measurand, on=context.on)
    if lab is None:
        return None, f"no {SPECS[measurand].name} recorded on or before {context.on}"
    assert lab.collected_on is not None
    age = (context.on - lab.collected_on).days
    if age > context.lab_recency_days:
        return None, (f"{SPECS[measurand].name} of {lab.collected_on} is {age} days old; "
                      f"at most {context.lab_recency_days} days accepted")
    return lab, None


@dataclass(frozen=True, slots=True)
class LabThreshold:
    """A lab value compared with a fixed threshold (stored in the canonical unit)."""

    measurand: Measurand
    operator: Operator
    threshold: float

    def describe(self) -> str:
        spec = SPECS[self.measurand]
        unit = "" if spec.canonical_unit == "1" else f" {spec.canonical_unit}"
        return f"{spec.name} {self.operator.symbol} {_fmt(self.threshold)}{unit}"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        lab, missing = _recent_lab(candidate, self.measurand, context)
        if lab is None:
            return Outcome(None, str(missing))
        met = self.operator.holds(lab.value, self.threshold)
        unit = "" if lab.unit == "1" else f" {lab.unit}"
        return Outcome(met, f"{SPECS[self.measurand].name} {_fmt(lab.value)}{unit} "
                            f"({lab.collected_on}); required {self.describe()}")


@dataclass(frozen=True, slots=True)
class LabUlnMultiple:
    """A lab value compared with a multiple of the site's upper limit of normal."""

    measurand: Measurand
    operator: Operator
    multiple: float

    def describe(self) -> str:
        return f"{SPECS[self.measurand].name} {self.operator.symbol} {_fmt(self.multiple)} × ULN"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        lab, missing = _recent_lab(candidate, self.measurand, context)
        if lab is None:
            return Outcome(None, str(missing))
        uln = candidate.reference_ranges.uln(self.measurand)
        if uln is None:
            return Outcome(None, f"site {candidate.reference_ranges.site_id} has no upper limit "
                                 f"of normal for {SPECS[self.measurand].name}")
        met = self.operator.holds(lab.value, self.multiple * uln)
        return Outcome(met, f"{SPECS[self.measurand].name} {_fmt(lab.value)} {lab.unit} = "
                            f"{lab.value / uln:.3g} × ULN (ULN {_fmt(uln)}); required "
                            f"{self.operator.symbol} {_fmt(self.multiple)} × ULN")


@dataclass(frozen=True, slots=True)
class Attestation:
    """A fact the investigator confirms (histology, resectability): met only when confirmed."""

    fact: str

    def describe(self) -> str:
        return f"{self.fact} = yes"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        found = candidate.facts.get(self.fact)
        if found is None:
            return Outcome(None, f"{self.fact} not recorded")
        return Outcome(found.present, f"{self.fact}: {'yes' if found.present else 'no'}")


@dataclass(frozen=True, slots=True)
class ConditionPresent(Attestation):
    """A history item (prior therapy, other malignancy): met when it is present."""

    def describe(self) -> str:
        return f"{self.fact.replace('_', ' ')} present"


@dataclass(frozen=True, slots=True)
class ConditionWithin:
    """An event within ``days`` before the screening date (e.g. GI bleeding within 4 weeks)."""

    fact: str
    days: int

    def describe(self) -> str:
        return f"{self.fact.replace('_', ' ')} within {self.days} days"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        found = candidate.facts.get(self.fact)
        if found is None:
            return Outcome(None, f"{self.fact} not recorded")
        if not found.present:
            return Outcome(False, f"{self.fact}: never")
        if found.on is None:
            return Outcome(None, f"{self.fact}: yes, but the date of the last event is missing")
        if found.on > context.on:
            return Outcome(None, f"{self.fact} dated {found.on}, after the screening date {context.on}")
        since = (context.on - found.on).days
        met = found.on >= context.on - timedelta(days=self.days)
        return Outcome(met, f"{self.fact} on {found.on}, {since} days before {context.on}; "
                            f"window {self.days} days")


@dataclass(frozen=True, slots=True)
class NumberFact:
    """A clinical estimate (life expectancy in months) compared with a threshold."""

    fact: str
    operator: Operator
    threshold: float

    def describe(self) -> str:
        return f"{self.fact.replace('_', ' ')} {self.operator.symbol} {_fmt(self.threshold)}"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        value = candidate.numbers.get(self.fact)
        if value is None:
            return Outcome(None, f"{self.fact} not recorded")
        return Outcome(self.operator.holds(value, self.threshold),
                       f"{self.fact} {_fmt(value)}; condition {self.describe()}")


@dataclass(frozen=True, slots=True)
class MinimumAge:
    operator: Operator
    years: int

    def describe(self) -> str:
        return f"age {self.operator.symbol} {self.years} years"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        age = candidate.age_on(context.on)
        if age is None:
            return Outcome(None, "date of birth not recorded")
        return Outcome(self.operator.holds(age, self.years), f"age {age} years on {context.on}")


@dataclass(frozen=True, slots=True)
class EcogIn:
    allowed: tuple[int, ...]

    def describe(self) -> str:
        return "ECOG performance status in " + ", ".join(str(a) for a in self.allowed)

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        if candidate.ecog is None:
            return Outcome(None, "ECOG performance status not recorded")
        return Outcome(candidate.ecog in self.allowed, f"ECOG {candidate.ecog}")


@dataclass(frozen=True, slots=True)
class ChildPughClassIn:
    """Child-Pugh class from bilirubin, albumin, INR, ascites and encephalopathy."""

    allowed: tuple[str, ...]

    def describe(self) -> str:
        return "Child-Pugh class " + " or ".join(self.allowed)

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        values: dict[Measurand, Measurement] = {}
        for m in (Measurand.BILIRUBIN, Measurand.ALBUMIN, Measurand.INR):
            lab, missing = _recent_lab(candidate, m, context)
            if lab is None:
                return Outcome(None, f"Child-Pugh not computable: {missing}")
            values[m] = lab
        if candidate.ascites is None or candidate.encephalopathy is None:
            return Outcome(None, "Child-Pugh not computable: ascites or encephalopathy not recorded")
        score = child_pugh_score(
            bilirubin=values[Measurand.BILIRUBIN], albumin=values[Measurand.ALBUMIN],
            inr=values[Measurand.INR], ascites=candidate.ascites,
            encephalopathy=candidate.encephalopathy,
        )
        return Outcome(score.child_pugh_class.value in self.allowed,
                       f"Child-Pugh {score.child_pugh_class.value}{score.total} "
                       f"(score {score.total})")


@dataclass(frozen=True, slots=True)
class MeasurableLesions:
    """At least ``minimum`` lesions measurable per RECIST 1.1 on recent baseline imaging."""

    minimum: int

    def describe(self) -> str:
        return f"at least {self.minimum} measurable lesion(s) per RECIST 1.1"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        if candidate.lesions is None:
            return Outcome(None, "baseline imaging not recorded")
        oldest = context.on - timedelta(days=context.imaging_recency_days)
        recent = [le for le in candidate.lesions if oldest <= le.imaged_on <= context.on]
        if candidate.lesions and not recent:
            return Outcome(None, f"no baseline imaging within {context.imaging_recency_days} days")
        measurable = [
            le.lesion_id for le in recent
            if baseline_measurability(
                is_lymph_node=le.is_lymph_node, longest_diameter_mm=le.longest_diameter_mm,
                short_axis_mm=le.short_axis_mm, slice_thickness_mm=le.slice_thickness_mm,
                field=f"lesions.{le.lesion_id}",
            ) is Measurability.MEASURABLE
        ]
        listed = ", ".join(measurable) if measurable else "none"
        return Outcome(len(measurable) >= self.minimum,
                       f"{len(measurable)} measurable lesion(s) ({listed})")


@dataclass(frozen=True, slots=True)
class ConsentGiven:
    """Written informed consent dated on or before the screening date."""

    def describe(self) -> str:
        return "written informed consent signed"

    def evaluate(self, candidate: Candidate, context: ScreeningContext) -> Outcome:
        if candidate.consent_date is None:
            return Outcome(None, "no informed consent recorded")
        if candidate.consent_date > context.on:
            return Outcome(False, f"consent dated {candidate.consent_date}, after {context.on}")
        return Outcome(True, f"consent signed {candidate.consent_date}")
