"""Errors a user can cause. The CLI prints them as one line and exits with status 2."""


class AuditorError(Exception):
    """A problem with the command line, the inputs as a whole, or the expectations folder."""


class ConfigError(AuditorError):
    """An expectations file is missing, malformed or inconsistent; the message names the file."""
