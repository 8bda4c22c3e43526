"""Benchmarks on real data with their official scoring.

Everything under `cadenza.bench` is harness: it calls the solver through the front
door (`cadenza.api.solve`) and scores what came back. Nothing outside this package
imports a benchmark's scorer, so the solver can never peek at it.
"""
