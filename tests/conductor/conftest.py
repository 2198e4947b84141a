"""Django set up before test modules import models."""

from support.django_db import configure

configure()
