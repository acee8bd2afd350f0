package io.slurmgateway.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Python payloads that speak the job side of Dagster Pipes, as JSON-escaped script text for a run request. */
public final class PipesPayloads {

    private PipesPayloads() {}

    /** The methods of the messages {@link #WRITER} sends in its {@code full} scenario, in order. */
    public static final List<String> FULL_METHODS = List.of(
            "opened",
            "log",
            "report_asset_materialization",
            "report_asset_materialization",
            "report_asset_check",
            "closed");

    /** A run request for {@link #WRITER} with a Pipes context, in the given mode, with the scenario's arguments. */
    public static String writerRun(String asset, String mode, String... arguments) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("asset", asset);
        request.put("mode", mode);
        request.put("payload", Map.of("script", WRITER));
        request.put("args", List.of(arguments));
        request.put("dagster", Map.of("runId", "dagster-run-1", "pipesContext", Map.of("extras", Map.of())));
        return JsonMapper.shared().writeValueAsString(request);
    }

    /** Prints what a dagster_pipes process would read from its environment, or that it is not a Pipes process. */
    public static final String CONTEXT_READER = String.join(
            "\\n",
            "#!/usr/bin/env python3",
            "import base64, json, os, zlib",
            "def decode(name):",
            "    return json.loads(zlib.decompress(base64.b64decode(os.environ[name])))",
            "if 'DAGSTER_PIPES_CONTEXT' not in os.environ:",
            "    print('not a pipes process', 'DAGSTER_PIPES_MESSAGES' in os.environ)",
            "else:",
            "    data = decode('DAGSTER_PIPES_CONTEXT')['data']",
            "    messages = decode('DAGSTER_PIPES_MESSAGES')",
            "    print(data['run_id'], data['partition_key'], data['asset_keys'], data['extras'], data['retry_number'])",
            "    print(messages['path'], messages['include_stdio_in_messages'])",
            "");

    /**
     * The job side of the protocol, written from the spec rather than with the dagster_pipes module: it decodes both
     * bootstrap variables, appends messages to the messages file and echoes each line it writes to stdout, so a test
     * can compare the relayed events with what was written byte for byte. Its first argument picks a scenario:
     * {@code full}, {@code exception}, {@code malformed}, {@code partial}, {@code last}, {@code unclosed},
     * {@code many COUNT PAUSE_SECONDS}, which writes COUNT log messages without echoing them, or {@code loud MIB},
     * which prints MIB mebibytes to stdout and then closes with an exception.
     */
    public static final String WRITER =
            """
            #!/usr/bin/env python3
            import base64, json, os, sys, time, zlib
            def decode(name):
                return json.loads(zlib.decompress(base64.b64decode(os.environ[name])))
            context = decode('DAGSTER_PIPES_CONTEXT')['data']
            out = open(decode('DAGSTER_PIPES_MESSAGES')['path'], 'a', encoding='utf-8')
            asset = context['asset_keys'][0]
            def line(method, params, **options):
                return json.dumps({'__dagster_pipes_version': '0.1', 'method': method, 'params': params}, **options)
            def write(text, end='\\n'):
                out.write(text + end)
                out.flush()
                print(text, flush=True)
            def send(method, params, **options):
                write(line(method, params, **options))
            scenario = sys.argv[1]
            if scenario == 'many':
                count, pause = int(sys.argv[2]), float(sys.argv[3])
                for i in range(count):
                    out.write(line('log', {'message': 'message %d' % i, 'level': 'INFO'}) + '\\n')
                    if pause:
                        out.flush()
                        time.sleep(pause)
                out.close()
                sys.exit(0)
            send('opened', {'extras': {'run': context['run_id']}})
            if scenario == 'full':
                send('log', {'message': 'materializing ' + asset, 'level': 'INFO'})
                send('report_asset_materialization', {'asset_key': asset, 'data_version': 'v1', 'metadata': {
                    'rows': {'raw_value': 12345678901234567890, 'type': 'int'},
                    'ratio': {'raw_value': 0.1, 'type': 'float'},
                    'ok': {'raw_value': True, 'type': 'bool'},
                    'note': {'raw_value': 'tab\\there, quote \\' and \\u00fc', 'type': 'text'},
                    'schema': {'raw_value': {'cols': ['a', 'b'], 'n': None}, 'type': 'json'},
                    'link': {'raw_value': 'https://example.org/x?y=1&z=2', 'type': 'url'},
                    'file': {'raw_value': '/data/out.parquet', 'type': 'path'},
                    'doc': {'raw_value': '# Title', 'type': 'md'},
                    'at': {'raw_value': 1764288000.5, 'type': 'timestamp'},
                    'nothing': {'raw_value': None, 'type': 'null'}}})
                send('report_asset_materialization', {'asset_key': 'analytics/summary', 'data_version': None,
                    'metadata': {'gr\\u00f6\\u00dfe': {'raw_value': 'gr\\u00fcn \\u2713', 'type': 'text'}}},
                    ensure_ascii=False)
                send('report_asset_check', {'asset_key': asset, 'check_name': 'no_nulls', 'passed': True,
                    'severity': 'ERROR', 'metadata': {'nulls': {'raw_value': 0, 'type': 'int'}}})
                send('closed', {})
            elif scenario == 'exception':
                send('closed', {'exception': {'name': 'ValueError', 'message': 'bad rows: 3',
                    'stack': ['  File "job.py", line 1'], 'cause': None, 'context': None}})
            elif scenario == 'malformed':
                write('this is not json')
                write(json.dumps({'method': 'log', 'params': {}}))
                send('log', {'message': 'still here', 'level': 'INFO'})
                send('closed', {})
            elif scenario == 'partial':
                text = line('log', {'message': 'split across reads', 'level': 'INFO'})
                out.write(text[:20])
                out.flush()
                time.sleep(0.6)
                out.write(text[20:] + '\\n')
                print(text, flush=True)
                send('closed', {})
            elif scenario == 'last':
                time.sleep(0.3)
                send('log', {'message': 'last words', 'level': 'INFO'})
                write(line('closed', {}), end='')
                os._exit(0)
            elif scenario == 'loud':
                block = ('y' * 1023 + '\\n') * 1024
                for i in range(int(sys.argv[2])):
                    sys.stdout.write(block)
                sys.stdout.flush()
                send('closed', {'exception': {'name': 'ValueError', 'message': 'loud and wrong',
                    'stack': [], 'cause': None, 'context': None}})
            elif scenario == 'unclosed':
                send('log', {'message': 'leaving without closing', 'level': 'WARNING'})
            """;
}
