"""The execution engine: eager parallel DAG execution with budgets, cancellation,
retries, estimates and speculation. Knows nothing of requirements."""
