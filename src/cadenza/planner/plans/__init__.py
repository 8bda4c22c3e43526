"""Plan-and-execute with tools: the plan (a step DAG the model writes), its checks,
the requests and the joiner, the engine phase that runs and replans, and the `plan`
strategy that hands the joined answer to the requirement tree."""
