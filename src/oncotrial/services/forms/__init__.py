"""The declared eCRFs of the trial: ``FORMS[code]`` is the :class:`FormSpec` of each form.

Every save goes through :func:`oncotrial.services.crf.do_save_form`, which validates
against these declarations; the web renders its forms from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from oncotrial.services.forms.definitions import (
    adverse_event,
    exposure,
    haic,
    labs,
    subject_forms,
    tumour_assessment,
    vitals,
)
from oncotrial.services.forms.spec import (
    Check,
    FieldError,
    FieldKind,
    FieldSpec,
    FormErrors,
    FormSpec,
    Severity,
)

FORMS: Final[Mapping[str, FormSpec]] = MappingProxyType(
    {
        spec.code: spec
        for spec in (
            vitals.FORM,
            labs.FORM,
            exposure.FORM,
            haic.FORM,
            adverse_event.FORM,
            subject_forms.CONMED,
            tumour_assessment.FORM,
            subject_forms.END_OF_TREATMENT,
            subject_forms.FOLLOW_UP,
            subject_forms.DEATH,
            subject_forms.DEVIATION,
        )
    }
)


def forms_for_arm(arm_code: str | None) -> tuple[FormSpec, ...]:
    """The forms a subject of ``arm_code`` uses: the HAIC procedure form only in an arm that
    gives a drug by hepatic arterial infusion (the protocol's regimen routes); before
    randomization (no arm) every form but HAIC."""
    from oncotrial.core.protocol.model import Route
    from oncotrial.services.protocol import current_protocol

    haic = arm_code is not None and any(
        r.route is Route.HEPATIC_ARTERIAL_INFUSION for r in current_protocol().arm(arm_code).regimen
    )
    return tuple(spec for spec in FORMS.values() if spec.code != "haic" or haic)


__all__ = [
    "FORMS",
    "Check",
    "FieldError",
    "FieldKind",
    "FieldSpec",
    "FormErrors",
    "FormSpec",
    "Severity",
    "forms_for_arm",
]
