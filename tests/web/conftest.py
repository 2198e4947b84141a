"""Django set up before test modules import models; shared fixtures from ``support``."""

from support.django_db import configure

configure()

from support.django_db import (  # noqa: E402, F401
    admin,
    coordinator,
    make_user,
    production_list,
    role_users,
    sites,
    treated,
)
from support.web import signed_in  # noqa: E402, F401
