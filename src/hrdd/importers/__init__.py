"""Importers that turn other benchmarks' published data into hrdd frameworks and assessments."""
