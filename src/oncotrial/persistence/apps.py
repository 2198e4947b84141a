"""The Django app that holds Oncotrial's storage (models, constraints, migrations)."""

from django.apps import AppConfig


class PersistenceConfig(AppConfig):
    name = "oncotrial.persistence"
    label = "persistence"
    verbose_name = "Oncotrial storage"
    default_auto_field = "django.db.models.BigAutoField"
