"""Distributed ingest on a local Dask cluster: the same store as one process, even when a
worker is killed mid-run."""

from __future__ import annotations

import os
import signal
import time

import pytest

from hadath.errors import ClusterError
from hadath.ingest import ingest
from hadath.store import Store

from .test_store import make_folder

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed "
                                                        "(pip install 'hadath[cluster]')")


@pytest.fixture(scope="module")
def client():
    import logging

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(tmp_path, new_db, client):
    folder = make_folder(tmp_path / "in", 300)
    single, distributed_db = Store(new_db("single")), Store(new_db("dask"))
    ingest([str(folder)], single, jobs=1)

    pids = client.run(os.getpid)  # {worker address: pid}
    assert len(pids) == 2
    killed: dict = {}
    extracted = []

    def kill_one(report) -> None:
        if not killed:  # after the first batch is stored, while chunks are still out
            address, pid = sorted(pids.items())[0]
            os.kill(pid, signal.SIGKILL)
            killed.update(address=address, pid=pid, stored=report.read,
                          extracted=sum(extracted))

    rep = ingest([str(folder)], distributed_db, batch=5, progress=kill_one, cluster=client,
                 extracted=extracted.append)
    assert killed and killed["extracted"] < 300, "the run ended before a worker could be killed"
    with pytest.raises(ProcessLookupError):
        os.kill(killed["pid"], 0)  # the worker really died
    assert rep.new == 300 and rep.duplicates == 0 and rep.bad == 0
    assert distributed_db.dump() == single.dump()
    # the nanny restarts the worker; the cluster is whole again for the next user
    deadline = time.time() + 30
    while len(client.scheduler_info()["workers"]) < 2 and time.time() < deadline:
        time.sleep(0.2)
    assert len(client.scheduler_info()["workers"]) == 2


def test_a_second_distributed_ingest_adds_nothing(tmp_path, new_db, client):
    folder = make_folder(tmp_path / "in", 40)
    store = Store(new_db())
    first = ingest([str(folder)], store, batch=10, cluster=client)
    again = ingest([str(folder)], store, batch=10, cluster=client)
    assert (first.new, again.new, again.duplicates) == (40, 0, 40)


def test_bad_cluster_specs_are_clear_errors(tmp_path, monkeypatch):
    import hadath.cluster

    monkeypatch.setattr(hadath.cluster, "CONNECT_TIMEOUT", "2s")
    store = Store(tmp_path / "s.db")
    folder = make_folder(tmp_path / "in", 2)
    for spec, words in (("local:0", "N >= 1"), ("local:x", "N >= 1"), ("scheduler", "tcp://"),
                        ("tcp://127.0.0.1:9", "cannot reach")):
        with pytest.raises(ClusterError, match=words):
            ingest([str(folder)], store, cluster=spec)
