"""Payout lists (发放清册): import with validation, programs, queries, export, delete.

Submodules: ``parse`` (read + validate rows, the hot path), ``importer`` (batches,
idempotence, replace), ``errorbook`` (the --valid-only error workbook), ``programs``,
``queries`` (lists, paged rows, reveal, export, delete), ``demo_data``.
"""
