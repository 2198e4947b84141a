"""Django set up before test modules import models; shared fixtures from ``support``."""

from support.django_db import configure

configure()

from support.django_db import admin, coordinator, make_user, production_list, sites  # noqa: E402, F401
from support.web import signed_in  # noqa: E402, F401
