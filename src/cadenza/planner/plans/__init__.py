"""Plan-and-execute with tools: the plan (a step DAG the model writes), its checks,
the requests and the joiner, and the engine phase that runs and replans (a handler of
`cadenza.planner.runner.Runner`); the `plan` strategy (`cadenza.planner.strategies.plan`)
hands the joined answer to the requirement tree."""
