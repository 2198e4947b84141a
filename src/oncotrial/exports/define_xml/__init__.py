"""Define-XML 2.1 for the SDTM and ADaM exports, generated from their specification tables and
checked against the official Define-XML 2.1 XSDs shipped in the PyPI package ``odmlib``."""

from oncotrial.exports.define_xml.adam_define import adam_define_xml, write_adam_define
from oncotrial.exports.define_xml.sdtm_define import sdtm_define_xml, write_sdtm_define
from oncotrial.exports.define_xml.validate import define_schema_errors, validate_define

__all__ = ["adam_define_xml", "define_schema_errors", "sdtm_define_xml", "validate_define",
           "write_adam_define", "write_sdtm_define"]
