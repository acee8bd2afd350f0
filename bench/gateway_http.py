"""The gateway's HTTP API as the Python benchmarks call it: one request on a fresh connection to the gateway that
bench/rig-gateway.sh started (its port in GATEWAY_PORT)."""
import http.client
import os

PORT = int(os.environ.get("GATEWAY_PORT", "8090"))


def request(method, path, body=None):
    """Sends one request; returns the status and the body's bytes."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request(method, path, body, {"Content-Type": "application/json"} if body else {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data
