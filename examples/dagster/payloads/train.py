"""Trains for a few epochs, saving a checkpoint when Slurm warns of the time limit (signal_before_timeout USR1@60)."""
import argparse
import signal
import time

from dagster_pipes import open_dagster_pipes

stopping = False


def on_usr1(signum, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGUSR1, on_usr1)
parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=1)
options = parser.parse_args()

with open_dagster_pipes() as pipes:
    rate = pipes.get_extra("learning_rate")
    loss = 1.0
    for epoch in range(options.epochs):
        if stopping:
            pipes.log.warning("time limit near: checkpoint after epoch %d" % epoch)
            break
        loss *= 1 - rate
        pipes.log.info("epoch %d: loss %.3f" % (epoch, loss))
        time.sleep(1)
    pipes.report_asset_materialization(metadata={"loss": loss, "epochs": options.epochs})
