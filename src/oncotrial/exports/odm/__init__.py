"""CDISC ODM 1.3.2: eCRF metadata (from neutral form descriptions) and clinical data (from the
clinical records), validated against the official ODM 1.3.2 XSD shipped in ``odmlib``."""

from oncotrial.exports.odm.document import OdmStudy, odm_data_errors, odm_xml
from oncotrial.exports.odm.forms import (
    FieldDescription,
    FieldKind,
    FormDescription,
    describe_field,
    describe_form,
    describe_forms,
)
from oncotrial.exports.odm.package import clinical_records_odm, write_odm
from oncotrial.exports.odm.record_forms import record_form_data, record_forms
from oncotrial.exports.odm.validate import odm_schema_errors, validate_odm

__all__ = ["FieldDescription", "FieldKind", "FormDescription", "OdmStudy", "clinical_records_odm",
           "describe_field", "describe_form", "describe_forms", "odm_data_errors", "odm_schema_errors",
           "odm_xml", "record_form_data", "record_forms", "validate_odm", "write_odm"]
