"""The Dagster resource: the only module of this package that imports Dagster.

Written against Dagster 1.13 (the line dagster-slurm 1.19 pins, ``dagster>=1.13,<1.14``), and reads only public
pieces that are older than it (Pipes sessions as of 1.9): ``ConfigurableResource``, ``Config``,
``open_pipes_session``, ``PipesEnvContextInjector``, ``PipesMessageReader``, ``PipesClientCompletedInvocation`` and
``DagsterPipesExecutionError``. Everything else it does is in :mod:`slurm_gateway.steps`, tested without Dagster.

    @dg.asset
    def my_asset(context: dg.AssetExecutionContext, compute: SlurmGatewayResource):
        return compute.run(context=context, payload_path="script.py", extra_env={"KEY": "value"}).get_results()
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import dagster as dg
from dagster._core.errors import DagsterPipesExecutionError

try:  # exported at the top level by newer versions
    from dagster import PipesClientCompletedInvocation
except ImportError:  # pragma: no cover - depends on the Dagster version
    from dagster._core.pipes.client import PipesClientCompletedInvocation

from .client import GatewayClient
from .steps import DagsterParts, EventFollower, EventReader, StepRunner, run_request, slurm_resources


class GatewayMessageReader(EventReader, dg.PipesMessageReader):
    """Reads a gateway run's Pipes messages from its events (:class:`slurm_gateway.steps.EventReader`)."""


class GatewayResources(dg.Config):
    """Default Slurm resources for the resource's runs; each step may override them with ``extra_slurm_opts``."""

    partition: Optional[str] = None
    nodes: Optional[int] = None
    ntasks: Optional[int] = None
    cpus_per_task: Optional[int] = None
    memory: Optional[str] = None
    gpus: Optional[int] = None
    time_limit: Optional[str] = None
    qos: Optional[str] = None
    account: Optional[str] = None
    reservation: Optional[str] = None
    constraint: Optional[str] = None
    exclusive: Optional[bool] = None
    signal_before_timeout: Optional[str] = None


def _dagster_parts() -> DagsterParts:
    return DagsterParts(
        open_pipes_session=dg.open_pipes_session,
        context_injector=dg.PipesEnvContextInjector,
        message_reader=GatewayMessageReader,
        execution_error=lambda message, metadata: DagsterPipesExecutionError(message),
        completed_invocation=lambda session, metadata: PipesClientCompletedInvocation(session, metadata=metadata),
    )


class SlurmGatewayResource(dg.ConfigurableResource):
    """Runs a step's payload through Slurm Gateway, locally or on a Slurm cluster, by configuration.

    ``url`` is the gateway; ``token`` its bearer token (use ``dg.EnvVar``); ``mode`` ``local`` or ``slurm``;
    ``cluster`` the gateway's cluster (may be left out when it has one); ``launcher`` the default launcher;
    ``resources`` the default Slurm resources; ``python`` the interpreter a ``.py`` payload without ``#!`` runs
    with; ``forward_logs`` copies the run's stdout and stderr to the step's.
    """

    url: str = "http://127.0.0.1:8080"
    token: Optional[str] = None
    mode: str = "local"
    cluster: Optional[str] = None
    launcher: str = "bash"
    resources: Optional[GatewayResources] = None
    python: str = "python3"
    forward_logs: bool = True
    request_timeout: float = 60.0

    def client(self) -> GatewayClient:
        return GatewayClient(self.url, self.token, timeout=self.request_timeout)

    def run(
        self,
        context: Any,
        payload_path: Optional[str] = None,
        script: Optional[str] = None,
        args: Sequence[str] = (),
        launcher: Optional[str] = None,
        launcher_options: Optional[Mapping[str, Any]] = None,
        extra_env: Optional[Mapping[str, str]] = None,
        extra_slurm_opts: Optional[Mapping[str, Any]] = None,
        extras: Optional[Mapping[str, Any]] = None,
        environment: Union[None, str, "os.PathLike[str]", Mapping[str, Any]] = None,
        extra_files: Optional[Mapping[str, Union[str, "os.PathLike[str]", bytes]]] = None,
    ) -> PipesClientCompletedInvocation:
        """Runs the payload as this step's external process and returns what it reported over Dagster Pipes.

        ``environment`` is a local pack archive's path (uploaded; the run gets ``{"pack": digest}``), the
        ``"sha256:…"`` digest of a pack stored already, or a dict passed as it is (``{"path": "/abs/prefix"}`` for one
        deployed on the hosts). ``extra_files`` maps relative paths in the run's directory to local files or bytes,
        uploaded unless the gateway holds them; a ``payload_path`` that is one of its keys names that file.

        Raises ``DagsterPipesExecutionError`` when the run does not end ``COMPLETED`` or its ``closed`` message
        carries an exception.
        """
        if isinstance(context, dg.AssetCheckExecutionContext):  # Pipes sessions take the op's context
            context = context.op_execution_context
        defaults: Dict[str, Any] = self.resources.model_dump() if self.resources is not None else {}
        client = self.client()
        request = run_request(
            client,
            mode=self.mode,
            cluster=self.cluster,
            launcher=launcher or self.launcher,
            payload_path=payload_path,
            script=script,
            python=self.python,
            args=list(args),
            env=extra_env,
            launcher_options=launcher_options,
            resources=slurm_resources(defaults, extra_slurm_opts),
            environment=environment,
            extra_files=extra_files,
        )
        runner = StepRunner(client, _dagster_parts(), forward_logs=self.forward_logs)
        return runner.run(context, request, extras)


__all__: List[str] = ["SlurmGatewayResource", "GatewayResources", "GatewayMessageReader", "EventFollower"]
