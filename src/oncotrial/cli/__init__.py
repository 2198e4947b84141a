"""The ``oncotrial`` command line: thin wrappers over core, services and exports."""
