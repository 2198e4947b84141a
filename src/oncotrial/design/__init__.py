"""Trial design: group sequential bounds, sample size and power (rpact's conventions).

Modules: ``specification`` (inputs), ``spending`` and ``integration`` (the numerics),
``group_sequential`` with ``boundaries`` and ``futility`` (bounds), ``characteristics``
(inflation factor, expected information), ``survival`` and ``accrual`` (events, patients, timing),
``rates`` and ``exact_rates`` (the 6-month PFS rate), ``power_curve``, ``planning`` and the lazy
``plotting``. See docs/design.md.
"""
