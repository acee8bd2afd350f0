#!/usr/bin/env python3
# The job side of the P6 benchmark: appends `opened`, COUNT log messages and `closed` to the Pipes messages file.
import base64, json, os, sys, zlib
path = json.loads(zlib.decompress(base64.b64decode(os.environ['DAGSTER_PIPES_MESSAGES'])))['path']
count = int(sys.argv[1])
def line(method, params):
    return json.dumps({'__dagster_pipes_version': '0.1', 'method': method, 'params': params}) + '\n'
with open(path, 'a', encoding='utf-8') as out:
    out.write(line('opened', {'extras': {}}))
    for i in range(count):
        out.write(line('log', {'message': 'message %d of the benchmark payload' % i, 'level': 'INFO'}))
    out.write(line('closed', {}))
