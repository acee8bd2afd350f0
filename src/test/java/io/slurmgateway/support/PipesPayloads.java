package io.slurmgateway.support;

/** Python payloads that speak the job side of Dagster Pipes, as JSON-escaped script text for a run request. */
public final class PipesPayloads {

    private PipesPayloads() {}

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
}
