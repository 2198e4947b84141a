"""Write an SDTM package as SAS XPORT v5 (checked, then read back and compared) and Dataset-JSON 1.1.

Both writers are the shared ones (:mod:`oncotrial.exports.xpt`, :mod:`oncotrial.exports.dataset_json`);
the Dataset-JSON file and metadata-version OIDs name SDTM instead of ADaM.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from oncotrial.exports.dataset_json import check_dataset_json, dataset_json
from oncotrial.exports.sdtm.package import SdtmPackage
from oncotrial.exports.xpt import verify_xpt, write_xpt


def write_sdtm_xpt(package: SdtmPackage, folder: Path, *, verify: bool = True) -> list[Path]:
    """``<folder>/<domain>.xpt`` for every domain (XPORT v5 pre-write checks raise DomainError)."""
    paths = []
    for ds in package.datasets:
        path = write_xpt(ds, folder)
        if verify:
            verify_xpt(ds, path)
        paths.append(path)
    return paths


def write_sdtm_json(package: SdtmPackage, folder: Path, *, created: datetime) -> list[Path]:
    """``<folder>/<domain>.json`` (Dataset-JSON 1.1) for every domain."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for ds in package.datasets:
        doc = dataset_json(ds, created=created)
        doc["fileOID"] = f"oncotrial.{package.study_id}.SDTM.{ds.name}"
        doc["metaDataVersionOID"] = "MDV.SDTM"
        doc["metaDataRef"] = "define.xml"
        check_dataset_json(doc)
        path = folder / f"{ds.name.lower()}.json"
        path.write_text(json.dumps(doc, ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
