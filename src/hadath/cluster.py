"""Extraction on a Dask cluster: ``hadath ingest --cluster tcp://scheduler:8786`` (a running
cluster) or ``--cluster local:N`` (a local cluster of N worker processes).

The inputs are read here and cut into chunks; each chunk's extraction is a Dask task (the same
function the process pool runs), and this process writes the results through the store in
input order, in batches, as the only writer. Dask reschedules the tasks of a worker lost
mid-run on the others, so a lost worker costs a retry; documents are stored idempotently
(by their text's hash, under the store's write lock), so a retried chunk never doubles an
article and none is missed. Needs ``pip install 'hadath[cluster]'`` (dask.distributed); the
workers of a remote cluster need hadath installed too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .errors import ClusterError

# How many times Dask retries a chunk whose extraction raised (a lost worker is not counted:
# the scheduler reschedules its tasks by itself).
RETRIES = 2
# How long to wait for a remote scheduler to answer.
CONNECT_TIMEOUT = "20s"
# How long a local cluster's worker outlives its scheduler (in this process) before it closes.
DEATH_TIMEOUT = "10s"


@contextmanager
def submitter(spec: Any, on_done: Callable[[int], None] | None = None
              ) -> Iterator[tuple[Callable[[list], Any], int]]:
    """``(submit, workers)``: ``submit(payloads)`` runs one chunk's extraction on the cluster
    and returns its future; ``workers`` is how many workers the cluster has.

    ``spec``: a scheduler address (``tcp://host:8786``), ``local:N``, or a
    ``distributed.Client``. ``on_done(n)`` is called as each chunk of n articles finishes.
    """
    from .ingest import _extract_chunk

    import os

    client, owned = _client(spec)
    # the workers of a local cluster end with this process (a kill -9 leaves no orphans)
    watch = os.getpid() if str(spec).startswith("local:") else None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))

        def submit(payloads: list) -> Any:
            fut = client.submit(_extract_chunk, payloads, watch, pure=False, retries=RETRIES)
            if on_done is not None:
                n = len(payloads)
                fut.add_done_callback(lambda f: f.status == "finished" and on_done(n))
            return fut

        yield submit, workers
    finally:
        for thing in owned:
            thing.close()


def _client(spec: Any) -> tuple[Any, list]:
    """A Dask client for ``spec``, and what to close when done."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--cluster needs dask.distributed: pip install 'hadath[cluster]'") from None
    if isinstance(spec, Client):
        return spec, []
    spec = str(spec)
    if spec.startswith("local:"):
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            n = 0
        if n < 1:
            raise ClusterError(f"--cluster {spec}: local:N takes a number of workers, N >= 1")
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR,
                               death_timeout=DEATH_TIMEOUT)
        return Client(cluster), [cluster]  # closing the cluster closes its client's workers
    if "://" not in spec:
        raise ClusterError(f"--cluster {spec!r}: give a scheduler address (tcp://host:8786) or local:N")
    try:
        client = Client(spec, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"--cluster {spec}: cannot reach the Dask scheduler ({exc})") from None
    return client, [client]
