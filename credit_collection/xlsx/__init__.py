"""The XLSX exports of Collections, plain Python over the ORM: models import
them without loading the report models first (the order in which the
models are defined is the order in which their tables are made)."""
