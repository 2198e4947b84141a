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

__all__ = ["FORMS", "Check", "FieldError", "FieldKind", "FieldSpec", "FormErrors", "FormSpec", "Severity"]
