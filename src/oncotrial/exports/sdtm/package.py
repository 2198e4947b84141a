"""Build every SDTM domain from :class:`~oncotrial.exports.clinical_records.ClinicalRecords`."""

from __future__ import annotations

from dataclasses import dataclass

from oncotrial.exports.adam.metadata import Dataset
from oncotrial.exports.clinical_records import ClinicalRecords
from oncotrial.exports.sdtm.context import Context
from oncotrial.exports.sdtm.events import build_ae, build_mh
from oncotrial.exports.sdtm.findings import build_lb, build_vs
from oncotrial.exports.sdtm.interventions import build_cm, build_ec, build_ex
from oncotrial.exports.sdtm.metadata import DomainSpec
from oncotrial.exports.sdtm.oncology import build_rs, build_tr, build_tu
from oncotrial.exports.sdtm.spec import SPECS
from oncotrial.exports.sdtm.subjects import build_dm, build_ds, build_se, build_sv
from oncotrial.exports.sdtm.trial_design import (
    build_ta,
    build_te,
    build_ti,
    build_ts,
    build_tv,
    planned_visits,
)


@dataclass(frozen=True, slots=True)
class SdtmPackage:
    study_id: str
    simulated: bool
    label: str | None
    datasets: tuple[Dataset, ...]

    def dataset(self, name: str) -> Dataset:
        return next(d for d in self.datasets if d.name == name)

    def spec(self, name: str) -> DomainSpec:
        return SPECS[name]


def build_sdtm(records: ClinicalRecords) -> SdtmPackage:
    """All domains, trial design first (TA, TE, TI, TS, TV), then DM, SE, SV, DS, EX, EC, AE, CM,
    MH, LB, VS, TU, TR, RS."""
    ctx = Context.of(records)
    planned = {n: day for n, _, day, _ in planned_visits(records) if day is not None}
    datasets = (
        build_ta(ctx),
        build_te(ctx),
        build_ti(ctx),
        build_ts(ctx),
        build_tv(ctx),
        build_dm(ctx),
        build_se(ctx),
        build_sv(ctx, planned),
        build_ds(ctx),
        build_ex(ctx),
        build_ec(ctx),
        build_ae(ctx),
        build_cm(ctx),
        build_mh(ctx),
        build_lb(ctx),
        build_vs(ctx),
        build_tu(ctx),
        build_tr(ctx),
        build_rs(ctx),
    )
    return SdtmPackage(records.study.study_id, records.study.simulated, records.study.label, datasets)
