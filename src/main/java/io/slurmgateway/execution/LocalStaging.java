package io.slurmgateway.execution;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.FileToWrite;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.runs.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** Lays out a local run's directory: the job script and the files its launcher asks for. Writing it twice is harmless. */
@Component
class LocalStaging {

    private final CommandRunner host;
    private final JobScripts jobScripts;
    private final Path workDir;

    LocalStaging(CommandRunner host, JobScripts jobScripts, ExecutionProperties properties) {
        this.host = host;
        this.jobScripts = jobScripts;
        this.workDir = properties.workDir().toAbsolutePath().normalize();
    }

    Path directoryOf(Run run) {
        return workDir.resolve(run.getId().toString());
    }

    /** The job script of a run; made again when the run starts rather than stored. */
    JobScript jobScript(Run run) {
        return jobScripts.of(run, directoryOf(run).toString());
    }

    /** Writes the run's directory with its job script and returns it. */
    Path stage(Run run, JobScript script) throws IOException {
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
