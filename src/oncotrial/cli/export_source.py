"""Where a standards export reads its trial from: ``--simulated-demo`` or ``--database PATH``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from oncotrial.exports.clinical_records import ClinicalRecords
    from oncotrial.services.trial_dataset import TrialDataset

DATABASE = typer.Option(
    None, "--database", help="Export the application's database (SQLite file; DATABASE_URL wins)."
)


def check_source(simulated_demo: bool, database: Path | None) -> None:
    """Exactly one of the two sources (a clear error otherwise)."""
    if simulated_demo and database is not None:
        raise typer.BadParameter("give --simulated-demo or --database, not both")
    if not simulated_demo and database is None:
        raise typer.BadParameter("give --simulated-demo or --database PATH (e.g. .oncotrial/demo.sqlite3)")


def _open(database: Path) -> None:
    import os

    from oncotrial.cli.app_env import configure_app

    if not os.environ.get("DATABASE_URL") and not database.is_file():
        raise typer.BadParameter(f"no database file {database} (build one with `oncotrial demo`)")
    configure_app(database)


def database_records(database: Path) -> ClinicalRecords:
    """The database's clinical records (every randomized subject up to its data cut-off)."""
    _open(database)
    from oncotrial.services.clinical_records_export import clinical_records_from_database

    return clinical_records_from_database()


def database_dataset(database: Path) -> TrialDataset:
    """The database as analysis inputs (TrialData and the report's extras)."""
    _open(database)
    from oncotrial.services.trial_dataset import trial_dataset

    return trial_dataset()
