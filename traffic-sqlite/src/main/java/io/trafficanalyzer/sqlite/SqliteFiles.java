package io.trafficanalyzer.sqlite;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Opens database files: the writer's (directory and file created when missing, owner and group only) and readers'
 * (read-only). Every failure becomes a {@link SqliteStoreException} that names the file and the reason.
 */
final class SqliteFiles
{
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
     * Creates the directory and an empty file with owner and group permissions when missing, then opens it.
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
        if (!Files.exists(path))
        {
            createFile(path);
        }
        else if (!Files.isWritable(path))
        {
            throw new SqliteStoreException(path, "the file is not writable by this process", null);
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

    private static Connection connect(final Path path, final SQLiteConfig config, final String what)
    {
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
