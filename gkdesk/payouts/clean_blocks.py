"""A block of clean rows checked at once: the common case of a payout list, column by column.

Nearly every row of a real export is clean: a name of Han characters, an 18-character ID
with the right check digit, amounts as numbers that add up, a village the township knows.
:func:`gkdesk.payouts.parse._parse_rows` checks rows one by one (≈45 bytecode branches a row,
0.34–0.41 s per 100,000 rows here, all of it holding the one GIL on the import's critical
path). Here a block of rows is taken column by column, each check one C-level pass (``map``,
``join``, one regex over a whole column, set operations), and the rows are built with ``zip``:
0.22–0.26 s.

The row-by-row loop stays the only definition of what a row means. A block is taken here
only when every check proves the loop would have accepted every row in it as it is: no
error, no warning, no total or footer line, no duplicate, nothing normalised. Anything
else — one odd cell is enough — returns False before anything shared is changed, and the
loop does the block itself. Caches (villages, groups, months, float texts, birth dates) are
filled in the order the loop would have filled them, so both ways give the same values;
``tests/test_payouts_clean_blocks.py`` holds the two against each other on varied and
hostile rows.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from itertools import compress, repeat
from typing import Any

from gkdesk.identity import CHECK_CODES
from gkdesk.payouts.cells import MAX_FEN, _birth_ok
from gkdesk.sheets import normalise as nz

#: Rows per block: small enough that a list with a few odd rows keeps most blocks on this
#: path, large enough that the per-block set-up (a few dozen C calls) is noise.
BLOCK = 1000

_ID_HEAD, _ID_LAST, _BIRTH = operator.itemgetter(slice(0, 17)), operator.itemgetter(17), \
    operator.itemgetter(slice(6, 14))
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
_CHECK_OF = [CHECK_CODES[k * 2 % 11] for k in range(11)]
_STR = {str}
Columns = list[tuple[Any, ...]]  # a block of rows turned into its columns
_EMPTY = object()  # an empty group cell: the group comes from the village cell


class CleanBlocks:
    """Takes blocks of one sheet's rows, or says the row loop must (see the module)."""

    def __init__(self, *, rows: list[list[Any]], width: int, sheet: str, out_rows: list[list[Any]],
                 cols: Mapping[str, int], village_col: int | None, split: Callable[[Any], Any],
                 vcache: dict[Any, Any], fixed_village: str | None, label_cols: tuple[int, ...],
                 village_first: bool, first_bad: frozenset[str], label_first_bad: frozenset[str],
                 name_bad: Any, ctx: Any) -> None:
        self.rows, self.width, self.sheet, self.out_rows = rows, width, sheet, out_rows
        self.c = cols
        self.village_col, self.split, self.vcache, self.fixed_village = village_col, split, vcache, fixed_village
        self.label_cols = label_cols if village_first else ()
        self.first_bad, self.label_first_bad, self.name_bad = first_bad, label_first_bad, name_bad
        self.ctx = ctx

    def take(self, lo: int, hi: int) -> bool:
        """Check rows ``lo…hi-1``; True if they were all clean and are now in ``out_rows``."""
        rows = self.rows[lo:hi]
        n = len(rows)
        if not n or min(map(len, rows)) < self.width:
            return False
        c, ctx = self.c, self.ctx
        block = list(zip(*rows, strict=False))  # columns: one pass over the rows, however many checks follow
        names = self._names(block)
        ids = self._ids(block, c["id_number"])
        if names is None or ids is None or not self._no_totals(block):
            return False
        fens = self._fens(block, c["amount"])
        if fens is None:
            return False
        qv, qtys = self._numbers(block, c.get("quantity"), n)
        rv, rates = self._numbers(block, c.get("rate"), n)
        if qtys is None or rates is None:
            return False
        if qv is not None and rv is not None and max(map(abs, map(
                operator.sub, map(operator.mul, map(operator.mul, qv, rv), repeat(100)), fens))) > 1 + 1e-6:
            return False  # amount ≠ quantity × rate: an error and a 疑点 the loop words
        places = self._places(block, n)
        months = self._months(block, n)
        accounts = self._accounts(block, n)
        if places is None or months is None or accounts is None:
            return False
        villages, groups = places
        keys: Sequence[Any] = list(zip(ids, months, strict=True)) if ctx.monthly else ids
        key_set = set(keys)
        if len(key_set) != n or not ctx.block_keys.isdisjoint(key_set) or not ctx.seen.keys().isdisjoint(key_set):
            return False  # a double payment: the loop names both rows
        remarks = self._remarks(block, n)
        excel_rows = range(lo + 1, hi + 1)
        ctx.add_block(self.sheet, lo + 1, keys, key_set)
        self.out_rows.extend(map(list, zip(
            villages, map(_FIRST, groups), map(_SECOND, groups), names, ids, accounts, qtys, rates, fens, months,
            remarks, repeat(self.sheet), excel_rows, repeat(None))))
        return True

    # Each check returns None when the row loop has something to say about the block.

    def _names(self, block: Columns) -> tuple[str, ...] | None:
        names = block[self.c["name"]]
        if set(map(type, names)) != _STR:
            return None  # a number or a date where a name should be
        try:
            firsts = set(map(_FIRST, names))
        except IndexError:
            return None  # an empty name
        if not self.first_bad.isdisjoint(firsts) or self.name_bad.search("".join(names)):
            return None  # a total/formula start, spaces, full-width letters, controls
        return names

    def _ids(self, block: Columns, col: int) -> tuple[str, ...] | None:
        ids = block[col]
        if set(map(type, ids)) != _STR:
            return None
        text = "".join(ids)
        try:
            lasts = list(map(_ID_LAST, ids))
        except IndexError:
            return None  # shorter than 18
        if len(text) != 18 * len(ids) or not text.isascii():
            return None  # none shorter, so none longer either; then only ASCII
        heads = list(map(_ID_HEAD, ids))
        if not "".join(heads).isdigit():
            return None
        # ISO 7064 MOD 11-2 as in the loop: the 17 digits read in base 13 give the weighted sum ÷ 2,
        # so the check character is _CHECK_OF[value mod 11].
        if list(map(_CHECK_OF.__getitem__, map(operator.mod, map(int, heads, repeat(13)), repeat(11)))) != lasts:
            return None  # a wrong check digit, or a lower-case x the loop normalises
        birth_ok, today = self.ctx.birth_ok, self.ctx.today_key
        births = set(map(_BIRTH, ids))
        for bk in births.difference(birth_ok):
            birth_ok[bk] = bk <= today and _birth_ok(bk)
        if not all(map(birth_ok.__getitem__, births)):
            return None  # a birth date that is no date, or after today
        return ids

    def _no_totals(self, block: Columns) -> bool:
        """With the village in the first column the loop looks for a 合计 label in every row."""
        for col in self.label_cols:
            firsts = {v[:1] for v in block[col] if type(v) is str}
            if not self.label_first_bad.isdisjoint(firsts):
                return False
        return True

    def _fens(self, block: Columns, col: int) -> list[int] | None:
        amounts = block[col]
        if set(map(type, amounts)) != {float}:
            return None  # text, whole numbers as int, empty cells: the loop's other branches
        f100 = list(map(operator.mul, amounts, repeat(100)))
        try:
            fens = list(map(round, f100))
        except (ValueError, OverflowError):
            return None  # nan, inf
        # 0 ≤ fen < MAX_FEN puts every amount inside the loop's -MAX_FEN < f100 < MAX_FEN.
        if min(fens) < 0 or max(fens) >= MAX_FEN or max(map(abs, map(operator.sub, f100, fens))) > 1e-6:
            return None  # negative, too big, or more than two decimals (rounded with a warning)
        return fens

    def _numbers(self, block: Columns, col: int | None, n: int) -> tuple[Any, Any]:
        """(values, texts) of the quantity or rate column: (None, [None…]) without the column,
        (…, None) when a value is not a plain number the loop takes as it is."""
        if col is None:
            return None, [None] * n
        values = block[col]
        if set(map(type, values)) != {float}:
            return values, None
        ftext = self.ctx.float_text  # holds only numbers inside ±1e9 (the loop's test, and ours)
        texts = list(map(ftext.get, values))
        if None in texts:  # numbers not met before: a few hundred at most in a real list
            distinct = list(dict.fromkeys(compress(values, map(operator.not_, texts))))
            if not (all(map(operator.lt, distinct, repeat(1e9))) and all(map(operator.gt, distinct, repeat(-1e9)))):
                return values, None  # too big, inf or nan
            for v in distinct:
                ftext[v] = nz.cell_text(v)
            texts = list(map(ftext.__getitem__, values))
        return values, texts

    def _places(self, block: Columns, n: int) -> tuple[list[str], list[Any]] | None:
        """Villages, and (group name, group number) per row, as the loop finds them."""
        if self.fixed_village is not None:
            villages: list[str] = [self.fixed_village] * n
            from_village: list[Any] = [("", None)] * n
        elif self.village_col is None:
            return None
        else:
            raws = block[self.village_col]
            vcache, split = self.vcache, self.split
            village_of: dict[Any, str] = {}
            group_of: dict[Any, tuple[str, int | None]] = {}
            for raw in dict.fromkeys(raws):
                hit = vcache.get(raw)
                if hit is None:
                    hit = vcache[raw] = split(raw)
                village, g_name, g_no = hit
                if not village:
                    return None  # a row without a village the loop can name
                village_of[raw], group_of[raw] = village, (g_name, g_no) if g_name else ("", None)
            villages = list(map(village_of.__getitem__, raws))
            from_village = list(map(group_of.__getitem__, raws))
        gcol = self.c.get("group")
        if gcol is None:
            return villages, from_village
        gvs = block[gcol]
        found: dict[Any, Any] = {}
        cache = self.ctx.group_cache
        for gv in dict.fromkeys(gvs):
            if gv == "" or gv is None:
                found[gv] = _EMPTY
            else:
                g = cache.get(gv)
                if g is None:
                    g = cache[gv] = nz.parse_group(gv)
                found[gv] = g
        groups = [g if g is not _EMPTY else vg for g, vg in zip(map(found.__getitem__, gvs), from_village, strict=True)]
        return villages, groups

    def _months(self, block: Columns, n: int) -> list[str] | None:
        ctx, col = self.ctx, self.c.get("month")
        missing = ctx.monthly and not ctx.default_month  # a monthly program needs a month on every row
        if col is None:
            return None if missing else [ctx.default_month] * n
        mvs = block[col]
        found: dict[Any, str] = {}
        cache = ctx.month_cache
        for mv in dict.fromkeys(mvs):
            if mv == "" or mv is None:
                if missing:
                    return None
                found[mv] = ctx.default_month
                continue
            m = cache.get(mv, "?")
            if m == "?":
                m = cache[mv] = nz.parse_month(mv, ctx.year)
            if m is None:
                return None
            found[mv] = m
        return list(map(found.__getitem__, mvs))

    def _accounts(self, block: Columns, n: int) -> Sequence[str] | None:
        col = self.c.get("account_number")
        if col is None:
            return [""] * n
        accounts = block[col]
        if set(map(type, accounts)) != _STR:
            return None  # an account saved as a number: the loop may refuse it
        text = "".join(accounts)
        if text and not (text.isascii() and text.isdigit()):
            return None  # spaces, full-width digits: normalised with a warning by the loop
        return accounts

    def _remarks(self, block: Columns, n: int) -> Sequence[str]:
        col = self.c.get("remark")
        if col is None:
            return [""] * n
        remarks = block[col]
        if set(map(type, remarks)) != _STR:
            return [v if type(v) is str else nz.cell_text(v) for v in remarks]
        return remarks
