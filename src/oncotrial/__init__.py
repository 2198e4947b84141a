"""Oncotrial: open-source software to run a randomized oncology clinical trial."""

__version__ = "0.1.0"
