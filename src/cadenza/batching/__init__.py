"""Many tasks at once (`cadenza batch`, `cadenza.batch`): read and check them, run them
concurrently within the models' shared slots, in this process or on a Ray cluster,
and write each result as it finishes, so that a rerun resumes where the last stopped.

- `items`: the input lines and their defaults;  `outfile`: OUT, the record of truth;
- `slots`: a model's slots shared fairly by the tasks;  `workshop`: a worker's models;
- `jobs`: what runs on a worker;  `execute`: where jobs run (`LocalExecutor`, `drive`);
- `cluster`: on Ray (optional extra);  `run`: plan and run a batch;  `summary`: the end.
"""

from cadenza.batching.execute import Done, Lost, WorkerLost, WorkerUp
from cadenza.batching.items import BatchItem, Defaults, LineError
from cadenza.batching.outfile import OutFile
from cadenza.batching.run import (
    BatchEvent,
    BatchPlan,
    BatchStarted,
    RayTarget,
    TaskFinished,
    plan_batch,
    run_batch,
)
from cadenza.batching.summary import BatchSummary, RequirementRate
from cadenza.batching.workshop import WorkerDone

__all__ = [
    "BatchEvent",
    "BatchItem",
    "BatchPlan",
    "BatchStarted",
    "BatchSummary",
    "Defaults",
    "Done",
    "LineError",
    "Lost",
    "OutFile",
    "RayTarget",
    "RequirementRate",
    "TaskFinished",
    "WorkerDone",
    "WorkerLost",
    "WorkerUp",
    "plan_batch",
    "run_batch",
]
