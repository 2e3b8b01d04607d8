"""政府信息公开工作年度报告 (2021 format): tables computed from the register, checks, exports."""
