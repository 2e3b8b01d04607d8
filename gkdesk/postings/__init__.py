"""Village postings (公示): lifecycle, photos, the posting calendar, the year-end duty, the register.

Submodules: ``lifecycle`` (draft → reviewed → posted → ended → archived, objections,
corrections), ``photos`` (evidence stored by content hash), ``calendar`` (due / posted /
late / missing per catalogue item and period), ``yearend`` (the year-end payout
publication checklist), ``register`` (台账 export as .xlsx and PDF).
"""
