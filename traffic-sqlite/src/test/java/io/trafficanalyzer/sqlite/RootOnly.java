package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.testing.Prerequisite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * File system faults that need root: a tiny tmpfs to fill up, and the immutable attribute, which even root cannot
 * write through (root ignores file modes, so a read-only file is made with {@code chattr +i}). A test that needs
 * them is skipped, saying why, when the process is not root, the container forbids mounts or {@code chattr} is
 * missing or unsupported; under CI it fails instead ({@link Prerequisite}).
 */
final class RootOnly
{
    private RootOnly()
    {
    }

    static void assumeRoot(final String test) throws Exception
    {
        final Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        final boolean root = "0".equals(new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        id.waitFor();
        Prerequisite.require(root, test + " needs root for mount and chattr");
    }

    static void mountTmpfs(final Path mountPoint, final String size, final String test) throws Exception
    {
        Files.createDirectories(mountPoint);
        final String failure = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs",
            mountPoint.toString());
        Prerequisite.require(null == failure, test + " cannot mount a tmpfs: " + failure);
    }

    static void unmount(final Path mountPoint) throws Exception
    {
        final String failure = run("umount", "-l", mountPoint.toString());
        if (null != failure)
        {
            throw new IllegalStateException("umount " + mountPoint + ": " + failure);
        }
    }

    static void immutable(final boolean on, final Path... paths) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("chattr", on ? "+i" : "-i"));
        for (final Path path : paths)
        {
            command.add(path.toString());
        }
        final String failure = run(command.toArray(new String[0]));
        if (null != failure)
        {
            throw new IllegalStateException(String.join(" ", command) + ": " + failure);
        }
    }

    static void assumeImmutableSupported(final Path directory, final String test) throws Exception
    {
        Prerequisite.requireNothingMissing(immutableUnsupported(directory, test));
    }

    // null when chattr +i works under the directory, else why not
    private static String immutableUnsupported(final Path directory, final String test) throws Exception
    {
        final Path probe = Files.createTempFile(directory, "probe", ".tmp");
        try
        {
            final String failure = run("chattr", "+i", probe.toString());
            if (null != failure)
            {
                return test + " needs chattr +i (e2fsprogs) under " + directory + ": " + failure;
            }
            run("chattr", "-i", probe.toString());
            return null;
        }
        finally
        {
            Files.deleteIfExists(probe);
        }
    }

    /*
     * Fills the file system of a directory until a write fails for lack of space; free() gives the space back.
     */
    static void fill(final Path directory) throws IOException
    {
        final Path filler = directory.resolve("filler");
        final byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler))
        {
            while (true)
            {
                out.write(block);
            }
        }
        catch (final IOException ex)
        {
            if (!String.valueOf(ex.getMessage()).contains("No space left"))
            {
                throw ex;
            }
        }
        // the stream's last buffer may not have fit; fill what is left byte by byte from a second file
        final Path crumbs = directory.resolve("filler-crumbs");
        try (var out = Files.newOutputStream(crumbs))
        {
            while (true)
            {
                out.write(0);
                out.flush();
            }
        }
        catch (final IOException ex)
        {
            if (!String.valueOf(ex.getMessage()).contains("No space left"))
            {
                throw ex;
            }
        }
    }

    static void free(final Path directory) throws IOException
    {
        Files.deleteIfExists(directory.resolve("filler"));
        Files.deleteIfExists(directory.resolve("filler-crumbs"));
    }

    // null on success, else what the command said
    private static String run(final String... command) throws Exception
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            return ex.getMessage();
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return "timed out";
        }
        return 0 == process.exitValue() ? null : "exit " + process.exitValue() + ": " + output;
    }
}
