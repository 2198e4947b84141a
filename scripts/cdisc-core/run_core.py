"""Run CDISC CORE (cdisc-rules-engine, PyPI) offline on a folder of SDTM XPT files.

Runs under .venv-core (Python 3.12; scripts/cdisc-core/setup-venv.sh). The rule data come
from shared/cdisc-core/*.json (converted from the engine repository's resources/cache); the
CDISC Library metadata files are not available offline, so rules that need them are skipped
by the engine (research/standards.md §3, the runner there adapted).

Usage: .venv-core/bin/python scripts/cdisc-core/run_core.py CACHE_DIR DATA_DIR REPORT.json
         [--standard sdtmig --version 3-4 --ct sdtmct-2015-12-18]
Writes REPORT.json: {"counts": {status: n}, "results": [{rule, dataset, status, message, errors}]}
and prints one line per "issue reported" result. Exit 0 whatever the findings (the pytest
test decides against its allowlist).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections import Counter
from typing import Any


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("cache_dir")
    parser.add_argument("data_dir")
    parser.add_argument("report")
    parser.add_argument("--standard", default="sdtmig")
    parser.add_argument("--version", default="3-4")
    parser.add_argument("--ct", default="sdtmct-2015-12-18")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    os.environ.setdefault("DISABLE_LOGGING", "True")

    import pyreadstat
    from cdisc_rules_engine.config import config
    from cdisc_rules_engine.models.library_metadata_container import LibraryMetadataContainer
    from cdisc_rules_engine.models.sdtm_dataset_metadata import SDTMDatasetMetadata
    from cdisc_rules_engine.rules_engine import RulesEngine
    from cdisc_rules_engine.services.cache import InMemoryCacheService
    from cdisc_rules_engine.services.data_services import DataServiceFactory

    with open(os.path.join(args.cache_dir, "rules.json"), encoding="utf-8") as fh:
        rules_all = json.load(fh)
    with open(os.path.join(args.cache_dir, "rules_dictionary.json"), encoding="utf-8") as fh:
        ids = json.load(fh)[f"{args.standard}/{args.version}"]
    with open(os.path.join(args.cache_dir, f"{args.ct}.json"), encoding="utf-8") as fh:
        ct = json.load(fh)
    paths = [os.path.join(args.data_dir, f) for f in sorted(os.listdir(args.data_dir)) if f.endswith(".xpt")]
    datasets = []
    for p in paths:
        df, meta = pyreadstat.read_xport(p)
        datasets.append(
            SDTMDatasetMetadata(
                name=os.path.basename(p)[:-4].upper(),
                label=meta.file_label,
                filename=os.path.basename(p),
                full_path=p,
                file_size=os.path.getsize(p),
                record_count=len(df),
                first_record=df.iloc[0].to_dict() if len(df) else None,
            )
        )
    lib = LibraryMetadataContainer(
        standard_metadata={},
        model_metadata={},
        variables_metadata={},
        variable_codelist_map={},
        ct_package_metadata={args.ct: ct},
    )
    cache = InMemoryCacheService()
    biggest = max(d.file_size for d in datasets)
    data_service = DataServiceFactory(
        config=config,
        cache_service=cache,
        standard=args.standard,
        standard_version=args.version,
        standard_substandard=None,
        library_metadata=lib,
        max_dataset_size=biggest,
    ).get_data_service(paths)
    engine = RulesEngine(
        cache=cache,
        data_service=data_service,
        config_obj=config,
        standard=args.standard,
        standard_version=args.version,
        library_metadata=lib,
        max_dataset_size=biggest,
        dataset_paths=paths,
        ct_packages=[args.ct],
        validate_xml=False,
    )
    results: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for rid in ids:
        rule = rules_all.get(rid)
        if rule is None:
            counts["rule missing"] += 1
            continue
        try:
            with (
                open(os.devnull, "w") as quiet,
                contextlib.redirect_stdout(quiet),
                contextlib.redirect_stderr(quiet),
            ):
                outcome = engine.validate_single_rule(rule)
        except Exception as exc:
            counts["execution error"] += 1
            results.append(
                {
                    "rule": rid,
                    "dataset": None,
                    "status": "execution error",
                    "message": repr(exc),
                    "errors": [],
                }
            )
            continue
        statuses = []
        for dataset, items in outcome.items():
            for item in items:
                status = str(item.get("executionStatus"))
                statuses.append(status)
                errors = item.get("errors") or []
                if status == "issue reported" or (status == "success" and errors):
                    status = "issue reported"
                results.append(
                    {
                        "rule": rid,
                        "dataset": dataset,
                        "status": status,
                        "message": item.get("message"),
                        "errors": _jsonable(errors)[:20],
                    }
                )
        counts[_rule_status(statuses, results, rid)] += 1
    with open(args.report, "w", encoding="utf-8") as fh:
        json.dump({"counts": dict(counts), "results": results}, fh, indent=1, default=str)
    for r in results:
        if r["status"] == "issue reported":
            print(f"{r['rule']}\t{r['dataset']}\t{r['message']}\t{len(r['errors'])} error(s)")
    print(json.dumps(dict(counts)))
    return 0


def _rule_status(statuses: list[str], results: list[dict[str, Any]], rid: str) -> str:
    mine = [r["status"] for r in results if r["rule"] == rid]
    if "issue reported" in mine:
        return "issue reported"
    if "execution error" in statuses:
        return "execution error"
    if "success" in statuses:
        return "success"
    return "skipped"


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
