"""The planner: strategies as policies over one search state, run on the engine
(docs/architecture.md has the flow of a solve and each module's job)."""
