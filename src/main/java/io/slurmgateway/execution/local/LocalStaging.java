package io.slurmgateway.execution.local;

import io.slurmgateway.blobs.HostCaches;
import io.slurmgateway.execution.ExecutionProperties;
import io.slurmgateway.execution.JobScripts;
import io.slurmgateway.execution.Provisioned;
import io.slurmgateway.execution.RunProvisioning;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.FileToWrite;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.LaunchDefaults;
import io.slurmgateway.runs.ClaimedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Lays out a local run's directory: the job script and the files its launcher asks for, with its pack and files brought
 * into the local cache first. Writing it twice is harmless.
 */
@Component
class LocalStaging {

    private final CommandRunner host;
    private final JobScripts jobScripts;
    private final Path workDir;
    private final LaunchDefaults launchers;
    private final HostCaches caches;

    LocalStaging(CommandRunner host, JobScripts jobScripts, ExecutionProperties properties, HostCaches caches) {
        this.caches = caches;
        this.host = host;
        this.jobScripts = jobScripts;
        this.workDir = properties.workDir().toAbsolutePath().normalize();
        this.launchers = properties.launchers();
    }

    Path directoryOf(ClaimedRun run) {
        return workDir.resolve(run.id().toString());
    }

    /** The job script of a run; made again when the run starts rather than stored. */
    JobScript jobScript(ClaimedRun run) throws IOException {
        Provisioned provisioned = RunProvisioning.prepare(run.spec(), caches.local());
        return jobScripts.of(run, directoryOf(run).toString(), launchers, provisioned);
    }

    /** Writes the run's directory with its job script and returns it. */
    Path stage(ClaimedRun run, JobScript script) throws IOException {
        Path directory = directoryOf(run);
        List<FileToWrite> files = new ArrayList<>();
        files.add(new FileToWrite(JobScript.SCRIPT_NAME, script.scriptText().getBytes(StandardCharsets.UTF_8), true));
        for (JobScript.StagedFile file : script.files()) {
            files.add(new FileToWrite(file.name(), file.content().getBytes(StandardCharsets.UTF_8), file.executable()));
        }
        host.writeDirectory(directory.toString(), files);
        return directory;
    }
}
