"""The strategies: one policy each (`cadenza.planner.strategy.Policy`), and a `run`."""
