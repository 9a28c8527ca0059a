"""The tables of an information-disclosure report: see auditor/extract/tables/ (this module keeps
the import path the pipeline and the relation readers use)."""

from auditor.extract.tables import DisclosureTables, read_tables, table_relations

__all__ = ["DisclosureTables", "read_tables", "table_relations"]
