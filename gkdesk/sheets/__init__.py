"""Reading the spreadsheets clerks have (xlsx, xls, ods, csv) into plain rows.

``reader`` turns any supported file into sheets of cell values; ``header`` finds the
header row by column synonyms. Importers (villages, payouts, catalogue) build on both.
"""

from gkdesk.sheets.header import HeaderMatch, find_header, normalise_header
from gkdesk.sheets.reader import Sheet, read_workbook

__all__ = ["HeaderMatch", "Sheet", "find_header", "normalise_header", "read_workbook"]
