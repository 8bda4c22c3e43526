"""Requirements: the check vocabulary (spec), verdicts, programmatic checks, conflicts and
safe repairs; the compiler, extraction and the LLM judge."""
