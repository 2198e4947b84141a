"""Endpoints derived from trial records: OS, PFS, BOR/ORR/DCR, DoR, safety, populations.

Pure functions over plain core records (:mod:`.records`); the statistics that
summarise them live in :mod:`oncotrial.analysis`.
"""
