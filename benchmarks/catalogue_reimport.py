"""Re-import judgement (whole or part, rename proposals) against the cost of reading the file.

Run: ``.venv/bin/python benchmarks/catalogue_reimport.py``. A 120-row directory of one domain
is imported, then a revision with 20 renamed rows is judged (:func:`importer.plan`: read,
match, propose renames). The floor is reading the same file alone
(:func:`importer.read_directory`), measured in the same run; the judgement (which also reads the
stored rows and their publications) must stay under 6× the floor. Exits 1 otherwise.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gkdesk.catalogue import importer
from gkdesk.store import open_store
from tests.catalogue_layouts import directory_book

LIMIT_RATIO = 6.0
ROWS = 120
WORDS = ["最低生活保障", "特困人员", "临时救助", "医疗救助", "残疾人两项补贴", "孤儿基本生活", "事实无人抚养儿童",
         "低保边缘家庭", "刚性支出困难家庭", "受灾人员救助", "就业救助", "教育救助"]
KINDS = ["政策法规文件", "办事指南", "审核信息", "审批信息", "资金发放情况", "监督举报渠道", "救助标准", "对象名单",
         "认定程序", "动态管理情况"]


def rows(renamed: int = 0) -> list[list]:
    out = []
    for i in range(ROWS):
        l1, l2 = WORDS[i // len(KINDS) % len(WORDS)], f"{KINDS[i % len(KINDS)]}({i // 100 + 1})"
        if i < renamed:
            l2 = l2.replace("信息", "和公示信息").replace("文件", "文件汇编").replace("情况", "情况公开")
            if l2 == f"{KINDS[i % len(KINDS)]}({i // 100 + 1})":
                l2 = "公开" + l2
        out.append([i + 1, l1, l2, f"{l1}{KINDS[i % len(KINDS)]}:对象、标准、金额、程序;第{i}项",
                    f"《{l1}办法》(民发〔2023〕{i}号)", "制定或获取信息之日起10个工作日内", "乡镇人民政府",
                    "■政府网站 □公开查阅点", "√", None, "√", None, None, "√"])
    return out


def median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = open_store(root / "data")
        try:
            from gkdesk import township

            with store.session() as s:
                township.init_installation(s, "测试镇", "511702101", "测试县", operator="bench")
            first = directory_book(root / "v1.xlsx", rows(), "社会救助领域基层政务公开标准目录")
            second = directory_book(root / "v2.xlsx", rows(20), "社会救助领域基层政务公开标准目录")
            with store.session() as s:
                importer.import_directory(s, first, operator="bench")
            with store.session() as s:
                names = importer._domain_names(s)
                floor = median_ms(lambda: importer.read_directory(second, names))
                judged = median_ms(lambda: importer.plan(s, second))
                proposals = len(importer.plan(s, second).proposals)
        finally:
            store.close()
    ratio = judged / floor
    print(f"read {ROWS} rows: {floor:.1f} ms (floor); judge (read + match + {proposals} rename proposals): "
          f"{judged:.1f} ms; ratio {ratio:.2f} (limit {LIMIT_RATIO})")
    return 0 if ratio < LIMIT_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
