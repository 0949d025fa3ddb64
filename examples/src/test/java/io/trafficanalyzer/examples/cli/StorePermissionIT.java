package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.testing.Prerequisite;
import io.trafficanalyzer.examples.TrafficScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store another user may not read: the tool says it is a permission problem, who may read the file, in one line
 * and without a Java class name. Needs root, to run the tool through setpriv without the capabilities that
 * override file permissions.
 */
class StorePermissionIT
{
    @TempDir
    Path dir;

    @Test
    void shouldSayWhichGroupMayReadWhenTheStoreIsNotReadable() throws Exception
    {
        final boolean root = Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
        Prerequisite.require(root && Files.isExecutable(Path.of("/usr/bin/setpriv")),
            "root and setpriv (util-linux), to run the tool without overriding file permissions");
        final Path db = dir.resolve("t.db");
        final Path capture = dir.resolve("small.pcap");
        new TrafficScript()
            .tcp(TrafficScript.T0_SECONDS * 1_000_000_000L, TrafficScript.A, TrafficScript.R1, 40000, 443, 100)
            .writePcap(capture);
        assertEquals(0, Cli.run("replay", "--db", db.toString(), capture.toString()).exitCode());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r-----"));
        final PosixFileAttributeView owner = Files.getFileAttributeView(db, PosixFileAttributeView.class);
        final UserPrincipal nobody = db.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        final GroupPrincipal nogroup = db.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByGroupName("nogroup");
        owner.setOwner(nobody);
        owner.setGroup(nogroup);

        // root without the capabilities that override file permissions: the file is another user's, not readable
        final Process top = new ProcessBuilder("setpriv", "--bounding-set=-dac_override,-dac_read_search",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), TrafficAnalyzerCommand.class.getName(),
            "top", "--db", db.toString())
            .start();
        final String out = new String(top.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final String err = new String(top.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(top.waitFor(60, TimeUnit.SECONDS));

        assertEquals(1, top.exitValue(), err);
        assertEquals("", out);
        assertEquals("error: --db=" + db + ": permission denied: the file is rw-r----- nobody:nogroup; members of " +
            "the group nogroup may read it", err.strip());
    }
}
