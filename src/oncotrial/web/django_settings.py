"""The module named by ``DJANGO_SETTINGS_MODULE``: :class:`Settings` built once, at startup."""

from oncotrial.web.settings import Settings

globals().update(Settings.from_env().django())
