"""Export many accounts across many machines, on ``dask.distributed`` (``chatapi[distributed]``).

The unit of work is a :class:`Shard` (account, kind, date window): :func:`plan` cuts each
account's listing into shards, :func:`run` exports them on a cluster, one task per shard, at
most ``per_account`` shards of one account at a time, each resumable from its checkpoint, and
writes ``manifest.json``. A shard names its account, never credentials: each worker resolves
the name from its own ``$CHATAPI_ACCOUNTS_FILE``.
"""

from ._accounts import ACCOUNTS_FILE_VARIABLE, load_account, read_accounts
from ._plan import Shard, plan
from ._run import DistributedReport, ShardResult, run
from ._task import run_shard, shard_path

__all__ = [
    "ACCOUNTS_FILE_VARIABLE",
    "DistributedReport",
    "Shard",
    "ShardResult",
    "load_account",
    "plan",
    "read_accounts",
    "run",
    "run_shard",
    "shard_path",
]
