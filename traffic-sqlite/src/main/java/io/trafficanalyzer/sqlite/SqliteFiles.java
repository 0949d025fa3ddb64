package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.status.Logging;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Opens database files: the writer's (directory and store created when missing, owner and group only) and readers'
 * (read-only). Every failure becomes a {@link SqliteStoreException} that names the file and the reason.
 * <p>
 * A new store is built complete in a temporary file beside the path, closed, and then linked at the path, which fails
 * when the path exists: so several processes may create one store at once (one wins, the others open it), and the
 * path never names a half-made store, whenever the creator is stopped. Temporary files of creators that died are
 * removed.
 */
final class SqliteFiles
{
    /** Ends the name of a store being built: {@code .NAME.PID.RANDOM.creating}, and its SQLite siblings. */
    static final String CREATING = ".creating";

    /** A temporary file this old, of a process not running here, is a dead creator's. */
    private static final long STALE_MS = 60_000;
    /** A temporary file this old is a dead creator's whatever its process number says (reused, or another host's). */
    private static final long ABANDONED_MS = 86_400_000;

    /** rw-rw----: the store is shared with a group of readers (BI, ETL) but not with everyone. */
    static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-rw----");

    /** rwxr-x---: directories made for the store; the group may list them, others may not enter. */
    static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwxr-x---");

    private SqliteFiles()
    {
    }

    static Path normalise(final Path path)
    {
        return path.toAbsolutePath().normalize();
    }

    /*
     * Creates the directory and a new store with owner and group permissions when missing, then opens it.
     */
    static Connection openWriter(final Path path, final int busyTimeoutMs)
    {
        final Path directory = path.getParent();
        try
        {
            if (directory != null && !Files.isDirectory(directory))
            {
                createDirectories(directory);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new SqliteStoreException(path, "cannot create directory " + directory + ": a file of that name " +
                "exists", ex);
        }
        catch (final IOException | SecurityException ex)
        {
            throw new SqliteStoreException(path, "cannot create directory " + directory + ": " + ex, ex);
        }

        if (Files.isDirectory(path))
        {
            throw new SqliteStoreException(path, "is a directory, not a database file", null);
        }
        removeDeadCreations(path);
        if (!Files.exists(path))
        {
            createStore(path, busyTimeoutMs);
        }
        else if (!Files.isWritable(path))
        {
            throw new SqliteStoreException(path, "the file is not writable by this process: " + access(path), null);
        }

        final SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        config.resetOpenMode(SQLiteOpenMode.CREATE);

        return connect(path, config, "cannot open for writing");
    }

    /*
     * Creates the missing directories of a path, each for owner and group only whatever the umask, so that no one
     * else can list, remove or replace the store.
     */
    private static void createDirectories(final Path directory) throws IOException
    {
        final Path parent = directory.getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            createDirectories(parent);
        }
        try
        {
            if (Files.getFileAttributeView(parent != null ? parent : directory, PosixFileAttributeView.class) != null)
            {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
                Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
            }
            else
            {
                Files.createDirectory(directory);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            if (!Files.isDirectory(directory))
            {
                throw ex;
            }
            // made by another process meanwhile: its permissions are its own
        }
    }

    /*
     * Opens an existing store read-only; readers never create files.
     */
    static Connection openReader(final Path path, final int busyTimeoutMs)
    {
        if (!Files.isRegularFile(path))
        {
            throw new SqliteStoreException(path, "no such database file", null);
        }
        if (!Files.isReadable(path))
        {
            throw new SqliteStoreException(path, "permission denied: " + access(path), null);
        }
        final SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        config.setReadOnly(true);

        return connect(path, config, "cannot open for reading");
    }

    /*
     * What identifies the file at a path (device and inode where the file system has them), to tell whether the path
     * still names the file that was opened.
     */
    static Object fileKey(final Path path) throws IOException
    {
        final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return null != attributes.fileKey() ? attributes.fileKey() : attributes.creationTime();
    }

    static Object fileKeyIfExists(final Path path)
    {
        try
        {
            return fileKey(path);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    static Path sibling(final Path path, final String suffix)
    {
        return path.resolveSibling(path.getFileName() + suffix);
    }

    /*
     * Deletes a file only while the path still names the file identified by the key.
     */
    static void deleteIfSameFile(final Path path, final Object key)
    {
        if (null != key && key.equals(fileKeyIfExists(path)))
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ex)
            {
                throw new SqliteStoreException(path, "cannot delete the stale log of a removed store: " + ex, ex);
            }
        }
    }

    /*
     * Builds a complete store in a temporary file of the same directory and links it at the path; when another
     * process linked its store first, that one stays and this one is dropped.
     */
    private static void createStore(final Path path, final int busyTimeoutMs)
    {
        final Path temporary = path.resolveSibling("." + path.getFileName() + "." + ProcessHandle.current().pid() +
            "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + CREATING);
        createFile(temporary);
        try
        {
            final SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(busyTimeoutMs);
            config.resetOpenMode(SQLiteOpenMode.CREATE);
            // closing the only connection checkpoints the log and removes it: the file is the whole store
            try (Connection connection = connect(temporary, config, "cannot create the store"))
            {
                Schema.create(connection);
            }
            catch (final SQLException ex)
            {
                throw new SqliteStoreException(path, "cannot create the store: " + ex.getMessage(), ex);
            }
            publish(temporary, path);
        }
        finally
        {
            deleteCreation(temporary);
        }
    }

    /*
     * A hard link fails when the path exists, where a rename would replace it. Without hard links (some file systems
     * of other systems), a rename when the path is free is the best left.
     */
    private static void publish(final Path temporary, final Path path)
    {
        try
        {
            Files.createLink(path, temporary);
        }
        catch (final FileAlreadyExistsException ex)
        {
            return;
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            try
            {
                if (!Files.exists(path))
                {
                    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            catch (final IOException | UnsupportedOperationException moveFailure)
            {
                moveFailure.addSuppressed(ex);
                throw new SqliteStoreException(path, "cannot publish the new store: " + moveFailure, moveFailure);
            }
        }
        syncDirectory(path.getParent());
    }

    // the new name must survive a power loss as the commits into it will
    private static void syncDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            // not every platform syncs directories; the link is as durable as the file system makes it
        }
    }

    private static void deleteCreation(final Path temporary)
    {
        for (final String suffix : new String[]{ "", "-journal", "-wal", "-shm" })
        {
            try
            {
                Files.deleteIfExists(sibling(temporary, suffix));
            }
            catch (final IOException ex)
            {
                // a leftover is removed by the next writer that opens the store
            }
        }
    }

    /*
     * Removes what creators of this store that died (killed, power loss) left: temporary files not modified for a
     * minute of a process that no longer runs here, or not modified for a day.
     */
    private static void removeDeadCreations(final Path path)
    {
        final String prefix = "." + path.getFileName() + ".";
        final long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path.getParent(),
            (file) -> file.getFileName().toString().startsWith(prefix) &&
            file.getFileName().toString().contains(CREATING)))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                final int dot = name.indexOf('.', prefix.length());
                final long pid = parsePid(dot < 0 ? "" : name.substring(prefix.length(), dot));
                final long age = now - Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
                final boolean running = pid == ProcessHandle.current().pid() ||
                    (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) &&
                    ((age > STALE_MS && !running) || age > ABANDONED_MS))
                {
                    Files.deleteIfExists(file);
                }
            }
        }
        catch (final IOException | SecurityException ex)
        {
            // leftovers only take space; the next writer tries again
        }
    }

    private static long parsePid(final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static void createFile(final Path path)
    {
        try
        {
            if (Files.getFileAttributeView(path.getParent(), PosixFileAttributeView.class) != null)
            {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS));
                // the process umask may have removed group bits at creation: set them explicitly
                Files.setPosixFilePermissions(path, FILE_PERMISSIONS);
            }
            else
            {
                Files.createFile(path);
            }
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            throw new SqliteStoreException(path, "cannot create the database file: " + ex, ex);
        }
    }

    /*
     * Who may use a file, for a permission error: "the file is rw-rw---- traffic:traffic-readers; members of the
     * group traffic-readers may read it".
     */
    static String access(final Path path)
    {
        try
        {
            final PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
            final String group = attributes.group().getName();
            final Set<PosixFilePermission> permissions = attributes.permissions();
            final String who = permissions.contains(PosixFilePermission.OTHERS_READ) ? "everyone may read it" :
                permissions.contains(PosixFilePermission.GROUP_READ) ? "members of the group " + group +
                " may read it" : "only " + attributes.owner().getName() + " may read it";

            return "the file is " + PosixFilePermissions.toString(permissions) + " " + attributes.owner().getName() +
                ":" + group + "; " + who;
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return "this process may not use the file";
        }
    }

    private static Connection connect(final Path path, final SQLiteConfig config, final String what)
    {
        // sqlite-jdbc logs through SLF4J where it finds it: not its notice on the service's standard error
        Logging.quietSlf4j();
        try
        {
            return config.createConnection("jdbc:sqlite:" + path);
        }
        catch (final SQLException ex)
        {
            throw new SqliteStoreException(path, what + ": " + ex.getMessage(), ex);
        }
    }
}
