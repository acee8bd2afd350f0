package io.slurmgateway.blobs;

import static io.slurmgateway.blobs.TestPacks.directory;
import static io.slurmgateway.blobs.TestPacks.file;
import static io.slurmgateway.blobs.TestPacks.hardLink;
import static io.slurmgateway.blobs.TestPacks.special;
import static io.slurmgateway.blobs.TestPacks.symlink;
import static io.slurmgateway.blobs.TestPacks.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slurmgateway.blobs.TestPacks.Compression;
import io.slurmgateway.blobs.TestPacks.Entry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What makes a pack unsafe or unusable, read from archives built entry by entry, plain, gzip and zstd. */
class PackInspectorTest {

    private static final Entry ACTIVATE = file("activate.sh", "export X=1\n");

    @ParameterizedTest
    @EnumSource(Compression.class)
    void acceptsAnEnvironmentWithActivateAtItsRootWhateverTheCompression(Compression compression) {
        byte[] pack = tar(
                compression,
                directory("./"),
                file("./activate.sh", "export X=1\n"),
                directory("./lib/python3/site-packages"),
                file("./lib/python3/site-packages/m.py", "x = 1\n"),
                symlink("./bin/python", "../lib/python3/python3.11"),
                symlink("./lib/current", "python3"),
                symlink("./lib/current-site", "current/site-packages"),
                hardLink("./lib/python3/again.py", "lib/python3/site-packages/m.py"));
        assertThat(problem(pack, true)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void refusesAnEntryWithAnAbsoluteName(Compression compression) {
        assertThat(problem(tar(compression, ACTIVATE, file("/etc/profile.d/x.sh", "")), true))
                .contains("the entry '/etc/profile.d/x.sh' has an absolute name");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void refusesAnEntryWithADotDotSegment(Compression compression) {
        assertThat(problem(tar(compression, ACTIVATE, file("lib/../../outside", "")), true))
                .contains("the entry 'lib/../../outside' has a '..' in its name");
        assertThat(problem(tar(compression, ACTIVATE, file("..", "")), false)).isPresent();
    }

    @Test
    void refusesASymlinkWithAnAbsoluteTarget() {
        assertThat(problem(tar(Compression.GZIP, ACTIVATE, symlink("bin/python", "/usr/bin/python3")), true))
                .contains("the symlink 'bin/python' has an absolute target ('/usr/bin/python3')");
    }

    @Test
    void refusesASymlinkThatLeadsOutsideFromItsOwnDirectory() {
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, symlink("lib/home", "../../home")), true))
                .contains("the symlink 'lib/home' leads outside the archive or in a loop ('../../home')");
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, symlink("lib/root", "..")), true))
                .isEmpty();
    }

    @Test
    void refusesASymlinkThatLeadsOutsideThroughAnotherSymlink() {
        byte[] pack = tar(Compression.ZSTD, ACTIVATE, symlink("d/up", ".."), symlink("escape", "d/up/.."));
        assertThat(problem(pack, true))
                .contains("the symlink 'escape' leads outside the archive or in a loop ('d/up/..')");
    }

    @Test
    void refusesAnEntryWrittenThroughASymlink() {
        byte[] pack = tar(Compression.PLAIN, ACTIVATE, symlink("lib", "."), file("lib/evil", ""));
        assertThat(problem(pack, true)).contains("the entry 'lib/evil' lies under the symlink 'lib'");
    }

    @Test
    void refusesAHardLinkToANameOutsideOrAbsent() {
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, hardLink("passwd", "/etc/passwd")), true))
                .contains("the hard link 'passwd' names '/etc/passwd', which is not an earlier entry of the archive");
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, hardLink("x", "../x")), true))
                .contains("the hard link 'x' names '../x', which is not an earlier entry of the archive");
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, hardLink("x", "later"), file("later", "")), true))
                .contains("the hard link 'x' names 'later', which is not an earlier entry of the archive");
    }

    @Test
    void refusesDevicesAndFifos() {
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, special("dev/null", TarConstants.LF_CHR)), true))
                .contains("the entry 'dev/null' is a device file");
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, special("dev/sda", TarConstants.LF_BLK)), true))
                .contains("the entry 'dev/sda' is a device file");
        assertThat(problem(tar(Compression.PLAIN, ACTIVATE, special("pipe", TarConstants.LF_FIFO)), true))
                .contains("the entry 'pipe' is a fifo");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void requiresARegularActivateAtTheRootOnlyWhenAsked(Compression compression) {
        byte[] noActivate = tar(compression, file("bin/activate.sh", "export X=1\n"));
        assertThat(problem(noActivate, true)).contains("the archive has no regular file activate.sh at its root");
        assertThat(problem(noActivate, false)).isEmpty();
        assertThat(problem(tar(compression, file("real.sh", ""), symlink("activate.sh", "real.sh")), true))
                .contains("the archive has no regular file activate.sh at its root");
        assertThat(problem(tar(compression, directory("activate.sh")), true))
                .contains("the archive has no regular file activate.sh at its root");
    }

    @Test
    void somethingThatIsNotATarIsSaidToBeNone() throws IOException {
        byte[] random = new byte[4096];
        new Random(3).nextBytes(random);
        ByteArrayOutputStream gzippedText = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(gzippedText)) {
            gzip.write("just some text, not a tar\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] notATar : new byte[][] {random, gzippedText.toByteArray(), new byte[0], "hi".getBytes()}) {
            assertThat(problem(notATar, false)).contains("the archive is not a tar archive (plain, gzip or zstd)");
        }
    }

    @Test
    void aDamagedCompressedArchiveIsAProblemNotAnError() {
        byte[] pack = TestPacks.environment(Compression.GZIP, "m");
        byte[] cut = java.util.Arrays.copyOf(pack, pack.length / 2);
        assertThat(problem(cut, true)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("the archive cannot be read as a tar archive"));
    }

    @Test
    void aFailingSourceIsReportedAsTheIoErrorItIs() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        assertThatThrownBy(() -> PackInspector.problem(failing, true))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("disk on fire");
    }

    private static Optional<String> problem(byte[] archive, boolean requireActivate) {
        return PackInspector.problem(new ByteArrayInputStream(archive), requireActivate);
    }
}
