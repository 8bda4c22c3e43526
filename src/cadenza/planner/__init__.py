"""Strategies (single, best_of_n, refine, tree) as plans on the engine, and the policy
that decides, round after round, what to do next."""
