"""The history of audited reports: an embedded store of every report audited, its issuing body,
kind, year and named figures, so that a report is checked against last year's even when last
year's was audited in another run.

- tracked.py: `History`, what an audit holds (look-up of last year's reports, recording of the
  run's), turning every problem with the store into a note;
- store.py: the DuckDB store itself;
- commands.py: `auditor history` (bodies × years, one body's figures, export).

Nothing here is imported by `auditor --help` or `auditor rules`: DuckDB is imported only when a
store is opened.
"""

STORE_NAME = "audit_history.duckdb"  # in the output folder, unless --history names another file
