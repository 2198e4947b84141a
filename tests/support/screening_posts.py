"""The screening page's POST data for the example patient (``docs/examples/patient.json``)."""

from __future__ import annotations

from typing import Any

from support.candidates import example_patient


def screening_post(
    patient_id: str, *, site: str = "SYSUCC", ecog: int = 1, metastasis: str = "yes"
) -> dict[str, str]:
    doc: dict[str, Any] = example_patient()
    post = {
        "patient_id": patient_id,
        "site_id": site,
        "screened_on": "2024-03-05",
        "consent_date": doc["consent_date"],
        "birth_date": doc["birth_date"],
        "sex": doc["sex"],
        "ecog": str(ecog),
        "weight.value": str(doc["weight"]["value"]),
        "weight.unit": doc["weight"]["unit"],
        "height.value": str(doc["height"]["value"]),
        "height.unit": doc["height"]["unit"],
        "labs_date": doc["labs"][0]["date"],
        "ascites": doc["ascites"],
        "encephalopathy": doc["encephalopathy"],
        "imaging_date": doc["lesions"][0]["date"],
        "slice_thickness_mm": "5",
        "attributes.extrahepatic_metastasis": metastasis,
        "numbers.life_expectancy_months": "12",
    }
    for lab in doc["labs"]:
        post[f"labs.{lab['test']}.value"] = str(lab["value"])
        post[f"labs.{lab['test']}.unit"] = lab["unit"]
    for i, lesion in enumerate(doc["lesions"]):
        post[f"lesions.{i}.id"] = lesion["id"]
        post[f"lesions.{i}.organ"] = lesion["organ"]
        if lesion["lymph_node"]:
            post[f"lesions.{i}.lymph_node"] = "on"
        post[f"lesions.{i}.size_mm"] = str(lesion.get("longest_diameter_mm", lesion.get("short_axis_mm")))
    for fact, value in doc["facts"].items():
        present = value["present"] if isinstance(value, dict) else value
        if present:
            post[f"facts.{fact}"] = "on"
            if isinstance(value, dict) and value.get("date"):
                post[f"facts.{fact}.date"] = value["date"]
    return post


def reference_ranges(site: str = "SYSUCC") -> list[dict[str, Any]]:
    return list(example_patient()["reference_ranges"]["ranges"])
