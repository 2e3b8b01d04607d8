"""The pages of the left navigation (DESIGN §7), built lazily on first visit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    module: str
    class_name: str
    tip: str = ""


PLACEHOLDER = ("gkdesk.ui.pages.placeholder", "PlaceholderPage")

PAGE_SPECS: list[PageSpec] = [
    PageSpec("home", "首页", "gkdesk.ui.pages.home", "HomePage", "到期与逾期事项一览"),
    PageSpec("catalogue", "标准目录", "gkdesk.ui.pages.catalogue", "CataloguePage", "基层政务公开标准目录"),
    PageSpec("villages", "村务公开", "gkdesk.ui.pages.villages", "VillagesPage", "村(居)务公开事项目录与公示日历"),
    PageSpec("payouts", "补贴发放", "gkdesk.ui.pages.payouts", "PayoutsPage", "惠民惠农补贴发放清册"),
    PageSpec("notices", "公示打印", "gkdesk.ui.pages.notices", "NoticesPage", "打印村务公开栏公示单"),
    PageSpec("requests", "依申请公开", "gkdesk.ui.pages.requests", "RequestsPage", "政府信息公开申请登记、答复期限与文书"),
    PageSpec("annual_report", "年度报告", "gkdesk.ui.pages.annual_report", "AnnualReportPage", "政府信息公开工作年度报告:计算、检查、导出"),
    PageSpec("sync", "同步", "gkdesk.ui.pages.sync", "SyncPage", "与县政务公开办交换同步包"),
    PageSpec("settings", "设置", "gkdesk.ui.pages.settings", "SettingsPage", "本乡镇、村(社区)、操作人、字号、节假日"),
    PageSpec("backups", "备份", "gkdesk.ui.pages.backups", "BackupsPage", "备份与恢复"),
    PageSpec("about", "关于", "gkdesk.ui.pages.about", "AboutPage", "版本与数据目录"),
]
