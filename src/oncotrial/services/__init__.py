"""Use cases: each ``do_*``/``check_*`` is one transaction that writes its audit rows."""
