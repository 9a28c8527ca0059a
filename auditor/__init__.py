"""auditor: reads published government reports, extracts their figures, checks their arithmetic."""

__version__ = "0.1.0"
