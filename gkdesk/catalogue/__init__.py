"""The standard catalogue (基层政务公开标准目录): domains, items, time rules, imports,
publications, due dates, search and the 回头看 self-check.

Modules: ``core`` (seeding, domains, items, publications), ``timerule`` (公开时限 →
rule), ``importer`` (county Excel directories), ``due`` (occurrences and the home
dashboard), ``search`` (FTS5 trigram / LIKE), ``selfcheck`` (xlsx and PDF export).
"""
