"""Errors a user can cause. The CLI prints them as one line and exits with status 2."""


class AuditorError(Exception):
    """A problem with the command line, the inputs as a whole, or the expectations folder."""


class ConfigError(AuditorError):
    """An expectations file is missing, malformed or inconsistent; the message names the file."""


class OutputError(AuditorError):
    """An output file could not be written (a full disk, a read-only file system); the message
    names the file, which the operating system's error does not."""

    @classmethod
    def of(cls, path, error: OSError) -> "OutputError":
        from auditor.paths import display_name

        reason = error.strerror.lower() if error.strerror else str(error)
        return cls(f"cannot write {display_name(path)}: {reason}")
