"""Executors: serial, process pool and dask.distributed give identical results."""

import numpy as np
import pytest

from scalebridge.core import (FunctionModel, InputError, Port, ProcessExecutor, Scale, SerialExecutor,
                              evaluate_in_chunks, get_executor)


def langmuir(pressure):
    return {"coverage": 1e-5 * pressure / (1 + 1e-5 * pressure)}


MODEL = FunctionModel(langmuir, {"pressure": Port("Pa")}, {"coverage": Port("")}, Scale(1e-9, 1e-12), "langmuir")
P = {"pressure": np.logspace(0, 7, 37)}


def test_chunked_serial_equals_direct():
    direct = MODEL.evaluate(P)["coverage"]
    chunked = evaluate_in_chunks(MODEL, P, SerialExecutor(), chunk_size=5)["coverage"]
    np.testing.assert_array_equal(chunked, direct)


def test_process_pool_identical_to_serial():
    serial = evaluate_in_chunks(MODEL, P, SerialExecutor(), chunk_size=10)["coverage"]
    pooled = evaluate_in_chunks(MODEL, P, ProcessExecutor(max_workers=2), chunk_size=10)["coverage"]
    np.testing.assert_array_equal(pooled, serial)


def test_dask_local_cluster_identical_to_serial():
    distributed = pytest.importorskip("distributed")
    from scalebridge.core import DaskExecutor
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        result = evaluate_in_chunks(MODEL, P, DaskExecutor(client), chunk_size=8)["coverage"]
    np.testing.assert_array_equal(result, MODEL.evaluate(P)["coverage"])


def test_get_executor_by_name_and_errors():
    assert isinstance(get_executor("serial"), SerialExecutor)
    assert isinstance(get_executor(None), SerialExecutor)
    with pytest.raises(InputError, match="unknown executor 'gpu'"):
        get_executor("gpu")
    with pytest.raises(InputError, match="chunk_size"):
        evaluate_in_chunks(MODEL, P, chunk_size=-1)
