#!/usr/bin/env python3
"""The job side of Dagster Pipes for the client's tests, written from the protocol (dagster_pipes is not installed
here): decodes the bootstrap variables and appends one JSON message per line to the messages file.

Scenarios (first argument):
  full            opened, log, a materialization, an asset check, a custom message, closed; prints to both streams
  many N PAUSE    opened, N log messages PAUSE seconds apart, closed
  fail CODE       opened, a line on stderr, exits with CODE without closing
  exception       opened, closed with an exception, exits 0
  wait FILE       opened, waits until FILE exists (or is cancelled), closed
"""
import base64
import json
import os
import sys
import time
import zlib


def decode(name):
    return json.loads(zlib.decompress(base64.b64decode(os.environ[name])))


context = decode("DAGSTER_PIPES_CONTEXT")["data"]
path = decode("DAGSTER_PIPES_MESSAGES")["path"]


def send(method, params):
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"__dagster_pipes_version": "0.1", "method": method, "params": params}) + "\n")


scenario = sys.argv[1]
asset = (context.get("asset_keys") or ["unknown"])[0]
send("opened", {"extras": context.get("extras") or {}})
if scenario == "full":
    print("hello from stdout", flush=True)
    print("hello from stderr", file=sys.stderr, flush=True)
    send("log", {"message": "partition %s, retry %s" % (context.get("partition_key"), context.get("retry_number")),
                 "level": "INFO"})
    send("report_asset_materialization", {
        "asset_key": asset, "data_version": "v1",
        "metadata": {"rows": {"raw_value": 42, "type": "int"},
                     "extras": {"raw_value": context.get("extras"), "type": "json"}}})
    send("report_asset_check", {"asset_key": asset, "check_name": "positive", "passed": True,
                                "severity": "ERROR", "metadata": {}})
    send("report_custom_message", {"payload": {"run": context["run_id"]}})
    send("closed", {})
elif scenario == "many":
    count, pause = int(sys.argv[2]), float(sys.argv[3])
    for i in range(count):
        send("log", {"message": "message %d" % i, "level": "INFO"})
        time.sleep(pause)
    send("closed", {})
elif scenario == "fail":
    print("the payload gives up", file=sys.stderr, flush=True)
    sys.exit(int(sys.argv[2]))
elif scenario == "exception":
    send("closed", {"exception": {"name": "ValueError", "message": "bad rows", "stack": ["  File x, line 1\n"],
                                  "cause": None, "context": None}})
elif scenario == "wait":
    while not os.path.exists(sys.argv[2]):
        time.sleep(0.05)
    send("closed", {})
else:
    sys.exit("unknown scenario " + scenario)
