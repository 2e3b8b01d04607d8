"""Names of the county's summary views (kept import-free so the CLI parser stays light)."""

VIEWS = {"status": "同步状态", "payouts": "发放合计", "catalogue": "目录完成情况", "villages": "村务公开情况"}
