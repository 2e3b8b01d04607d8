"""依申请公开: the register of disclosure requests, its clocks, reply documents and exports."""
