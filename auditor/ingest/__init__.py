"""Ingest: find report files, decode their bytes, and turn HTML into visible text."""
